#include "status_led.h"

const char* linkStateName(LinkState state) {
  switch (state) {
    case LinkState::Starting: return "starting";
    case LinkState::WifiDown: return "wifi-down";
    case LinkState::ServerUnreachable: return "server-unreachable";
    case LinkState::BadKey: return "bad-key";
    case LinkState::ConfigError: return "config-error";
    case LinkState::Ok: return "ok";
  }
  return "unknown";
}

uint32_t statusLedPeriodMs(LinkState state) {
  switch (state) {
    case LinkState::Starting: return 0;
    case LinkState::WifiDown: return 200;
    case LinkState::ServerUnreachable: return 2000;
    case LinkState::BadKey:
    case LinkState::ConfigError: return 2000;
    case LinkState::Ok: return 3000;
  }
  return 0;
}

bool statusLedLit(LinkState state, uint32_t msSinceStateChange) {
  const uint32_t period = statusLedPeriodMs(state);
  if (period == 0) return true;
  const uint32_t t = msSinceStateChange % period;
  switch (state) {
    case LinkState::WifiDown: return t < 100;
    case LinkState::ServerUnreachable: return t < 1000;
    case LinkState::BadKey:
    case LinkState::ConfigError:
      // 150 ms flashes at 0, 300 and 600 ms; dark from 750 ms to the end of the cycle.
      return t < 750 && (t % 300) < 150;
    case LinkState::Ok: return t < 50;
    case LinkState::Starting: return true;
  }
  return false;
}
