// Defines put_err, an errno value printed as strace's print_err does where a structure or
// an array holds one (SO_ERROR's value, move_pages' per-page status).
#pragma once

#include <cstdint>
#include <string>

#include <snare/format/detail/errno_table.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// Appends errno value `err` (`-err` when `negated`, a negative status): ECONNREFUSED or
/// -EFAULT by name, the number alone with -X raw or for an unnamed value, both with -X
/// verbose (`-14 /* -EFAULT */`).
inline void put_err(std::string& out, std::int64_t err, bool negated) {
  std::int64_t e = negated ? -err : err;
  std::string_view name = e > 0 && e < 4096 ? errno_info(static_cast<int>(e)).name : std::string_view{};
  if (name.empty() || !xlat_abbrev()) {
    if (negated)
      put_dec(out, err);
    else
      put_udec(out, static_cast<std::uint64_t>(err));
  }
  if (name.empty() || xlat_raw()) return;
  if (xlat_verbose()) out.append(" /* ");
  if (negated) out.push_back('-');
  out.append(name);
  if (xlat_verbose()) out.append(" */");
}

}  // namespace snare::format::detail
