// Status LED patterns, as a pure function of time so they are unit-tested.
//
//   Starting           steady on
//   WifiDown           fast blink (100 ms on, 100 ms off)
//   ServerUnreachable  slow blink (1 s on, 1 s off)
//   BadKey/ConfigError three short flashes, then a pause (2 s cycle)
//   Ok                 a short blip every 3 s (the sketch is alive and all is well)
#pragma once

#include <stdint.h>

#include "link_state.h"

// Whether the LED is lit `msSinceStateChange` ms after the state was entered.
bool statusLedLit(LinkState state, uint32_t msSinceStateChange);

// The length of one cycle of the state's pattern (0 for a steady light).
uint32_t statusLedPeriodMs(LinkState state);
