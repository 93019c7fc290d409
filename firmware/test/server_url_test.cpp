#include "../power_monitor/server_url.h"

#include <string>

#include "test_runner.h"

// "https host 443 /path" for a good URL, or the error's number.
static std::string parse(const char* url) {
  ServerUrl parsed;
  const UrlError error = parseServerUrl(url, &parsed);
  if (error != UrlError::None) return "error " + std::to_string(static_cast<int>(error));
  return std::string(parsed.secure ? "https " : "http ") + parsed.host + " " + std::to_string(parsed.port) + " " +
         parsed.path;
}

static std::string error(UrlError e) { return "error " + std::to_string(static_cast<int>(e)); }

TEST(url_full_https_url_is_kept) {
  CHECK_EQ(parse("https://monitor.example.com/api/heartbeat"), "https monitor.example.com 443 /api/heartbeat");
}

TEST(url_base_gets_the_heartbeat_path) {
  CHECK_EQ(parse("https://monitor.example.com"), "https monitor.example.com 443 /api/heartbeat");
  CHECK_EQ(parse("https://monitor.example.com/"), "https monitor.example.com 443 /api/heartbeat");
  CHECK_EQ(parse("https://example.com/monitor/"), "https example.com 443 /monitor/api/heartbeat");
  CHECK_EQ(parse("https://example.com?x=1"), "https example.com 443 /api/heartbeat?x=1");
  CHECK_EQ(parse("https://example.com/#top"), "https example.com 443 /api/heartbeat");
}

TEST(url_plain_http_for_a_lan_server) {
  CHECK_EQ(parse("http://192.168.1.10:8080"), "http 192.168.1.10 8080 /api/heartbeat");
  CHECK_EQ(parse("http://localhost:8080/api/heartbeat"), "http localhost 8080 /api/heartbeat");
  CHECK_EQ(parse("http://nas.local"), "http nas.local 80 /api/heartbeat");
  CHECK_EQ(parse("http://my_server/"), "http my_server 80 /api/heartbeat");
}

TEST(url_scheme_is_case_insensitive_host_and_path_are_kept) {
  CHECK_EQ(parse("HTTPS://Monitor.Example.COM/Api/Heartbeat"), "https Monitor.Example.COM 443 /Api/Heartbeat");
  CHECK_EQ(parse("Http://h"), "http h 80 /api/heartbeat");
}

TEST(url_ports) {
  CHECK_EQ(parse("https://h:1/"), "https h 1 /api/heartbeat");
  CHECK_EQ(parse("https://h:65535/x"), "https h 65535 /x");
  CHECK_EQ(parse("https://h:00443/x"), "https h 443 /x");
  CHECK_EQ(parse("https://h:0/"), error(UrlError::BadPort));
  CHECK_EQ(parse("https://h:65536/"), error(UrlError::BadPort));
  CHECK_EQ(parse("https://h:123456/"), error(UrlError::BadPort));
  CHECK_EQ(parse("https://h:/"), error(UrlError::BadPort));
  CHECK_EQ(parse("https://h:8a/"), error(UrlError::BadPort));
  CHECK_EQ(parse("https://h:-1/"), error(UrlError::BadPort));
  CHECK_EQ(parse("https://h:+80/"), error(UrlError::BadPort));
  CHECK_EQ(parse("https://h:80:81/"), error(UrlError::BadPort));
}

TEST(url_query_and_fragment) {
  CHECK_EQ(parse("https://h/custom/beat?source=esp32#ignored"), "https h 443 /custom/beat?source=esp32");
  CHECK_EQ(parse("https://h/a?b=/c/"), "https h 443 /a?b=/c/");
}

TEST(url_bad_schemes) {
  CHECK_EQ(parse("ftp://example.com"), error(UrlError::BadScheme));
  CHECK_EQ(parse("example.com/api/heartbeat"), error(UrlError::BadScheme));
  CHECK_EQ(parse("//example.com"), error(UrlError::BadScheme));
  CHECK_EQ(parse("https:/example.com"), error(UrlError::BadScheme));
  CHECK_EQ(parse("https:example.com"), error(UrlError::BadScheme));
  CHECK_EQ(parse("httpss://example.com"), error(UrlError::BadScheme));
  CHECK_EQ(parse("ws://example.com"), error(UrlError::BadScheme));
  CHECK_EQ(parse("http"), error(UrlError::BadScheme));
}

TEST(url_empty) {
  CHECK_EQ(parse(""), error(UrlError::Empty));
  CHECK_EQ(parse(nullptr), error(UrlError::Empty));
}

TEST(url_bad_characters) {
  CHECK_EQ(parse(" https://example.com"), error(UrlError::BadCharacter));
  CHECK_EQ(parse("https://example.com "), error(UrlError::BadCharacter));
  CHECK_EQ(parse("https://exa mple.com"), error(UrlError::BadCharacter));
  CHECK_EQ(parse("https://example.com/a\tb"), error(UrlError::BadCharacter));
  CHECK_EQ(parse("https://example.com/\n"), error(UrlError::BadCharacter));
  CHECK_EQ(parse("https://пример.укр/"), error(UrlError::BadCharacter));
  CHECK_EQ(parse("https://example.com\\@evil.com/"), error(UrlError::BadCharacter));
  CHECK_EQ(parse("https://example.com/\x7f"), error(UrlError::BadCharacter));
}

TEST(url_credentials_are_refused) {
  CHECK_EQ(parse("https://user:pass@example.com/"), error(UrlError::HasCredentials));
  CHECK_EQ(parse("https://@example.com/"), error(UrlError::HasCredentials));
  CHECK_EQ(parse("https://example.com/path@x"), "https example.com 443 /path@x");  // '@' in a path is fine
}

TEST(url_missing_hosts) {
  CHECK_EQ(parse("https://"), error(UrlError::EmptyHost));
  CHECK_EQ(parse("https:///api/heartbeat"), error(UrlError::EmptyHost));
  CHECK_EQ(parse("https://?x"), error(UrlError::EmptyHost));
  CHECK_EQ(parse("http://:8080/"), error(UrlError::EmptyHost));
}

TEST(url_bad_hosts) {
  CHECK_EQ(parse("https://[::1]:8080/"), error(UrlError::Ipv6Literal));
  CHECK_EQ(parse("https://exa..mple.com/"), error(UrlError::BadHost));
  CHECK_EQ(parse("https://.example.com/"), error(UrlError::BadHost));
  CHECK_EQ(parse("https://example.com./"), error(UrlError::BadHost));
  CHECK_EQ(parse("https://-example.com/"), error(UrlError::BadHost));
  CHECK_EQ(parse("https://example-.com/"), error(UrlError::BadHost));
  CHECK_EQ(parse("https://exam%70le.com/"), error(UrlError::BadHost));
  CHECK_EQ(parse("https://exa*mple.com/"), error(UrlError::BadHost));
  CHECK_EQ(parse("https://ex\"ample.com/"), error(UrlError::BadHost));
  const std::string longLabel = "https://" + std::string(64, 'a') + ".com/";
  CHECK_EQ(parse(longLabel.c_str()), error(UrlError::BadHost));
  std::string longHost = "https://";
  for (int i = 0; i < 64; i++) longHost += "abc.";
  longHost += "com/";
  CHECK_EQ(parse(longHost.c_str()), error(UrlError::BadHost));
}

TEST(url_ipv4_addresses) {
  CHECK_EQ(parse("http://10.0.0.1/"), "http 10.0.0.1 80 /api/heartbeat");
  CHECK_EQ(parse("http://255.255.255.255/"), "http 255.255.255.255 80 /api/heartbeat");
  CHECK_EQ(parse("http://256.1.1.1/"), error(UrlError::BadHost));
  CHECK_EQ(parse("http://1.2.3/"), error(UrlError::BadHost));
  CHECK_EQ(parse("http://1.2.3.4.5/"), error(UrlError::BadHost));
  CHECK_EQ(parse("http://192.168.01.1/"), error(UrlError::BadHost));
  CHECK_EQ(parse("http://1234/"), error(UrlError::BadHost));
  CHECK_EQ(parse("http://example.123/"), error(UrlError::BadHost));
  CHECK_EQ(parse("http://1.example.com/"), "http 1.example.com 80 /api/heartbeat");
}

TEST(url_host_length_limits) {
  // 253 characters: four labels of 63 and a dot between each (63*4+3 = 255 is too long).
  std::string host = std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                     std::string(61, 'd');
  CHECK_EQ(host.size(), 253u);
  CHECK_EQ(parse(("https://" + host).c_str()), "https " + host + " 443 /api/heartbeat");
  CHECK_EQ(parse(("https://" + host + "d").c_str()), error(UrlError::BadHost));
}

TEST(url_path_length_limit) {
  const std::string fits = "/" + std::string(kMaxPathLength - 1, 'p');
  CHECK_EQ(parse(("https://h" + fits).c_str()), "https h 443 " + fits);
  CHECK_EQ(parse(("https://h" + fits + "q").c_str()), error(UrlError::PathTooLong));
  // A prefix that fits on its own but not with the default route appended.
  const std::string prefix = "/" + std::string(kMaxPathLength - 10, 'p') + "/";
  CHECK_EQ(parse(("https://h" + prefix).c_str()), error(UrlError::PathTooLong));
}

TEST(url_error_messages_exist_for_every_error) {
  for (int e = 0; e <= static_cast<int>(UrlError::PathTooLong); e++) {
    const char* message = urlErrorMessage(static_cast<UrlError>(e));
    CHECK(message != nullptr && strlen(message) > 0);
  }
  CHECK(strstr(urlErrorMessage(UrlError::BadScheme), "https://") != nullptr);
}
