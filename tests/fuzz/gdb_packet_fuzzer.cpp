// libFuzzer target on the GDB remote protocol layer: any bytes from the socket go through
// the packet reader and every packet through the parser; neither may crash, overrun, leak or
// allocate without bound (ASan + UBSan, libFuzzer's -rss_limit_mb and -malloc_limit_mb),
// and framing is checked to round-trip: a payload framed by frame() reads back the same.
#include <snare/gdb/protocol.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

// Touches what a request holds, so that a bad view or a bad size shows under ASan, and
// encodes a reply from it as the server would.
void use(const snare::gdb::request_type& r) {
  using namespace snare::gdb;
  std::visit(
      [](const auto& q) {
        using T = std::decay_t<decltype(q)>;
        if constexpr (std::is_same_v<T, request::read_memory>) {
          check(q.length <= max_read_size);
        } else if constexpr (std::is_same_v<T, request::xfer_read>) {
          check(q.length <= max_read_size);
          std::string chunk = reply::xfer_chunk(q.annex, q.offset, q.length);
          check(chunk.size() <= q.annex.size() + 1);
        } else if constexpr (std::is_same_v<T, request::resume>) {
          check(!q.actions.empty() && q.actions.size() <= 64);
          for (const auto& a : q.actions)
            if (a.thread) (void)reply::stopped(a.signal, *a.thread);
        } else if constexpr (std::is_same_v<T, request::write_memory>) {
          (void)frame(q.bytes);
        } else if constexpr (std::is_same_v<T, request::monitor>) {
          (void)reply::console(q.command);
        }
      },
      r);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace snare::gdb;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  // The stream as it comes from gdb.
  packet_reader reader;
  for (char c : bytes) {
    auto got = reader.feed(c);
    if (!got || *got != packet_reader::kind::packet) continue;
    std::string_view payload = reader.payload();
    check(payload.size() <= max_packet_size);
    use(parse(payload));
  }

  // The bytes as one decoded payload (what a packet may hold after escapes are undone).
  if (size <= max_packet_size) {
    use(parse(bytes));
    // Round trip: frame() then the reader gives the payload back, exactly.
    packet_reader again;
    std::string framed = frame(bytes);
    int packets = 0;
    for (char c : framed) {
      auto got = again.feed(c);
      if (!got) continue;
      check(*got == packet_reader::kind::packet);
      check(again.payload() == bytes);
      ++packets;
    }
    check(packets == 1);
  }
  return 0;
}
