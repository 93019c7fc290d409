// Decides when the next heartbeat goes out, from how the last one went.
//
//   2xx          the interval the server suggested (interval_s, clamped 5..300 s),
//                else HEARTBEAT_INTERVAL_S; all backoff is reset
//   401          the key is wrong: retry every 5 minutes, LED shows BadKey
//   429          throttled: back off from 15 s up to 5 min, or longer if
//                Retry-After says so (at most 15 min)
//   other / none network or TLS failure, 5xx, 404, ...: back off from 2 s up to a
//                cap below the place's timeout, so that once the server is
//                reachable again the board checks in before it is declared off
#pragma once

#include <stdint.h>

#include "backoff.h"
#include "link_state.h"

static const uint32_t kBadKeyRetryMs = 5UL * 60 * 1000;
static const uint32_t kErrorBackoffBaseMs = 2000;
static const uint32_t kThrottleBackoffBaseMs = 15000;
static const uint32_t kThrottleBackoffCapMs = 5UL * 60 * 1000;
static const uint32_t kMaxRetryAfterS = 15UL * 60;

// The cap of the failure backoff for a place with this timeout: a third of the
// timeout, between 5 s and 60 s.
uint32_t errorBackoffCapMs(uint32_t locationTimeoutS);

struct NextHeartbeat {
  uint32_t delayMs;
  LinkState state;
};

class HeartbeatSchedule {
 public:
  HeartbeatSchedule(uint32_t configuredIntervalS, uint32_t locationTimeoutS, RandomSource random,
                    void* randomContext);

  // `httpStatus` is the HTTP status, or <= 0 when no reply came (HTTPClient's
  // negative error codes). `replyBody` and `retryAfter` may be null.
  NextHeartbeat afterAttempt(int httpStatus, const char* replyBody, const char* retryAfter);

  // Whether a mains change may go out at once, ahead of the planned heartbeat:
  // yes, unless the server's last answer was 429 (then its wait is honoured,
  // and the change goes with the next heartbeat, its age still right). A
  // failed send is retried by afterAttempt()'s backoff until it is answered.
  bool mainsChangeGoesAtOnce() const { return !throttled_; }

  // The interval used while heartbeats succeed.
  uint32_t intervalS() const { return intervalS_; }
  uint32_t consecutiveFailures() const { return errorBackoff_.consecutiveFailures(); }

 private:
  uint32_t configuredIntervalS_;
  uint32_t intervalS_;
  Backoff errorBackoff_;
  Backoff throttleBackoff_;
  bool throttled_ = false;
};
