// Power Outage Monitor: heartbeat sender for an ESP32 powered from the mains.
//
// While the board has power it POSTs a small JSON heartbeat to the server every
// few seconds; when the heartbeats stop, the server declares the place OFF.
// See firmware/README.md for flashing and the LED patterns, and DESIGN.md §4
// for the protocol.
//
// Targets the Arduino-ESP32 core 3.x (board package esp32:esp32 >= 3.0.0).
// Everything that can be decided without the hardware (JSON payload, backoff,
// reply parsing, URL checks, LED patterns, reset-reason names, the settings
// record, the setup form and page, Improv serial) lives in the .cpp files next
// to this sketch and is unit-tested on a PC: firmware/test/run.sh.
//
// Settings: config.h is optional. Without it (the prebuilt image for the
// browser flasher) the board opens its own access point with a setup page, and
// answers Improv serial, so Wi-Fi, server URL and device key are entered after
// flashing and kept in flash (NVS). With it, its values are the defaults.

#include <Arduino.h>

#if __has_include("config.h")
#include "config.h"
#endif

#ifndef WIFI_SSID
#define WIFI_SSID ""
#endif
#ifndef WIFI_PASSWORD
#define WIFI_PASSWORD ""
#endif
#ifndef SERVER_URL
#define SERVER_URL ""
#endif
#ifndef DEVICE_KEY
#define DEVICE_KEY ""
#endif
#ifndef HEARTBEAT_INTERVAL_S
#define HEARTBEAT_INTERVAL_S 10
#endif
#ifndef LOCATION_TIMEOUT_S
#define LOCATION_TIMEOUT_S 60
#endif

// Optional settings; define them in config.h to override.
#ifndef STATUS_LED_PIN
#define STATUS_LED_PIN 2  // the blue LED of most "ESP32 DevKit" boards; -1 for none
#endif
#ifndef STATUS_LED_ACTIVE_LOW
#define STATUS_LED_ACTIVE_LOW 0  // 1 if the LED lights when the pin is LOW
#endif
#ifndef WIFI_HOSTNAME
#define WIFI_HOSTNAME "power-monitor"
#endif
// The mains-sense input (firmware/README.md, "Mains sense"): the GPIO that reads
// the charger's 5 V through a divider, for a board on a battery or power bank.
#ifndef MAINS_SENSE_PIN
#define MAINS_SENSE_PIN -1  // -1: no mains-sense input (the board runs on the mains itself)
#endif
#ifndef MAINS_SENSE_ACTIVE_LEVEL
#define MAINS_SENSE_ACTIVE_LEVEL 1  // the pin's level while the mains is on: 1 = HIGH (the divider as drawn)
#endif
#ifndef MAINS_SENSE_STABLE_MS
#define MAINS_SENSE_STABLE_MS 500  // a new level counts once it has held this long
#endif
// SERVER_ROOT_CA: the PEM root certificate of the server's chain. Without it
// the TLS connection is encrypted but the server's certificate is not checked.

#ifndef FIRMWARE_VERSION
#define FIRMWARE_VERSION "1.1.0"  // the CI build sets it from the release tag
#endif
#define FIRMWARE_NAME "Power Monitor"
#ifndef SETUP_BUTTON_PIN
#define SETUP_BUTTON_PIN 0  // the BOOT button of ESP32 dev boards (LOW while pressed); -1 for none
#endif

#include <esp_arduino_version.h>
#if !defined(ESP_ARDUINO_VERSION_MAJOR) || ESP_ARDUINO_VERSION_MAJOR < 3
#error "This sketch needs the Arduino-ESP32 core 3.x: update the esp32 board package (Boards Manager, or arduino-cli core install esp32:esp32)."
#endif

#include <DNSServer.h>
#include <HTTPClient.h>
#include <NetworkClient.h>
#include <NetworkClientSecure.h>  // core 3.x name of WiFiClientSecure
#include <Preferences.h>
#include <Ticker.h>
#include <WebServer.h>
#include <WiFi.h>
#include <esp_random.h>
#include <esp_system.h>
#include <esp_task_wdt.h>
#include <esp_timer.h>

#include "backoff.h"
#include "heartbeat_payload.h"
#include "heartbeat_schedule.h"
#include "improv_serial.h"
#include "link_state.h"
#include "mains_sense.h"
#include "reply_parser.h"
#include "reset_reason.h"
#include "server_url.h"
#include "settings.h"
#include "setup_form.h"
#include "setup_mode.h"
#include "setup_page.h"
#include "status_led.h"

// A hung network stack or TLS handshake reboots the board after this long.
// Every blocking step of one heartbeat is bounded well below it:
// DNS (~15 s worst case) + connect 8 s + TLS handshake 15 s + reply 8 s.
static const uint32_t kWatchdogTimeoutMs = 60000;
static const int32_t kHttpConnectTimeoutMs = 8000;
static const uint16_t kHttpReplyTimeoutMs = 8000;
static const unsigned long kTlsHandshakeTimeoutS = 15;
static const int kMaxReplyBytes = 1024;

// Wi-Fi: each attempt gets at least 10 s to associate and get an address; the
// cap keeps the wait after the router comes back (after a power cut the
// router often boots slower than the ESP32) under half a minute.
static const uint32_t kWifiRetryBaseMs = 20000;
static const uint32_t kWifiRetryCapMs = 30000;
// Last resort for a Wi-Fi driver that never recovers. The next heartbeat then
// reports reset_reason "SW", so the server can tell this from a power cut.
static const uint32_t kRestartAfterWifiDownMs = 60UL * 60 * 1000;
static const uint32_t kConfigErrorLogEveryMs = 10000;
static const int kStatusLedPin = STATUS_LED_PIN;
static const int kSetupButtonPin = SETUP_BUTTON_PIN;
// An access point opened by the button closes by itself after this long.
static const uint32_t kButtonAccessPointMs = 10UL * 60 * 1000;
// Improv: how long the board tries the Wi-Fi it was handed before saying it failed.
static const uint32_t kImprovJoinTimeoutMs = 20000;
static const char kPreferencesNamespace[] = "power-monitor";
static const char kSettingsKey[] = "settings";
static const int kMainsSensePin = MAINS_SENSE_PIN;

static uint32_t hardwareRandom(void*) { return esp_random(); }

static ServerUrl serverUrl;
static UrlError serverUrlError = UrlError::None;
static NetworkClientSecure tlsClient;
static NetworkClient plainClient;
static HeartbeatSchedule heartbeatSchedule(HEARTBEAT_INTERVAL_S, LOCATION_TIMEOUT_S, hardwareRandom, nullptr);
static Backoff wifiBackoff(kWifiRetryBaseMs, kWifiRetryCapMs, hardwareRandom, nullptr);
static Ticker ledTicker;

static volatile LinkState linkState = LinkState::Starting;
static volatile uint32_t linkStateSince = 0;
static bool wifiConnected = false;
static uint32_t wifiDownSince = 0;
static uint32_t nextWifiAttemptAt = 0;
static uint32_t nextHeartbeatAt = 0;
static uint32_t nextConfigComplaintAt = 0;
// The mains-sense pin is read every 10 ms from its own Ticker (the esp_timer
// task), so an edge is dated right even while the loop is blocked in a TLS
// handshake. The debouncer and its clock are shared with the loop under this lock.
static portMUX_TYPE mainsLock = portMUX_INITIALIZER_UNLOCKED;
static MillisClock monotonicClock;
static MainsDebouncer mainsSense(MAINS_SENSE_STABLE_MS);
static volatile bool mainsChangeNotSeen = false;
static Ticker mainsTicker;
// The settings in use (stored record or config.h), and what the setup needs.
static DeviceSettings settings;
static String authorization;  // "Bearer <key>", built once
static Preferences preferences;
static WebServer web(80);
static DNSServer dns;
static improv::Parser improvParser;
static LongPress setupButton(kLongPressMs);
static char deviceName[24] = "PowerMonitor";
static bool accessPointOpen = false;
static bool accessPointByButton = false;
static uint32_t accessPointOpenedAt = 0;
static uint32_t failedJoins = 0;
static char bootId[kBootIdLength + 1] = "";
static const char* resetReason = "UNKNOWN";

// millis() wraps after 49 days; comparing through a signed difference keeps
// deadlines working across the wrap.
static bool reached(uint32_t now, uint32_t deadline) { return static_cast<int32_t>(now - deadline) >= 0; }

static void setLinkState(LinkState state) {
  if (state == linkState) return;
  linkStateSince = millis();
  linkState = state;
}

// Runs from a Ticker every 10 ms, so the pattern keeps going while the loop
// is blocked in a TLS handshake.
static void updateStatusLed() {
  if (kStatusLedPin < 0) return;
  const bool lit = statusLedLit(linkState, millis() - linkStateSince);
  digitalWrite(static_cast<uint8_t>(kStatusLedPin), lit != (STATUS_LED_ACTIVE_LOW != 0) ? HIGH : LOW);
}

static void startStatusLed() {
  if (kStatusLedPin < 0) return;
  pinMode(static_cast<uint8_t>(kStatusLedPin), OUTPUT);
  updateStatusLed();
  ledTicker.attach_ms(10, updateStatusLed);
}

// Runs from mainsTicker every 10 ms.
static void sampleMainsSense() {
  const bool level = digitalRead(static_cast<uint8_t>(kMainsSensePin)) == HIGH;
  const bool raw = level == (MAINS_SENSE_ACTIVE_LEVEL != 0);
  portENTER_CRITICAL(&mainsLock);
  if (mainsSense.sample(raw, monotonicClock.now(millis()))) mainsChangeNotSeen = true;
  portEXIT_CRITICAL(&mainsLock);
}

static void startMainsSense() {
  if (kMainsSensePin < 0) return;
  // No pull resistor: the divider's lower resistor holds the pin LOW while the charger is off.
  pinMode(static_cast<uint8_t>(kMainsSensePin), INPUT);
  Serial.printf("[mains] sensing the mains on GPIO %d (on = %s)\n", kMainsSensePin, MAINS_SENSE_ACTIVE_LEVEL ? "HIGH" : "LOW");
  mainsTicker.attach_ms(10, sampleMainsSense);
}

// The debouncer as it is now, and the time on its clock.
static MainsDebouncer mainsSnapshot(uint64_t* monotonicNow) {
  portENTER_CRITICAL(&mainsLock);
  const MainsDebouncer copy = mainsSense;
  *monotonicNow = monotonicClock.now(millis());
  portEXIT_CRITICAL(&mainsLock);
  return copy;
}

// On a debounced change the next heartbeat goes at once (unless the server
// asked to wait); a failed one is retried by the schedule until answered.
static void noticeMainsChange(uint32_t now) {
  if (kMainsSensePin < 0 || !mainsChangeNotSeen) return;
  mainsChangeNotSeen = false;
  uint64_t monotonicNow = 0;
  const MainsDebouncer sense = mainsSnapshot(&monotonicNow);
  Serial.printf("[mains] the mains went %s %u ms ago\n", sense.mains() ? "ON" : "OFF",
                static_cast<unsigned>(sense.msSinceChange(monotonicNow)));
  if (heartbeatSchedule.mainsChangeGoesAtOnce()) nextHeartbeatAt = now;
}

// ---- settings -------------------------------------------------------------

static DeviceSettings compiledSettings() {
  DeviceSettings compiled;
  copySetting(compiled.wifiSsid, sizeof compiled.wifiSsid, WIFI_SSID);
  copySetting(compiled.wifiPassword, sizeof compiled.wifiPassword, WIFI_PASSWORD);
  copySetting(compiled.serverUrl, sizeof compiled.serverUrl, SERVER_URL);
  copySetting(compiled.deviceKey, sizeof compiled.deviceKey, DEVICE_KEY);
  return compiled;
}

static void loadSettings() {
  const DeviceSettings compiled = compiledSettings();
  DeviceSettings stored;
  uint32_t storedFingerprint = 0;
  bool haveRecord = false;
  uint8_t record[kMaxSettingsRecordLength];
  if (preferences.begin(kPreferencesNamespace, true)) {
    const size_t length = preferences.getBytesLength(kSettingsKey);
    if (length > 0 && length <= sizeof record && preferences.getBytes(kSettingsKey, record, length) == length) {
      haveRecord = decodeSettingsRecord(record, length, &stored, &storedFingerprint);
      if (!haveRecord) Serial.println("[settings] the stored settings are damaged: ignoring them");
    }
    preferences.end();
  }
  switch (chooseSettings(haveRecord, storedFingerprint, compiled)) {
    case SettingsSource::Stored:
      settings = stored;
      Serial.println("[settings] using the settings stored on the board");
      break;
    case SettingsSource::Compiled:
      settings = compiled;
      Serial.println("[settings] using config.h");
      break;
    case SettingsSource::None:
      settings = DeviceSettings();
      Serial.println("[settings] not set up yet");
      break;
  }
  authorization = String("Bearer ") + settings.deviceKey;
}

// One record in one put: a power cut mid-write leaves the old record or none.
static bool saveSettings() {
  uint8_t record[kMaxSettingsRecordLength];
  const size_t length = encodeSettingsRecord(settings, settingsFingerprint(compiledSettings()), record, sizeof record);
  bool saved = false;
  if (length > 0 && preferences.begin(kPreferencesNamespace, false)) {
    saved = preferences.putBytes(kSettingsKey, record, length) == length;
    preferences.end();
  }
  Serial.println(saved ? "[settings] saved" : "[settings] could not be saved to flash");
  return saved;
}

// ---- setup access point and page ------------------------------------------

static bool setupPageAllowed() {
  // The form is open on the access point, and on the home network only until
  // the board is fully set up (right after Improv gave it the Wi-Fi).
  return accessPointOpen || !isComplete(settings);
}

static void sendSetupPage(SettingsProblem problem, const char* field, const char* ssidTyped, const char* urlTyped) {
  static char page[kSetupPageCapacity];
  static const int kMaxListed = 15;
  String names[kMaxListed];
  const char* networks[kMaxListed];
  int listed = 0;
  const int found = WiFi.scanComplete();
  for (int i = 0; i < found && listed < kMaxListed; i++) {
    names[listed] = WiFi.SSID(i);
    if (names[listed].length() == 0) continue;
    networks[listed] = names[listed].c_str();
    listed++;
  }
  SetupPageInput input;
  input.current = &settings;
  input.problem = problem;
  input.problemField = field;
  input.ssidTyped = ssidTyped;
  input.urlTyped = urlTyped;
  input.networks = networks;
  input.networkCount = static_cast<size_t>(listed);
  input.deviceName = deviceName;
  input.firmwareVersion = FIRMWARE_VERSION;
  const size_t length = buildSetupPage(input, page, sizeof page);
  web.sendHeader("Cache-Control", "no-store");
  web.send(problem == SettingsProblem::None ? 200 : 400, "text/html; charset=utf-8", length > 0 ? page : "setup page too large");
}

static void handleSetupPage() {
  if (!setupPageAllowed()) {
    web.send(200, "text/plain; charset=utf-8",
             "Power monitor: set up. To change the settings, hold the BOOT button for 5 s and join its access point.\n"
             "Монітор світла налаштовано. Щоб змінити налаштування, утримуйте кнопку BOOT 5 с і підключіться до точки доступу плати.\n");
    return;
  }
  if (WiFi.scanComplete() == WIFI_SCAN_FAILED) WiFi.scanNetworks(true);  // for the list next time; never blocks
  sendSetupPage(SettingsProblem::None, "", nullptr, nullptr);
}

static void handleSave() {
  if (!setupPageAllowed()) {
    web.send(403, "text/plain; charset=utf-8", "Hold the BOOT button for 5 s first.\n");
    return;
  }
  const String ssid = web.arg("ssid");
  const String url = web.arg("server_url");
  DeviceSettings next;
  const SetupFormResult result =
      applySetupFields(ssid.c_str(), web.arg("password").c_str(), url.c_str(), web.arg("device_key").c_str(), settings, &next);
  if (result.problem != SettingsProblem::None) {
    sendSetupPage(result.problem, result.field, ssid.c_str(), url.c_str());
    return;
  }
  settings = next;
  if (!saveSettings()) {
    web.send(500, "text/plain; charset=utf-8", "Could not save to flash. Не вдалося зберегти.\n");
    return;
  }
  static char page[2048];
  const size_t length = buildSavedPage(settings.wifiSsid, page, sizeof page);
  web.send(200, "text/html; charset=utf-8", length > 0 ? page : "Saved.");
  Serial.println("[setup] settings saved from the setup page: restarting");
  delay(1000);  // let the page reach the phone
  ESP.restart();
}

static void handleNotFound() {
  if (!accessPointOpen) {
    web.send(404, "text/plain", "Not found\n");
    return;
  }
  // A captive portal: whatever a phone asks for on the access point leads to the setup page.
  web.sendHeader("Location", String("http://") + WiFi.softAPIP().toString() + "/");
  web.send(302, "text/plain", "");
}

static void startWebServer() {
  web.on("/", HTTP_GET, handleSetupPage);
  web.on("/save", HTTP_POST, handleSave);
  web.onNotFound(handleNotFound);
  web.begin();
}

static void openAccessPoint(bool byButton) {
  if (accessPointOpen) {
    accessPointByButton = accessPointByButton || byButton;
    accessPointOpenedAt = millis();
    return;
  }
  WiFi.mode(WIFI_AP_STA);
  if (!WiFi.softAP(deviceName)) {
    Serial.println("[setup] could not open the access point");
    return;
  }
  dns.start(53, "*", WiFi.softAPIP());
  accessPointOpen = true;
  accessPointByButton = byButton;
  accessPointOpenedAt = millis();
  WiFi.scanNetworks(true);
  Serial.printf("[setup] access point \"%s\" is open: join it and open http://%s/\n", deviceName,
                WiFi.softAPIP().toString().c_str());
}

static void closeAccessPoint() {
  if (!accessPointOpen) return;
  dns.stop();
  WiFi.softAPdisconnect(true);
  WiFi.mode(WIFI_STA);
  accessPointOpen = false;
  accessPointByButton = false;
  Serial.println("[setup] access point closed");
}

static void watchSetupButton() {
  if (kSetupButtonPin < 0) return;
  const bool pressed = digitalRead(static_cast<uint8_t>(kSetupButtonPin)) == LOW;
  uint64_t monotonicNow = 0;
  mainsSnapshot(&monotonicNow);
  if (setupButton.update(pressed, monotonicNow)) {
    Serial.println("[setup] BOOT held: opening the setup access point");
    openAccessPoint(true);
  }
  if (accessPointOpen && accessPointByButton && millis() - accessPointOpenedAt >= kButtonAccessPointMs &&
      WiFi.softAPgetStationNum() == 0 && hasWifi(settings)) {
    closeAccessPoint();
  }
}

// ---- Improv serial (ESP Web Tools sets the Wi-Fi right after flashing) ------

static void improvSend(const uint8_t* packet, size_t length) {
  if (length == 0) return;
  Serial.write(packet, length);
  Serial.flush();
}

static void improvSendState() {
  uint8_t packet[improv::kMaxPacketLength];
  const bool provisioned = WiFi.status() == WL_CONNECTED;
  improvSend(packet, improv::buildState(provisioned ? improv::State::Provisioned : improv::State::Ready, packet, sizeof packet));
}

static void improvSendError(improv::Error error) {
  uint8_t packet[improv::kMaxPacketLength];
  improvSend(packet, improv::buildError(error, packet, sizeof packet));
}

// The page to go on to after Improv: the board's own setup page on the home network.
static void improvSendUrl(improv::Command command) {
  uint8_t packet[improv::kMaxPacketLength];
  const String url = String("http://") + WiFi.localIP().toString() + "/";
  const char* strings[] = {url.c_str()};
  improvSend(packet, improv::buildRpcResult(command, strings, 1, packet, sizeof packet));
}

static void improvJoin(const improv::RpcCommand& command) {
  uint8_t packet[improv::kMaxPacketLength];
  if (checkWifiPassword(command.password) != SettingsProblem::None) {
    improvSendError(improv::Error::UnableToConnect);
    return;
  }
  improvSend(packet, improv::buildState(improv::State::Provisioning, packet, sizeof packet));
  WiFi.disconnect();
  WiFi.begin(command.ssid, command.password[0] != '\0' ? command.password : nullptr);
  const uint32_t startedAt = millis();
  while (WiFi.status() != WL_CONNECTED && millis() - startedAt < kImprovJoinTimeoutMs) {
    esp_task_wdt_reset();
    delay(100);
  }
  if (WiFi.status() != WL_CONNECTED) {
    Serial.printf("\n[improv] could not join \"%s\"\n", command.ssid);
    improvSendError(improv::Error::UnableToConnect);
    improvSend(packet, improv::buildState(improv::State::Ready, packet, sizeof packet));
    nextWifiAttemptAt = millis();  // back to the stored network, if any
    return;
  }
  copySetting(settings.wifiSsid, sizeof settings.wifiSsid, command.ssid);
  copySetting(settings.wifiPassword, sizeof settings.wifiPassword, command.password);
  settings.wifiVerified = true;
  saveSettings();
  failedJoins = 0;
  improvSend(packet, improv::buildState(improv::State::Provisioned, packet, sizeof packet));
  improvSendUrl(improv::Command::WifiSettings);
  Serial.printf("\n[improv] joined \"%s\"; next: the server URL and device key at http://%s/\n", command.ssid,
                WiFi.localIP().toString().c_str());
}

static void improvScan() {
  uint8_t packet[improv::kMaxPacketLength];
  const int found = WiFi.scanNetworks();  // blocks for a few seconds
  for (int i = 0; i < found; i++) {
    const String ssid = WiFi.SSID(i);
    if (ssid.length() == 0) continue;
    const String rssi = String(WiFi.RSSI(i));
    const char* strings[] = {ssid.c_str(), rssi.c_str(), WiFi.encryptionType(i) == WIFI_AUTH_OPEN ? "NO" : "YES"};
    improvSend(packet, improv::buildRpcResult(improv::Command::ScanNetworks, strings, 3, packet, sizeof packet));
  }
  improvSend(packet, improv::buildRpcResult(improv::Command::ScanNetworks, nullptr, 0, packet, sizeof packet));
  WiFi.scanDelete();
}

static void handleImprovPacket() {
  if (improvParser.type() != improv::PacketType::Rpc) return;
  improv::RpcCommand command;
  const improv::RpcProblem problem = improv::parseRpc(improvParser.data(), improvParser.length(), &command);
  if (problem != improv::RpcProblem::None) {
    improvSendError(problem == improv::RpcProblem::Unknown ? improv::Error::UnknownCommand : improv::Error::InvalidRpc);
    return;
  }
  improvSendError(improv::Error::None);  // the spec: clear the error state on each command
  switch (command.command) {
    case improv::Command::CurrentState:
      improvSendState();
      if (WiFi.status() == WL_CONNECTED) improvSendUrl(improv::Command::CurrentState);
      break;
    case improv::Command::DeviceInfo: {
      uint8_t packet[improv::kMaxPacketLength];
      const char* strings[] = {FIRMWARE_NAME, FIRMWARE_VERSION, "ESP32", deviceName};
      improvSend(packet, improv::buildRpcResult(improv::Command::DeviceInfo, strings, 4, packet, sizeof packet));
      break;
    }
    case improv::Command::ScanNetworks: improvScan(); break;
    case improv::Command::WifiSettings: improvJoin(command); break;
  }
}

static void pollImprov() {
  while (Serial.available() > 0) {
    const int byte = Serial.read();
    if (byte < 0) break;
    switch (improvParser.feed(static_cast<uint8_t>(byte))) {
      case improv::Parser::Result::Packet: handleImprovPacket(); break;
      case improv::Parser::Result::BadChecksum: improvSendError(improv::Error::InvalidRpc); break;
      default: break;
    }
  }
}

static void startWatchdog() {
  esp_task_wdt_config_t config = {};
  config.timeout_ms = kWatchdogTimeoutMs;
  config.idle_core_mask = 1 << 0;  // also watch core 0's idle task, where Wi-Fi and lwIP run
  config.trigger_panic = true;     // panic -> reboot
  // The core usually has the task watchdog running already: reconfigure it
  // then, and initialise it otherwise.
  esp_err_t err = esp_task_wdt_reconfigure(&config);
  if (err == ESP_ERR_INVALID_STATE) err = esp_task_wdt_init(&config);
  if (err != ESP_OK) Serial.printf("[watchdog] configuration failed: %s\n", esp_err_to_name(err));
  err = esp_task_wdt_add(nullptr);  // watch this task (loop)
  if (err != ESP_OK) Serial.printf("[watchdog] subscribing the loop failed: %s\n", esp_err_to_name(err));
}

static void configureTls() {
#ifdef SERVER_ROOT_CA
  tlsClient.setCACert(SERVER_ROOT_CA);
#else
  tlsClient.setInsecure();
  if (serverUrl.secure) {
    Serial.println("[config] no SERVER_ROOT_CA: the connection is encrypted, but the server's certificate is not verified");
  }
#endif
  tlsClient.setHandshakeTimeout(kTlsHandshakeTimeoutS);
}

static void keepWifiTrying(uint32_t now) {
  if (wifiConnected) {
    wifiConnected = false;
    wifiDownSince = now;
    nextWifiAttemptAt = now;  // the first retry goes at once
    wifiBackoff.reset();
    Serial.println("[wifi] connection lost");
  }
  setLinkState(LinkState::WifiDown);

  if (reached(now, nextWifiAttemptAt)) {
    const uint32_t waitMs = wifiBackoff.nextDelayMs();
    nextWifiAttemptAt = now + waitMs;
    if (wifiBackoff.consecutiveFailures() > 1) failedJoins++;  // the attempt before this one did not join
    if (!accessPointOpen && shouldOpenSetupAccessPoint(settings, failedJoins, false)) openAccessPoint(false);
    if (accessPointOpen && WiFi.softAPgetStationNum() > 0) {
      // Someone is on the setup page: a join attempt would hop channels under them.
      return;
    }
    Serial.printf("[wifi] connecting to \"%s\" (attempt %u, next in %u s unless connected)\n", settings.wifiSsid,
                  static_cast<unsigned>(wifiBackoff.consecutiveFailures()), static_cast<unsigned>(waitMs / 1000));
    WiFi.disconnect();  // abandon a half-finished attempt; begin() refuses while one is running
    WiFi.begin(settings.wifiSsid, settings.wifiPassword[0] != '\0' ? settings.wifiPassword : nullptr);
  }

  if (now - wifiDownSince >= kRestartAfterWifiDownMs && !accessPointOpen) {
    Serial.println("[wifi] down for an hour: restarting the board");
    Serial.flush();
    ESP.restart();
  }
}

static void onWifiConnected(uint32_t now) {
  wifiConnected = true;
  wifiBackoff.reset();
  Serial.printf("[wifi] connected: ip %s, rssi %d dBm\n", WiFi.localIP().toString().c_str(), WiFi.RSSI());
  if (bootId[0] == '\0') {
    // Drawn only now: esp_random() is truly random once the radio is on.
    formatBootId(esp_random(), esp_random(), bootId);
    Serial.printf("[boot] boot id %s\n", bootId);
  }
  nextHeartbeatAt = now;  // check in at once: the server may be waiting for us
  failedJoins = 0;
  if (!settings.wifiVerified) {
    // These credentials work: from now on, failing to join never opens the access point.
    settings.wifiVerified = true;
    saveSettings();
  }
  if (accessPointOpen && !accessPointByButton && isComplete(settings)) closeAccessPoint();
}

static void sendHeartbeat() {
  HeartbeatFields fields;
  fields.uptimeMs = static_cast<uint64_t>(esp_timer_get_time() / 1000);  // 64-bit, unlike millis()
  fields.bootId = bootId;
  fields.resetReason = resetReason;
  fields.rssi = WiFi.RSSI();
  fields.hasRssi = true;
  fields.fw = FIRMWARE_VERSION;

  const uint32_t startedAt = millis();
  // With a mains-sense input, the connection (DNS, TCP, TLS: up to seconds) is
  // made first and the body built after it, so mains_changed_ms_ago is stamped
  // just before the request goes out; HTTPClient then uses the open connection.
  bool connected = true;
  if (kMainsSensePin >= 0) {
    connected = serverUrl.secure ? tlsClient.connect(serverUrl.host, serverUrl.port, kHttpConnectTimeoutMs) != 0
                                 : plainClient.connect(serverUrl.host, serverUrl.port, kHttpConnectTimeoutMs) != 0;
    uint64_t monotonicNow = 0;
    const MainsDebouncer sense = mainsSnapshot(&monotonicNow);
    fillMainsFields(sense, monotonicNow, &fields);
  }
  char body[kHeartbeatBodyCapacity];
  const size_t bodyLength = buildHeartbeatJson(fields, body, sizeof body);

  NetworkClient& transport = serverUrl.secure ? static_cast<NetworkClient&>(tlsClient) : plainClient;
  HTTPClient http;
  http.setReuse(false);  // a fresh connection each time: idle keep-alive sockets go stale between beats
  http.setConnectTimeout(kHttpConnectTimeoutMs);
  http.setTimeout(kHttpReplyTimeoutMs);
  http.setUserAgent("power-monitor-esp32/" FIRMWARE_VERSION);
  http.setFollowRedirects(HTTPC_DISABLE_FOLLOW_REDIRECTS);  // a redirect means SERVER_URL needs fixing
  static const char* kWantedHeaders[] = {"Retry-After", "Location"};
  http.collectHeaders(kWantedHeaders, 2);

  int status = HTTPC_ERROR_CONNECTION_REFUSED;
  String reply;
  String retryAfter;
  String location;
  if (connected && bodyLength > 0 && http.begin(transport, serverUrl.host, serverUrl.port, serverUrl.path, serverUrl.secure)) {
    http.addHeader("Content-Type", "application/json");
    http.addHeader("Authorization", authorization);
    status = http.POST(reinterpret_cast<uint8_t*>(body), bodyLength);
    if (status > 0) {
      // Only a reply of known, small length is read: a chunked or endless body
      // must not keep the loop (and the watchdog) waiting.
      const int size = http.getSize();
      if (size > 0 && size <= kMaxReplyBytes) reply = http.getString();
      retryAfter = http.header("Retry-After");
      location = http.header("Location");
    }
    http.end();
  }
  transport.stop();  // also a connection opened above that no request used
  const uint32_t tookMs = millis() - startedAt;

  const NextHeartbeat next = heartbeatSchedule.afterAttempt(status, reply.c_str(), retryAfter.c_str());
  nextHeartbeatAt = millis() + next.delayMs;
  setLinkState(next.state);

  if (status <= 0) {
    Serial.printf("[heartbeat] failed after %u ms: %s", static_cast<unsigned>(tookMs), HTTPClient::errorToString(status).c_str());
  } else {
    Serial.printf("[heartbeat] HTTP %d in %u ms", status, static_cast<unsigned>(tookMs));
  }
  Serial.printf("; next in %u s (%s)\n", static_cast<unsigned>(next.delayMs / 1000), linkStateName(next.state));
  if (status == 401) {
    Serial.println("[heartbeat] the server rejected the device key: get the current key from the bot and enter it on the setup page (hold BOOT 5 s)");
  } else if (status >= 300 && status < 400) {
    Serial.printf("[heartbeat] the server redirects to %s: use that URL as the server address\n", location.c_str());
  } else if (status == 404) {
    Serial.println("[heartbeat] 404: check the path in the server address (normally /api/heartbeat)");
  }
}

void setup() {
  Serial.begin(115200);
  startStatusLed();
  startWatchdog();
  startMainsSense();

  resetReason = resetReasonName(esp_reset_reason());
  Serial.printf("\n[boot] power monitor firmware %s, reset reason %s\n", FIRMWARE_VERSION, resetReason);

  // The access point's name ends in the last 2 bytes of the board's MAC, so two boards differ.
  const uint64_t mac = ESP.getEfuseMac();
  snprintf(deviceName, sizeof deviceName, "PowerMonitor-%02X%02X", static_cast<unsigned>((mac >> 32) & 0xFF),
           static_cast<unsigned>((mac >> 40) & 0xFF));
  if (kSetupButtonPin >= 0) pinMode(static_cast<uint8_t>(kSetupButtonPin), INPUT_PULLUP);
  loadSettings();

  serverUrlError = parseServerUrl(settings.serverUrl, &serverUrl);
  if (!isComplete(settings)) {
    setLinkState(LinkState::ConfigError);
  } else if (serverUrlError != UrlError::None) {
    setLinkState(LinkState::ConfigError);
  } else {
    Serial.printf("[config] server %s://%s:%u%s, interval %u s\n", serverUrl.secure ? "https" : "http",
                  serverUrl.host, static_cast<unsigned>(serverUrl.port), serverUrl.path,
                  static_cast<unsigned>(heartbeatSchedule.intervalS()));
    if (!serverUrl.secure) {
      Serial.println("[config] plain http: the device key travels unencrypted; use it only for a server on your LAN");
    }
    configureTls();
  }

  WiFi.persistent(false);  // the credentials live in our own record: the driver keeps none
  WiFi.setHostname(WIFI_HOSTNAME);
  WiFi.mode(WIFI_STA);
  WiFi.setAutoReconnect(false);  // reconnecting is done in loop(), with backoff
  WiFi.setSleep(false);          // on mains power: favour prompt, reliable replies over saving energy

  const uint32_t now = millis();
  wifiDownSince = now;
  nextWifiAttemptAt = now;
  nextConfigComplaintAt = now;

  startWebServer();
  if (shouldOpenSetupAccessPoint(settings, 0, false)) openAccessPoint(false);
}

void loop() {
  esp_task_wdt_reset();
  const uint32_t now = millis();
  noticeMainsChange(now);
  pollImprov();
  web.handleClient();
  if (accessPointOpen) dns.processNextRequest();
  watchSetupButton();

  const bool complete = isComplete(settings);
  if (!complete && reached(now, nextConfigComplaintAt)) {
    // Nothing can be sent; keep saying why, for whoever opens the serial monitor.
    Serial.printf("[config] not set up yet: join the Wi-Fi \"%s\" and open http://192.168.4.1/ (or use the browser flasher's Improv)\n",
                  deviceName);
    nextConfigComplaintAt = now + kConfigErrorLogEveryMs;
  }
  if (!hasWifi(settings)) {
    setLinkState(LinkState::ConfigError);
  } else if (WiFi.status() != WL_CONNECTED) {
    keepWifiTrying(now);
  } else {
    if (!wifiConnected) onWifiConnected(now);
    if (complete && serverUrlError == UrlError::None && reached(now, nextHeartbeatAt)) sendHeartbeat();
    if (!complete) setLinkState(LinkState::ConfigError);
  }

  delay(10);  // yield to the idle task (and its watchdog)
}
