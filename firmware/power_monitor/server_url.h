// Parses and checks SERVER_URL from config.h.
//
//   https://monitor.example.com                  -> https, monitor.example.com, 443, /api/heartbeat
//   https://monitor.example.com/                 -> same (a bare base URL)
//   http://192.168.1.10:8080                     -> http, 192.168.1.10, 8080, /api/heartbeat
//   https://example.com/monitor/                 -> path /monitor/api/heartbeat (a base under a prefix)
//   https://example.com/custom/heartbeat?x=1     -> path kept as given
//
// Only http and https; no user:password@, no IPv6 literals, no spaces or
// control characters. A #fragment is dropped (it is never sent anyway).
#pragma once

#include <stddef.h>
#include <stdint.h>

static const size_t kMaxHostLength = 253;  // the DNS limit
static const size_t kMaxPathLength = 255;
extern const char kDefaultHeartbeatPath[];  // "/api/heartbeat"

struct ServerUrl {
  bool secure = true;  // https
  uint16_t port = 443;
  char host[kMaxHostLength + 1] = "";
  char path[kMaxPathLength + 1] = "";  // always starts with '/'; includes any ?query
};

enum class UrlError : uint8_t {
  None,
  Empty,
  BadCharacter,    // whitespace, control or non-ASCII characters, or a backslash
  BadScheme,       // not http:// or https://
  HasCredentials,  // user:password@host
  Ipv6Literal,     // [::1]
  EmptyHost,
  BadHost,
  BadPort,
  PathTooLong,
};

// Fills `out` and returns UrlError::None, or returns why the URL is unusable
// (then `out` is left in an unspecified state).
UrlError parseServerUrl(const char* url, ServerUrl* out);

// A short English explanation for the serial log.
const char* urlErrorMessage(UrlError error);
