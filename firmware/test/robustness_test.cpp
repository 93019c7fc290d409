// Throws many random, JSON-ish and URL-ish strings at the parsers. The checks
// are loose on purpose: the point is that nothing crashes or reads out of
// bounds (run.sh builds with AddressSanitizer and UBSan when it can), and
// that the invariants hold for every input.
#include <string>

#include "../power_monitor/heartbeat_payload.h"
#include "../power_monitor/reply_parser.h"
#include "../power_monitor/server_url.h"
#include "test_runner.h"

namespace {

struct Random {
  uint32_t state;
  uint32_t next() {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  }
  uint32_t below(uint32_t n) { return next() % n; }
};

std::string randomText(Random& random, const char* alphabet, size_t alphabetLength, size_t maxLength) {
  std::string text;
  const size_t length = random.below(static_cast<uint32_t>(maxLength + 1));
  for (size_t i = 0; i < length; i++) {
    // Mostly the alphabet, sometimes any byte but NUL.
    if (random.below(10) == 0) {
      text += static_cast<char>(1 + random.below(255));
    } else {
      text += alphabet[random.below(static_cast<uint32_t>(alphabetLength))];
    }
  }
  return text;
}

}  // namespace

TEST(robust_reply_parser_on_random_input) {
  static const char kJsonish[] = "{}[]\",:\\/ -+.0123456789eEtrufalsn_iv\n\tu";
  Random random{0xC0FFEEu};
  for (int i = 0; i < 50000; i++) {
    std::string body = randomText(random, kJsonish, sizeof kJsonish - 1, 60);
    if (random.below(2) == 0) body = "{\"interval_s\":" + body;
    uint32_t seconds = 0;
    if (parseSuggestedIntervalS(body.c_str(), &seconds)) CHECK_BETWEEN(seconds, kMinIntervalS, kMaxIntervalS);
    uint32_t retry = 0;
    parseRetryAfterS(body.c_str(), &retry);
  }
}

TEST(robust_url_parser_on_random_input) {
  static const char kUrlish[] = "htps:/@[]?#.-_:0123456789abcdefxyz%";
  Random random{0xBADC0DEu};
  for (int i = 0; i < 50000; i++) {
    std::string url = randomText(random, kUrlish, sizeof kUrlish - 1, 40);
    if (random.below(2) == 0) url = (random.below(2) == 0 ? "https://" : "http://") + url;
    ServerUrl parsed;
    if (parseServerUrl(url.c_str(), &parsed) == UrlError::None) {
      CHECK(parsed.host[0] != '\0');
      CHECK_EQ(parsed.path[0], '/');
      CHECK(parsed.port != 0);
      CHECK(strlen(parsed.path) <= kMaxPathLength);
    }
  }
}

TEST(robust_payload_is_always_valid_json_text) {
  Random random{0x5EEDu};
  static const char kAny[] = "abc\"\\\n\x01\x7f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xff";
  for (int i = 0; i < 20000; i++) {
    const std::string fw = randomText(random, kAny, sizeof kAny - 1, 24);
    HeartbeatFields fields;
    fields.uptimeMs = (static_cast<uint64_t>(random.next()) << 32) | random.next();
    fields.fw = fw.c_str();
    char out[256];
    const size_t length = buildHeartbeatJson(fields, out, 1 + random.below(sizeof out));
    if (length == 0) continue;
    CHECK_EQ(strlen(out), length);
    CHECK_EQ(out[0], '{');
    CHECK_EQ(out[length - 1], '}');
    // No raw control characters, and the strings are closed where they should
    // be: the reply scanner walks the whole object without tripping.
    for (size_t k = 0; k < length; k++) CHECK(static_cast<unsigned char>(out[k]) >= 0x20);
    CHECK_EQ(findTopLevelNumber(out, "absent", nullptr), JsonLookup::Missing);
  }
}
