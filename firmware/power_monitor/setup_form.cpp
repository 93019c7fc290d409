#include "setup_form.h"

#include <string.h>

namespace {

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Whether every '%' is followed by two hex digits that are not "00".
bool wellEncoded(const char* value, size_t length) {
  for (size_t k = 0; k < length; k++) {
    if (value[k] != '%') continue;
    if (k + 2 >= length || hexDigit(value[k + 1]) < 0 || hexDigit(value[k + 2]) < 0) return false;
    if (value[k + 1] == '0' && value[k + 2] == '0') return false;
    k += 2;
  }
  return true;
}

struct Field {
  const char* name;
  char* value;
  size_t capacity;
};

}  // namespace

bool urlDecodeFormValue(const char* encoded, size_t length, char* out, size_t capacity) {
  if (capacity == 0) return false;
  size_t n = 0;
  for (size_t i = 0; i < length; i++) {
    char c = encoded[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%') {
      if (i + 2 >= length) return false;
      const int high = hexDigit(encoded[i + 1]);
      const int low = hexDigit(encoded[i + 2]);
      if (high < 0 || low < 0) return false;
      c = static_cast<char>(high * 16 + low);
      if (c == '\0') return false;
      i += 2;
    }
    if (n + 1 >= capacity) return false;
    out[n++] = c;
  }
  out[n] = '\0';
  return true;
}

SetupFormResult applySetupForm(const char* body, size_t length, const DeviceSettings& current, DeviceSettings* out) {
  *out = current;
  SetupFormResult result;
  if (body == nullptr || length > kMaxSetupFormLength) {
    result.problem = SettingsProblem::BadEncoding;
    return result;
  }
  // More room than each setting allows, so an over-long value reaches the
  // checks (and is reported as too long, not as bad encoding), and a pasted
  // URL or key with blanks around it still fits before they are trimmed.
  char ssid[kMaxSsidLength + 2] = "";
  char password[kMaxPasswordLength + 2] = "";
  char url[kMaxServerUrlLength + 32] = "";
  char key[kMaxDeviceKeyLength + 32] = "";
  Field fields[] = {
      {"ssid", ssid, sizeof ssid},
      {"password", password, sizeof password},
      {"server_url", url, sizeof url},
      {"device_key", key, sizeof key},
  };

  size_t i = 0;
  while (i < length) {
    size_t end = i;
    while (end < length && body[end] != '&') end++;
    const char* pair = body + i;
    const size_t pairLength = end - i;
    const char* equals = static_cast<const char*>(memchr(pair, '=', pairLength));
    const size_t nameLength = equals != nullptr ? static_cast<size_t>(equals - pair) : pairLength;
    for (Field& field : fields) {
      if (strlen(field.name) != nameLength || strncmp(field.name, pair, nameLength) != 0) continue;
      const char* value = equals != nullptr ? equals + 1 : pair + pairLength;
      const size_t valueLength = pairLength - nameLength - (equals != nullptr ? 1 : 0);
      if (!urlDecodeFormValue(value, valueLength, field.value, field.capacity)) {
        // Broken %-encoding, or too long to even hold: say which.
        result.field = field.name;
        if (!wellEncoded(value, valueLength)) {
          result.problem = SettingsProblem::BadEncoding;
        } else if (field.value == ssid) {
          result.problem = SettingsProblem::SsidTooLong;
        } else if (field.value == password) {
          result.problem = SettingsProblem::PasswordTooLong;
        } else if (field.value == url) {
          result.problem = SettingsProblem::UrlTooLong;
        } else {
          result.problem = SettingsProblem::KeyBadFormat;
        }
        return result;
      }
    }
    i = end + 1;
  }

  return applySetupFields(ssid, password, url, key, current, out);
}

namespace {

// Copies `value` less surrounding blanks into `out`; false if it does not fit.
bool copyTrimmed(const char* value, char* out, size_t capacity) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  const char* start = value;
  while (space(*start)) start++;
  size_t length = strlen(start);
  while (length > 0 && space(start[length - 1])) length--;
  if (length >= capacity) return false;
  memcpy(out, start, length);
  out[length] = '\0';
  return true;
}

SetupFormResult problemIn(SettingsProblem problem, const char* field) {
  SetupFormResult result;
  result.problem = problem;
  result.field = field;
  return result;
}

}  // namespace

SetupFormResult applySetupFields(const char* ssidValue, const char* passwordValue, const char* urlValue, const char* keyValue,
                                 const DeviceSettings& current, DeviceSettings* out) {
  *out = current;
  char ssid[kMaxSsidLength + 1];
  char password[kMaxPasswordLength + 1];
  char url[kMaxServerUrlLength + 1];
  char key[kMaxDeviceKeyLength + 1];
  // The SSID is taken as typed (a network name may start or end with a space);
  // the URL and the key lose surrounding blanks (a pasted key often has some).
  if (!copySetting(ssid, sizeof ssid, ssidValue != nullptr ? ssidValue : "")) return problemIn(SettingsProblem::SsidTooLong, "ssid");
  SettingsProblem problem = checkSsid(ssid);
  if (problem != SettingsProblem::None) return problemIn(problem, "ssid");
  if (!copySetting(password, sizeof password, passwordValue != nullptr ? passwordValue : "")) {
    return problemIn(SettingsProblem::PasswordTooLong, "password");
  }
  const bool sameNetwork = strcmp(ssid, current.wifiSsid) == 0;
  if (password[0] == '\0' && sameNetwork) copySetting(password, sizeof password, current.wifiPassword);
  problem = checkWifiPassword(password);
  if (problem != SettingsProblem::None) return problemIn(problem, "password");
  if (!copyTrimmed(urlValue != nullptr ? urlValue : "", url, sizeof url)) return problemIn(SettingsProblem::UrlTooLong, "server_url");
  problem = checkServerUrlSetting(url);
  if (problem != SettingsProblem::None) return problemIn(problem, "server_url");
  if (!copyTrimmed(keyValue != nullptr ? keyValue : "", key, sizeof key)) return problemIn(SettingsProblem::KeyBadFormat, "device_key");
  if (key[0] == '\0') copySetting(key, sizeof key, current.deviceKey);
  problem = checkDeviceKey(key);
  if (problem != SettingsProblem::None) return problemIn(problem, "device_key");

  DeviceSettings next = current;
  copySetting(next.wifiSsid, sizeof next.wifiSsid, ssid);
  copySetting(next.wifiPassword, sizeof next.wifiPassword, password);
  copySetting(next.serverUrl, sizeof next.serverUrl, url);
  copySetting(next.deviceKey, sizeof next.deviceKey, key);
  next.wifiVerified = current.wifiVerified && sameNetwork && strcmp(password, current.wifiPassword) == 0;
  *out = next;
  return SetupFormResult();
}

const char* settingsProblemUk(SettingsProblem problem) {
  switch (problem) {
    case SettingsProblem::None: return "";
    case SettingsProblem::SsidEmpty: return "Вкажіть назву мережі Wi-Fi.";
    case SettingsProblem::SsidTooLong: return "Назва мережі Wi-Fi задовга: не більше 32 байтів.";
    case SettingsProblem::PasswordTooShort: return "Пароль Wi-Fi закороткий: щонайменше 8 символів (або залиште порожнім для відкритої мережі).";
    case SettingsProblem::PasswordTooLong: return "Пароль Wi-Fi задовгий: до 63 символів (або рівно 64 шістнадцяткові цифри).";
    case SettingsProblem::PasswordBadCharacter: return "Пароль Wi-Fi може містити лише латинські літери, цифри, пробіл і звичайні знаки.";
    case SettingsProblem::UrlEmpty: return "Вкажіть адресу сервера, наприклад https://monitor.example.com.";
    case SettingsProblem::UrlTooLong: return "Адреса сервера задовга: не більше 200 символів.";
    case SettingsProblem::UrlInvalid: return "Адреса сервера має починатися з https:// (або http:// для сервера у вашій мережі) і не містити пробілів.";
    case SettingsProblem::KeyMissing: return "Вкажіть ключ пристрою з бота.";
    case SettingsProblem::KeyBadFormat: return "Ключ пристрою має такий вигляд: 16–128 латинських літер, цифр, «-» або «_». Скопіюйте його з бота ще раз.";
    case SettingsProblem::BadEncoding: return "Форма надійшла пошкодженою. Спробуйте ще раз.";
  }
  return "";
}

const char* settingsProblemEn(SettingsProblem problem) {
  switch (problem) {
    case SettingsProblem::None: return "";
    case SettingsProblem::SsidEmpty: return "Enter the Wi-Fi network name.";
    case SettingsProblem::SsidTooLong: return "The Wi-Fi network name is too long: 32 bytes at most.";
    case SettingsProblem::PasswordTooShort: return "The Wi-Fi password is too short: at least 8 characters (or leave it empty for an open network).";
    case SettingsProblem::PasswordTooLong: return "The Wi-Fi password is too long: up to 63 characters (or exactly 64 hex digits).";
    case SettingsProblem::PasswordBadCharacter: return "The Wi-Fi password may hold only Latin letters, digits, spaces and ordinary symbols.";
    case SettingsProblem::UrlEmpty: return "Enter the server address, e.g. https://monitor.example.com.";
    case SettingsProblem::UrlTooLong: return "The server address is too long: 200 characters at most.";
    case SettingsProblem::UrlInvalid: return "The server address must start with https:// (or http:// for a server on your network) and contain no spaces.";
    case SettingsProblem::KeyMissing: return "Enter the device key from the bot.";
    case SettingsProblem::KeyBadFormat: return "A device key is 16-128 Latin letters, digits, '-' or '_'. Copy it from the bot again.";
    case SettingsProblem::BadEncoding: return "The form arrived damaged. Please try again.";
  }
  return "";
}
