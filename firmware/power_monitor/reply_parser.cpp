#include "reply_parser.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

namespace {

bool isJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

const char* skipSpace(const char* p) {
  while (isJsonSpace(*p)) p++;
  return p;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Scans the JSON string starting at the opening quote `p`. Returns the
// position after the closing quote, or null if the string is malformed.
// When `decoded` is given, the string's value is written there if it fits
// (and is plain ASCII); `*fits` says whether it did.
const char* scanString(const char* p, char* decoded, size_t capacity, bool* fits) {
  size_t length = 0;
  bool ok = decoded != nullptr && capacity > 0;
  auto put = [&](char c) {
    if (!ok) return;
    if (length + 1 >= capacity) {
      ok = false;
      return;
    }
    decoded[length++] = c;
  };

  p++;  // opening quote
  for (;;) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c == '\0' || c < 0x20) return nullptr;  // cut short, or a raw control character
    if (c == '"') break;
    if (c != '\\') {
      if (c >= 0x80) ok = false;  // our keys are ASCII: a non-ASCII key never matches
      put(static_cast<char>(c));
      p++;
      continue;
    }
    p++;
    switch (*p) {
      case '"': put('"'); break;
      case '\\': put('\\'); break;
      case '/': put('/'); break;
      case 'b': put('\b'); break;
      case 'f': put('\f'); break;
      case 'n': put('\n'); break;
      case 'r': put('\r'); break;
      case 't': put('\t'); break;
      case 'u': {
        int codeUnit = 0;
        for (int i = 1; i <= 4; i++) {
          const int digit = hexValue(p[i]);
          if (digit < 0) return nullptr;
          codeUnit = codeUnit * 16 + digit;
        }
        if (codeUnit >= 0x01 && codeUnit < 0x80) {
          put(static_cast<char>(codeUnit));
        } else {
          ok = false;
        }
        p += 4;
        break;
      }
      default: return nullptr;
    }
    p++;
  }
  if (decoded != nullptr && capacity > 0) decoded[ok ? length : 0] = '\0';
  if (fits != nullptr) *fits = ok;
  return p + 1;
}

// Validates a JSON number (-?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?) at `p`.
// Returns the position after it, or null.
const char* scanNumber(const char* p) {
  if (*p == '-') p++;
  if (*p == '0') {
    p++;
  } else if (*p >= '1' && *p <= '9') {
    while (isDigit(*p)) p++;
  } else {
    return nullptr;
  }
  if (*p == '.') {
    p++;
    if (!isDigit(*p)) return nullptr;
    while (isDigit(*p)) p++;
  }
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-') p++;
    if (!isDigit(*p)) return nullptr;
    while (isDigit(*p)) p++;
  }
  return p;
}

const char* scanLiteral(const char* p, const char* word) {
  const size_t length = strlen(word);
  return strncmp(p, word, length) == 0 ? p + length : nullptr;
}

// Skips one JSON value of any kind. Nested containers are skipped by
// counting brackets (strings inside them are honoured); their inner
// structure is not validated, since nothing in them is read.
const char* skipValue(const char* p) {
  switch (*p) {
    case '"': return scanString(p, nullptr, 0, nullptr);
    case 't': return scanLiteral(p, "true");
    case 'f': return scanLiteral(p, "false");
    case 'n': return scanLiteral(p, "null");
    case '{':
    case '[': {
      uint32_t depth = 0;
      do {
        switch (*p) {
          case '\0': return nullptr;
          case '"':
            p = scanString(p, nullptr, 0, nullptr);
            if (p == nullptr) return nullptr;
            continue;
          case '{':
          case '[': depth++; break;
          case '}':
          case ']': depth--; break;
          default: break;
        }
        p++;
      } while (depth > 0);
      return p;
    }
    default: return scanNumber(p);
  }
}

}  // namespace

JsonLookup findTopLevelNumber(const char* body, const char* key, double* value) {
  if (body == nullptr || key == nullptr) return JsonLookup::Malformed;
  const char* p = body;
  if (strncmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;  // a UTF-8 byte order mark
  p = skipSpace(p);
  if (*p != '{') return JsonLookup::Malformed;
  p = skipSpace(p + 1);
  if (*p == '}') return JsonLookup::Missing;

  for (;;) {
    if (*p != '"') return JsonLookup::Malformed;
    char name[32];
    bool nameFits = false;
    p = scanString(p, name, sizeof name, &nameFits);
    if (p == nullptr) return JsonLookup::Malformed;
    p = skipSpace(p);
    if (*p != ':') return JsonLookup::Malformed;
    p = skipSpace(p + 1);

    if (nameFits && strcmp(name, key) == 0) {
      if (*p != '-' && !isDigit(*p)) {
        return skipValue(p) == nullptr ? JsonLookup::Malformed : JsonLookup::NotANumber;
      }
      const char* end = scanNumber(p);
      if (end == nullptr) return JsonLookup::Malformed;
      const char* next = skipSpace(end);
      if (*next != ',' && *next != '}') return JsonLookup::Malformed;  // e.g. 10abc
      // The span is a valid JSON number, which strtod reads exactly.
      if (value != nullptr) *value = strtod(p, nullptr);
      return JsonLookup::Found;
    }

    p = skipValue(p);
    if (p == nullptr) return JsonLookup::Malformed;
    p = skipSpace(p);
    if (*p == '}') return JsonLookup::Missing;
    if (*p != ',') return JsonLookup::Malformed;
    p = skipSpace(p + 1);
  }
}

uint32_t clampIntervalS(uint32_t intervalS) {
  if (intervalS < kMinIntervalS) return kMinIntervalS;
  if (intervalS > kMaxIntervalS) return kMaxIntervalS;
  return intervalS;
}

bool parseSuggestedIntervalS(const char* body, uint32_t* intervalS) {
  double seconds = 0;
  if (findTopLevelNumber(body, "interval_s", &seconds) != JsonLookup::Found) return false;
  if (!(seconds >= 0)) return false;  // negative (NaN cannot come out of a JSON number)
  if (seconds >= static_cast<double>(kMaxIntervalS)) {
    *intervalS = kMaxIntervalS;  // also 1e999, which strtod reads as infinity
  } else {
    *intervalS = clampIntervalS(static_cast<uint32_t>(floor(seconds)));
  }
  return true;
}

bool parseRetryAfterS(const char* header, uint32_t* seconds) {
  if (header == nullptr) return false;
  const char* p = header;
  while (*p == ' ' || *p == '\t') p++;
  if (!isDigit(*p)) return false;
  uint32_t value = 0;
  while (isDigit(*p)) {
    const uint32_t digit = static_cast<uint32_t>(*p - '0');
    value = value > (UINT32_MAX - digit) / 10 ? UINT32_MAX : value * 10 + digit;
    p++;
  }
  while (*p == ' ' || *p == '\t') p++;
  if (*p != '\0') return false;
  *seconds = value;
  return true;
}
