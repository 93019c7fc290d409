#include "../power_monitor/reset_reason.h"

#include "test_runner.h"

TEST(reset_reason_names_match_the_protocol) {
  CHECK_EQ(resetReasonName(ESP_RST_POWERON), "POWERON");
  CHECK_EQ(resetReasonName(ESP_RST_SW), "SW");
  CHECK_EQ(resetReasonName(ESP_RST_PANIC), "PANIC");
  CHECK_EQ(resetReasonName(ESP_RST_INT_WDT), "INT_WDT");
  CHECK_EQ(resetReasonName(ESP_RST_TASK_WDT), "TASK_WDT");
  CHECK_EQ(resetReasonName(ESP_RST_WDT), "WDT");
  CHECK_EQ(resetReasonName(ESP_RST_DEEPSLEEP), "DEEPSLEEP");
  CHECK_EQ(resetReasonName(ESP_RST_BROWNOUT), "BROWNOUT");
  CHECK_EQ(resetReasonName(ESP_RST_SDIO), "SDIO");
  CHECK_EQ(resetReasonName(ESP_RST_EXT), "EXT");
  CHECK_EQ(resetReasonName(ESP_RST_UNKNOWN), "UNKNOWN");
}

TEST(reset_reason_newer_or_invalid_values_are_unknown) {
  CHECK_EQ(resetReasonName(ESP_RST_USB), "UNKNOWN");
  CHECK_EQ(resetReasonName(ESP_RST_CPU_LOCKUP), "UNKNOWN");
  CHECK_EQ(resetReasonName(static_cast<esp_reset_reason_t>(99)), "UNKNOWN");
}
