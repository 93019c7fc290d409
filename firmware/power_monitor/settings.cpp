#include "settings.h"

#include <string.h>

#include "server_url.h"

namespace {

const uint8_t kMagic[3] = {'P', 'M', 'S'};
const uint8_t kVersion = 1;
const uint8_t kFlagWifiVerified = 0x01;

bool isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

void putU32(uint8_t* out, uint32_t value) {
  for (int i = 0; i < 4; i++) out[i] = static_cast<uint8_t>(value >> (8 * i));
}

uint32_t getU32(const uint8_t* in) {
  uint32_t value = 0;
  for (int i = 3; i >= 0; i--) value = (value << 8) | in[i];
  return value;
}

}  // namespace

SettingsProblem checkSsid(const char* ssid) {
  const size_t length = strlen(ssid);
  if (length == 0) return SettingsProblem::SsidEmpty;
  if (length > kMaxSsidLength) return SettingsProblem::SsidTooLong;
  return SettingsProblem::None;
}

SettingsProblem checkWifiPassword(const char* password) {
  const size_t length = strlen(password);
  if (length == 0) return SettingsProblem::None;  // an open network
  if (length < kMinPasswordLength) return SettingsProblem::PasswordTooShort;
  if (length > kMaxPasswordLength) return SettingsProblem::PasswordTooLong;
  if (length == kMaxPasswordLength) {
    for (size_t i = 0; i < length; i++) {
      if (!isHex(password[i])) return SettingsProblem::PasswordTooLong;  // 64 characters must be the hex key
    }
    return SettingsProblem::None;
  }
  for (size_t i = 0; i < length; i++) {
    const unsigned char c = static_cast<unsigned char>(password[i]);
    if (c < 0x20 || c > 0x7E) return SettingsProblem::PasswordBadCharacter;  // WPA2: printable ASCII only
  }
  return SettingsProblem::None;
}

SettingsProblem checkServerUrlSetting(const char* url) {
  const size_t length = strlen(url);
  if (length == 0) return SettingsProblem::UrlEmpty;
  if (length > kMaxServerUrlLength) return SettingsProblem::UrlTooLong;
  ServerUrl parsed;
  return parseServerUrl(url, &parsed) == UrlError::None ? SettingsProblem::None : SettingsProblem::UrlInvalid;
}

SettingsProblem checkDeviceKey(const char* key) {
  const size_t length = strlen(key);
  if (length == 0) return SettingsProblem::KeyMissing;
  if (length < kMinDeviceKeyLength || length > kMaxDeviceKeyLength) return SettingsProblem::KeyBadFormat;
  for (size_t i = 0; i < length; i++) {
    const char c = key[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return SettingsProblem::KeyBadFormat;
  }
  return SettingsProblem::None;
}

bool hasWifi(const DeviceSettings& settings) { return checkSsid(settings.wifiSsid) == SettingsProblem::None; }

bool isComplete(const DeviceSettings& settings) {
  return hasWifi(settings) && checkWifiPassword(settings.wifiPassword) == SettingsProblem::None &&
         checkServerUrlSetting(settings.serverUrl) == SettingsProblem::None &&
         checkDeviceKey(settings.deviceKey) == SettingsProblem::None;
}

bool copySetting(char* out, size_t capacity, const char* value) {
  const size_t length = strlen(value);
  if (capacity == 0 || length >= capacity) return false;
  memcpy(out, value, length + 1);
  return true;
}

uint32_t crc32(const uint8_t* data, size_t length) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < length; i++) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

uint32_t settingsFingerprint(const DeviceSettings& compiled) {
  uint8_t record[kMaxSettingsRecordLength];
  DeviceSettings values = compiled;
  values.wifiVerified = false;
  const size_t length = encodeSettingsRecord(values, 0, record, sizeof record);
  // Without the record's own CRC at the end: a CRC over data and its CRC is
  // the same constant for all data.
  return crc32(record, length - 4);
}

size_t encodeSettingsRecord(const DeviceSettings& settings, uint32_t defaultsFingerprint, uint8_t* out, size_t capacity) {
  const char* fields[4] = {settings.wifiSsid, settings.wifiPassword, settings.serverUrl, settings.deviceKey};
  const size_t limits[4] = {kMaxSsidLength, kMaxPasswordLength, kMaxServerUrlLength, kMaxDeviceKeyLength};
  size_t needed = 3 + 1 + 1 + 4 + 4;
  for (int i = 0; i < 4; i++) {
    const size_t length = strlen(fields[i]);
    if (length > limits[i]) return 0;
    needed += 1 + length;
  }
  if (needed > capacity) return 0;
  size_t n = 0;
  memcpy(out, kMagic, 3);
  n += 3;
  out[n++] = kVersion;
  out[n++] = settings.wifiVerified ? kFlagWifiVerified : 0;
  putU32(out + n, defaultsFingerprint);
  n += 4;
  for (int i = 0; i < 4; i++) {
    const size_t length = strlen(fields[i]);
    out[n++] = static_cast<uint8_t>(length);
    memcpy(out + n, fields[i], length);
    n += length;
  }
  putU32(out + n, crc32(out, n));
  return n + 4;
}

bool decodeSettingsRecord(const uint8_t* record, size_t length, DeviceSettings* out, uint32_t* defaultsFingerprint) {
  if (record == nullptr || length < 3 + 1 + 1 + 4 + 4 + 4 || length > kMaxSettingsRecordLength) return false;
  if (memcmp(record, kMagic, 3) != 0 || record[3] != kVersion) return false;
  if (crc32(record, length - 4) != getU32(record + length - 4)) return false;
  DeviceSettings decoded;
  decoded.wifiVerified = (record[4] & kFlagWifiVerified) != 0;
  const uint32_t fingerprint = getU32(record + 5);
  char* fields[4] = {decoded.wifiSsid, decoded.wifiPassword, decoded.serverUrl, decoded.deviceKey};
  const size_t limits[4] = {kMaxSsidLength, kMaxPasswordLength, kMaxServerUrlLength, kMaxDeviceKeyLength};
  size_t n = 9;
  const size_t end = length - 4;
  for (int i = 0; i < 4; i++) {
    if (n >= end) return false;
    const size_t fieldLength = record[n++];
    if (fieldLength > limits[i] || fieldLength > end - n) return false;
    if (memchr(record + n, '\0', fieldLength) != nullptr) return false;
    memcpy(fields[i], record + n, fieldLength);
    fields[i][fieldLength] = '\0';
    n += fieldLength;
  }
  if (n != end) return false;
  *out = decoded;
  if (defaultsFingerprint != nullptr) *defaultsFingerprint = fingerprint;
  return true;
}

SettingsSource chooseSettings(bool haveRecord, uint32_t recordFingerprint, const DeviceSettings& compiled) {
  if (haveRecord && recordFingerprint == settingsFingerprint(compiled)) return SettingsSource::Stored;
  if (hasWifi(compiled)) return SettingsSource::Compiled;
  if (haveRecord) return SettingsSource::Stored;
  return SettingsSource::None;
}
