// Reads what the board needs from the server's reply, without a JSON library.
//
// The server answers a heartbeat with 204, or 200 and a small object such as
//   {"ok":true,"server_time":1732000000000,"interval_s":10}
// and may send Retry-After with a 429.
#pragma once

#include <stdint.h>

// The interval the board accepts from the server, in seconds.
static const uint32_t kMinIntervalS = 5;
static const uint32_t kMaxIntervalS = 300;

enum class JsonLookup : uint8_t {
  Found,       // the member exists and its value is a JSON number
  Missing,     // the object has no such top-level member
  NotANumber,  // the member exists but holds a string, object, true, null, ...
  Malformed,   // the text is not a JSON object (up to where the member was found)
};

// Looks up a top-level member of the JSON object in `body` (NUL-terminated)
// and reads it as a number. Members of nested objects and text inside string
// values never match. The first occurrence of the key wins; the rest of the
// body after it is not examined, so a reply cut short after the member still
// yields it.
JsonLookup findTopLevelNumber(const char* body, const char* key, double* value);

// The interval_s the server suggests, clamped to [kMinIntervalS, kMaxIntervalS]
// (fractions are dropped). False if absent, not a number, negative, or if the
// body is not JSON: the caller then uses its configured interval.
bool parseSuggestedIntervalS(const char* body, uint32_t* intervalS);

// Clamps a configured or suggested interval into [kMinIntervalS, kMaxIntervalS].
uint32_t clampIntervalS(uint32_t intervalS);

// A Retry-After header given in seconds ("120"). HTTP-date values and
// anything else are not understood (false). Huge values saturate.
bool parseRetryAfterS(const char* header, uint32_t* seconds);
