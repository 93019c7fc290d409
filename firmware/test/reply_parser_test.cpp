#include "../power_monitor/reply_parser.h"

#include "test_runner.h"

// parseSuggestedIntervalS as a value: 0 when the reply suggests nothing.
static uint32_t interval(const char* body) {
  uint32_t seconds = 0;
  return parseSuggestedIntervalS(body, &seconds) ? seconds : 0;
}

static JsonLookup lookup(const char* body, const char* key, double* value = nullptr) {
  double ignored = 0;
  return findTopLevelNumber(body, key, value != nullptr ? value : &ignored);
}

TEST(reply_reads_the_servers_interval) {
  CHECK_EQ(interval("{\"ok\":true,\"server_time\":1732000000000,\"interval_s\":10}"), 10u);
  CHECK_EQ(interval("{\"interval_s\":10,\"ok\":true}"), 10u);
  CHECK_EQ(interval("  {\n\t\"interval_s\" :  42 \r\n}  "), 42u);
  CHECK_EQ(interval("\xEF\xBB\xBF{\"interval_s\":30}"), 30u);  // byte order mark
}

TEST(reply_without_interval_suggests_nothing) {
  CHECK_EQ(interval("{\"ok\":true,\"server_time\":1732000000000}"), 0u);
  CHECK_EQ(interval("{}"), 0u);
  CHECK_EQ(interval(""), 0u);
  CHECK_EQ(interval(nullptr), 0u);
  CHECK_EQ(lookup("{}", "interval_s"), JsonLookup::Missing);
  CHECK_EQ(lookup("{\"ok\":true}", "interval_s"), JsonLookup::Missing);
}

TEST(reply_clamps_the_interval_to_5_300_seconds) {
  CHECK_EQ(interval("{\"interval_s\":0}"), 5u);
  CHECK_EQ(interval("{\"interval_s\":1}"), 5u);
  CHECK_EQ(interval("{\"interval_s\":5}"), 5u);
  CHECK_EQ(interval("{\"interval_s\":300}"), 300u);
  CHECK_EQ(interval("{\"interval_s\":301}"), 300u);
  CHECK_EQ(interval("{\"interval_s\":86400}"), 300u);
}

TEST(reply_huge_intervals_saturate) {
  CHECK_EQ(interval("{\"interval_s\":4294967296}"), 300u);
  CHECK_EQ(interval("{\"interval_s\":99999999999999999999999999999999999999}"), 300u);
  CHECK_EQ(interval("{\"interval_s\":1e308}"), 300u);
  CHECK_EQ(interval("{\"interval_s\":1e999}"), 300u);  // strtod: infinity
  CHECK_EQ(interval("{\"interval_s\":1E+3}"), 300u);
}

TEST(reply_negative_intervals_are_ignored) {
  CHECK_EQ(interval("{\"interval_s\":-1}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":-300}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":-1e999}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":-0.5}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":-0}"), 5u);  // -0 is zero
}

TEST(reply_fractional_intervals_drop_the_fraction) {
  CHECK_EQ(interval("{\"interval_s\":12.9}"), 12u);
  CHECK_EQ(interval("{\"interval_s\":4.99}"), 5u);
  CHECK_EQ(interval("{\"interval_s\":2.5e1}"), 25u);
  CHECK_EQ(interval("{\"interval_s\":1500e-2}"), 15u);
}

TEST(reply_interval_of_the_wrong_type_is_ignored) {
  CHECK_EQ(interval("{\"interval_s\":\"10\"}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":null}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":true}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":[10]}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":{\"value\":10}}"), 0u);
  CHECK_EQ(lookup("{\"interval_s\":\"10\"}", "interval_s"), JsonLookup::NotANumber);
}

TEST(reply_garbage_is_not_an_interval) {
  CHECK_EQ(interval("interval_s=10"), 0u);
  CHECK_EQ(interval("\"interval_s\":10"), 0u);
  CHECK_EQ(interval("[{\"interval_s\":10}]"), 0u);
  CHECK_EQ(interval("<html><body>502 Bad Gateway</body></html>"), 0u);
  CHECK_EQ(interval("{interval_s:10}"), 0u);
  CHECK_EQ(interval("{'interval_s':10}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":10abc}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":10 11}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":0x10}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":010}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":+10}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":.5}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":5.}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":1e}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":NaN}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":Infinity}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":-}"), 0u);
  CHECK_EQ(interval("{\"interval_s\":}"), 0u);
  CHECK_EQ(interval("{\"interval_s\""), 0u);
  CHECK_EQ(interval("{\"interval_s\":10"), 0u);  // cut off inside the member
  CHECK_EQ(interval("{\"ok\":tru,\"interval_s\":10}"), 0u);
  CHECK_EQ(lookup("{\"interval_s\":10abc}", "interval_s"), JsonLookup::Malformed);
}

TEST(reply_ignores_the_key_inside_strings_and_nested_objects) {
  CHECK_EQ(interval("{\"note\":\"\\\"interval_s\\\":7\",\"interval_s\":20}"), 20u);
  CHECK_EQ(interval("{\"note\":\"interval_s\"}"), 0u);
  CHECK_EQ(interval("{\"device\":{\"interval_s\":7}}"), 0u);
  CHECK_EQ(interval("{\"device\":{\"interval_s\":7},\"interval_s\":60}"), 60u);
  CHECK_EQ(interval("{\"list\":[1,{\"interval_s\":7},\"]}\"],\"interval_s\":90}"), 90u);
  CHECK_EQ(interval("{\"interval_seconds\":7,\"xinterval_s\":8}"), 0u);
}

TEST(reply_first_occurrence_wins_and_the_rest_is_not_read) {
  CHECK_EQ(interval("{\"interval_s\":15,\"interval_s\":99}"), 15u);
  CHECK_EQ(interval("{\"interval_s\":15,\"ok\":tr"), 15u);  // cut short after the member
}

TEST(reply_matches_escaped_key_spellings) {
  CHECK_EQ(interval("{\"interval\\u005fs\":25}"), 25u);
  CHECK_EQ(interval("{\"\\u0069nterval_s\":25}"), 25u);
  CHECK_EQ(interval("{\"interval_s\\u0000\":25}"), 0u);  // a different key
}

TEST(reply_survives_hostile_nesting_and_long_keys) {
  std::string deep = "{\"a\":";
  for (int i = 0; i < 10000; i++) deep += "[";
  CHECK_EQ(interval(deep.c_str()), 0u);  // unterminated: no crash, no read past the end
  std::string longKey = "{\"" + std::string(5000, 'k') + "\":1,\"interval_s\":40}";
  CHECK_EQ(interval(longKey.c_str()), 40u);
  CHECK_EQ(interval("{\"\\u12"), 0u);
  CHECK_EQ(interval("{\"a\\"), 0u);
  CHECK_EQ(interval("{\"a\nb\":1,\"interval_s\":40}"), 0u);  // raw control character in a string
}

TEST(reply_finds_other_numbers_too) {
  double value = 0;
  CHECK_EQ(lookup("{\"ok\":true,\"server_time\":1732000000000,\"interval_s\":10}", "server_time", &value),
           JsonLookup::Found);
  CHECK_EQ(value, 1732000000000.0);
  CHECK_EQ(lookup("{\"ok\":true}", "ok"), JsonLookup::NotANumber);
}

TEST(clamp_interval_keeps_configured_values_sane) {
  CHECK_EQ(clampIntervalS(0), 5u);
  CHECK_EQ(clampIntervalS(10), 10u);
  CHECK_EQ(clampIntervalS(100000), 300u);
}

TEST(retry_after_in_seconds) {
  uint32_t seconds = 0;
  CHECK(parseRetryAfterS("120", &seconds));
  CHECK_EQ(seconds, 120u);
  CHECK(parseRetryAfterS("  0 ", &seconds));
  CHECK_EQ(seconds, 0u);
  CHECK(parseRetryAfterS("99999999999999", &seconds));
  CHECK_EQ(seconds, UINT32_MAX);
}

TEST(retry_after_that_is_not_seconds_is_ignored) {
  uint32_t seconds = 7;
  CHECK(!parseRetryAfterS(nullptr, &seconds));
  CHECK(!parseRetryAfterS("", &seconds));
  CHECK(!parseRetryAfterS("   ", &seconds));
  CHECK(!parseRetryAfterS("-5", &seconds));
  CHECK(!parseRetryAfterS("1.5", &seconds));
  CHECK(!parseRetryAfterS("12abc", &seconds));
  CHECK(!parseRetryAfterS("Wed, 21 Oct 2015 07:28:00 GMT", &seconds));
  CHECK_EQ(seconds, 7u);  // untouched
}
