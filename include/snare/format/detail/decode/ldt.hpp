// Defines the decoders of x86 segment descriptors (strace's ldt.c): struct user_desc for
// modify_ldt, set_thread_area and get_thread_area, and modify_ldt's result, an int the
// kernel returns zero-extended (`= 4294967258 ENOSYS (...)`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/errno_table.hpp>
#include <snare/format/detail/out.hpp>

namespace snare::format::detail {

/// struct user_desc of asm/ldt.h: three words, then the flag bits in one.
struct user_desc {
  std::uint32_t entry_number, base_addr, limit, bits;
};

/// Appends a user_desc's entry number as strace's PRINT_FIELD_ID: -1, or unsigned.
inline void put_entry_number(std::string& out, std::uint32_t v) {
  if (v == 0xffffffffu) return out.append("-1"), void();
  put_udec(out, v);
}

/// Appends the fields of a user_desc after its entry number, and the closing brace
/// (PRINT_FIELD_0X for the address and limit: `%#08x`; `lm` as on a 64-bit tracee).
inline void put_user_desc_rest(std::string& out, const user_desc& d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, ", base_addr=%#08x", d.base_addr);
  out.append(buf);
  std::snprintf(buf, sizeof buf, ", limit=%#08x", d.limit);
  out.append(buf);
  static constexpr struct {
    const char* name;
    unsigned shift, width;
  } fields[] = {{"seg_32bit", 0, 1},
                {"contents", 1, 2},
                {"read_exec_only", 3, 1},
                {"limit_in_pages", 4, 1},
                {"seg_not_present", 5, 1},
                {"useable", 6, 1},
                {"lm", 7, 1}};
  for (const auto& f : fields) {
    out.append(", ").append(f.name).push_back('=');
    put_udec(out, (d.bits >> f.shift) & ((1u << f.width) - 1));
  }
  out.push_back('}');
}

/// Appends the whole user_desc at `addr`, or its address (NULL) when unreadable.
template <class P>
void put_user_desc(P& p, std::uint64_t addr) {
  std::string& out = p.out();
  user_desc d;
  if (addr == 0) return out.append("NULL"), void();
  if (!p.read_obj(addr, d)) return put_ptr(out, addr);
  out.append("{entry_number=");
  put_entry_number(out, d.entry_number);
  put_user_desc_rest(out, d);
}

/// modify_ldt: the descriptor when bytecount is its size, and the result as the kernel's
/// int: one in -4095..-1 read back as unsigned is still an error (strace's modify_ldt).
template <>
struct decoder<sys::call_id::modify_ldt> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 1) return false;
    if (p.arg(2) != sizeof(user_desc)) return put_ptr(p.out(), p.arg(1)), true;
    return put_user_desc(p, p.arg(1)), true;
  }
  template <class P>
  static void put_return(P& p) {
    auto r = static_cast<std::uint64_t>(p.ret());
    p.put_return_value();
    if (r < 0xfffff000u || r > 0xffffffffu) return;
    int err = static_cast<int>(-static_cast<std::int32_t>(r));
    errno_entry e = errno_info(err);
    std::string& out = p.out();
    if (e.name.empty()) {
      out.append(" (errno ");
      put_dec(out, err);
      out.push_back(')');
      return;
    }
    out.push_back(' ');
    out.append(e.name).append(" (").append(e.message).push_back(')');
  }
};

/// set_thread_area: the descriptor at entry; the entry number the kernel chose after a
/// success, `= 0 (entry_number=12)`.
template <>
struct decoder<sys::call_id::set_thread_area> {
  template <class P>
  static bool at_exit(const P&, std::size_t) {
    return false;
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 0) return false;
    return put_user_desc(p, p.arg(0)), true;
  }
  template <class P>
  static void put_return(P& p) {
    p.put_return_value();
    user_desc d;
    if (p.arg(0) == 0 || !p.read_obj(p.arg(0), d)) return;
    p.out().append(" (entry_number=");
    put_udec(p.out(), d.entry_number);
    p.out().push_back(')');
  }
};

/// get_thread_area: the entry number asked for at entry, the rest of the descriptor at
/// exit, `...` in its place after a failure (the kernel keeps the entry number).
template <>
struct decoder<sys::call_id::get_thread_area> {
  template <class P>
  static void put_args(P& p, bool exit) {
    std::string& out = p.out();
    std::uint64_t addr = p.arg(0);
    std::uint32_t entry = 0;
    if (!exit) {
      if (addr == 0) return out.append("NULL"), void();
      if (!p.read_obj(addr, entry)) return put_ptr(out, addr);
      out.append("{entry_number=");
      return put_entry_number(out, entry);
    }
    if (addr == 0 || !p.read_obj(addr, entry)) return;  // the entry printed the address
    user_desc d;
    if (p.failed() || !p.read_obj(addr, d)) return out.append(", ...}"), void();
    put_user_desc_rest(out, d);
  }
};

}  // namespace snare::format::detail
