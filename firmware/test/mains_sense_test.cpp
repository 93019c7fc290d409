#include "../power_monitor/mains_sense.h"

#include <string>

#include "../power_monitor/heartbeat_payload.h"
#include "../power_monitor/heartbeat_schedule.h"
#include "test_runner.h"

static std::string json(const HeartbeatFields& fields) {
  char buffer[256];
  const size_t length = buildHeartbeatJson(fields, buffer, sizeof buffer);
  return length == 0 ? "<too small>" : std::string(buffer, length);
}

// Feeds `level` every 10 ms (the sketch's loop) from `from` to `to` inclusive;
// returns how many readings reported a change.
static int hold(MainsDebouncer& d, bool level, uint64_t from, uint64_t to) {
  int changes = 0;
  for (uint64_t t = from; t <= to; t += 10) changes += d.sample(level, t) ? 1 : 0;
  return changes;
}

TEST(mains_unknown_until_the_first_reading_has_held) {
  MainsDebouncer d(200);
  CHECK(!d.known());
  CHECK(!d.sample(true, 0));
  CHECK(!d.sample(true, 190));
  CHECK(!d.known());
  CHECK(!d.sample(true, 200));  // settled, but nothing changed: the board only learnt it
  CHECK(d.known());
  CHECK(d.mains());
  CHECK(!d.changeTimeKnown());  // how long the mains had been on before boot is unknown
}

TEST(mains_change_counts_after_holding_for_the_window) {
  MainsDebouncer d(200);
  hold(d, true, 0, 1000);
  CHECK_EQ(hold(d, false, 1010, 1200), 0);  // 190 ms of "off": not yet
  CHECK(d.mains());
  CHECK(d.sample(false, 1210));  // 200 ms: the change counts, once
  CHECK(!d.mains());
  CHECK(d.changeTimeKnown());
  CHECK_EQ(d.changedAtMs(), 1010u);  // dated at the first "off" reading, not at the confirmation
  CHECK_EQ(hold(d, false, 1220, 5000), 0);  // no second report while it stays off
  CHECK_EQ(hold(d, true, 5010, 5210), 1);   // and back on
  CHECK(d.mains());
  CHECK_EQ(d.changedAtMs(), 5010u);
}

TEST(mains_glitches_shorter_than_the_window_are_ignored) {
  MainsDebouncer d(200);
  hold(d, true, 0, 1000);
  // A relay bounce, a plug wiggle: off for 50 ms, on, off for 190 ms, on.
  CHECK_EQ(hold(d, false, 1010, 1060), 0);
  CHECK_EQ(hold(d, true, 1070, 1500), 0);
  CHECK_EQ(hold(d, false, 1510, 1700), 0);
  CHECK_EQ(hold(d, true, 1710, 3000), 0);
  CHECK(d.mains());
  CHECK(!d.changeTimeKnown());  // still the state found at boot
  // A bouncing edge settles: the change is dated at the start of the final run.
  CHECK_EQ(hold(d, false, 3010, 3030), 0);
  CHECK_EQ(hold(d, true, 3040, 3040), 0);
  CHECK_EQ(hold(d, false, 3050, 3300), 1);
  CHECK_EQ(d.changedAtMs(), 3050u);
}

TEST(mains_glitch_at_boot_delays_the_first_state) {
  MainsDebouncer d(200);
  hold(d, false, 0, 100);
  hold(d, true, 110, 400);
  CHECK(d.known());
  CHECK(d.mains());
}

TEST(mains_zero_window_takes_every_reading) {
  MainsDebouncer d(0);
  CHECK(!d.sample(true, 0));
  CHECK(d.known());
  CHECK(d.sample(false, 10));
  CHECK(d.sample(true, 20));
}

TEST(millis_clock_widens_across_the_wrap) {
  MillisClock clock;
  CHECK_EQ(clock.now(0xFFFFFF00u), 0u);  // starts counting at the first call
  CHECK_EQ(clock.now(0xFFFFFFF0u), 0xF0u);
  CHECK_EQ(clock.now(0x00000010u), 0x110u);  // millis() wrapped
  CHECK_EQ(clock.now(0x00000010u), 0x110u);
  // 150 days (three turns of millis()), fed once a day: still exact.
  const uint32_t day = 24u * 60 * 60 * 1000;
  MillisClock daily;
  uint32_t millisNow = 0;
  daily.now(millisNow);
  uint64_t last = 0;
  for (int i = 0; i < 150; i++) {
    millisNow += day;  // wraps as uint32_t, like millis()
    last = daily.now(millisNow);
  }
  CHECK_EQ(last, 150ull * day);
}

TEST(mains_payload_is_exact) {
  HeartbeatFields f;
  f.uptimeMs = 5000;
  f.fw = "1.1.0";
  f.hasMains = true;
  f.mains = false;
  f.hasMainsChangedMsAgo = true;
  f.mainsChangedMsAgo = 1200;
  CHECK_EQ(json(f), "{\"uptime_ms\":5000,\"fw\":\"1.1.0\",\"mains\":false,\"mains_changed_ms_ago\":1200}");
  f.mains = true;
  f.mainsChangedMsAgo = 0;
  CHECK_EQ(json(f), "{\"uptime_ms\":5000,\"fw\":\"1.1.0\",\"mains\":true,\"mains_changed_ms_ago\":0}");
  f.hasMainsChangedMsAgo = false;  // the state found at boot: its age is unknown
  CHECK_EQ(json(f), "{\"uptime_ms\":5000,\"fw\":\"1.1.0\",\"mains\":true}");
  f.hasMains = false;  // no mains-sense input: neither field
  CHECK_EQ(json(f), "{\"uptime_ms\":5000,\"fw\":\"1.1.0\"}");
}

TEST(mains_payload_with_every_field_fits_the_sketch_buffer) {
  HeartbeatFields f;
  f.uptimeMs = UINT64_MAX;
  f.bootId = "9f86d081884c7d65";
  f.resetReason = "TASK_WDT";
  f.rssi = -127;
  f.hasRssi = true;
  f.fw = "10.20.30";
  f.hasMains = true;
  f.mains = false;
  f.hasMainsChangedMsAgo = true;
  f.mainsChangedMsAgo = UINT64_MAX;
  char body[kHeartbeatBodyCapacity];
  CHECK(buildHeartbeatJson(f, body, sizeof body) > 0);
}

TEST(mains_fields_follow_the_debouncer) {
  MainsDebouncer d(200);
  HeartbeatFields f;
  fillMainsFields(d, 0, &f);
  CHECK(!f.hasMains);  // not known yet: nothing said
  hold(d, true, 0, 300);
  fillMainsFields(d, 300, &f);
  CHECK(f.hasMains);
  CHECK(f.mains);
  CHECK(!f.hasMainsChangedMsAgo);
  hold(d, false, 1000, 1200);
  fillMainsFields(d, 1200, &f);
  CHECK(!f.mains);
  CHECK(f.hasMainsChangedMsAgo);
  CHECK_EQ(f.mainsChangedMsAgo, 200u);
}

// The change is sent at once; the send fails; the retry goes 2 s later, then
// 4 s later, and is answered. Each attempt states the age at its own moment, so
// the server dates the edge to the same instant whichever attempt arrives.
TEST(mains_age_is_restamped_at_each_retry) {
  MillisClock clock;
  MainsDebouncer d(200);
  uint32_t millisNow = 0xFFFFF000u;  // millis() wraps between the attempts
  for (uint32_t i = 0; i <= 50; i++) d.sample(true, clock.now(millisNow + i * 10));
  millisNow += 1000;
  const uint64_t edge = clock.now(millisNow);
  bool changed = false;
  for (uint32_t i = 0; i <= 20; i++) changed = d.sample(false, clock.now(millisNow + i * 10)) || changed;
  CHECK(changed);
  CHECK_EQ(d.changedAtMs(), edge);

  HeartbeatSchedule schedule(10, 60, nullptr, nullptr);
  CHECK(schedule.mainsChangeGoesAtOnce());
  const uint32_t attempts[] = {millisNow + 200, 0, 0};
  uint32_t attemptAt = attempts[0];
  const int statuses[] = {-1, 503, 200};
  uint64_t ages[3] = {0, 0, 0};
  for (int i = 0; i < 3; i++) {
    HeartbeatFields f;
    fillMainsFields(d, clock.now(attemptAt), &f);
    CHECK(f.hasMainsChangedMsAgo);
    ages[i] = f.mainsChangedMsAgo;
    const NextHeartbeat next = schedule.afterAttempt(statuses[i], nullptr, nullptr);
    attemptAt += next.delayMs;  // may wrap past 0xFFFFFFFF: millis() does
  }
  CHECK_EQ(ages[0], 200u);
  CHECK_EQ(ages[1], 200u + 2000u);
  CHECK_EQ(ages[2], 200u + 2000u + 4000u);
  CHECK(attemptAt < millisNow);  // the run did cross the wrap
}

TEST(mains_change_waits_for_a_throttled_server) {
  HeartbeatSchedule schedule(10, 60, nullptr, nullptr);
  schedule.afterAttempt(429, nullptr, "30");
  CHECK(!schedule.mainsChangeGoesAtOnce());
  schedule.afterAttempt(-1, nullptr, nullptr);
  CHECK(schedule.mainsChangeGoesAtOnce());
  schedule.afterAttempt(204, nullptr, nullptr);
  CHECK(schedule.mainsChangeGoesAtOnce());
}
