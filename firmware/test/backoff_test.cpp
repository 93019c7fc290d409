#include "../power_monitor/backoff.h"

#include "test_runner.h"

static uint32_t alwaysZero(void*) { return 0; }
static uint32_t alwaysMax(void*) { return UINT32_MAX; }

// A small deterministic generator (xorshift32) for the jitter-bounds sweep.
static uint32_t xorshift(void* context) {
  uint32_t* state = static_cast<uint32_t*>(context);
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

TEST(backoff_without_jitter_doubles_from_base) {
  Backoff backoff(1000, 60000, nullptr, nullptr);
  CHECK_EQ(backoff.nextDelayMs(), 1000u);
  CHECK_EQ(backoff.nextDelayMs(), 2000u);
  CHECK_EQ(backoff.nextDelayMs(), 4000u);
  CHECK_EQ(backoff.nextDelayMs(), 8000u);
  CHECK_EQ(backoff.consecutiveFailures(), 4u);
}

TEST(backoff_stops_growing_at_the_cap) {
  Backoff backoff(1000, 20000, nullptr, nullptr);
  uint32_t last = 0;
  for (int i = 0; i < 10; i++) last = backoff.nextDelayMs();
  CHECK_EQ(last, 20000u);
  CHECK_EQ(backoff.ceilingMs(4), 16000u);
  CHECK_EQ(backoff.ceilingMs(5), 20000u);
}

TEST(backoff_never_overflows_after_very_many_failures) {
  Backoff backoff(3000, 300000, nullptr, nullptr);
  for (int i = 0; i < 1000; i++) CHECK_EQ(backoff.ceilingMs(static_cast<uint32_t>(i)) <= 300000u, true);
  for (int i = 0; i < 100000; i++) backoff.nextDelayMs();
  CHECK_EQ(backoff.nextDelayMs(), 300000u);
  CHECK_EQ(backoff.ceilingMs(31), 300000u);
  CHECK_EQ(backoff.ceilingMs(32), 300000u);
  CHECK_EQ(backoff.ceilingMs(UINT32_MAX), 300000u);
}

TEST(backoff_with_a_huge_cap_still_doubles_exactly) {
  Backoff backoff(1, UINT32_MAX, nullptr, nullptr);
  CHECK_EQ(backoff.ceilingMs(31), 2147483648u);
  CHECK_EQ(backoff.ceilingMs(40), UINT32_MAX);
}

TEST(backoff_reset_starts_from_base_again) {
  Backoff backoff(500, 10000, nullptr, nullptr);
  backoff.nextDelayMs();
  backoff.nextDelayMs();
  backoff.nextDelayMs();
  backoff.reset();
  CHECK_EQ(backoff.consecutiveFailures(), 0u);
  CHECK_EQ(backoff.nextDelayMs(), 500u);
}

TEST(backoff_fixes_nonsense_parameters) {
  Backoff zeroBase(0, 0, nullptr, nullptr);
  CHECK_EQ(zeroBase.nextDelayMs(), 1u);  // never a busy loop
  Backoff capBelowBase(5000, 1000, nullptr, nullptr);
  CHECK_EQ(capBelowBase.capMs(), 5000u);
  CHECK_EQ(capBelowBase.nextDelayMs(), 5000u);
}

TEST(backoff_jitter_lowest_is_half_the_ceiling) {
  Backoff backoff(1000, 60000, alwaysZero, nullptr);
  CHECK_EQ(backoff.nextDelayMs(), 500u);
  CHECK_EQ(backoff.nextDelayMs(), 1000u);
  CHECK_EQ(backoff.nextDelayMs(), 2000u);
}

TEST(backoff_jitter_highest_is_the_ceiling) {
  Backoff backoff(1000, 60000, alwaysMax, nullptr);
  CHECK_EQ(backoff.nextDelayMs(), 1000u);
  CHECK_EQ(backoff.nextDelayMs(), 2000u);
  for (int i = 0; i < 20; i++) backoff.nextDelayMs();
  CHECK_EQ(backoff.nextDelayMs(), 60000u);
}

TEST(backoff_jitter_stays_within_bounds_and_varies) {
  uint32_t state = 0x12345678u;
  Backoff backoff(2000, 20000, xorshift, &state);
  uint32_t low = UINT32_MAX;
  uint32_t high = 0;
  for (uint32_t i = 0; i < 2000; i++) {
    const uint32_t ceiling = backoff.ceilingMs(backoff.consecutiveFailures());
    const uint32_t delay = backoff.nextDelayMs();
    CHECK_BETWEEN(delay, ceiling - ceiling / 2, ceiling);
    if (ceiling == 20000u) {
      if (delay < low) low = delay;
      if (delay > high) high = delay;
    }
  }
  // At the cap the delays spread over most of [10 s, 20 s].
  CHECK(low < 11000u);
  CHECK(high > 19000u);
}

TEST(backoff_jitter_odd_ceiling_keeps_bounds) {
  Backoff backoff(5, 5, alwaysZero, nullptr);
  CHECK_EQ(backoff.nextDelayMs(), 3u);  // 5 - 5/2
  Backoff top(5, 5, alwaysMax, nullptr);
  CHECK_EQ(top.nextDelayMs(), 5u);
}

TEST(scale_random_covers_the_whole_range) {
  CHECK_EQ(scaleRandom(0, 100), 0u);
  CHECK_EQ(scaleRandom(UINT32_MAX, 100), 100u);
  CHECK_EQ(scaleRandom(UINT32_MAX, 0), 0u);
  CHECK_EQ(scaleRandom(UINT32_MAX, UINT32_MAX), UINT32_MAX);
  CHECK_EQ(scaleRandom(0x80000000u, 100), 50u);
}
