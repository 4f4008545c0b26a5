// Defines strace::session::append_dumps: the hex dumps of -e read=SET and -e write=SET after
// a call's line, as strace's dumpio (util.c dumpstr, dumpiov_upto; msghdr.c, mmsghdr.c).
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include <snare/sys/x86_64.hpp>

#include "session.hpp"

namespace strace {
namespace {

namespace x64 = snare::sys::x86_64;

// Appends the hex dump lines of `data`, the bytes at offset `base` of a dump: offset, 16
// bytes in two groups, their characters (strace's dumpstr). `offs_chars` is the offset's width.
void hex_dump_lines(std::string& out, const std::string& data, std::size_t base, int offs_chars) {
  static constexpr char digits[] = "0123456789abcdef";
  std::size_t len = data.size();
  for (std::size_t i = 0; i < len; i += 16) {
    char head[48];
    std::snprintf(head, sizeof head, " | %0*zx  ", std::clamp(offs_chars, 1, 16), base + i);
    out += head;
    for (std::size_t k = 0; k < 16; ++k) {
      if (i + k < len) {
        auto c = static_cast<unsigned char>(data[i + k]);
        out += digits[c >> 4];
        out += digits[c & 15];
      } else {
        out += "  ";
      }
      out += ' ';
      if (k == 7) out += ' ';
    }
    out += ' ';
    for (std::size_t k = 0; k < 16; ++k) {
      auto c = i + k < len ? static_cast<unsigned char>(data[i + k]) : ' ';
      out += i + k < len ? (c >= ' ' && c <= 0x7e ? static_cast<char>(c) : '.') : ' ';
    }
    out += " |\n";
  }
}

// Appends strace's dump of the `len` bytes at `addr` (dumpstr): read in 64 KiB pieces; where
// memory ends after the first, ` | <Cannot fetch 2 bytes from pid 42 @0x7f...>`, nothing
// when the first piece is unreadable.
void dump_str(std::string& out, memory_ref mem, pid_t tid, std::uint64_t addr, std::uint64_t len) {
  constexpr std::uint64_t piece = 1u << 16;
  if (len > len + 16 || addr + len < addr) return;  // strace skips what would wrap
  // strace widens the offset past 5 digits only for dumps over 1 MiB.
  int offs_chars = 5;
  if (len > (1u << 20)) {
    offs_chars = 1;
    for (std::uint64_t v = (len - 1) >> 4; v; v >>= 4) ++offs_chars;
  }
  std::string data;
  for (std::uint64_t i = 0; i < len; i += piece) {
    auto n = static_cast<std::size_t>(std::min(len - i, piece));
    if (!read_all(mem, addr + i, n, data)) {
      if (i == 0) return;
      char msg[128];
      std::snprintf(msg, sizeof msg, " | <Cannot fetch %zu byte%s from pid %d @%#llx>\n", n,
                    n == 1 ? "" : "s", static_cast<int>(tid), static_cast<unsigned long long>(addr + i));
      out += msg;
      return;
    }
    hex_dump_lines(out, data, static_cast<std::size_t>(i), offs_chars);
  }
}

// Dumps `count` iovecs at `iov`, at most `budget` bytes in all (strace's dumpiov_upto: the
// whole array is read first, nothing dumped when it cannot be).
void dump_iov(std::string& out, memory_ref mem, pid_t tid, std::uint64_t iov, std::uint64_t count,
              std::uint64_t budget) {
  std::string vecs;
  if (count == 0 || count > (1u << 20) || !read_all(mem, iov, static_cast<std::size_t>(16 * count), vecs))
    return;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t v[2];
    std::memcpy(v, vecs.data() + 16 * i, sizeof v);
    std::uint64_t len = std::min(v[1], budget);
    if (len == 0) break;
    budget -= len;
    out += " * " + std::to_string(len) + " bytes in buffer " + std::to_string(i) + "\n";
    dump_str(out, mem, tid, v[0], len);
  }
}

// Dumps the iovecs of the struct msghdr at `msg` (strace's dumpiov_in_msghdr).
void dump_msghdr(std::string& out, memory_ref mem, pid_t tid, std::uint64_t msg, std::uint64_t budget) {
  std::string raw;
  std::uint64_t iov[2];  // msg_iov, msg_iovlen: offsets 16 and 24 of the 56-byte msghdr
  if (!read_all(mem, msg + 16, sizeof iov, raw)) return;
  std::memcpy(iov, raw.data(), sizeof iov);
  dump_iov(out, mem, tid, iov[0], iov[1], budget);
}

// Dumps the messages a sendmmsg or recvmmsg moved, `count` (its result) of the 64-byte
// struct mmsghdr at `vec`: ` = 2 buffers in vector 0`, then each one's iovecs up to its
// msg_len (strace's dumpiov_in_mmsghdr).
void dump_mmsghdr(std::string& out, memory_ref mem, pid_t tid, std::uint64_t vec, std::uint64_t count) {
  std::string raw;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t m[8];
    if (!read_all(mem, vec + 64 * i, sizeof m, raw)) break;
    std::memcpy(m, raw.data(), sizeof m);
    out += " = " + std::to_string(m[3]) + " buffers in vector " + std::to_string(i) + "\n";
    dump_iov(out, mem, tid, m[2], m[3],
             static_cast<std::uint32_t>(m[7]));  // msg_len: the low half of the 8th word
  }
}

}  // namespace

bool read_all(memory_ref mem, std::uint64_t addr, std::size_t n, std::string& out) {
  out.resize(n);
  std::size_t done = 0;
  while (done < n) {
    auto got = mem.read_bytes(addr + done, std::as_writable_bytes(std::span(out.data() + done, n - done)));
    if (!got || *got == 0) return false;
    done += *got;
  }
  return true;
}

void session::append_dumps(std::string& line, pid_t tid, const thread_info& t, long ret, memory_ref mem) {
  auto fd = static_cast<std::int32_t>(t.args[0]);
  if (fd < 0) return;
  bool failed = ret < 0 && ret >= -4095;
  const long nr = t.nr;
  // strace's dumpio: writes are dumped even when the call failed, reads only when it did not.
  if (opts_.write_fds.test(static_cast<std::size_t>(fd))) {
    if (nr == x64::write::number || nr == x64::pwrite64::number || nr == x64::sendto::number ||
        nr == x64::mq_timedsend::number) {
      dump_str(line, mem, tid, t.args[1], t.args[2]);
    } else if (nr == x64::writev::number || nr == x64::pwritev::number || nr == x64::pwritev2::number ||
               nr == x64::vmsplice::number) {
      dump_iov(line, mem, tid, t.args[1], t.args[2], ~std::uint64_t{0});
    } else if (nr == x64::sendmsg::number) {
      dump_msghdr(line, mem, tid, t.args[1], ~std::uint64_t{0});
    } else if (nr == x64::sendmmsg::number && !failed) {
      dump_mmsghdr(line, mem, tid, t.args[1], static_cast<std::uint64_t>(ret));
    }
  }
  if (failed || !opts_.read_fds.test(static_cast<std::size_t>(fd))) return;
  if (nr == x64::read::number || nr == x64::pread64::number || nr == x64::recvfrom::number ||
      nr == x64::mq_timedreceive::number) {
    if (ret > 0) dump_str(line, mem, tid, t.args[1], static_cast<std::uint64_t>(ret));
  } else if (nr == x64::readv::number || nr == x64::preadv::number || nr == x64::preadv2::number) {
    dump_iov(line, mem, tid, t.args[1], t.args[2], static_cast<std::uint64_t>(ret));
  } else if (nr == x64::recvmsg::number) {
    dump_msghdr(line, mem, tid, t.args[1], static_cast<std::uint64_t>(ret));
  } else if (nr == x64::recvmmsg::number) {
    dump_mmsghdr(line, mem, tid, t.args[1], static_cast<std::uint64_t>(ret));
  }
}

}  // namespace strace
