// Defines the framing of the GDB remote serial protocol: `$payload#cs` packets, acks, the
// interrupt byte, `}` escapes and run-length encoding on input, and the encoder of replies.
// Facts from gdb's manual, appendix "GDB Remote Serial Protocol", sections "Overview" and
// "Binary Data".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace snare::gdb {

/// The largest packet snare reads, payload bytes as sent (escapes included); announced to
/// gdb as `PacketSize` in the qSupported reply (hex). A longer packet is dropped and nacked.
inline constexpr std::size_t max_packet_size = 16384;

/// Returns the value of one hex digit, or -1 for any other byte.
constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Returns the lower-case hex digit of `v` (0..15).
constexpr char hex_digit(unsigned v) noexcept { return "0123456789abcdef"[v & 0xf]; }

/// Returns the protocol's checksum of `bytes`: their sum modulo 256.
constexpr std::uint8_t checksum(std::string_view bytes) noexcept {
  unsigned sum = 0;
  for (char c : bytes) sum += static_cast<unsigned char>(c);
  return static_cast<std::uint8_t>(sum & 0xff);
}

/// Appends `bytes` to `out` as hex, two lower-case digits a byte.
inline void append_hex(std::string& out, std::span<const std::byte> bytes) {
  for (std::byte b : bytes) {
    out += hex_digit(static_cast<unsigned>(b) >> 4);
    out += hex_digit(static_cast<unsigned>(b));
  }
}
inline void append_hex(std::string& out, std::string_view bytes) {
  append_hex(out, std::as_bytes(std::span(bytes.data(), bytes.size())));
}

/// Decodes hex text (two digits a byte) into `out`; false when `hex` has an odd length or
/// a byte that is no hex digit (`out` then holds what came before it).
inline bool decode_hex(std::string_view hex, std::string& out) {
  if (hex.size() % 2 != 0) return false;
  out.reserve(out.size() + hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi << 4 | lo);
  }
  return true;
}

/// Returns `payload` framed as a packet: `$`, the payload with `$ # } *` escaped (`}` then
/// the byte xor 0x20, as binary data is), `#` and the two-digit checksum of what was sent.
inline std::string frame(std::string_view payload) {
  std::string body;
  body.reserve(payload.size() + 8);
  for (char c : payload) {
    if (c == '$' || c == '#' || c == '}' || c == '*') {
      body += '}';
      body += static_cast<char>(c ^ 0x20);
    } else {
      body += c;
    }
  }
  std::uint8_t cs = checksum(body);
  std::string out;
  out.reserve(body.size() + 4);
  out += '$';
  out += body;
  out += '#';
  out += hex_digit(cs >> 4);
  out += hex_digit(cs);
  return out;
}

/// Splits the byte stream from gdb into what it holds: packets (checksum checked, escapes
/// and run-length encoding undone), acks `+`, nacks `-` and the interrupt byte 0x03. Bytes
/// outside a packet that are none of these are ignored, as gdbserver does. Memory is
/// bounded: a packet longer than max_packet_size, or one whose decoding would exceed it,
/// is reported as `bad` (the server nacks it) and its bytes are dropped.
class packet_reader {
 public:
  enum class kind : std::uint8_t {
    packet,     ///< a whole packet with a good checksum; payload() holds it decoded
    ack,        ///< `+`
    nack,       ///< `-`: gdb asks for the last reply again
    interrupt,  ///< 0x03 outside a packet: gdb asks the target to stop
    bad,        ///< a packet with a bad checksum, a bad escape or run, or too long
  };

  /// Consumes one byte; returns what it completes, if anything.
  std::optional<kind> feed(char c) {
    switch (state_) {
      case state::idle:
        if (c == '$') {
          raw_.clear();
          overflow_ = false;
          state_ = state::body;
          return std::nullopt;
        }
        if (c == '+') return kind::ack;
        if (c == '-') return kind::nack;
        if (c == '\x03') return kind::interrupt;
        return std::nullopt;
      case state::body:
        if (c == '#') {
          state_ = state::sum_hi;
          return std::nullopt;
        }
        if (c == '$') {  // a new packet starts: the old one was cut off (gdbserver does so too)
          raw_.clear();
          overflow_ = false;
          return kind::bad;
        }
        // The checksum is taken over raw_ at the end; raw_ is bounded, the rest dropped.
        if (raw_.size() < max_packet_size)
          raw_ += c;
        else
          overflow_ = true;
        return std::nullopt;
      case state::sum_hi:
        sum_hi_ = hex_value(c);
        state_ = state::sum_lo;
        return std::nullopt;
      case state::sum_lo: {
        state_ = state::idle;
        int lo = hex_value(c);
        if (overflow_ || sum_hi_ < 0 || lo < 0) return kind::bad;
        if (checksum(raw_) != (sum_hi_ << 4 | lo)) return kind::bad;
        return decode() ? kind::packet : kind::bad;
      }
    }
    return std::nullopt;
  }

  /// The payload of the last `packet`, decoded; valid until the next feed().
  std::string_view payload() const noexcept { return payload_; }

 private:
  // Undoes `}` escapes and `*` runs (a run repeats the byte before it n - 29 more times;
  // n is a printable byte, so at most 97 more), bounded by max_packet_size.
  bool decode() {
    payload_.clear();
    for (std::size_t i = 0; i < raw_.size(); ++i) {
      char c = raw_[i];
      if (c == '}') {
        if (++i == raw_.size()) return false;
        c = static_cast<char>(raw_[i] ^ 0x20);
      } else if (c == '*') {
        if (payload_.empty() || ++i == raw_.size()) return false;
        int n = static_cast<unsigned char>(raw_[i]) - 29;
        if (n < 1 || n > 97) return false;
        if (payload_.size() + static_cast<std::size_t>(n) > max_packet_size) return false;
        payload_.append(static_cast<std::size_t>(n), payload_.back());
        continue;
      }
      if (payload_.size() >= max_packet_size) return false;
      payload_ += c;
    }
    return true;
  }

  enum class state : std::uint8_t { idle, body, sum_hi, sum_lo };
  state state_ = state::idle;
  std::string raw_, payload_;
  int sum_hi_ = 0;
  bool overflow_ = false;
};

}  // namespace snare::gdb
