// Power Outage Monitor: heartbeat sender for an ESP32 powered from the mains.
//
// While the board has power it POSTs a small JSON heartbeat to the server every
// few seconds; when the heartbeats stop, the server declares the place OFF.
// See firmware/README.md for flashing and the LED patterns, and DESIGN.md §4
// for the protocol.
//
// Targets the Arduino-ESP32 core 3.x (board package esp32:esp32 >= 3.0.0).
// Everything that can be decided without the hardware (JSON payload, backoff,
// reply parsing, URL checks, LED patterns, reset-reason names) lives in the
// .cpp files next to this sketch and is unit-tested on a PC: firmware/test/run.sh.

#include <Arduino.h>

#if __has_include("config.h")
#include "config.h"
#else
#error "config.h is missing: use the one the bot sends (Show ESP32 config) or copy firmware/config.h.example to firmware/power_monitor/config.h and fill in your Wi-Fi."
#endif

#if !defined(WIFI_SSID) || !defined(WIFI_PASSWORD) || !defined(SERVER_URL) || !defined(DEVICE_KEY)
#error "config.h must define WIFI_SSID, WIFI_PASSWORD, SERVER_URL and DEVICE_KEY (see firmware/config.h.example)."
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

#define FIRMWARE_VERSION "1.0.0"

#include <esp_arduino_version.h>
#if !defined(ESP_ARDUINO_VERSION_MAJOR) || ESP_ARDUINO_VERSION_MAJOR < 3
#error "This sketch needs the Arduino-ESP32 core 3.x: update the esp32 board package (Boards Manager, or arduino-cli core install esp32:esp32)."
#endif

#include <HTTPClient.h>
#include <NetworkClient.h>
#include <NetworkClientSecure.h>  // core 3.x name of WiFiClientSecure
#include <Ticker.h>
#include <WiFi.h>
#include <esp_random.h>
#include <esp_system.h>
#include <esp_task_wdt.h>
#include <esp_timer.h>

#include "backoff.h"
#include "heartbeat_payload.h"
#include "heartbeat_schedule.h"
#include "link_state.h"
#include "mains_sense.h"
#include "reply_parser.h"
#include "reset_reason.h"
#include "server_url.h"
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
    Serial.printf("[wifi] connecting to \"%s\" (attempt %u, next in %u s unless connected)\n", WIFI_SSID,
                  static_cast<unsigned>(wifiBackoff.consecutiveFailures()), static_cast<unsigned>(waitMs / 1000));
    WiFi.disconnect();  // abandon a half-finished attempt; begin() refuses while one is running
    WiFi.begin(WIFI_SSID, WIFI_PASSWORD);
  }

  if (now - wifiDownSince >= kRestartAfterWifiDownMs) {
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
    http.addHeader("Authorization", "Bearer " DEVICE_KEY);
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
    Serial.println("[heartbeat] the server rejected DEVICE_KEY: get the current key from the bot (Show ESP32 config)");
  } else if (status >= 300 && status < 400) {
    Serial.printf("[heartbeat] the server redirects to %s: put that URL in SERVER_URL\n", location.c_str());
  } else if (status == 404) {
    Serial.println("[heartbeat] 404: check the path in SERVER_URL (normally /api/heartbeat)");
  }
}

void setup() {
  Serial.begin(115200);
  startStatusLed();
  startWatchdog();
  startMainsSense();

  resetReason = resetReasonName(esp_reset_reason());
  Serial.printf("\n[boot] power monitor firmware %s, reset reason %s\n", FIRMWARE_VERSION, resetReason);

  serverUrlError = parseServerUrl(SERVER_URL, &serverUrl);
  if (serverUrlError != UrlError::None) {
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

  WiFi.persistent(false);  // the credentials come from config.h: do not wear the flash
  WiFi.setHostname(WIFI_HOSTNAME);
  WiFi.mode(WIFI_STA);
  WiFi.setAutoReconnect(false);  // reconnecting is done in loop(), with backoff
  WiFi.setSleep(false);          // on mains power: favour prompt, reliable replies over saving energy

  const uint32_t now = millis();
  wifiDownSince = now;
  nextWifiAttemptAt = now;
  nextConfigComplaintAt = now;
}

void loop() {
  esp_task_wdt_reset();
  const uint32_t now = millis();
  noticeMainsChange(now);

  if (serverUrlError != UrlError::None) {
    // Nothing can be sent; keep saying why, for whoever opens the serial monitor.
    if (reached(now, nextConfigComplaintAt)) {
      Serial.printf("[config] %s; fix config.h and flash again\n", urlErrorMessage(serverUrlError));
      nextConfigComplaintAt = now + kConfigErrorLogEveryMs;
    }
  } else if (WiFi.status() != WL_CONNECTED) {
    keepWifiTrying(now);
  } else {
    if (!wifiConnected) onWifiConnected(now);
    if (reached(now, nextHeartbeatAt)) sendHeartbeat();
  }

  delay(10);  // yield to the idle task (and its watchdog)
}
