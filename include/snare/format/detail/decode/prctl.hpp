// Defines the decoder of prctl (strace's prctl.c): each option's arguments by what they
// are (signals, capabilities, flags, names, pointers the call fills in) and the results
// that carry a name (PR_GET_DUMPABLE's SUID_DUMP_*, PR_GET_SECUREBITS' SECBIT_* bits).
// Options it does not know print their arguments in hex, as strace does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decode/bpf_filter.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/signals.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/format/fd_resolver.hpp>
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
                               set_fp_mode = 45, get_fp_mode = 46, cap_ambient = 47, sve_set_vl = 50,
                               sve_get_vl = 51, get_speculation_ctrl = 52, set_speculation_ctrl = 53,
                               pac_reset_keys = 54, set_tagged_addr_ctrl = 55, get_tagged_addr_ctrl = 56,
                               set_io_flusher = 57, set_syscall_user_dispatch = 59, pac_set_enabled_keys = 60,
                               pac_get_enabled_keys = 61, sched_core = 62, sme_set_vl = 63, sme_get_vl = 64,
                               set_ptracer = 0x59616d61, set_vma = 0x53564d41;
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

  // Appends the names of `v` in `x` when one is known: strace's result comments
  // (SPFF_AUXSTR_MODE), by name whatever -X says; false when none is known.
  static bool aux_names(std::string& out, const xlat& x, std::uint64_t v) {
    xlat_style_scope names(xlat_style::abbrev);
    std::size_t mark = out.size();
    if (put_flag_names(out, x, v)) return true;
    out.resize(mark);
    return false;
  }
  // `= 0x3 (NAMES)`: the result in hex, then its names unless -X raw or none is known.
  template <class P>
  static void hex_with_names(P& p, const xlat& x) {
    std::string& out = p.out();
    auto ret = static_cast<std::uint64_t>(p.ret());
    put_hex(out, ret);
    if (xlat_raw()) return;
    std::string names;
    if (aux_names(names, x, ret)) out.append(" (").append(names).push_back(')');
  }
  // A vector length with its flags (PR_SVE_SET_VL, PR_SME_SET_VL): `FLAGS|0xvl`, `0xvl`
  // without flags; -X raw the number, -X verbose `0x2ea57 /* PR_SVE_VL_INHERIT|0xea57 */`.
  // `aux`: as a result comment, empty when no flag is set.
  static void put_vl(std::string& out, const xlat& flags_x, std::uint64_t v, bool aux) {
    if (xlat_raw()) {
      if (!aux) put_hex(out, v);
      return;
    }
    std::uint64_t vl = v & 0xffff, flags = v & ~std::uint64_t{0xffff};
    if (flags == 0 && aux) return;
    std::string s;
    if (flags != 0) {
      xlat_style_scope names(xlat_style::abbrev);
      put_flag_names(s, flags_x, flags);  // leftover bits in hex, no comment
      s.push_back('|');
    }
    put_hex(s, vl);
    if (aux) return out.append(" (").append(s).push_back(')');
    if (flags != 0 && xlat_verbose()) {
      put_hex(out, v);
      return out.append(" /* ").append(s).append(" */"), void();
    }
    out.append(s);
  }
  // PR_SET_TAGGED_ADDR_CTRL's argument and PR_GET_TAGGED_ADDR_CTRL's result:
  // `PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_SYNC|0x1<<PR_MTE_TAG_SHIFT|0x...` (the enable bit,
  // written `!PR_TAGGED_ADDR_ENABLE` when clear, the MTE fault mode, the tag mask, the rest).
  static void put_tagged_addr(std::string& out, std::uint64_t v, bool aux) {
    if (!aux && !xlat_abbrev()) put_hex(out, v);
    if (xlat_raw()) return;
    if (aux) out.append(" (");
    if (!aux && xlat_verbose()) out.append(" /* ");
    out.append(v & 1 ? "PR_TAGGED_ADDR_ENABLE|" : "!PR_TAGGED_ADDR_ENABLE|");
    out.append(find_name(pr_mte_tcf_field, v & 6));
    if (std::uint64_t tag = (v >> 3) & 0xffff) {
      out.push_back('|');
      put_hex(out, tag);
      out.append("<<PR_MTE_TAG_SHIFT");
    }
    if (std::uint64_t rest = v & ~std::uint64_t{0x7ffff}) {
      out.push_back('|');
      put_hex(out, rest);
    }
    if (aux) out.push_back(')');
    if (!aux && xlat_verbose()) out.append(" */");
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
    if (o == pr::sched_core) return sched_core(p, exit);
    if (exit) return;
    put_enum(out, prctl_option_xlat, o);
    switch (o) {
      case pr::sve_get_vl:
      case pr::sme_get_vl:
        return;
      case pr::sve_set_vl:
      case pr::sme_set_vl:
        out.append(", ");
        return put_vl(out, o == pr::sve_set_vl ? pr_sve_vl_flags_xlat : pr_sme_vl_flags_xlat, a2, false);
      case pr::set_tagged_addr_ctrl:
        out.append(", ");
        put_tagged_addr(out, a2, false);
        return hex_from(p, 2);
      case pr::pac_reset_keys:
        out.append(", ");
        put_flags(out, pr_pac_keys_xlat, a2);
        return hex_from(p, 2);
      case pr::pac_set_enabled_keys:
        out.append(", ");
        put_flags(out, pr_pac_enabled_keys_xlat, a2);
        out.append(", ");
        put_flags(out, pr_pac_enabled_keys_xlat, a3);
        return hex_from(p, 3);
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
        if (static_cast<std::int32_t>(a2) == -1)
          return put_named(out, "PR_SET_PTRACER_ANY", [&] { put_dec(out, -1); });
        return p.put_pid(static_cast<std::int32_t>(a2), pid_type::tgid);
      case pr::set_seccomp:
        then_enum(p, seccomp_mode_xlat, a2);
        if (a2 == 1) return;  // SECCOMP_MODE_STRICT
        if (a2 == 2) return out.append(", "), put_sock_fprog(p, a3, bpf_program::seccomp);
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

  // PR_SCHED_CORE: the command, the pid, its type (always with its name in a comment, as
  // strace), and at exit the cookie PR_SCHED_CORE_GET stores.
  template <class P>
  static void sched_core(P& p, bool exit) {
    std::string& out = p.out();
    std::uint64_t a2 = p.arg(1), a5 = p.arg(4);
    bool get = static_cast<std::uint32_t>(a2) == 0;  // PR_SCHED_CORE_GET
    if (exit) {
      if (!get) return;
      std::uint64_t cookie;
      if (p.failed() || !p.read_obj(a5, cookie)) return put_ptr(out, a5);
      out.push_back('[');
      put_hex(out, cookie);
      return out.push_back(']');
    }
    put_enum(out, prctl_option_xlat, pr::sched_core);
    then_enum(p, pr_sched_core_cmd_xlat, static_cast<std::uint32_t>(a2));
    out.append(", ");
    // The pid in the type the next argument names (PIDTYPE_PID, _TGID, _PGID, _SID), with
    // its number in the tracer's pid namespace; a number alone for another type.
    constexpr pid_type types[] = {pid_type::tid, pid_type::tgid, pid_type::pgid, pid_type::sid};
    if (auto t = static_cast<std::uint32_t>(p.arg(3)); t < 4)
      p.put_pid(static_cast<std::int32_t>(p.arg(2)), types[t]);
    else
      put_dec(out, static_cast<std::int32_t>(p.arg(2)));
    out.append(", ");
    {
      xlat_style_scope style(xlat_raw() ? xlat_style::raw : xlat_style::verbose);
      put_enum(out, pr_sched_core_pidtype_xlat, static_cast<std::uint32_t>(p.arg(3)));
    }
    out.append(", ");
    if (!get) put_ptr(out, a5);
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
        return hex_with_names(p, option(p.arg(0)) == pr::get_securebits ? secbits_xlat : pr_fp_mode_xlat);
      case pr::pac_get_enabled_keys:
        return hex_with_names(p, pr_pac_enabled_keys_xlat);
      case pr::get_speculation_ctrl:
        if (p.arg(1) > 2) return p.put_return_value();
        return hex_with_names(p, pr_spec_get_xlat);
      case pr::sve_set_vl:
      case pr::sve_get_vl:
      case pr::sme_set_vl:
      case pr::sme_get_vl: {
        if (ret == 0) return p.put_return_value();
        put_hex(out, ret);
        bool sve = option(p.arg(0)) <= pr::sve_get_vl;
        return put_vl(out, sve ? pr_sve_vl_flags_xlat : pr_sme_vl_flags_xlat, ret, true);
      }
      case pr::get_tagged_addr_ctrl:
        put_hex(out, ret);
        return put_tagged_addr(out, ret, true);
      default:
        p.put_return_value();
    }
  }
};

}  // namespace snare::format::detail
