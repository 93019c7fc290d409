#include "../power_monitor/improv_serial.h"

#include <string.h>

#include <string>
#include <vector>

#include "test_runner.h"

using namespace improv;

static std::vector<uint8_t> bytes(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

// A packet as ESP Web Tools' improv-wifi-serial-sdk writes it: header, version,
// type, length, data, checksum (sum of all before, low byte), newline.
static std::vector<uint8_t> clientPacket(uint8_t type, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> p = bytes("IMPROV");
  p.push_back(1);
  p.push_back(type);
  p.push_back(static_cast<uint8_t>(data.size()));
  p.insert(p.end(), data.begin(), data.end());
  uint32_t sum = 0;
  for (uint8_t b : p) sum += b;
  p.push_back(static_cast<uint8_t>(sum & 0xFF));
  p.push_back('\n');
  return p;
}

static std::vector<Parser::Result> feedAll(Parser& parser, const std::vector<uint8_t>& stream) {
  std::vector<Parser::Result> results;
  for (uint8_t b : stream) {
    const Parser::Result r = parser.feed(b);
    if (r != Parser::Result::None) results.push_back(r);
  }
  return results;
}

TEST(improv_parses_the_spec_wifi_example) {
  // The spec's example: SSID MyWirelessAP, password mysecurepassword -> 01 1E 0C {ssid} 10 {password}
  std::vector<uint8_t> rpc = {0x01, 0x1E, 0x0C};
  const auto ssid = bytes("MyWirelessAP");
  const auto password = bytes("mysecurepassword");
  rpc.insert(rpc.end(), ssid.begin(), ssid.end());
  rpc.push_back(0x10);
  rpc.insert(rpc.end(), password.begin(), password.end());

  Parser parser;
  const auto results = feedAll(parser, clientPacket(0x03, rpc));
  CHECK_EQ(results.size(), 1u);
  CHECK(results[0] == Parser::Result::Packet);
  CHECK(parser.type() == PacketType::Rpc);
  RpcCommand command;
  CHECK(parseRpc(parser.data(), parser.length(), &command) == RpcProblem::None);
  CHECK(command.command == Command::WifiSettings);
  CHECK_EQ(command.ssid, "MyWirelessAP");
  CHECK_EQ(command.password, "mysecurepassword");
}

TEST(improv_finds_packets_among_other_bytes) {
  std::vector<uint8_t> stream = bytes("garbage IMPRO IMPIMPROV?\n");  // false starts
  const auto a = clientPacket(0x03, {0x02, 0x00});
  const auto b = clientPacket(0x03, {0x03, 0x00});
  stream.insert(stream.end(), a.begin(), a.end());
  const auto noise = bytes("more noise\n");
  stream.insert(stream.end(), noise.begin(), noise.end());
  stream.insert(stream.end(), b.begin(), b.end());
  Parser parser;
  std::vector<uint8_t> commands;
  for (uint8_t byte : stream) {
    if (parser.feed(byte) == Parser::Result::Packet) {
      RpcCommand command;
      CHECK(parseRpc(parser.data(), parser.length(), &command) == RpcProblem::None);
      commands.push_back(command.rawCommand);
    }
  }
  CHECK_EQ(commands.size(), 2u);
  CHECK_EQ(commands.size() == 2 ? commands[0] : 0, 0x02);
  CHECK_EQ(commands.size() == 2 ? commands[1] : 0, 0x03);
}

TEST(improv_refuses_bad_checksum_and_other_versions) {
  auto packet = clientPacket(0x03, {0x02, 0x00});
  packet[packet.size() - 2] ^= 0x01;
  Parser parser;
  auto results = feedAll(parser, packet);
  CHECK_EQ(results.size(), 1u);
  CHECK(results[0] == Parser::Result::BadChecksum);
  auto v2 = clientPacket(0x03, {0x02, 0x00});
  v2[6] = 2;
  results = feedAll(parser, v2);
  CHECK_EQ(results.size(), 1u);
  CHECK(results[0] == Parser::Result::BadVersion);
  // The parser is ready for the next good packet.
  results = feedAll(parser, clientPacket(0x03, {0x02, 0x00}));
  CHECK_EQ(results.size(), 1u);
  CHECK(results[0] == Parser::Result::Packet);
}

TEST(improv_handles_a_full_length_packet) {
  std::vector<uint8_t> data(255, 0xAB);
  Parser parser;
  const auto results = feedAll(parser, clientPacket(0x03, data));
  CHECK_EQ(results.size(), 1u);
  CHECK_EQ(parser.length(), 255);
}

TEST(improv_rpc_decoding_refuses_malformed_commands) {
  RpcCommand command;
  const uint8_t empty[] = {0};
  CHECK(parseRpc(empty, 1, &command) == RpcProblem::Invalid);
  const uint8_t wrongLength[] = {0x02, 0x01};
  CHECK(parseRpc(wrongLength, 2, &command) == RpcProblem::Invalid);
  const uint8_t unknown[] = {0x09, 0x00};
  CHECK(parseRpc(unknown, 2, &command) == RpcProblem::Unknown);
  const uint8_t ssidPastEnd[] = {0x01, 0x03, 0x05, 'a', 'b'};
  CHECK(parseRpc(ssidPastEnd, 5, &command) == RpcProblem::Invalid);
  const uint8_t emptySsid[] = {0x01, 0x02, 0x00, 0x00};
  CHECK(parseRpc(emptySsid, 4, &command) == RpcProblem::Invalid);
  const uint8_t passwordPastEnd[] = {0x01, 0x04, 0x01, 'a', 0x09, 'p'};
  CHECK(parseRpc(passwordPastEnd, 6, &command) == RpcProblem::Invalid);
  const uint8_t nulInSsid[] = {0x01, 0x04, 0x02, 'a', 0x00, 0x00};
  CHECK(parseRpc(nulInSsid, 6, &command) == RpcProblem::Invalid);
  std::vector<uint8_t> longSsid = {0x01, 36, 34};
  longSsid.insert(longSsid.end(), 34, 's');
  longSsid.push_back(0);
  CHECK(parseRpc(longSsid.data(), longSsid.size(), &command) == RpcProblem::Invalid);
  const uint8_t openNetwork[] = {0x01, 0x03, 0x01, 'a', 0x00};
  CHECK(parseRpc(openNetwork, 5, &command) == RpcProblem::None);
  CHECK_EQ(command.ssid, "a");
  CHECK_EQ(command.password, "");
}

TEST(improv_builds_state_error_and_results_the_client_reads) {
  uint8_t out[kMaxPacketLength];
  size_t n = buildState(State::Provisioned, out, sizeof out);
  const uint8_t state[] = {'I', 'M', 'P', 'R', 'O', 'V', 1, 0x01, 0x01, 0x04, 0, '\n'};
  uint32_t sum = 0;
  for (int i = 0; i < 10; i++) sum += state[i];
  CHECK_EQ(n, sizeof state);
  CHECK(memcmp(out, state, 10) == 0);
  CHECK_EQ(out[10], static_cast<uint8_t>(sum & 0xFF));
  CHECK_EQ(out[11], '\n');

  n = buildError(Error::UnableToConnect, out, sizeof out);
  CHECK_EQ(n, 12u);
  CHECK_EQ(out[7], 0x02);
  CHECK_EQ(out[9], 0x03);

  const char* info[] = {"Power Monitor", "1.1.0", "ESP32", "PowerMonitor-1A2B"};
  n = buildRpcResult(Command::DeviceInfo, info, 4, out, sizeof out);
  CHECK(n > 0);
  // Read it back the way the client does: our own parser sees a valid packet.
  Parser parser;
  Parser::Result last = Parser::Result::None;
  for (size_t i = 0; i + 1 < n; i++) last = parser.feed(out[i]);  // the newline is not part of it
  CHECK(last == Parser::Result::Packet);
  CHECK(parser.type() == PacketType::RpcResult);
  const uint8_t* data = parser.data();
  CHECK_EQ(data[0], 0x03);
  CHECK_EQ(static_cast<size_t>(data[1]) + 2, static_cast<size_t>(parser.length()));
  std::vector<std::string> strings;
  for (size_t i = 2; i < parser.length();) {
    const size_t length = data[i];
    strings.emplace_back(reinterpret_cast<const char*>(data + i + 1), length);
    i += 1 + length;
  }
  CHECK_EQ(strings.size(), 4u);
  CHECK_EQ(strings.size() == 4 ? strings[3] : std::string(), "PowerMonitor-1A2B");

  n = buildRpcResult(Command::ScanNetworks, nullptr, 0, out, sizeof out);  // the end of a scan
  CHECK_EQ(n, 13u);
  CHECK_EQ(out[8], 2);
  CHECK_EQ(out[10], 0);

  const std::string big(200, 'x');
  const char* tooMuch[] = {big.c_str(), big.c_str()};
  CHECK_EQ(buildRpcResult(Command::DeviceInfo, tooMuch, 2, out, sizeof out), 0u);
  CHECK_EQ(buildState(State::Ready, out, 5), 0u);
}
