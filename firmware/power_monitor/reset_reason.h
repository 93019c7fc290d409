// Names for esp_reset_reason() as the heartbeat's "reset_reason" field sends them.
#pragma once

#include <esp_system.h>  // the real ESP-IDF header on the board, firmware/test/stubs on the host

// POWERON, SW, PANIC, INT_WDT, TASK_WDT, WDT, DEEPSLEEP, BROWNOUT, SDIO, EXT or UNKNOWN.
const char* resetReasonName(esp_reset_reason_t reason);
