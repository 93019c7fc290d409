#include "server_url.h"

#include <string.h>

const char kDefaultHeartbeatPath[] = "/api/heartbeat";

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlnum(char c) { return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Case-insensitive "does `s` start with `prefix`" (prefix in lowercase).
bool startsWithNoCase(const char* s, const char* prefix) {
  for (; *prefix != '\0'; s++, prefix++) {
    if (lower(*s) != *prefix) return false;
  }
  return true;
}

// Dotted-quad IPv4, each part 0..255 (leading zeros refused: some stacks read them as octal).
bool isIpv4(const char* host, size_t length) {
  int parts = 0;
  size_t i = 0;
  while (i < length) {
    size_t digits = 0;
    uint32_t value = 0;
    while (i < length && isDigit(host[i])) {
      if (digits == 3) return false;
      value = value * 10 + static_cast<uint32_t>(host[i] - '0');
      digits++;
      i++;
    }
    if (digits == 0 || value > 255 || (digits > 1 && host[i - digits] == '0')) return false;
    parts++;
    if (i == length) break;
    if (host[i] != '.' || parts == 4) return false;
    i++;
    if (i == length) return false;  // trailing dot
  }
  return parts == 4;
}

// A DNS name of letters, digits, '-' and '_' (seen on LAN names), or an IPv4
// address. A name whose last label is all digits must be a valid IPv4 address.
bool isValidHost(const char* host, size_t length) {
  if (length == 0 || length > kMaxHostLength) return false;
  size_t labelStart = 0;
  bool lastLabelNumeric = true;
  for (size_t i = 0; i <= length; i++) {
    if (i == length || host[i] == '.') {
      const size_t labelLength = i - labelStart;
      if (labelLength == 0 || labelLength > 63) return false;  // also "a..b", ".a" and "a."
      if (host[labelStart] == '-' || host[i - 1] == '-') return false;
      labelStart = i + 1;
      if (i < length) lastLabelNumeric = true;
      continue;
    }
    const char c = host[i];
    if (!isAlnum(c) && c != '-' && c != '_') return false;
    if (!isDigit(c)) lastLabelNumeric = false;
  }
  return lastLabelNumeric ? isIpv4(host, length) : true;
}

bool parsePort(const char* digits, size_t length, uint16_t* port) {
  if (length == 0 || length > 5) return false;
  uint32_t value = 0;
  for (size_t i = 0; i < length; i++) {
    if (!isDigit(digits[i])) return false;
    value = value * 10 + static_cast<uint32_t>(digits[i] - '0');
  }
  if (value == 0 || value > 65535) return false;
  *port = static_cast<uint16_t>(value);
  return true;
}

}  // namespace

UrlError parseServerUrl(const char* url, ServerUrl* out) {
  if (url == nullptr || *url == '\0') return UrlError::Empty;
  for (const char* p = url; *p != '\0'; p++) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c <= 0x20 || c >= 0x7F || c == '\\') return UrlError::BadCharacter;
  }

  const char* rest;
  if (startsWithNoCase(url, "https://")) {
    out->secure = true;
    out->port = 443;
    rest = url + 8;
  } else if (startsWithNoCase(url, "http://")) {
    out->secure = false;
    out->port = 80;
    rest = url + 7;
  } else {
    return UrlError::BadScheme;
  }

  // Authority: up to the first '/', '?' or '#'.
  const size_t authorityLength = strcspn(rest, "/?#");
  const char* authority = rest;
  if (memchr(authority, '@', authorityLength) != nullptr) return UrlError::HasCredentials;
  if (authorityLength > 0 && authority[0] == '[') return UrlError::Ipv6Literal;
  if (authorityLength == 0) return UrlError::EmptyHost;

  const char* colon = static_cast<const char*>(memchr(authority, ':', authorityLength));
  const size_t hostLength = colon != nullptr ? static_cast<size_t>(colon - authority) : authorityLength;
  if (colon != nullptr) {
    const size_t portLength = authorityLength - hostLength - 1;
    if (!parsePort(colon + 1, portLength, &out->port)) return UrlError::BadPort;
  }
  if (hostLength == 0) return UrlError::EmptyHost;
  if (!isValidHost(authority, hostLength)) return UrlError::BadHost;
  memcpy(out->host, authority, hostLength);
  out->host[hostLength] = '\0';

  // Path and query, without any fragment.
  const char* path = authority + authorityLength;
  const size_t pathAndQueryLength = strcspn(path, "#");
  const size_t pathLength = strcspn(path, "?#");
  const char* query = path + pathLength;
  const size_t queryLength = pathAndQueryLength - pathLength;

  // A bare base ("", "/") gets the heartbeat route; so does a prefix that ends
  // in '/' ("/monitor/" -> "/monitor/api/heartbeat").
  const char* prefix = path;
  size_t prefixLength = pathLength;
  const char* suffix = "";
  if (pathLength == 0 || (pathLength == 1 && path[0] == '/')) {
    prefix = kDefaultHeartbeatPath;
    prefixLength = strlen(kDefaultHeartbeatPath);
  } else if (path[pathLength - 1] == '/') {
    suffix = kDefaultHeartbeatPath + 1;
  }
  const size_t suffixLength = strlen(suffix);
  if (prefixLength + suffixLength + queryLength > kMaxPathLength) return UrlError::PathTooLong;

  char* w = out->path;
  memcpy(w, prefix, prefixLength);
  w += prefixLength;
  memcpy(w, suffix, suffixLength);
  w += suffixLength;
  memcpy(w, query, queryLength);
  w += queryLength;
  *w = '\0';
  return UrlError::None;
}

const char* urlErrorMessage(UrlError error) {
  switch (error) {
    case UrlError::None: return "ok";
    case UrlError::Empty: return "SERVER_URL is empty";
    case UrlError::BadCharacter: return "SERVER_URL contains spaces, control characters, non-ASCII characters or a backslash";
    case UrlError::BadScheme: return "SERVER_URL must start with https:// (or http:// for a server on your LAN)";
    case UrlError::HasCredentials: return "SERVER_URL must not contain user:password@; the key goes in DEVICE_KEY";
    case UrlError::Ipv6Literal: return "SERVER_URL: IPv6 address literals are not supported; use a host name or IPv4 address";
    case UrlError::EmptyHost: return "SERVER_URL has no host name";
    case UrlError::BadHost: return "SERVER_URL has an invalid host name or IPv4 address";
    case UrlError::BadPort: return "SERVER_URL has an invalid port (1-65535)";
    case UrlError::PathTooLong: return "SERVER_URL path is too long";
  }
  return "SERVER_URL is invalid";
}
