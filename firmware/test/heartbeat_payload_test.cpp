#include "../power_monitor/heartbeat_payload.h"

#include <string>

#include "test_runner.h"

static std::string build(const HeartbeatFields& fields, size_t capacity = 512) {
  std::string buffer(capacity, 'X');
  const size_t length = buildHeartbeatJson(fields, &buffer[0], capacity);
  if (length == 0) return "<too small>";
  if (buffer[length] != '\0') return "<not terminated>";
  return buffer.substr(0, length);
}

static HeartbeatFields typical() {
  HeartbeatFields f;
  f.uptimeMs = 123456;
  f.bootId = "9f86d081884c7d65";
  f.resetReason = "POWERON";
  f.rssi = -61;
  f.hasRssi = true;
  f.fw = "1.0.0";
  return f;
}

static std::string fwJson(const char* fw) {
  HeartbeatFields f;
  f.fw = fw;
  return build(f);
}

TEST(payload_matches_the_protocol_example) {
  CHECK_EQ(build(typical()),
           "{\"uptime_ms\":123456,\"boot_id\":\"9f86d081884c7d65\",\"reset_reason\":\"POWERON\","
           "\"rssi\":-61,\"fw\":\"1.0.0\"}");
}

TEST(payload_omits_absent_fields) {
  HeartbeatFields f;
  f.uptimeMs = 0;
  CHECK_EQ(build(f), "{\"uptime_ms\":0}");
}

TEST(payload_number_edges) {
  HeartbeatFields f;
  f.uptimeMs = UINT64_MAX;  // uptime is 64-bit: millis() would wrap after 49 days
  f.rssi = INT32_MIN;
  f.hasRssi = true;
  CHECK_EQ(build(f), "{\"uptime_ms\":18446744073709551615,\"rssi\":-2147483648}");
  f.uptimeMs = 4294967296ull;  // just past 32 bits
  f.rssi = 0;
  CHECK_EQ(build(f), "{\"uptime_ms\":4294967296,\"rssi\":0}");
  f.rssi = 2147483647;
  CHECK_EQ(build(f), "{\"uptime_ms\":4294967296,\"rssi\":2147483647}");
}

TEST(payload_escapes_quotes_and_backslashes) {
  CHECK_EQ(fwJson("1.0\"beta\""), "{\"uptime_ms\":0,\"fw\":\"1.0\\\"beta\\\"\"}");
  CHECK_EQ(fwJson("C:\\fw\\"), "{\"uptime_ms\":0,\"fw\":\"C:\\\\fw\\\\\"}");
  CHECK_EQ(fwJson("\\\""), "{\"uptime_ms\":0,\"fw\":\"\\\\\\\"\"}");
  CHECK_EQ(fwJson("a/b"), "{\"uptime_ms\":0,\"fw\":\"a/b\"}");  // '/' needs no escape
}

TEST(payload_escapes_control_characters) {
  CHECK_EQ(fwJson("a\nb\rc\td\be\ff"), "{\"uptime_ms\":0,\"fw\":\"a\\nb\\rc\\td\\be\\ff\"}");
  CHECK_EQ(fwJson("\x01\x1f\x7f"), "{\"uptime_ms\":0,\"fw\":\"\\u0001\\u001f\\u007f\"}");
  CHECK_EQ(fwJson("\x1b[0m"), "{\"uptime_ms\":0,\"fw\":\"\\u001b[0m\"}");
}

TEST(payload_keeps_valid_utf8_and_replaces_invalid_bytes) {
  CHECK_EQ(fwJson("Дача €1 😀"), "{\"uptime_ms\":0,\"fw\":\"Дача €1 😀\"}");
  CHECK_EQ(fwJson("a\xff" "b"), "{\"uptime_ms\":0,\"fw\":\"a\\ufffdb\"}");       // never valid
  CHECK_EQ(fwJson("\x80"), "{\"uptime_ms\":0,\"fw\":\"\\ufffd\"}");              // stray continuation
  CHECK_EQ(fwJson("\xc3"), "{\"uptime_ms\":0,\"fw\":\"\\ufffd\"}");              // cut short at the end
  CHECK_EQ(fwJson("\xc0\xaf"), "{\"uptime_ms\":0,\"fw\":\"\\ufffd\\ufffd\"}");   // overlong '/'
  CHECK_EQ(fwJson("\xed\xa0\x80"), "{\"uptime_ms\":0,\"fw\":\"\\ufffd\\ufffd\\ufffd\"}");  // surrogate
  CHECK_EQ(fwJson("\xf4\x90\x80\x80"), "{\"uptime_ms\":0,\"fw\":\"\\ufffd\\ufffd\\ufffd\\ufffd\"}");  // > U+10FFFF
  CHECK_EQ(fwJson("\xe2\x82" "x"), "{\"uptime_ms\":0,\"fw\":\"\\ufffd\\ufffdx\"}");  // broken 3-byte sequence
}

TEST(payload_escapes_every_string_field) {
  HeartbeatFields f;
  f.bootId = "\"";
  f.resetReason = "\n";
  CHECK_EQ(build(f), "{\"uptime_ms\":0,\"boot_id\":\"\\\"\",\"reset_reason\":\"\\n\"}");
}

TEST(payload_refuses_a_buffer_too_small_instead_of_truncating) {
  const std::string full = build(typical());
  CHECK_EQ(build(typical(), full.size() + 1), full);  // exactly enough, with the NUL
  CHECK_EQ(build(typical(), full.size()), "<too small>");
  CHECK_EQ(build(typical(), 1), "<too small>");

  char buffer[8];
  memset(buffer, 'X', sizeof buffer);
  CHECK_EQ(buildHeartbeatJson(typical(), buffer, sizeof buffer), 0u);
  CHECK_EQ(buffer[0], '\0');
  CHECK_EQ(buildHeartbeatJson(typical(), buffer, 0), 0u);  // writes nothing at all
}

TEST(payload_escape_that_does_not_fit_fails_cleanly) {
  // {"uptime_ms":0,"fw":"\u0001"} is 29 characters; every buffer without room for it and the NUL fails.
  HeartbeatFields f;
  f.fw = "\x01";
  const std::string full = build(f);
  CHECK_EQ(full.size(), 29u);
  for (size_t capacity = 1; capacity <= full.size(); capacity++) {
    CHECK_EQ(build(f, capacity), "<too small>");
  }
}

TEST(boot_id_is_16_lowercase_hex_digits_high_word_first) {
  char id[kBootIdLength + 1];
  formatBootId(0x9f86d081u, 0x884c7d65u, id);
  CHECK_EQ(id, "9f86d081884c7d65");
  formatBootId(0, 0, id);
  CHECK_EQ(id, "0000000000000000");
  formatBootId(UINT32_MAX, 0xABCDEF01u, id);
  CHECK_EQ(id, "ffffffffabcdef01");
  CHECK_EQ(strlen(id), kBootIdLength);
}
