#include "../power_monitor/status_led.h"

#include "test_runner.h"

// How long the LED is lit during one cycle, sampled every millisecond.
static uint32_t litMsPerCycle(LinkState state) {
  uint32_t lit = 0;
  for (uint32_t t = 0; t < statusLedPeriodMs(state); t++) lit += statusLedLit(state, t) ? 1 : 0;
  return lit;
}

// How many separate flashes one cycle has.
static uint32_t flashesPerCycle(LinkState state) {
  uint32_t flashes = 0;
  bool wasLit = false;
  for (uint32_t t = 0; t < statusLedPeriodMs(state); t++) {
    const bool lit = statusLedLit(state, t);
    if (lit && !wasLit) flashes++;
    wasLit = lit;
  }
  return flashes;
}

TEST(led_starting_is_steady_on) {
  CHECK_EQ(statusLedPeriodMs(LinkState::Starting), 0u);
  CHECK(statusLedLit(LinkState::Starting, 0));
  CHECK(statusLedLit(LinkState::Starting, 123456));
}

TEST(led_wifi_down_blinks_fast) {
  CHECK_EQ(statusLedPeriodMs(LinkState::WifiDown), 200u);
  CHECK_EQ(litMsPerCycle(LinkState::WifiDown), 100u);
  CHECK(statusLedLit(LinkState::WifiDown, 0));
  CHECK(!statusLedLit(LinkState::WifiDown, 150));
  CHECK(statusLedLit(LinkState::WifiDown, 200));
}

TEST(led_server_unreachable_blinks_slowly) {
  CHECK_EQ(statusLedPeriodMs(LinkState::ServerUnreachable), 2000u);
  CHECK_EQ(litMsPerCycle(LinkState::ServerUnreachable), 1000u);
  CHECK_EQ(flashesPerCycle(LinkState::ServerUnreachable), 1u);
}

TEST(led_bad_key_flashes_three_times_then_pauses) {
  CHECK_EQ(flashesPerCycle(LinkState::BadKey), 3u);
  CHECK_EQ(litMsPerCycle(LinkState::BadKey), 450u);
  for (uint32_t t = 750; t < 2000; t++) CHECK(!statusLedLit(LinkState::BadKey, t));
  CHECK_EQ(flashesPerCycle(LinkState::ConfigError), 3u);
}

TEST(led_ok_is_a_short_blip) {
  CHECK_EQ(flashesPerCycle(LinkState::Ok), 1u);
  CHECK_EQ(litMsPerCycle(LinkState::Ok), 50u);
  CHECK(statusLedLit(LinkState::Ok, 3000));
  CHECK(!statusLedLit(LinkState::Ok, 2999));
}

TEST(led_patterns_repeat_across_millis_wraparound) {
  // statusLedLit takes elapsed time, which the sketch computes with unsigned
  // subtraction; the pattern must not jump at any value.
  CHECK_EQ(statusLedLit(LinkState::WifiDown, UINT32_MAX), statusLedLit(LinkState::WifiDown, UINT32_MAX % 200));
}

TEST(link_state_names) {
  CHECK_EQ(linkStateName(LinkState::Ok), "ok");
  CHECK_EQ(linkStateName(LinkState::BadKey), "bad-key");
  CHECK_EQ(linkStateName(LinkState::WifiDown), "wifi-down");
}
