// Defines put_array_of, strace's print_array for guest arrays of structs of any size (the
// printer's put_array takes elements of at most 8 bytes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include <snare/format/detail/out.hpp>

namespace snare::format::detail {

/// Appends `count` elements of type T at `addr` as strace's print_array: NULL, `[]`,
/// `[a, b, ...]` cut at the string limit (not with -v), `[a, ... /* 0x7f... */]` where memory
/// ends, or the address when the first element cannot be read or the array would wrap.
/// `put(const T&)` prints one element; one that returns bool stops the array by returning
/// false (strace's print_fn, having printed what ends it). T is copied out of guest memory whole (no
/// unaligned reads of guest structs).
template <class T, class P, class Put>
void put_array_of(P& p, std::uint64_t addr, std::uint64_t count, Put put) {
  std::string& out = p.out();
  if (addr == 0) return out.append("NULL"), void();
  if (count == 0) return out.append("[]"), void();
  constexpr std::uint64_t size = sizeof(T);
  if (count > ~std::uint64_t{0} / size || addr + count * size < addr) return put_ptr(out, addr);
  for (std::uint64_t k = 0; k < count; ++k) {
    if (k) out.append(", ");
    T v;
    if (!p.read_obj(addr + k * size, v)) {
      if (k == 0) return put_ptr(out, addr);
      out.append("... /* ");
      put_hex(out, addr + k * size);
      out.append(" */");
      break;
    }
    if (k == 0) out.push_back('[');
    if (!p.opts().verbose && k == p.opts().string_limit) {
      out.append("...");
      break;
    }
    if constexpr (std::is_same_v<decltype(put(v)), bool>) {
      if (!put(v)) break;
    } else {
      put(v);
    }
  }
  out.push_back(']');
}

}  // namespace snare::format::detail
