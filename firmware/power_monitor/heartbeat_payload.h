// The heartbeat's JSON body (DESIGN.md §4):
//   {"uptime_ms":123456,"boot_id":"9f86d081884c7d65","reset_reason":"POWERON","rssi":-61,"fw":"1.0.0"}
// and, on a board with a mains-sense input,
//   ...,"mains":false,"mains_changed_ms_ago":1200}
// Built into a caller-owned buffer: no heap, no JSON library.
#pragma once

#include <stddef.h>
#include <stdint.h>

// The sketch's buffer for the body: every field at its longest fits.
static const size_t kHeartbeatBodyCapacity = 256;

// 16 lowercase hex characters (64 random bits), plus the terminating NUL.
static const size_t kBootIdLength = 16;

struct HeartbeatFields {
  uint64_t uptimeMs = 0;
  const char* bootId = nullptr;       // omitted when null
  const char* resetReason = nullptr;  // omitted when null
  int32_t rssi = 0;
  bool hasRssi = false;               // omitted when false (e.g. not associated)
  const char* fw = nullptr;           // omitted when null
  // The mains-sense input (firmware/README.md, "Mains sense"); both omitted
  // on a board without one.
  bool hasMains = false;
  bool mains = false;
  bool hasMainsChangedMsAgo = false;  // omitted when the age is unknown
  uint64_t mainsChangedMsAgo = 0;     // ms before this send attempt that `mains` became true/false
};

// Writes the JSON object and a terminating NUL into `out`. Returns its length,
// or 0 if `capacity` is too small (then `out` holds an empty string).
// Strings are escaped for JSON: quotes, backslashes and control characters,
// and bytes that are not valid UTF-8 become U+FFFD, so the server never sees
// a body it cannot parse.
size_t buildHeartbeatJson(const HeartbeatFields& fields, char* out, size_t capacity);

// Formats two 32-bit random values (esp_random()) as the 16-hex-char boot id.
void formatBootId(uint32_t high, uint32_t low, char out[kBootIdLength + 1]);
