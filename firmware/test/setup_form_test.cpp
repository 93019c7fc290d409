#include "../power_monitor/setup_form.h"

#include <string.h>

#include <string>

#include "../power_monitor/setup_mode.h"
#include "test_runner.h"

static const char kKey[] = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";

static SetupFormResult apply(const std::string& body, const DeviceSettings& current, DeviceSettings* out) {
  return applySetupForm(body.data(), body.size(), current, out);
}

static DeviceSettings stored() {
  DeviceSettings s;
  copySetting(s.wifiSsid, sizeof s.wifiSsid, "Home");
  copySetting(s.wifiPassword, sizeof s.wifiPassword, "old-password");
  copySetting(s.serverUrl, sizeof s.serverUrl, "https://old.example.com");
  copySetting(s.deviceKey, sizeof s.deviceKey, kKey);
  s.wifiVerified = true;
  return s;
}

static std::string decode(const char* encoded) {
  char out[64];
  return urlDecodeFormValue(encoded, strlen(encoded), out, sizeof out) ? std::string(out) : "<refused>";
}

TEST(form_url_decoding) {
  CHECK_EQ(decode("a+b%20c"), "a b c");
  CHECK_EQ(decode("%D0%94%D1%96%D0%BC"), "Дім");
  CHECK_EQ(decode("https%3A%2F%2Fmonitor.example.com%2F"), "https://monitor.example.com/");
  CHECK_EQ(decode("100%25"), "100%");
  CHECK_EQ(decode("%2b"), "+");
  CHECK_EQ(decode(""), "");
  CHECK_EQ(decode("%"), "<refused>");
  CHECK_EQ(decode("%4"), "<refused>");
  CHECK_EQ(decode("%zz"), "<refused>");
  CHECK_EQ(decode("%00"), "<refused>");  // a NUL would cut the value short
  char small[4];
  CHECK(urlDecodeFormValue("abc", 3, small, sizeof small));
  CHECK(!urlDecodeFormValue("abcd", 4, small, sizeof small));
}

TEST(form_first_setup_takes_every_field) {
  DeviceSettings empty;
  DeviceSettings out;
  const SetupFormResult r = apply(std::string("ssid=%D0%94%D1%96%D0%BC+2.4&password=p%40ss+word%21&server_url=https%3A%2F%2Fmonitor.example.com&device_key=") + kKey, empty, &out);
  CHECK_EQ(r.problem, SettingsProblem::None);
  CHECK_EQ(out.wifiSsid, "Дім 2.4");
  CHECK_EQ(out.wifiPassword, "p@ss word!");
  CHECK_EQ(out.serverUrl, "https://monitor.example.com");
  CHECK_EQ(out.deviceKey, kKey);
  CHECK(!out.wifiVerified);
  CHECK(isComplete(out));
}

TEST(form_trims_pasted_key_and_url_but_not_the_ssid) {
  DeviceSettings empty;
  DeviceSettings out;
  const SetupFormResult r = apply(std::string("ssid=+Cafe+&password=&server_url=++https%3A%2F%2Fm.example.com%0A&device_key=%20") + kKey + "%0D%0A", empty, &out);
  CHECK_EQ(r.problem, SettingsProblem::None);
  CHECK_EQ(out.wifiSsid, " Cafe ");
  CHECK_EQ(out.wifiPassword, "");  // open network
  CHECK_EQ(out.serverUrl, "https://m.example.com");
  CHECK_EQ(out.deviceKey, kKey);
}

TEST(form_blank_password_and_key_keep_the_stored_ones) {
  DeviceSettings out;
  const SetupFormResult r = apply("ssid=Home&password=&server_url=https%3A%2F%2Fnew.example.com&device_key=", stored(), &out);
  CHECK_EQ(r.problem, SettingsProblem::None);
  CHECK_EQ(out.wifiPassword, "old-password");
  CHECK_EQ(out.deviceKey, kKey);
  CHECK_EQ(out.serverUrl, "https://new.example.com");
  CHECK(out.wifiVerified);  // same network, same password: still known to work
}

TEST(form_new_network_needs_its_own_password) {
  DeviceSettings out;
  SetupFormResult r = apply("ssid=Neighbour&password=&server_url=https%3A%2F%2Fold.example.com&device_key=", stored(), &out);
  CHECK_EQ(r.problem, SettingsProblem::None);
  CHECK_EQ(out.wifiPassword, "");  // blank for another network means an open one, not the old password
  CHECK(!out.wifiVerified);
  r = apply("ssid=Home&password=new-password&server_url=https%3A%2F%2Fold.example.com&device_key=", stored(), &out);
  CHECK_EQ(r.problem, SettingsProblem::None);
  CHECK(!out.wifiVerified);  // a new password must prove itself again
}

TEST(form_problems_change_nothing) {
  const DeviceSettings current = stored();
  struct Case {
    std::string body;
    SettingsProblem problem;
    const char* field;
  };
  const Case cases[] = {
      {"password=12345678&server_url=https%3A%2F%2Fa.example.com", SettingsProblem::SsidEmpty, "ssid"},
      {"ssid=" + std::string(33, 's') + "&server_url=https%3A%2F%2Fa.example.com", SettingsProblem::SsidTooLong, "ssid"},
      {"ssid=Other&password=short&server_url=https%3A%2F%2Fa.example.com", SettingsProblem::PasswordTooShort, "password"},
      {"ssid=Other&password=" + std::string(65, 'p') + "&server_url=https%3A%2F%2Fa.example.com", SettingsProblem::PasswordTooLong, "password"},
      {"ssid=Home&server_url=", SettingsProblem::UrlEmpty, "server_url"},
      {"ssid=Home&server_url=+++", SettingsProblem::UrlEmpty, "server_url"},
      {"ssid=Home&server_url=monitor.example.com", SettingsProblem::UrlInvalid, "server_url"},
      {"ssid=Home&server_url=javascript%3Aalert(1)", SettingsProblem::UrlInvalid, "server_url"},
      {"ssid=Home&server_url=https%3A%2F%2Fa.example.com&device_key=not+a+key", SettingsProblem::KeyBadFormat, "device_key"},
      {"ssid=Home&server_url=https%3A%2F%2Fa.example.com&device_key=" + std::string(129, 'k'), SettingsProblem::KeyBadFormat, "device_key"},
      {"ssid=Ho%ZZme&server_url=https%3A%2F%2Fa.example.com", SettingsProblem::BadEncoding, "ssid"},
      {"ssid=Home&server_url=https%3A%2F%2Fa.example.com%", SettingsProblem::BadEncoding, "server_url"},
  };
  for (const Case& c : cases) {
    DeviceSettings out;
    const SetupFormResult r = apply(c.body, current, &out);
    CHECK_EQ(r.problem, c.problem);
    CHECK_EQ(r.field, c.field);
    CHECK_EQ(out.wifiSsid, "Home");
    CHECK_EQ(out.serverUrl, "https://old.example.com");
    CHECK_EQ(out.deviceKey, kKey);
  }
  DeviceSettings empty;
  DeviceSettings out;
  const SetupFormResult r = apply("ssid=Home&password=12345678&server_url=https%3A%2F%2Fa.example.com&device_key=", empty, &out);
  CHECK_EQ(r.problem, SettingsProblem::KeyMissing);  // no stored key to keep
}

TEST(form_ignores_unknown_fields_and_takes_the_last_duplicate) {
  DeviceSettings out;
  const SetupFormResult r = apply("x=1&ssid=First&ssid=Home&&submit=&server_url=https%3A%2F%2Fa.example.com", stored(), &out);
  CHECK_EQ(r.problem, SettingsProblem::None);
  CHECK_EQ(out.wifiSsid, "Home");
}

TEST(form_refuses_an_oversized_body) {
  DeviceSettings out;
  const std::string body(kMaxSetupFormLength + 1, 'a');
  CHECK_EQ(apply(body, stored(), &out).problem, SettingsProblem::BadEncoding);
}

TEST(form_problem_texts_exist_in_both_languages) {
  for (int i = 1; i <= static_cast<int>(SettingsProblem::BadEncoding); i++) {
    const SettingsProblem p = static_cast<SettingsProblem>(i);
    CHECK(strlen(settingsProblemUk(p)) > 10);
    CHECK(strlen(settingsProblemEn(p)) > 10);
  }
}

TEST(setup_access_point_rules) {
  DeviceSettings none;
  CHECK(shouldOpenSetupAccessPoint(none, 0, false));  // nothing set: open it
  DeviceSettings fresh = stored();
  fresh.wifiVerified = false;
  CHECK(!shouldOpenSetupAccessPoint(fresh, 2, false));
  CHECK(shouldOpenSetupAccessPoint(fresh, 3, false));  // a mistyped password: back to setup
  const DeviceSettings known = stored();
  CHECK(!shouldOpenSetupAccessPoint(known, 1000, false));  // the router is down in a cut: stay shut
  CHECK(shouldOpenSetupAccessPoint(known, 0, true));       // unless someone holds BOOT
}

TEST(long_press_fires_once_per_press) {
  LongPress button(5000);
  CHECK(!button.update(true, 0));
  CHECK(!button.update(true, 4999));
  CHECK(button.update(true, 5000));
  CHECK(!button.update(true, 9000));  // still held: not again
  CHECK(!button.update(false, 9010));
  CHECK(!button.update(true, 10000));
  CHECK(!button.update(false, 12000));  // a short press does nothing
  CHECK(!button.update(true, 13000));
  CHECK(button.update(true, 18000));
}

TEST(form_fields_as_the_web_server_decodes_them) {
  DeviceSettings out;
  const std::string longUrl = "https://a.example.com/" + std::string(300, 'p');
  SetupFormResult r = applySetupFields("Home", "", longUrl.c_str(), "", stored(), &out);
  CHECK_EQ(r.problem, SettingsProblem::UrlTooLong);
  CHECK_EQ(out.serverUrl, "https://old.example.com");
  r = applySetupFields(std::string(40, 's').c_str(), "", "https://a.example.com", "", stored(), &out);
  CHECK_EQ(r.problem, SettingsProblem::SsidTooLong);
  r = applySetupFields("Home", std::string(100, 'p').c_str(), "https://a.example.com", "", stored(), &out);
  CHECK_EQ(r.problem, SettingsProblem::PasswordTooLong);
  r = applySetupFields("Home", "", "https://a.example.com", std::string(300, 'k').c_str(), stored(), &out);
  CHECK_EQ(r.problem, SettingsProblem::KeyBadFormat);
  r = applySetupFields("Home", nullptr, " https://a.example.com/ ", nullptr, stored(), &out);
  CHECK_EQ(r.problem, SettingsProblem::None);
  CHECK_EQ(out.serverUrl, "https://a.example.com/");
  CHECK_EQ(out.deviceKey, kKey);
}
