#include "improv_serial.h"

#include <string.h>

namespace improv {

namespace {

const uint8_t kHeader[kHeaderLength] = {'I', 'M', 'P', 'R', 'O', 'V'};

uint8_t checksum(const uint8_t* bytes, size_t length) {
  uint32_t sum = 0;
  for (size_t i = 0; i < length; i++) sum += bytes[i];
  return static_cast<uint8_t>(sum & 0xFF);
}

}  // namespace

Parser::Result Parser::feed(uint8_t byte) {
  if (position_ < kHeaderLength) {
    if (byte == kHeader[position_]) {
      buffer_[position_++] = byte;
    } else {
      // Not a header after all: this byte may still start one ("IMPRIMPROV").
      position_ = 0;
      if (byte == kHeader[0]) buffer_[position_++] = byte;
    }
    return Result::None;
  }
  buffer_[position_++] = byte;
  if (position_ == kHeaderLength + 1 && byte != kVersion) {
    // "IMPROV" followed by anything but our version: not a packet to wait for.
    position_ = 0;
    return Result::BadVersion;
  }
  if (position_ == kHeaderLength + 2 && (byte < 0x01 || byte > 0x04)) {
    position_ = 0;  // no such packet type
    return Result::None;
  }
  if (position_ < kHeaderLength + 3) return Result::None;  // version, type, length
  const size_t total = kHeaderLength + 3 + buffer_[kHeaderLength + 2] + 1;
  if (position_ < total) return Result::None;

  position_ = 0;
  if (checksum(buffer_, total - 1) != buffer_[total - 1]) return Result::BadChecksum;
  return Result::Packet;
}

RpcProblem parseRpc(const uint8_t* data, size_t length, RpcCommand* out) {
  if (data == nullptr || length < 2) return RpcProblem::Invalid;
  const uint8_t command = data[0];
  const size_t dataLength = data[1];
  if (2 + dataLength != length) return RpcProblem::Invalid;
  RpcCommand parsed;
  parsed.rawCommand = command;
  const uint8_t* p = data + 2;
  switch (command) {
    case static_cast<uint8_t>(Command::WifiSettings): {
      if (dataLength < 2) return RpcProblem::Invalid;
      const size_t ssidLength = p[0];
      if (ssidLength == 0 || ssidLength > kMaxSsidLength || 1 + ssidLength + 1 > dataLength) return RpcProblem::Invalid;
      const size_t passwordLength = p[1 + ssidLength];
      if (passwordLength > kMaxPasswordLength || 1 + ssidLength + 1 + passwordLength != dataLength) return RpcProblem::Invalid;
      if (memchr(p + 1, '\0', ssidLength) != nullptr || memchr(p + 2 + ssidLength, '\0', passwordLength) != nullptr) {
        return RpcProblem::Invalid;
      }
      memcpy(parsed.ssid, p + 1, ssidLength);
      parsed.ssid[ssidLength] = '\0';
      memcpy(parsed.password, p + 2 + ssidLength, passwordLength);
      parsed.password[passwordLength] = '\0';
      parsed.command = Command::WifiSettings;
      break;
    }
    case static_cast<uint8_t>(Command::CurrentState): parsed.command = Command::CurrentState; break;
    case static_cast<uint8_t>(Command::DeviceInfo): parsed.command = Command::DeviceInfo; break;
    case static_cast<uint8_t>(Command::ScanNetworks): parsed.command = Command::ScanNetworks; break;
    default: return RpcProblem::Unknown;
  }
  *out = parsed;
  return RpcProblem::None;
}

size_t buildPacket(PacketType type, const uint8_t* data, size_t length, uint8_t* out, size_t capacity) {
  const size_t total = kHeaderLength + 3 + length + 1 + 1;
  if (length > 255 || total > capacity || (length > 0 && data == nullptr)) return 0;
  memcpy(out, kHeader, kHeaderLength);
  out[kHeaderLength] = kVersion;
  out[kHeaderLength + 1] = static_cast<uint8_t>(type);
  out[kHeaderLength + 2] = static_cast<uint8_t>(length);
  if (length > 0) memcpy(out + kHeaderLength + 3, data, length);
  out[total - 2] = checksum(out, total - 2);
  out[total - 1] = '\n';
  return total;
}

size_t buildState(State state, uint8_t* out, size_t capacity) {
  const uint8_t data = static_cast<uint8_t>(state);
  return buildPacket(PacketType::CurrentState, &data, 1, out, capacity);
}

size_t buildError(Error error, uint8_t* out, size_t capacity) {
  const uint8_t data = static_cast<uint8_t>(error);
  return buildPacket(PacketType::ErrorState, &data, 1, out, capacity);
}

size_t buildRpcResult(Command command, const char* const* strings, size_t count, uint8_t* out, size_t capacity) {
  uint8_t data[255];
  size_t n = 2;
  for (size_t i = 0; i < count; i++) {
    const size_t length = strlen(strings[i]);
    if (length > 255 || n + 1 + length > sizeof data) return 0;
    data[n++] = static_cast<uint8_t>(length);
    memcpy(data + n, strings[i], length);
    n += length;
  }
  data[0] = static_cast<uint8_t>(command);
  data[1] = static_cast<uint8_t>(n - 2);
  return buildPacket(PacketType::RpcResult, data, n, out, capacity);
}

}  // namespace improv
