#include "../power_monitor/setup_page.h"

#include <string.h>

#include <string>

#include "test_runner.h"

static std::string page(const SetupPageInput& input) {
  static char buffer[kSetupPageCapacity];
  const size_t length = buildSetupPage(input, buffer, sizeof buffer);
  return length == 0 ? "<too small>" : std::string(buffer, length);
}

static bool has(const std::string& haystack, const char* needle) { return haystack.find(needle) != std::string::npos; }

TEST(page_escapes_everything_it_shows) {
  char out[64];
  CHECK(escapeHtml("<a href=\"x\">&'</a>", out, sizeof out) > 0);
  CHECK_EQ(out, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  CHECK_EQ(escapeHtml("0123456789", out, 5), 0u);

  DeviceSettings current;
  copySetting(current.wifiSsid, sizeof current.wifiSsid, "\"><script>alert(1)</script>");
  copySetting(current.serverUrl, sizeof current.serverUrl, "https://a.example.com/?a=1&b=\"2\"");
  const char* networks[] = {"<img src=x>", "Дім"};
  SetupPageInput input;
  input.current = &current;
  input.networks = networks;
  input.networkCount = 2;
  input.deviceName = "PowerMonitor-<1A2B>";
  input.firmwareVersion = "1.1.0";
  const std::string html = page(input);
  CHECK(!has(html, "<script>"));
  CHECK(!has(html, "<img"));
  CHECK(has(html, "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
  CHECK(has(html, "value=\"https://a.example.com/?a=1&amp;b=&quot;2&quot;\""));
  CHECK(has(html, "<option value=\"&lt;img src=x&gt;\">"));
  CHECK(has(html, "<option value=\"Дім\">"));
  CHECK(has(html, "PowerMonitor-&lt;1A2B&gt;"));
}

TEST(page_never_shows_the_stored_password_or_whole_key) {
  DeviceSettings current;
  copySetting(current.wifiSsid, sizeof current.wifiSsid, "Home");
  copySetting(current.wifiPassword, sizeof current.wifiPassword, "secret-wifi-pass");
  copySetting(current.serverUrl, sizeof current.serverUrl, "https://monitor.example.com");
  copySetting(current.deviceKey, sizeof current.deviceKey, "AbCdEfGhIjKlMnOpQrStUvWxYz01WXYZ");
  SetupPageInput input;
  input.current = &current;
  const std::string html = page(input);
  CHECK(!has(html, "secret-wifi-pass"));
  CHECK(!has(html, "AbCdEfGh"));
  CHECK(has(html, "…WXYZ"));
  CHECK(has(html, "leave empty to keep"));
  CHECK(has(html, "value=\"Home\""));
  CHECK(has(html, "action=\"/save\""));
}

TEST(page_first_setup_requires_a_key_and_is_bilingual) {
  SetupPageInput input;
  const std::string html = page(input);
  CHECK(has(html, "name=\"device_key\" maxlength=\"128\" autocomplete=\"off\" spellcheck=\"false\" required"));
  CHECK(has(html, "Мережа Wi-Fi"));
  CHECK(has(html, "Wi-Fi network"));
  CHECK(has(html, "Ключ пристрою з бота"));
  CHECK(has(html, "Device key from the bot"));
  CHECK(!has(html, "class=\"err\""));
  CHECK(!has(html, "leave empty to keep"));
}

TEST(page_shows_the_problem_and_what_was_typed) {
  DeviceSettings current;
  SetupPageInput input;
  input.current = &current;
  input.problem = SettingsProblem::UrlInvalid;
  input.problemField = "server_url";
  input.ssidTyped = "Typed <net>";
  input.urlTyped = "monitor.example.com";
  const std::string html = page(input);
  CHECK(has(html, "class=\"err\""));
  CHECK(has(html, "Адреса сервера має починатися з https://"));
  CHECK(has(html, "The server address must start with https://"));
  CHECK(has(html, "value=\"Typed &lt;net&gt;\""));
  CHECK(has(html, "value=\"monitor.example.com\" autofocus"));
}

TEST(page_with_every_field_at_its_longest_fits) {
  DeviceSettings current;
  copySetting(current.wifiSsid, sizeof current.wifiSsid, std::string(kMaxSsidLength, '"').c_str());
  copySetting(current.serverUrl, sizeof current.serverUrl, std::string(kMaxServerUrlLength, '&').c_str());
  copySetting(current.deviceKey, sizeof current.deviceKey, std::string(kMaxDeviceKeyLength, 'k').c_str());
  std::string names[20];
  const char* networks[20];
  for (int i = 0; i < 20; i++) {
    names[i] = std::string(kMaxSsidLength, '<');
    networks[i] = names[i].c_str();
  }
  SetupPageInput input;
  input.current = &current;
  input.networks = networks;
  input.networkCount = 20;
  input.problem = SettingsProblem::KeyBadFormat;
  input.problemField = "device_key";
  input.deviceName = "PowerMonitor-ABCD";
  input.firmwareVersion = "1.1.0";
  CHECK(page(input) != "<too small>");
}

TEST(saved_page_names_the_network_escaped) {
  char buffer[kSetupPageCapacity];
  const size_t length = buildSavedPage("Дім <5G>", buffer, sizeof buffer);
  CHECK(length > 0);
  const std::string html(buffer, length);
  CHECK(has(html, "«Дім &lt;5G&gt;»"));
  CHECK(has(html, "Saved"));
}
