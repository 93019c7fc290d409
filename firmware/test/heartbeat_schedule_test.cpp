#include "../power_monitor/heartbeat_schedule.h"

#include "test_runner.h"

static uint32_t alwaysMax(void*) { return UINT32_MAX; }  // jitter at its top: delay == ceiling
static uint32_t alwaysZero(void*) { return 0; }          // jitter at its bottom: delay == ceiling / 2

static const char kOkReply[] = "{\"ok\":true,\"server_time\":1732000000000,\"interval_s\":20}";

TEST(schedule_success_uses_the_configured_interval_without_a_suggestion) {
  HeartbeatSchedule schedule(10, 60, alwaysMax, nullptr);
  NextHeartbeat next = schedule.afterAttempt(204, "", nullptr);
  CHECK_EQ(next.delayMs, 10000u);
  CHECK(next.state == LinkState::Ok);
  next = schedule.afterAttempt(200, "{\"ok\":true}", nullptr);
  CHECK_EQ(next.delayMs, 10000u);
  next = schedule.afterAttempt(200, nullptr, nullptr);
  CHECK_EQ(next.delayMs, 10000u);
}

TEST(schedule_success_honours_the_servers_interval) {
  HeartbeatSchedule schedule(10, 60, alwaysMax, nullptr);
  NextHeartbeat next = schedule.afterAttempt(200, kOkReply, nullptr);
  CHECK_EQ(next.delayMs, 20000u);
  CHECK_EQ(schedule.intervalS(), 20u);
  next = schedule.afterAttempt(200, "{\"interval_s\":1}", nullptr);
  CHECK_EQ(next.delayMs, 5000u);
  next = schedule.afterAttempt(200, "{\"interval_s\":100000}", nullptr);
  CHECK_EQ(next.delayMs, 300000u);
  // The suggestion is dropped when the server stops making it.
  next = schedule.afterAttempt(204, "", nullptr);
  CHECK_EQ(next.delayMs, 10000u);
  next = schedule.afterAttempt(200, "{\"interval_s\":-5}", nullptr);
  CHECK_EQ(next.delayMs, 10000u);
}

TEST(schedule_clamps_a_nonsense_configured_interval) {
  HeartbeatSchedule tooFast(0, 60, alwaysMax, nullptr);
  CHECK_EQ(tooFast.afterAttempt(204, "", nullptr).delayMs, 5000u);
  HeartbeatSchedule tooSlow(100000, 60, alwaysMax, nullptr);
  CHECK_EQ(tooSlow.afterAttempt(204, "", nullptr).delayMs, 300000u);
}

TEST(schedule_failures_back_off_up_to_a_third_of_the_timeout) {
  HeartbeatSchedule schedule(10, 60, alwaysMax, nullptr);
  CHECK_EQ(schedule.afterAttempt(-1, nullptr, nullptr).delayMs, 2000u);
  CHECK_EQ(schedule.afterAttempt(503, "", nullptr).delayMs, 4000u);
  CHECK_EQ(schedule.afterAttempt(-11, nullptr, nullptr).delayMs, 8000u);
  CHECK_EQ(schedule.afterAttempt(500, "", nullptr).delayMs, 16000u);
  CHECK_EQ(schedule.afterAttempt(404, "", nullptr).delayMs, 20000u);
  const NextHeartbeat next = schedule.afterAttempt(0, nullptr, nullptr);
  CHECK_EQ(next.delayMs, 20000u);
  CHECK(next.state == LinkState::ServerUnreachable);
  CHECK_EQ(schedule.consecutiveFailures(), 6u);
}

TEST(schedule_failure_delays_have_jitter_bounds) {
  HeartbeatSchedule low(10, 60, alwaysZero, nullptr);
  CHECK_EQ(low.afterAttempt(-1, nullptr, nullptr).delayMs, 1000u);
  CHECK_EQ(low.afterAttempt(-1, nullptr, nullptr).delayMs, 2000u);
}

TEST(schedule_success_resets_the_backoff) {
  HeartbeatSchedule schedule(10, 60, alwaysMax, nullptr);
  for (int i = 0; i < 5; i++) schedule.afterAttempt(502, "", nullptr);
  schedule.afterAttempt(204, "", nullptr);
  CHECK_EQ(schedule.consecutiveFailures(), 0u);
  CHECK_EQ(schedule.afterAttempt(502, "", nullptr).delayMs, 2000u);
}

TEST(schedule_error_backoff_cap_follows_the_timeout) {
  CHECK_EQ(errorBackoffCapMs(0), 5000u);
  CHECK_EQ(errorBackoffCapMs(10), 5000u);
  CHECK_EQ(errorBackoffCapMs(30), 10000u);
  CHECK_EQ(errorBackoffCapMs(60), 20000u);
  CHECK_EQ(errorBackoffCapMs(180), 60000u);
  CHECK_EQ(errorBackoffCapMs(3600), 60000u);
  CHECK_EQ(errorBackoffCapMs(UINT32_MAX), 60000u);
}

TEST(schedule_bad_key_slows_down_to_five_minutes) {
  HeartbeatSchedule schedule(10, 60, alwaysMax, nullptr);
  NextHeartbeat next = schedule.afterAttempt(401, "", nullptr);
  CHECK_EQ(next.delayMs, 300000u);
  CHECK(next.state == LinkState::BadKey);
  next = schedule.afterAttempt(401, "", nullptr);
  CHECK_EQ(next.delayMs, 300000u);
  // A rotated key pasted in and the server accepting again: back to normal.
  next = schedule.afterAttempt(200, kOkReply, nullptr);
  CHECK(next.state == LinkState::Ok);
  CHECK_EQ(next.delayMs, 20000u);
}

TEST(schedule_throttled_backs_off_harder) {
  HeartbeatSchedule schedule(10, 60, alwaysMax, nullptr);
  NextHeartbeat next = schedule.afterAttempt(429, "", nullptr);
  CHECK_EQ(next.delayMs, 15000u);
  CHECK(next.state == LinkState::ServerUnreachable);
  CHECK_EQ(schedule.afterAttempt(429, "", nullptr).delayMs, 30000u);
  CHECK_EQ(schedule.afterAttempt(429, "", nullptr).delayMs, 60000u);
  for (int i = 0; i < 10; i++) next = schedule.afterAttempt(429, "", nullptr);
  CHECK_EQ(next.delayMs, 300000u);
}

TEST(schedule_throttled_honours_retry_after_within_limits) {
  HeartbeatSchedule schedule(10, 60, alwaysMax, nullptr);
  CHECK_EQ(schedule.afterAttempt(429, "", "120").delayMs, 120000u);
  HeartbeatSchedule shortRetry(10, 60, alwaysMax, nullptr);
  CHECK_EQ(shortRetry.afterAttempt(429, "", "1").delayMs, 15000u);  // never faster than the backoff
  HeartbeatSchedule hugeRetry(10, 60, alwaysMax, nullptr);
  CHECK_EQ(hugeRetry.afterAttempt(429, "", "999999999").delayMs, 900000u);  // at most 15 min
  HeartbeatSchedule dateRetry(10, 60, alwaysMax, nullptr);
  CHECK_EQ(dateRetry.afterAttempt(429, "", "Wed, 21 Oct 2015 07:28:00 GMT").delayMs, 15000u);
}

TEST(schedule_any_2xx_counts_as_accepted) {
  HeartbeatSchedule schedule(10, 60, alwaysMax, nullptr);
  CHECK(schedule.afterAttempt(201, "", nullptr).state == LinkState::Ok);
  CHECK(schedule.afterAttempt(299, "", nullptr).state == LinkState::Ok);
  CHECK(schedule.afterAttempt(301, "", nullptr).state == LinkState::ServerUnreachable);
  CHECK(schedule.afterAttempt(199, "", nullptr).state == LinkState::ServerUnreachable);
}
