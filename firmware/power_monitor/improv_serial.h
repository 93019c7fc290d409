// Improv Wi-Fi over the serial port (https://www.improv-wifi.com/serial/), so
// that ESP Web Tools can hand the board the Wi-Fi right after flashing it.
//
// Packet: "IMPROV" | version 1 | type | length | data (length bytes) |
//         checksum (low byte of the sum of every byte before it)
// A newline may follow (ESP Web Tools sends one; the board sends one too, so
// the packet never shares a line with the serial log).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "settings.h"

namespace improv {

static const uint8_t kVersion = 1;
static const size_t kHeaderLength = 6;  // "IMPROV"
static const size_t kMaxPacketLength = kHeaderLength + 3 + 255 + 1 + 1;  // + checksum + newline

enum class PacketType : uint8_t { CurrentState = 0x01, ErrorState = 0x02, Rpc = 0x03, RpcResult = 0x04 };
enum class State : uint8_t { Ready = 0x02, Provisioning = 0x03, Provisioned = 0x04 };
enum class Error : uint8_t { None = 0x00, InvalidRpc = 0x01, UnknownCommand = 0x02, UnableToConnect = 0x03, Unknown = 0xFF };
enum class Command : uint8_t { WifiSettings = 0x01, CurrentState = 0x02, DeviceInfo = 0x03, ScanNetworks = 0x04 };

// Reads a byte stream (the serial port) and picks out Improv packets; all other
// bytes are skipped.
class Parser {
 public:
  enum class Result : uint8_t {
    None,         // the byte was taken; no packet complete yet
    Packet,       // a valid packet is complete: type(), data(), length()
    BadChecksum,  // a packet arrived with a wrong checksum (answer with Error::InvalidRpc)
    BadVersion,   // a packet of another protocol version (ignored)
  };

  Result feed(uint8_t byte);

  PacketType type() const { return static_cast<PacketType>(buffer_[kHeaderLength + 1]); }
  const uint8_t* data() const { return buffer_ + kHeaderLength + 3; }
  uint8_t length() const { return buffer_[kHeaderLength + 2]; }

 private:
  uint8_t buffer_[kHeaderLength + 3 + 255 + 1] = {};
  size_t position_ = 0;
};

struct RpcCommand {
  Command command = Command::CurrentState;
  uint8_t rawCommand = 0;
  // For Command::WifiSettings.
  char ssid[kMaxSsidLength + 1] = "";
  char password[kMaxPasswordLength + 1] = "";
};

enum class RpcProblem : uint8_t { None, Invalid, Unknown };

// Decodes an RPC packet's data: command | data length | data.
RpcProblem parseRpc(const uint8_t* data, size_t length, RpcCommand* out);

// Builds one packet (with checksum and a trailing newline) into `out`;
// returns its length, or 0 if it does not fit.
size_t buildPacket(PacketType type, const uint8_t* data, size_t length, uint8_t* out, size_t capacity);
size_t buildState(State state, uint8_t* out, size_t capacity);
size_t buildError(Error error, uint8_t* out, size_t capacity);

// An RPC result: command | data length | (string length | string bytes)...
// 0 if the strings do not fit in one packet.
size_t buildRpcResult(Command command, const char* const* strings, size_t count, uint8_t* out, size_t capacity);

}  // namespace improv
