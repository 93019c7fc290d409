// The board's own setup page (served at http://192.168.4.1/ from its access
// point, and on the home network while the settings are incomplete): Wi-Fi,
// password, server URL, device key. Ukrainian first, English beside.
//
// Built into a caller-owned buffer; every value shown is HTML-escaped. The
// stored password is never sent back, and of the key only its last 4
// characters, so a look over someone's shoulder (or at the open access point)
// gives nothing away.
#pragma once

#include <stddef.h>

#include "settings.h"

static const size_t kSetupPageCapacity = 8192;

struct SetupPageInput {
  const DeviceSettings* current = nullptr;  // what is stored now (values shown, secrets not)
  const char* ssidTyped = nullptr;          // after a refused form: what was typed (shown again)
  const char* urlTyped = nullptr;
  SettingsProblem problem = SettingsProblem::None;
  const char* problemField = "";
  const char* const* networks = nullptr;  // SSIDs the board sees, for the list
  size_t networkCount = 0;
  const char* deviceName = "";            // the access point's name, e.g. PowerMonitor-1A2B
  const char* firmwareVersion = "";
};

// Writes the form page; returns its length, or 0 if it does not fit.
size_t buildSetupPage(const SetupPageInput& input, char* out, size_t capacity);

// Writes the "saved, restarting" page.
size_t buildSavedPage(const char* ssid, char* out, size_t capacity);

// Escapes `text` for HTML content and double-quoted attributes into `out`;
// returns the length, or 0 if it does not fit (then `out` is empty).
size_t escapeHtml(const char* text, char* out, size_t capacity);
