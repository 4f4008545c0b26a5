// Defines the gdbserver's qXfer objects built from the guest: the thread list with names
// (qXfer:threads:read) and the shared library list (qXfer:libraries-svr4:read), read from the
// dynamic linker's r_debug in guest memory.
#pragma once

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <snare/backend/ptrace/memory.hpp>
#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>
#include <snare/gdb/protocol/request.hpp>

namespace snare::gdb::detail {

// Returns the file at `path` (a small /proc file), or nullopt when it cannot be read.
inline std::optional<std::string> read_small_file(const std::string& path) {
  snare::detail::unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = snare::detail::retry_eintr([&] { return ::read(fd.get(), buf, sizeof buf); });
    if (n < 0) return std::nullopt;
    if (n == 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > (1u << 20)) return std::nullopt;  // /proc files this server reads are small
  }
}

// Appends `text` with XML's five special characters escaped, and other control bytes as
// character references.
inline void append_xml_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char ref[8];
          std::snprintf(ref, sizeof ref, "&#%d;", c);
          out += ref;
        } else {
          out += c;
        }
    }
  }
}

// Returns the name of thread `tid` of process `pid` (/proc/PID/task/TID/comm, proc(5): at
// most 15 bytes, what prctl(PR_SET_NAME) or pthread_setname_np set), empty when gone.
inline std::string thread_name(pid_t pid, pid_t tid) {
  auto comm = read_small_file("/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/comm");
  if (!comm) return {};
  if (!comm->empty() && comm->back() == '\n') comm->pop_back();
  return *comm;
}

// Returns the qXfer:threads:read document (gdb's threads.dtd) for `threads`, of one process
// or more: `<thread id="pPID.TID" name="NAME"/>` each.
inline std::string threads_document(std::span<const thread_id> threads) {
  std::string out = "<?xml version=\"1.0\"?>\n<threads>\n";
  char id[64];
  for (const thread_id& t : threads) {
    const auto pid = static_cast<pid_t>(t.pid), tid = static_cast<pid_t>(t.tid);
    std::snprintf(id, sizeof id, "p%x.%x", static_cast<unsigned>(pid), static_cast<unsigned>(tid));
    out += "<thread id=\"";
    out += id;
    out += '"';
    if (auto name = thread_name(pid, tid); !name.empty()) {
      out += " name=\"";
      append_xml_escaped(out, name);
      out += '"';
    }
    out += "/>\n";
  }
  return out + "</threads>\n";
}

// Reads a T from the guest's memory at `address`; nullopt when it cannot be read whole.
template <class T>
std::optional<T> read_guest(pid_t pid, std::uint64_t address) {
  T v{};
  auto n = backend::ptrace_detail::read_memory(pid, address, std::as_writable_bytes(std::span(&v, 1)));
  if (!n || *n != sizeof v) return std::nullopt;
  return v;
}

// Returns the address of the dynamic linker's r_debug in process `pid` (the main program's
// DT_DEBUG, which ld.so fills in: <link.h>): the program headers from the auxv's AT_PHDR
// and AT_PHNUM, the load bias from PT_PHDR, PT_DYNAMIC's entries read from memory. 0 while
// ld.so has not set it yet (before it runs) or for a static program; nullopt when the auxv
// or the headers cannot be read.
inline std::optional<std::uint64_t> r_debug_address(pid_t pid) {
  auto auxv = read_small_file("/proc/" + std::to_string(pid) + "/auxv");
  if (!auxv) return std::nullopt;
  std::uint64_t phdr = 0, phnum = 0;
  for (std::size_t at = 0; at + sizeof(Elf64_auxv_t) <= auxv->size(); at += sizeof(Elf64_auxv_t)) {
    Elf64_auxv_t a;
    std::memcpy(&a, auxv->data() + at, sizeof a);
    if (a.a_type == AT_PHDR) phdr = a.a_un.a_val;
    if (a.a_type == AT_PHNUM) phnum = a.a_un.a_val;
  }
  if (phdr == 0 || phnum == 0 || phnum > 256) return std::nullopt;
  std::vector<Elf64_Phdr> headers(phnum);
  auto n = backend::ptrace_detail::read_memory(pid, phdr, std::as_writable_bytes(std::span(headers)));
  if (!n || *n != headers.size() * sizeof(Elf64_Phdr)) return std::nullopt;
  std::uint64_t bias = 0, dynamic = 0;
  for (const auto& h : headers)
    if (h.p_type == PT_PHDR) bias = phdr - h.p_vaddr;
  for (const auto& h : headers)
    if (h.p_type == PT_DYNAMIC) dynamic = h.p_vaddr + bias;
  if (dynamic == 0) return 0;  // a static program: no dynamic linker
  for (int i = 0; i < 4096; ++i) {
    auto d = read_guest<Elf64_Dyn>(pid, dynamic + static_cast<std::uint64_t>(i) * sizeof(Elf64_Dyn));
    if (!d) return std::nullopt;
    if (d->d_tag == DT_NULL) return 0;
    if (d->d_tag == DT_DEBUG) return d->d_un.d_ptr;
  }
  return 0;
}

// Returns a NUL-terminated string of the guest's at `address` (at most 4096 bytes).
inline std::string read_guest_string(pid_t pid, std::uint64_t address) {
  std::string out;
  char buf[256];
  while (out.size() < 4096) {
    auto n = backend::ptrace_detail::read_memory(pid, address + out.size(),
                                                 std::as_writable_bytes(std::span(buf)));
    if (!n || *n == 0) break;
    std::string_view got(buf, *n);
    auto nul = got.find('\0');
    out += got.substr(0, nul);
    if (nul != std::string_view::npos) break;
  }
  return out;
}

// Returns the qXfer:libraries-svr4:read document (gdb's library-list-svr4.dtd) of process
// `pid`: the link_map list from r_debug.r_map, its first entry (the main program) as
// main-lm, each other one with a name as `<library name= lm= l_addr= l_ld= lmid=/>`, as
// gdbserver builds it (lmid 0: the base namespace; dlmopen's others are not read). An empty list while ld.so
// has not set r_debug; nullopt when the program's headers cannot be read.
inline std::optional<std::string> libraries_document(pid_t pid) {
  auto r_debug = r_debug_address(pid);
  if (!r_debug) return std::nullopt;
  std::string out = "<library-list-svr4 version=\"1.0\"";
  std::uint64_t lm = 0;
  if (*r_debug != 0) {
    if (auto map = read_guest<std::uint64_t>(pid, *r_debug + offsetof(struct r_debug, r_map))) lm = *map;
  }
  if (lm == 0) return out + "/>";
  char attr[160];
  std::snprintf(attr, sizeof attr, " main-lm=\"0x%llx\">", static_cast<unsigned long long>(lm));
  out += attr;
  std::uint64_t prev = lm;
  // Bounded: a guest whose list loops is cut off rather than read forever.
  for (int i = 0; i < 4096; ++i) {
    auto next = read_guest<std::uint64_t>(pid, prev + offsetof(struct link_map, l_next));
    if (!next || *next == 0) break;
    lm = *next;
    auto entry = read_guest<struct link_map>(pid, lm);
    if (!entry) break;
    prev = lm;
    std::string name = read_guest_string(pid, reinterpret_cast<std::uint64_t>(entry->l_name));
    if (name.empty()) continue;  // skipped, as gdbserver does
    out += "<library name=\"";
    append_xml_escaped(out, name);
    std::snprintf(attr, sizeof attr, "\" lm=\"0x%llx\" l_addr=\"0x%llx\" l_ld=\"0x%llx\" lmid=\"0x0\"/>",
                  static_cast<unsigned long long>(lm), static_cast<unsigned long long>(entry->l_addr),
                  static_cast<unsigned long long>(reinterpret_cast<std::uint64_t>(entry->l_ld)));
    out += attr;
  }
  return out + "</library-list-svr4>";
}

}  // namespace snare::gdb::detail
