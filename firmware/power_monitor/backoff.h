// Capped exponential backoff with "equal jitter".
//
// The n-th consecutive failure (counting from 0) waits somewhere in
// [ceiling/2, ceiling], where ceiling = min(cap, base * 2^n). The random half
// keeps many boards that lost the same router from retrying in lockstep; the
// fixed half guarantees the delay still grows.
//
// Board-independent: no Arduino headers, so it is unit-tested on the host.
#pragma once

#include <stdint.h>

// Returns a uniformly distributed 32-bit value (esp_random() on the board).
typedef uint32_t (*RandomSource)(void* context);

class Backoff {
 public:
  // A null `random` disables jitter (every delay is the ceiling).
  Backoff(uint32_t baseMs, uint32_t capMs, RandomSource random, void* randomContext);

  // The delay before the next retry; counts one more consecutive failure.
  uint32_t nextDelayMs();

  // Call after a success: the next failure starts again from the base delay.
  void reset();

  uint32_t consecutiveFailures() const { return failures_; }
  uint32_t baseMs() const { return baseMs_; }
  uint32_t capMs() const { return capMs_; }

  // The un-jittered upper bound for the failure with this 0-based index.
  uint32_t ceilingMs(uint32_t failureIndex) const;

 private:
  uint32_t baseMs_;
  uint32_t capMs_;
  RandomSource random_;
  void* randomContext_;
  uint32_t failures_;
};

// A value in [0, maxInclusive] from a 32-bit random value, without modulo bias
// worth speaking of (multiply-shift).
uint32_t scaleRandom(uint32_t random32, uint32_t maxInclusive);
