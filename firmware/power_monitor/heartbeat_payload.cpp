#include "heartbeat_payload.h"

namespace {

// Appends to a fixed buffer; once anything does not fit, it stays failed.
class JsonOut {
 public:
  JsonOut(char* out, size_t capacity) : out_(out), capacity_(capacity), length_(0), ok_(capacity > 0) {}

  void raw(char c) {
    if (!ok_) return;
    if (length_ + 1 >= capacity_) {  // keep room for the NUL
      ok_ = false;
      return;
    }
    out_[length_++] = c;
  }

  void raw(const char* s) {
    while (*s != '\0') raw(*s++);
  }

  void unsignedNumber(uint64_t value) {
    char digits[20];  // 2^64 - 1 has 20 decimal digits
    size_t n = 0;
    do {
      digits[n++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    while (n > 0) raw(digits[--n]);
  }

  void signedNumber(int32_t value) {
    if (value < 0) {
      raw('-');
      // Negate in 64 bits so INT32_MIN does not overflow.
      unsignedNumber(static_cast<uint64_t>(-static_cast<int64_t>(value)));
    } else {
      unsignedNumber(static_cast<uint64_t>(value));
    }
  }

  void string(const char* s);

  size_t finish() {
    if (!ok_) {
      if (capacity_ > 0) out_[0] = '\0';
      return 0;
    }
    out_[length_] = '\0';
    return length_;
  }

 private:
  void unicodeEscape(uint32_t codeUnit) {
    static const char kHex[] = "0123456789abcdef";
    raw('\\');
    raw('u');
    for (int shift = 12; shift >= 0; shift -= 4) raw(kHex[(codeUnit >> shift) & 0xF]);
  }

  char* out_;
  size_t capacity_;
  size_t length_;
  bool ok_;
};

// Length of the valid UTF-8 sequence starting at `s` (lead byte >= 0x80), or
// 0 if it is not one (stray continuation byte, overlong form, surrogate,
// beyond U+10FFFF, or cut short).
size_t validUtf8SequenceLength(const unsigned char* s) {
  const unsigned char lead = s[0];
  size_t length;
  unsigned char secondMin = 0x80;
  unsigned char secondMax = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) secondMin = 0xA0;  // overlong
    if (lead == 0xED) secondMax = 0x9F;  // UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) secondMin = 0x90;  // overlong
    if (lead == 0xF4) secondMax = 0x8F;  // > U+10FFFF
  } else {
    return 0;
  }
  if (s[1] < secondMin || s[1] > secondMax) return 0;  // also stops at the NUL
  for (size_t i = 2; i < length; i++) {
    if (s[i] < 0x80 || s[i] > 0xBF) return 0;
  }
  return length;
}

void JsonOut::string(const char* s) {
  raw('"');
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s);
  while (*p != '\0') {
    const unsigned char c = *p;
    if (c == '"' || c == '\\') {
      raw('\\');
      raw(static_cast<char>(c));
      p++;
    } else if (c < 0x20 || c == 0x7F) {
      switch (c) {
        case '\b': raw("\\b"); break;
        case '\f': raw("\\f"); break;
        case '\n': raw("\\n"); break;
        case '\r': raw("\\r"); break;
        case '\t': raw("\\t"); break;
        default: unicodeEscape(c); break;
      }
      p++;
    } else if (c < 0x80) {
      raw(static_cast<char>(c));
      p++;
    } else {
      const size_t length = validUtf8SequenceLength(p);
      if (length == 0) {
        unicodeEscape(0xFFFD);
        p++;
      } else {
        for (size_t i = 0; i < length; i++) raw(static_cast<char>(p[i]));
        p += length;
      }
    }
  }
  raw('"');
}

}  // namespace

size_t buildHeartbeatJson(const HeartbeatFields& fields, char* out, size_t capacity) {
  JsonOut json(out, capacity);
  json.raw("{\"uptime_ms\":");
  json.unsignedNumber(fields.uptimeMs);
  if (fields.bootId != nullptr) {
    json.raw(",\"boot_id\":");
    json.string(fields.bootId);
  }
  if (fields.resetReason != nullptr) {
    json.raw(",\"reset_reason\":");
    json.string(fields.resetReason);
  }
  if (fields.hasRssi) {
    json.raw(",\"rssi\":");
    json.signedNumber(fields.rssi);
  }
  if (fields.fw != nullptr) {
    json.raw(",\"fw\":");
    json.string(fields.fw);
  }
  if (fields.hasMains) {
    json.raw(fields.mains ? ",\"mains\":true" : ",\"mains\":false");
    if (fields.hasMainsChangedMsAgo) {
      json.raw(",\"mains_changed_ms_ago\":");
      json.unsignedNumber(fields.mainsChangedMsAgo);
    }
  }
  json.raw('}');
  return json.finish();
}

void formatBootId(uint32_t high, uint32_t low, char out[kBootIdLength + 1]) {
  static const char kHex[] = "0123456789abcdef";
  const uint64_t bits = (static_cast<uint64_t>(high) << 32) | low;
  for (size_t i = 0; i < kBootIdLength; i++) {
    out[i] = kHex[(bits >> (60 - 4 * i)) & 0xF];
  }
  out[kBootIdLength] = '\0';
}
