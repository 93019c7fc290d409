// When the board opens its own setup access point, and the BOOT-button long
// press that asks for it.
#pragma once

#include <stdint.h>

#include "settings.h"

static const uint32_t kLongPressMs = 5000;
// Failed joins of a never-verified network before the access point opens
// (the password was probably mistyped).
static const uint32_t kFailedJoinsBeforeSetup = 3;

// True once per press, when the button has been held for `holdMs`.
class LongPress {
 public:
  explicit LongPress(uint32_t holdMs) : holdMs_(holdMs) {}
  bool update(bool pressed, uint64_t nowMs);

 private:
  uint32_t holdMs_;
  bool down_ = false;
  bool fired_ = false;
  uint64_t since_ = 0;
};

// The access point opens with no Wi-Fi set, on a long press, or when a network
// the board never joined keeps failing. A network it has joined before never
// opens it by failing: during a power cut the router is down, and a setup page
// open to the street is not what anyone wants then.
bool shouldOpenSetupAccessPoint(const DeviceSettings& settings, uint32_t failedJoins, bool longPress);
