// Defines how execve's string arrays print (strace's execve.c): argv in full up to the
// string limit, envp as `0x... /* 23 vars */` unless verbose; and put_symbolic, which
// prints any flag set or enumeration argument by its table or special form.
#pragma once

#include <cstdint>
#include <string>

#include <snare/format/detail/decode/fd.hpp>
#include <snare/format/detail/decode/fs.hpp>
#include <snare/format/detail/decode/ioctl.hpp>
#include <snare/format/detail/decode/memory.hpp>
#include <snare/format/detail/decode/process.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/format/options.hpp>
#include <snare/sys/arg.hpp>

namespace snare::format::detail {

using sys::flag_set;

/// Appends `v` from a flag set or enumeration: the set's special form where strace has one,
/// else its generated table.
inline void put_symbolic(std::string& out, flag_set set, std::uint64_t v) {
  switch (set) {
    case flag_set::ioctl_request:
      return put_ioctl_request(out, v);
    case flag_set::futex_op:
      return put_futex_op(out, v);
    case flag_set::clone_flags:
      return put_clone_flags(out, v);
    case flag_set::mmap_flags:
      return put_mmap_flags(out, v);
    case flag_set::personality:
      return put_personality(out, v);
    case flag_set::quotactl_cmd:
      return put_quotactl_cmd(out, v);
    default:
      break;
  }
  const xlat* x = xlat_for(set);
  if (x == nullptr) return put_hex(out, v);  // flag_set::none: no set
  std::uint64_t v32 = v & 0xffffffffu;       // flags and enumerations are C ints
  // A negative enumerator (RUSAGE_CHILDREN) is in the table sign-extended.
  auto sx = static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(v32)));
  if (x->field_mask == ~std::uint64_t{0} && sx != v32 && find_name(x->field, v32).empty() &&
      !find_name(x->field, sx).empty())
    return put_enum(out, *x, sx);
  put_flags(out, *x, v32);
}

/// Appends a NULL-terminated array of strings at `addr`: `["ls", "-l"]`, or with
/// `abbreviate` its address and count, `0x7ffd... /* 23 vars */`; only the address when
/// the call is not decoded verbosely (options::decode_structs).
template <class P>
void put_string_array(P& p, std::uint64_t addr, bool abbreviate) {
  std::string& out = p.out();
  const options& o = p.opts();
  if (addr == 0) return out.append("NULL"), void();
  if (!o.decode_structs) return put_hex(out, addr);
  std::uint64_t first = 0;
  if (!p.read_obj(addr, first)) return put_hex(out, addr);
  if (abbreviate) {
    std::uint64_t count = 0, elem = first;
    bool unterminated = false;  // memory ends before the NULL
    while (elem != 0 && count < 1u << 20) {
      ++count;
      if (!p.read_obj(addr + 8 * count, elem)) {
        unterminated = true;
        break;
      }
    }
    put_hex(out, addr);
    out.append(" /* ");
    put_udec(out, count);
    out.append(count == 1 ? " var" : " vars");
    out.append(unterminated ? ", unterminated */" : " */");
    return;
  }
  out.push_back('[');
  std::uint64_t elem = first;
  for (std::size_t i = 0; elem != 0; ++i) {
    if (i) out.append(", ");
    // The element count is cut at the string limit too, unless verbose (strace -v prints
    // every element of argv and envp).
    if (!o.verbose && i == o.string_limit) {
      out.append("...");
      break;
    }
    p.put_cstring(elem, o.string_limit);
    if (!p.read_obj(addr + 8 * (i + 1), elem)) {  // memory ends: where, as strace's printargv
      out.append(", ");
      p.put_unreadable_tail(addr + 8 * (i + 1));
      break;
    }
  }
  out.push_back(']');
}

}  // namespace snare::format::detail
