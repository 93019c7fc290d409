#include "reset_reason.h"

const char* resetReasonName(esp_reset_reason_t reason) {
  // Newer ESP-IDF versions add reasons (USB, JTAG, ...); the server only knows
  // these, so anything else is reported as UNKNOWN.
  switch (reason) {
    case ESP_RST_POWERON: return "POWERON";
    case ESP_RST_SW: return "SW";
    case ESP_RST_PANIC: return "PANIC";
    case ESP_RST_INT_WDT: return "INT_WDT";
    case ESP_RST_TASK_WDT: return "TASK_WDT";
    case ESP_RST_WDT: return "WDT";
    case ESP_RST_DEEPSLEEP: return "DEEPSLEEP";
    case ESP_RST_BROWNOUT: return "BROWNOUT";
    case ESP_RST_SDIO: return "SDIO";
    case ESP_RST_EXT: return "EXT";
    default: return "UNKNOWN";
  }
}
