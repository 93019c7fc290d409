#include "setup_mode.h"

bool LongPress::update(bool pressed, uint64_t nowMs) {
  if (!pressed) {
    down_ = false;
    fired_ = false;
    return false;
  }
  if (!down_) {
    down_ = true;
    since_ = nowMs;
  }
  if (fired_ || nowMs < since_ || nowMs - since_ < holdMs_) return false;
  fired_ = true;
  return true;
}

bool shouldOpenSetupAccessPoint(const DeviceSettings& settings, uint32_t failedJoins, bool longPress) {
  if (longPress) return true;
  if (!hasWifi(settings)) return true;
  return !settings.wifiVerified && failedJoins >= kFailedJoinsBeforeSetup;
}
