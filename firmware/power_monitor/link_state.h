// What the board knows about its link to the server; the status LED shows it.
#pragma once

#include <stdint.h>

enum class LinkState : uint8_t {
  Starting,           // powered up, Wi-Fi not tried yet
  WifiDown,           // not associated with the access point / no IP
  ServerUnreachable,  // Wi-Fi is up, but the heartbeat failed (network, TLS, 5xx, 429, ...)
  BadKey,             // the server answered 401: DEVICE_KEY is wrong or was rotated
  ConfigError,        // config.h is unusable (e.g. SERVER_URL does not parse)
  Ok,                 // the last heartbeat was accepted
};

const char* linkStateName(LinkState state);
