// Defines the decoder of prctl (strace's prctl.c): each option's arguments by what they
// are (signals, capabilities, flags, names, pointers the call fills in) and the results
// that carry a name (PR_GET_DUMPABLE's SUID_DUMP_*, PR_GET_SECUREBITS' SECBIT_* bits).
// Options it does not know print their arguments in hex, as strace does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/signals.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/call_id.hpp>

namespace snare::format::detail {

/// prctl's options, by their values in linux/prctl.h.
namespace pr {
inline constexpr std::uint32_t set_pdeathsig = 1, get_pdeathsig = 2, get_dumpable = 3, set_dumpable = 4,
                               get_unalign = 5, set_unalign = 6, get_keepcaps = 7, set_keepcaps = 8,
                               get_fpemu = 9, set_fpemu = 10, get_fpexc = 11, set_fpexc = 12, get_timing = 13,
                               set_timing = 14, set_name = 15, get_name = 16, get_endian = 19,
                               set_endian = 20, get_seccomp = 21, set_seccomp = 22, capbset_read = 23,
                               capbset_drop = 24, get_tsc = 25, set_tsc = 26, get_securebits = 27,
                               set_securebits = 28, set_timerslack = 29, get_timerslack = 30,
                               perf_disable = 31, perf_enable = 32, mce_kill = 33, mce_kill_get = 34,
                               set_mm = 35, set_child_subreaper = 36, get_child_subreaper = 37,
                               set_no_new_privs = 38, get_tid_address = 40, set_thp_disable = 41,
                               set_fp_mode = 45, get_fp_mode = 46, cap_ambient = 47,
                               get_speculation_ctrl = 52, set_speculation_ctrl = 53, set_io_flusher = 57,
                               set_syscall_user_dispatch = 59, sched_core = 62, set_ptracer = 0x59616d61,
                               set_vma = 0x53564d41;
}  // namespace pr

/// prctl: the option, then its arguments; the out-arguments at exit.
template <>
struct decoder<sys::call_id::prctl> {
  static std::uint32_t option(std::uint64_t v) noexcept { return static_cast<std::uint32_t>(v); }

  // Arguments from `first` to the fifth, in hex (strace's print_prctl_args).
  template <class P>
  static void hex_from(P& p, std::size_t first) {
    for (std::size_t i = first; i < 5; ++i) {
      p.out().append(", ");
      put_hex(p.out(), p.arg(i));
    }
  }
  // `, name` of v in x.
  template <class P>
  static void then_enum(P& p, const xlat& x, std::uint64_t v) {
    p.out().append(", ");
    put_enum(p.out(), x, v);
  }
  // At exit, the int arg2 points to: `[value]` printed by `put`, its address when unreadable
  // or the call failed.
  template <class P, class F>
  static void int_result(P& p, F put) {
    std::uint32_t v;
    if (p.failed() || !p.read_obj(p.arg(1), v)) return put_ptr(p.out(), p.arg(1));
    p.out().push_back('[');
    put(v);
    p.out().push_back(']');
  }

  // The options whose arg2 the call fills in, printed at exit.
  static bool fills_arg2(std::uint32_t o) noexcept {
    switch (o) {
      case pr::get_pdeathsig:
      case pr::get_unalign:
      case pr::get_fpemu:
      case pr::get_fpexc:
      case pr::get_name:
      case pr::get_endian:
      case pr::get_tsc:
      case pr::get_child_subreaper:
      case pr::get_tid_address:
        return true;
      default:
        return false;
    }
  }

  template <class P>
  static void put_args(P& p, bool exit) {
    std::string& out = p.out();
    std::uint32_t o = option(p.arg(0));
    std::uint64_t a2 = p.arg(1), a3 = p.arg(2);
    if (fills_arg2(o)) {
      if (!exit) {
        put_enum(out, prctl_option_xlat, o);
        out.append(", ");
        return;
      }
      switch (o) {
        case pr::get_pdeathsig:
          return int_result(p, [&](std::uint32_t v) { put_signal(out, static_cast<std::int32_t>(v)); });
        case pr::get_unalign:
          return int_result(p, [&](std::uint32_t v) { put_flags(out, pr_unalign_xlat, v); });
        case pr::get_tsc:
          return int_result(p, [&](std::uint32_t v) { put_enum(out, pr_tsc_xlat, v); });
        case pr::get_name:
          if (p.failed()) return put_ptr(out, a2);
          return p.put_cstring_n(a2, 16);  // TASK_COMM_LEN
        case pr::get_tid_address: {
          std::uint64_t v;
          if (p.failed() || !p.read_obj(a2, v)) return put_ptr(out, a2);
          out.push_back('[');
          put_ptr(out, v);
          out.push_back(']');
          return;
        }
        default:  // child_subreaper, endian, fpemu, fpexc: an unsigned int
          return int_result(p, [&](std::uint32_t v) { put_udec(out, v); });
      }
    }
    if (exit) return;
    put_enum(out, prctl_option_xlat, o);
    switch (o) {
      case pr::get_keepcaps:
      case pr::get_seccomp:
      case pr::get_timerslack:
      case pr::get_timing:
      case pr::get_dumpable:
      case pr::get_securebits:
      case pr::get_fp_mode:
      case pr::perf_disable:
      case pr::perf_enable:
        return;
      case pr::set_child_subreaper:
      case pr::set_endian:
      case pr::set_fpemu:
      case pr::set_fpexc:
      case pr::set_keepcaps:
      case pr::set_timing:
        out.append(", ");
        return put_udec(out, a2);
      case pr::set_dumpable:
        return then_enum(p, pr_dumpable_xlat, a2);
      case pr::capbset_read:
      case pr::capbset_drop:
        return then_enum(p, capability_xlat, a2);
      case pr::cap_ambient:
        then_enum(p, pr_cap_ambient_xlat, a2);
        if (a2 >= 1 && a2 <= 3) {  // IS_SET, RAISE, LOWER name a capability
          then_enum(p, capability_xlat, a3);
          return hex_from(p, 3);
        }
        return hex_from(p, 2);
      case pr::mce_kill:
        then_enum(p, pr_mce_kill_xlat, a2);
        out.append(", ");
        if (a2 == 1)  // PR_MCE_KILL_SET
          put_enum(out, pr_mce_kill_policy_xlat, a3);
        else
          put_hex(out, a3);
        return hex_from(p, 3);
      case pr::mce_kill_get:
        return hex_from(p, 1);
      case pr::set_name:
        out.append(", ");
        return p.put_cstring_n(a2, 15);  // TASK_COMM_LEN - 1
      case pr::set_mm:
        then_enum(p, pr_set_mm_xlat, a2 & 0xffffffffu);
        return hex_from(p, 2);
      case pr::set_pdeathsig:
        out.append(", ");
        if (a2 > 128) return put_udec(out, a2);
        return put_signal(out, static_cast<std::int32_t>(a2));
      case pr::set_ptracer:
        out.append(", ");
        if (static_cast<std::int32_t>(a2) == -1) return out.append("PR_SET_PTRACER_ANY"), void();
        return put_dec(out, static_cast<std::int32_t>(a2));
      case pr::set_seccomp:
        then_enum(p, seccomp_mode_xlat, a2);
        if (a2 == 1) return;  // SECCOMP_MODE_STRICT
        if (a2 == 2) return out.append(", "), put_ptr(out, a3);
        return hex_from(p, 2);
      case pr::set_securebits:
        out.append(", ");
        return put_flags(out, secbits_xlat, a2);
      case pr::set_timerslack:
        out.append(", ");
        return put_dec(out, static_cast<std::int64_t>(a2));
      case pr::set_tsc:
        return then_enum(p, pr_tsc_xlat, a2 & 0xffffffffu);
      case pr::set_unalign:
        out.append(", ");
        return put_flags(out, pr_unalign_xlat, a2 & 0xffffffffu);
      case pr::set_no_new_privs:
      case pr::set_thp_disable:
      case pr::set_io_flusher:
        out.append(", ");
        put_udec(out, a2);
        return hex_from(p, 2);
      case pr::set_fp_mode:
        out.append(", ");
        return put_flags(out, pr_fp_mode_xlat, a2 & 0xffffffffu);
      case pr::get_speculation_ctrl:
        return then_enum(p, pr_spec_cmd_xlat, a2);
      case pr::set_speculation_ctrl:
        then_enum(p, pr_spec_cmd_xlat, a2);
        out.append(", ");
        if (a2 <= 2)
          put_enum(out, pr_spec_set_xlat, a3);
        else
          put_hex(out, a3);
        return;
      case pr::set_syscall_user_dispatch:
        then_enum(p, pr_sud_cmd_xlat, a2);
        out.append(", ");
        put_hex(out, a3);
        out.append(", ");
        put_hex(out, p.arg(3));
        out.append(", ");
        return put_ptr(out, p.arg(4));
      case pr::set_vma:
        then_enum(p, pr_set_vma_xlat, a2);
        if (a2 != 0) return hex_from(p, 2);
        out.append(", ");
        put_ptr(out, a3);
        out.append(", ");
        put_udec(out, p.arg(3));
        out.append(", ");
        return p.put_cstring(p.arg(4), p.opts().string_limit);
      default:
        return hex_from(p, 1);
    }
  }

  template <class P>
  static void put_return(P& p) {
    std::string& out = p.out();
    auto ret = static_cast<std::uint64_t>(p.ret());
    switch (option(p.arg(0))) {
      case pr::get_dumpable: {  // = 1 (SUID_DUMP_USER)
        put_dec(out, p.ret());
        auto name = find_name(pr_dumpable_field, ret);
        if (!name.empty()) out.append(" (").append(name).push_back(')');
        return;
      }
      case pr::mce_kill_get: {
        put_dec(out, p.ret());
        auto name = find_name(pr_mce_kill_policy_field, ret);
        if (!name.empty()) out.append(" (").append(name).push_back(')');
        return;
      }
      case pr::get_securebits:
      case pr::get_fp_mode:  // = 0x3 (SECBIT_NOROOT|SECBIT_NOROOT_LOCKED)
        if (ret == 0) return p.put_return_value();
        put_hex(out, ret);
        out.append(" (");
        put_flags(out, option(p.arg(0)) == pr::get_securebits ? secbits_xlat : pr_fp_mode_xlat, ret);
        out.push_back(')');
        return;
      case pr::get_speculation_ctrl:
        if (p.arg(1) > 2) return p.put_return_value();
        put_hex(out, ret);
        out.append(" (");
        put_flags(out, pr_spec_get_xlat, ret);
        out.push_back(')');
        return;
      default:
        p.put_return_value();
    }
  }
};

}  // namespace snare::format::detail
