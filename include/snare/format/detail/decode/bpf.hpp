// Defines the decoder of bpf (strace's bpf.c): the command by name and union bpf_attr as
// the command reads it (bpf_attr.hpp, bpf_link.hpp, bpf_info.hpp), at entry, or in two
// halves for the commands whose attributes the kernel writes back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/bpf_attr.hpp>
#include <snare/format/detail/decode/bpf_fields.hpp>
#include <snare/format/detail/decode/bpf_info.hpp>
#include <snare/format/detail/decode/bpf_link.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// bpf: the command by name (the table); the attributes of commands 0..31 (up to
/// BPF_LINK_GET_NEXT_ID, as strace 6.1) read from `size` bytes (at most a page; read even when
/// the call failed), else the address; the size. Commands that create an fd return it as one.
template <>
struct decoder<sys::call_id::bpf> {
  // The entry_state slot of what the entry did: bit 0, printed the whole call; bit 1, the
  // result is an fd (strace's RVAL_DECODED and RVAL_FD).
  static constexpr std::size_t state_slot = 0;
  static constexpr std::uint32_t last_decoded = 31;  // BPF_LINK_GET_NEXT_ID

  /// Returns whether the command prints part of its attributes at exit.
  static constexpr bool two_halves(std::uint32_t cmd) noexcept {
    switch (cmd) {
      case 11:
      case 12:
      case 23:
      case 31:  // *_GET_NEXT_ID
      case 15:  // OBJ_GET_INFO_BY_FD
      case 16:  // PROG_QUERY
      case 20:  // TASK_FD_QUERY
      case 24:
      case 25:
      case 26:
      case 27:  // the map batches
        return true;
      default:
        return false;
    }
  }
  /// Returns whether a decoded command's result is an fd (strace's RVAL_FD).
  static constexpr bool returns_fd(std::uint32_t cmd) noexcept {
    switch (cmd) {
      case 0:
      case 5:
      case 6:
      case 7:
      case 13:
      case 14:
      case 18:
      case 19:
      case 28:
      case 30:
        return true;
      default:
        return false;
    }
  }

  // Prints the attributes of a command decoded at entry from `data`.
  template <class P>
  static void put_entry_attr(P& p, std::uint32_t cmd, std::string_view data) {
    switch (cmd) {
      case 0:
        return put_bpf_map_create(p, data);
      case 1:
      case 2:
      case 3:
      case 4:
      case 21:
      case 22:
        return put_bpf_map_elem(p, data, cmd);
      case 5:
        return put_bpf_prog_load(p, data);
      case 6:
      case 7:
        return put_bpf_obj_pin(p, data);
      case 8:
      case 9:
        return put_bpf_prog_attach(p, data, cmd == 8);
      case 10:
        return put_bpf_test_run(p, data);
      case 13:
        return put_bpf_get_fd_by_id(p, data, "prog_id");
      case 14:
        return put_bpf_get_fd_by_id(p, data, "map_id");
      case 17:
        return put_bpf_raw_tp(p, data);
      case 18:
        return put_bpf_btf_load(p, data);
      case 19:
        return put_bpf_one_id(p, data, "btf_id");
      case 28:
        return put_bpf_link_create(p, data);
      case 29:
        return put_bpf_link_update(p, data);
      case 30:
        return put_bpf_one_id(p, data, "link_id");
      default:
        return;
    }
  }
  // Prints a two-halves command's attributes at entry (`exit` false) or exit.
  template <class P>
  static void put_halves(P& p, std::uint32_t cmd, std::string_view data, bool exit) {
    switch (cmd) {
      case 15:
        return put_bpf_obj_info(p, data, exit);
      case 16:
        return put_bpf_prog_query(p, data, exit);
      case 20:
        return put_bpf_task_fd_query(p, data, exit);
      case 24:
      case 25:
      case 26:
      case 27:
        return put_bpf_batch(p, data, cmd, exit);
      default:
        return put_bpf_next_id(p, data, exit);
    }
  }

  template <class P>
  static void put_args(P& p, bool exit) {
    std::string& out = p.out();
    const auto cmd = static_cast<std::uint32_t>(p.arg(0)), size = static_cast<std::uint32_t>(p.arg(2));
    const std::uint64_t addr = p.arg(1);
    auto size_arg = [&] { out.append(", "), put_udec(out, size); };
    // -e verbose= leaving the call out: the address, as strace's umoven_or_printaddr.
    const bool decoded = size > 0 && size <= 4096 && cmd <= last_decoded && p.opts().decode_structs;
    if (!exit) {
      put_enum(out, bpf_cmd_xlat, cmd);
      out.append(", ");
      if (!decoded || !p.read_exact(addr, size)) {
        p.keep(state_slot, 1);
        return put_ptr(out, addr), size_arg();
      }
      const std::string data = scratch();  // the printers below use the scratch buffer
      if (two_halves(cmd)) return p.keep(state_slot, 0), put_halves(p, cmd, data, false);
      p.keep(state_slot, returns_fd(cmd) ? 3 : 1);
      put_entry_attr(p, cmd, data);
      return size_arg();
    }
    std::int32_t state = 0;
    if (!decoded || !two_halves(cmd) || (p.saved(state_slot, state) && (state & 1))) return;
    if (!p.read_exact(addr, size)) return put_ptr(out, addr), size_arg();
    const std::string data = scratch();
    put_halves(p, cmd, data, true);
    size_arg();
  }

  template <class P>
  static void put_return(P& p) {
    const auto cmd = static_cast<std::uint32_t>(p.arg(0)), size = static_cast<std::uint32_t>(p.arg(2));
    std::int32_t state = 0;
    bool fd = p.saved(state_slot, state) ? (state & 2) != 0 : returns_fd(cmd) && size > 0 && size <= 4096;
    // A map's, program's, link's or BTF object's fd; a number past INT_MAX plainly, as strace.
    if (fd && p.ret() <= 0x7fffffff) return p.put_fd(p.ret());
    p.put_return_value();
  }
};

}  // namespace snare::format::detail
