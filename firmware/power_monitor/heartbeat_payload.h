// The heartbeat's JSON body (DESIGN.md §4):
//   {"uptime_ms":123456,"boot_id":"9f86d081884c7d65","reset_reason":"POWERON","rssi":-61,"fw":"1.0.0"}
// Built into a caller-owned buffer: no heap, no JSON library.
#pragma once

#include <stddef.h>
#include <stdint.h>

// 16 lowercase hex characters (64 random bits), plus the terminating NUL.
static const size_t kBootIdLength = 16;

struct HeartbeatFields {
  uint64_t uptimeMs = 0;
  const char* bootId = nullptr;       // omitted when null
  const char* resetReason = nullptr;  // omitted when null
  int32_t rssi = 0;
  bool hasRssi = false;               // omitted when false (e.g. not associated)
  const char* fw = nullptr;           // omitted when null
};

// Writes the JSON object and a terminating NUL into `out`. Returns its length,
// or 0 if `capacity` is too small (then `out` holds an empty string).
// Strings are escaped for JSON: quotes, backslashes and control characters,
// and bytes that are not valid UTF-8 become U+FFFD, so the server never sees
// a body it cannot parse.
size_t buildHeartbeatJson(const HeartbeatFields& fields, char* out, size_t capacity);

// Formats two 32-bit random values (esp_random()) as the 16-hex-char boot id.
void formatBootId(uint32_t high, uint32_t low, char out[kBootIdLength + 1]);
