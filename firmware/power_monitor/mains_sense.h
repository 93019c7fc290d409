// The optional mains-sense input: a GPIO that reads the charger's 5 V through a
// divider while the board itself runs on a battery or a power bank with
// pass-through (firmware/README.md, "Mains sense").
//
// Two small pieces, both pure so they are unit-tested on the host:
//
//   MillisClock     widens millis() (32 bits, wraps after 49.7 days) into a
//                   64-bit count, so an age never wraps however long the board runs.
//   MainsDebouncer  turns raw readings into a debounced mains state: a new level
//                   counts only once it has held for `stableMs`; a glitch that
//                   flips back sooner is ignored. The change is dated at the first
//                   reading of the new level, not at the moment it was confirmed,
//                   so the age sent to the server includes the debounce wait.
#pragma once

#include <stdint.h>

#include "heartbeat_payload.h"

class MillisClock {
 public:
  // Feed the current millis(); returns milliseconds since the first call, in
  // 64 bits. It must be called at least once per 49.7 days (the sketch calls it
  // every loop), which is what lets it see every wrap.
  uint64_t now(uint32_t millisNow);

 private:
  bool started_ = false;
  uint32_t last_ = 0;
  uint64_t elapsed_ = 0;
};

class MainsDebouncer {
 public:
  explicit MainsDebouncer(uint32_t stableMs) : stableMs_(stableMs) {}

  // One raw reading (true = the charger's 5 V is there) at `nowMs` (from
  // MillisClock). Returns true when this reading changed the debounced state
  // after it was first known; the first settled state at boot returns false
  // (nothing changed: the board only learnt it).
  bool sample(bool rawMains, uint64_t nowMs);

  // Whether the state has settled at least once since boot.
  bool known() const { return known_; }
  bool mains() const { return mains_; }

  // Whether the moment of the last change is known: false for the state found
  // at boot (how long it had lasted before is unknown).
  bool changeTimeKnown() const { return changeTimeKnown_; }
  uint64_t changedAtMs() const { return changedAtMs_; }

  // How long ago (at `nowMs`) the state became what mains() says; 0 if `nowMs`
  // is somehow earlier than the change.
  uint64_t msSinceChange(uint64_t nowMs) const;

  uint32_t stableMs() const { return stableMs_; }

 private:
  uint32_t stableMs_;
  bool known_ = false;
  bool mains_ = false;
  bool changeTimeKnown_ = false;
  uint64_t changedAtMs_ = 0;
  bool candidateSet_ = false;
  bool candidate_ = false;      // the raw level being watched
  uint64_t candidateSince_ = 0;  // when the raw level last switched to `candidate_`
};

// Fills the heartbeat's `mains` and `mains_changed_ms_ago` at the moment of a
// send attempt (call it again for each retry: the age grows with it). Leaves
// both out while the state is not known yet, and the age out for the state
// found at boot.
void fillMainsFields(const MainsDebouncer& sense, uint64_t nowMs, HeartbeatFields* fields);
