#include "../power_monitor/settings.h"

#include <string.h>

#include <string>

#include "test_runner.h"

static DeviceSettings sample() {
  DeviceSettings s;
  copySetting(s.wifiSsid, sizeof s.wifiSsid, "Дім 2.4");
  copySetting(s.wifiPassword, sizeof s.wifiPassword, "correct horse");
  copySetting(s.serverUrl, sizeof s.serverUrl, "https://monitor.example.com");
  copySetting(s.deviceKey, sizeof s.deviceKey, "AbCdEfGhIjKlMnOpQrStUvWxYz012345");
  s.wifiVerified = true;
  return s;
}

TEST(settings_checks) {
  CHECK_EQ(checkSsid(""), SettingsProblem::SsidEmpty);
  CHECK_EQ(checkSsid("12345678901234567890123456789012"), SettingsProblem::None);  // 32 bytes
  CHECK_EQ(checkSsid("123456789012345678901234567890123"), SettingsProblem::SsidTooLong);
  CHECK_EQ(checkWifiPassword(""), SettingsProblem::None);  // open network
  CHECK_EQ(checkWifiPassword("1234567"), SettingsProblem::PasswordTooShort);
  CHECK_EQ(checkWifiPassword("12345678"), SettingsProblem::None);
  CHECK_EQ(checkWifiPassword(std::string(63, 'x').c_str()), SettingsProblem::None);
  CHECK_EQ(checkWifiPassword(std::string(64, 'a').c_str()), SettingsProblem::None);  // 64 hex: the raw key
  CHECK_EQ(checkWifiPassword(std::string(64, 'x').c_str()), SettingsProblem::PasswordTooLong);
  CHECK_EQ(checkWifiPassword(std::string(65, 'a').c_str()), SettingsProblem::PasswordTooLong);
  CHECK_EQ(checkWifiPassword("пароль-кирилицею"), SettingsProblem::PasswordBadCharacter);
  CHECK_EQ(checkWifiPassword("tab\there!"), SettingsProblem::PasswordBadCharacter);
  CHECK_EQ(checkServerUrlSetting(""), SettingsProblem::UrlEmpty);
  CHECK_EQ(checkServerUrlSetting("https://monitor.example.com"), SettingsProblem::None);
  CHECK_EQ(checkServerUrlSetting("http://192.168.1.20:8080/api/heartbeat"), SettingsProblem::None);
  CHECK_EQ(checkServerUrlSetting("ftp://monitor.example.com"), SettingsProblem::UrlInvalid);
  CHECK_EQ(checkServerUrlSetting("monitor.example.com"), SettingsProblem::UrlInvalid);
  CHECK_EQ(checkServerUrlSetting("https://"), SettingsProblem::UrlInvalid);
  CHECK_EQ(checkServerUrlSetting(("https://a.example.com/" + std::string(190, 'p')).c_str()), SettingsProblem::UrlTooLong);
  CHECK_EQ(checkDeviceKey(""), SettingsProblem::KeyMissing);
  CHECK_EQ(checkDeviceKey("short-key-123"), SettingsProblem::KeyBadFormat);
  CHECK_EQ(checkDeviceKey("AbCdEfGhIjKlMnOp"), SettingsProblem::None);  // 16
  CHECK_EQ(checkDeviceKey("AbCdEfGh IjKlMnOp"), SettingsProblem::KeyBadFormat);
  CHECK_EQ(checkDeviceKey("AbCdEfGh+jKlMnOp/="), SettingsProblem::KeyBadFormat);  // base64, not base64url
  CHECK_EQ(checkDeviceKey(std::string(128, 'k').c_str()), SettingsProblem::None);
  CHECK_EQ(checkDeviceKey(std::string(129, 'k').c_str()), SettingsProblem::KeyBadFormat);
}

TEST(settings_completeness) {
  DeviceSettings s = sample();
  CHECK(isComplete(s));
  s.deviceKey[0] = '\0';
  CHECK(!isComplete(s));
  CHECK(hasWifi(s));
  DeviceSettings empty;
  CHECK(!hasWifi(empty));
  CHECK(!isComplete(empty));
}

TEST(settings_record_round_trip) {
  uint8_t record[kMaxSettingsRecordLength];
  const DeviceSettings s = sample();
  const size_t length = encodeSettingsRecord(s, 0xA1B2C3D4u, record, sizeof record);
  CHECK(length > 0);
  DeviceSettings back;
  uint32_t fingerprint = 0;
  CHECK(decodeSettingsRecord(record, length, &back, &fingerprint));
  CHECK_EQ(fingerprint, 0xA1B2C3D4u);
  CHECK_EQ(back.wifiSsid, s.wifiSsid);
  CHECK_EQ(back.wifiPassword, s.wifiPassword);
  CHECK_EQ(back.serverUrl, s.serverUrl);
  CHECK_EQ(back.deviceKey, s.deviceKey);
  CHECK(back.wifiVerified);
}

TEST(settings_record_longest_values_fit) {
  DeviceSettings s;
  copySetting(s.wifiSsid, sizeof s.wifiSsid, std::string(kMaxSsidLength, 's').c_str());
  copySetting(s.wifiPassword, sizeof s.wifiPassword, std::string(kMaxPasswordLength, 'a').c_str());
  copySetting(s.serverUrl, sizeof s.serverUrl, std::string(kMaxServerUrlLength, 'u').c_str());
  copySetting(s.deviceKey, sizeof s.deviceKey, std::string(kMaxDeviceKeyLength, 'k').c_str());
  uint8_t record[kMaxSettingsRecordLength];
  const size_t length = encodeSettingsRecord(s, 1, record, sizeof record);
  CHECK_EQ(length, kMaxSettingsRecordLength);
  DeviceSettings back;
  CHECK(decodeSettingsRecord(record, length, &back, nullptr));
  CHECK_EQ(strlen(back.serverUrl), kMaxServerUrlLength);
  CHECK_EQ(encodeSettingsRecord(s, 1, record, sizeof record - 1), 0u);
}

TEST(settings_record_refuses_damage) {
  uint8_t record[kMaxSettingsRecordLength];
  const size_t length = encodeSettingsRecord(sample(), 7, record, sizeof record);
  DeviceSettings back = sample();
  copySetting(back.wifiSsid, sizeof back.wifiSsid, "untouched");
  // Every single flipped bit is caught by the CRC (or the framing).
  for (size_t i = 0; i < length; i++) {
    for (int bit = 0; bit < 8; bit++) {
      record[i] ^= static_cast<uint8_t>(1 << bit);
      CHECK(!decodeSettingsRecord(record, length, &back, nullptr));
      record[i] ^= static_cast<uint8_t>(1 << bit);
    }
  }
  // A record cut short by a power loss, at any length.
  for (size_t cut = 0; cut < length; cut++) CHECK(!decodeSettingsRecord(record, cut, &back, nullptr));
  CHECK_EQ(back.wifiSsid, "untouched");
  CHECK(!decodeSettingsRecord(nullptr, 0, &back, nullptr));
  CHECK(decodeSettingsRecord(record, length, &back, nullptr));
}

TEST(settings_crc32_known_value) {
  const char* text = "123456789";
  CHECK_EQ(crc32(reinterpret_cast<const uint8_t*>(text), 9), 0xCBF43926u);  // the standard check value
}

TEST(settings_choice_between_record_and_config_h) {
  DeviceSettings prebuilt;  // the image for everyone: config.h values all empty
  DeviceSettings configH = sample();
  const uint32_t prebuiltPrint = settingsFingerprint(prebuilt);
  const uint32_t configPrint = settingsFingerprint(configH);
  CHECK(prebuiltPrint != configPrint);
  // The prebuilt image: nothing stored yet -> setup; something stored -> it.
  CHECK_EQ(chooseSettings(false, 0, prebuilt), SettingsSource::None);
  CHECK_EQ(chooseSettings(true, prebuiltPrint, prebuilt), SettingsSource::Stored);
  // Stored on top of a config.h build, then the prebuilt image flashed: the record.
  CHECK_EQ(chooseSettings(true, configPrint, prebuilt), SettingsSource::Stored);
  // A config.h build: used as is, until the setup page stores something on top of it.
  CHECK_EQ(chooseSettings(false, 0, configH), SettingsSource::Compiled);
  CHECK_EQ(chooseSettings(true, configPrint, configH), SettingsSource::Stored);
  // A record from before this config.h was flashed: the newly flashed config.h wins.
  CHECK_EQ(chooseSettings(true, prebuiltPrint, configH), SettingsSource::Compiled);
  DeviceSettings verified = configH;
  verified.wifiVerified = true;
  CHECK_EQ(settingsFingerprint(verified), configPrint);  // the flag is not part of config.h
}
