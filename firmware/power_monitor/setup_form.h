// The setup page's form (application/x-www-form-urlencoded), as the board's own
// web server receives it: ssid, password, server_url, device_key.
//
// A blank password keeps the stored one when the network stays the same (the
// page never shows it), and means an open network otherwise; a blank key keeps
// the stored key (the page shows only its last characters). Everything is
// checked before anything is taken: a form with any problem changes nothing.
#pragma once

#include <stddef.h>

#include "settings.h"

static const size_t kMaxSetupFormLength = 2048;

// Decodes one %-encoded form value ('+' is a space) into `out`. False when a
// '%' is not followed by two hex digits, when a NUL would come out, or when
// it does not fit (capacity includes the NUL).
bool urlDecodeFormValue(const char* encoded, size_t length, char* out, size_t capacity);

struct SetupFormResult {
  SettingsProblem problem = SettingsProblem::None;
  const char* field = "";  // the form field the problem is about ("ssid", "password", ...)
};

// The same, from values already decoded (the board's web server decodes the
// form itself). Values may be of any length: too long is a problem, not a cut.
SetupFormResult applySetupFields(const char* ssid, const char* password, const char* serverUrl, const char* deviceKey,
                                 const DeviceSettings& current, DeviceSettings* out);

// Reads the form `body` (`length` bytes) over `current` into `out`. On success
// `out` holds the new settings (wifiVerified reset when the network changed).
// On a problem `out` is left as `current`.
SetupFormResult applySetupForm(const char* body, size_t length, const DeviceSettings& current, DeviceSettings* out);

// The problem in both languages, for the page: Ukrainian first, English beside.
const char* settingsProblemUk(SettingsProblem problem);
const char* settingsProblemEn(SettingsProblem problem);
