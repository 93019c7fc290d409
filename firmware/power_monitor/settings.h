// The board's settings: Wi-Fi, server URL and device key, entered after
// flashing (the setup page, Improv) and kept in flash (NVS, one record), with
// config.h as the compile-time default.
//
// The record: "PMS" 0x01 | flags | defaults fingerprint (4, LE) |
//             4 x (length byte + bytes): ssid, password, server URL, key |
//             CRC-32 of everything before (4, LE)
// One record written in one put, checked by its CRC on reading: a write cut by a
// power loss reads as "no record", never as half-new settings.
#pragma once

#include <stddef.h>
#include <stdint.h>

static const size_t kMaxSsidLength = 32;          // bytes (802.11)
static const size_t kMinPasswordLength = 8;       // WPA2 passphrase: 8..63 printable ASCII
static const size_t kMaxPasswordLength = 64;      // ... or 64 hex digits (the raw key)
static const size_t kMaxServerUrlLength = 200;
static const size_t kMinDeviceKeyLength = 16;     // the server's keys: [A-Za-z0-9_-]{16,128}
static const size_t kMaxDeviceKeyLength = 128;
static const size_t kMaxSettingsRecordLength = 3 + 1 + 1 + 4 + 4 + kMaxSsidLength + kMaxPasswordLength +
                                               kMaxServerUrlLength + kMaxDeviceKeyLength + 4;

struct DeviceSettings {
  char wifiSsid[kMaxSsidLength + 1] = "";
  char wifiPassword[kMaxPasswordLength + 1] = "";  // empty: an open network
  char serverUrl[kMaxServerUrlLength + 1] = "";
  char deviceKey[kMaxDeviceKeyLength + 1] = "";
  // The board has joined this Wi-Fi at least once: from then on, failures to
  // connect (a router down in a power cut) never open the setup access point.
  bool wifiVerified = false;
};

enum class SettingsProblem : uint8_t {
  None,
  SsidEmpty,
  SsidTooLong,
  PasswordTooShort,
  PasswordTooLong,
  PasswordBadCharacter,
  UrlEmpty,
  UrlTooLong,
  UrlInvalid,
  KeyMissing,
  KeyBadFormat,
  BadEncoding,  // the form's %-encoding is broken
};

SettingsProblem checkSsid(const char* ssid);
SettingsProblem checkWifiPassword(const char* password);
SettingsProblem checkServerUrlSetting(const char* url);
SettingsProblem checkDeviceKey(const char* key);

bool hasWifi(const DeviceSettings& settings);
// Wi-Fi, a usable server URL and a well-formed key: the board can send heartbeats.
bool isComplete(const DeviceSettings& settings);

// Copies `value` into `out` (capacity includes the NUL); false if it does not fit.
bool copySetting(char* out, size_t capacity, const char* value);

uint32_t crc32(const uint8_t* data, size_t length);

// A fingerprint of config.h's values, stored with the record: when a board is
// flashed with a different config.h, the new config.h wins over the record.
uint32_t settingsFingerprint(const DeviceSettings& compiled);

// Returns the record's length, or 0 if `capacity` is too small.
size_t encodeSettingsRecord(const DeviceSettings& settings, uint32_t defaultsFingerprint, uint8_t* out, size_t capacity);

// False for anything that is not a whole, valid record (then `out` is untouched).
bool decodeSettingsRecord(const uint8_t* record, size_t length, DeviceSettings* out, uint32_t* defaultsFingerprint);

enum class SettingsSource : uint8_t { Stored, Compiled, None };

// Which settings the board runs with:
//   a record made on top of this same config.h        -> the record (what the user entered last)
//   else a config.h with Wi-Fi in it (a config.h build) -> config.h (it was flashed after the record)
//   else a record (the prebuilt image, configured)     -> the record
//   else                                               -> none: the board opens its setup access point
SettingsSource chooseSettings(bool haveRecord, uint32_t recordFingerprint, const DeviceSettings& compiled);
