// Defines the decoders of process calls (strace's wait.c, futex.c, personality.c, uname.c,
// syslog.c, reboot.c): wait statuses, futex operations, arch_prctl, personality and uname
// (clone and clone3: clone.hpp; syslog and reboot: syslog.hpp; prctl: prctl.hpp).
#pragma once

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/clone.hpp>
#include <snare/format/detail/decode/syslog.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/signals.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/format/fd_resolver.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Appends a futex operation as strace's futexops table names it: FUTEX_WAIT_PRIVATE,
/// FUTEX_FD|FUTEX_PRIVATE_FLAG, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME (only the waits take
/// a clock); anything else as `0x101 /* FUTEX_??? */`. A name for -X.
inline void put_futex_op(std::string& out, std::uint64_t v) {
  auto op = static_cast<std::uint32_t>(v);
  std::string name;
  std::uint32_t cmd = op & 0x7f, rest = op & ~0x7fu;
  auto base = find_name(futex_op_field, cmd);
  bool clock_ok = cmd == 0 || cmd == 9 || cmd == 11;  // FUTEX_WAIT, _WAIT_BITSET, _WAIT_REQUEUE_PI
  if (!base.empty() && (rest & ~0x180u) == 0 && (!(rest & 0x100) || clock_ok)) {
    name = base;
    if (rest & 0x80) name.append(cmd == 2 ? "|FUTEX_PRIVATE_FLAG" : "_PRIVATE");
    if (rest & 0x100) name.append("|FUTEX_CLOCK_REALTIME");
  }
  if (name.empty()) return put_unknown(out, futex_op_xlat, op);
  put_named(out, name, [&] { put_hex(out, op); });
}

/// Appends a personality as strace does: the execution domain (the low byte) by name, then
/// the flags: PER_LINUX|ADDR_NO_RANDOMIZE, 0x45 /* PER_??? */|0x12300; 0xffffffff (the
/// query) in hex.
inline void put_personality(std::string& out, std::uint64_t v) {
  v &= 0xffffffffu;
  if (v == 0xffffffffu) return put_hex(out, v);
  put_enum(out, personality_xlat, v & personality_xlat.field_mask);
  if (std::uint64_t rest = v & ~personality_xlat.field_mask) {
    out.push_back('|');
    put_flags(out, xlat{{}, 0, personality_xlat.bits, {}, {}}, rest);
  }
}

/// Appends a wait status as strace does: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}].
inline void put_wait_status(std::string& out, std::uint32_t s) {
  out.append("[{");
  if ((s & 0x7f) == 0) {
    out.append("WIFEXITED(s) && WEXITSTATUS(s) == ");
    put_udec(out, (s >> 8) & 0xff);
  } else if ((s & 0xff) == 0x7f) {
    out.append("WIFSTOPPED(s) && WSTOPSIG(s) == ");
    put_signal(out, (s >> 8) & 0xff);
    if (s >> 16) {
      out.append(" && s >> 16 == ");
      put_udec(out, s >> 16);
    }
  } else if (s == 0xffff) {
    out.append("WIFCONTINUED(s)");
  } else {
    out.append("WIFSIGNALED(s) && WTERMSIG(s) == ");
    put_signal(out, s & 0x7f);
    if (s & 0x80) out.append(" && WCOREDUMP(s)");
  }
  out.append("}]");
}

/// Appends the struct utsname at `addr`: {sysname="Linux", nodename="host", ...}, every
/// field when verbose (strace -v).
template <class P>
bool put_utsname(P& p, std::uint64_t addr) {
  sys::abi::utsname u;
  if (!p.read_obj(addr, u)) return false;
  std::string& out = p.out();
  auto field = [&out](const char* name, const char(&v)[65], bool first = false) {
    if (!first) out.append(", ");
    out.append(name);
    out.push_back('=');
    put_quoted(out, std::string_view(v, strnlen(v, sizeof v)));
  };
  out.push_back('{');
  field("sysname", u.sysname, true);
  field("nodename", u.nodename);
  if (!p.opts().verbose) return out.append(", ...}"), true;
  field("release", u.release);
  field("version", u.version);
  field("machine", u.machine);
  field("domainname", u.domainname);
  out.push_back('}');
  return true;
}

/// wait4: the status as strace's WIFEXITED(s) && ... form; the addresses when it returns 0.
template <>
struct decoder<sys::call_id::wait4> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i != 1 && i != 3) return false;
    if (p.put_unfilled_pointer(i, exit)) return true;
    // No child changed state (WNOHANG): the kernel stored nothing, strace prints addresses.
    if (exit && p.ret() == 0) return put_ptr(p.out(), p.arg(i)), true;
    if (i == 3) return false;  // the table prints the struct rusage
    std::uint32_t s;
    if (!p.read_obj(p.arg(1), s)) return put_hex(p.out(), p.arg(1)), true;
    put_wait_status(p.out(), s);
    return true;
  }
};

// The x86 xstate features (the kernel's arch/x86/include/asm/fpu/types.h, which no exported
// header carries): masks in strace's x86_xfeatures order (groups first), bit numbers.
inline constexpr xlat_entry xfeature_masks[] = {
    {0x3, "XFEATURE_MASK_FPSSE"},         {0x1, "XFEATURE_MASK_FP"},
    {0x2, "XFEATURE_MASK_SSE"},           {0x4, "XFEATURE_MASK_YMM"},
    {0x8, "XFEATURE_MASK_BNDREGS"},       {0x10, "XFEATURE_MASK_BNDCSR"},
    {0xe0, "XFEATURE_MASK_AVX512"},       {0x20, "XFEATURE_MASK_OPMASK"},
    {0x40, "XFEATURE_MASK_ZMM_Hi256"},    {0x80, "XFEATURE_MASK_Hi16_ZMM"},
    {0x100, "XFEATURE_MASK_PT"},          {0x200, "XFEATURE_MASK_PKRU"},
    {0x400, "XFEATURE_MASK_PASID"},       {0x8000, "XFEATURE_MASK_LBR"},
    {0x60000, "XFEATURE_MASK_XTILE"},     {0x20000, "XFEATURE_MASK_XTILE_CFG"},
    {0x40000, "XFEATURE_MASK_XTILE_DATA"}};
inline constexpr xlat_entry xfeature_bits[] = {
    {0, "XFEATURE_FP"},         {1, "XFEATURE_SSE"},        {2, "XFEATURE_YMM"},
    {3, "XFEATURE_BNDREGS"},    {4, "XFEATURE_BNDCSR"},     {5, "XFEATURE_OPMASK"},
    {6, "XFEATURE_ZMM_Hi256"},  {7, "XFEATURE_Hi16_ZMM"},   {8, "XFEATURE_PT_UNIMPLEMENTED_SO_FAR"},
    {9, "XFEATURE_PKRU"},       {10, "XFEATURE_PASID"},     {15, "XFEATURE_LBR"},
    {17, "XFEATURE_XTILE_CFG"}, {18, "XFEATURE_XTILE_DATA"}};

/// Appends an xstate feature mask as strace prints it, value first:
/// `0xe7 /* XFEATURE_MASK_FPSSE|XFEATURE_MASK_YMM|XFEATURE_MASK_AVX512 */`; the value alone
/// with -X raw (strace forces the verbose style unless raw).
inline void put_xfeature_mask(std::string& out, std::uint64_t v) {
  put_hex(out, v);
  if (v == 0 || xlat_raw()) return;
  std::uint64_t known = 0;
  for (const auto& e : xfeature_masks) known |= e.value;
  out.append(" /* ");
  if (v & known)
    put_flag_names(out, xlat{{}, 0, xfeature_masks, {}, {}}, v);  // names, then the other bits in hex
  else
    out.append("XFEATURE_MASK_???");
  out.append(" */");
}

/// arch_prctl as strace's prctl.c: ARCH_GET_FS/GS and the ARCH_GET_XCOMP_* masks read back
/// at exit, ARCH_REQ_XCOMP_* features by name and the mask they return, no argument for
/// ARCH_GET_CPUID, the argument in hex for the others.
template <>
struct decoder<sys::call_id::arch_prctl> {
  static constexpr bool gets(std::uint64_t code) noexcept {
    return code == 0x1003 || code == 0x1004 || code == 0x1021 || code == 0x1022 || code == 0x1024;
  }
  static constexpr bool reqs(std::uint64_t code) noexcept { return code == 0x1023 || code == 0x1025; }
  template <class P>
  static std::size_t shown_args(const P& p, std::size_t n) {
    return std::min<std::size_t>(n, (p.arg(0) & 0xffffffffu) == 0x1011 ? 1 : 2);
  }
  template <class P>
  static bool at_exit(const P& p, std::size_t i) {
    return i == 1 ? gets(p.arg(0) & 0xffffffffu) : p.default_at_exit(i);
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    std::uint64_t code = p.arg(0) & 0xffffffffu, v = p.arg(1), value;
    if (i != 1) return false;
    std::string& out = p.out();
    if (reqs(code)) {
      put_hex(out, v);
      if (xlat_raw()) return true;
      out.append(" /* ");
      auto name = find_name(xfeature_bits, v);
      out.append(name.empty() ? std::string_view{"XFEATURE_???"} : name);
      out.append(" */");
      return true;
    }
    if (!gets(code)) return false;
    if (v == 0) return out.append("NULL"), true;
    if (p.failed() || !p.read_obj(v, value)) return put_hex(out, v), true;
    out.push_back('[');
    if (code == 0x1003 || code == 0x1004)
      put_ptr(out, value);
    else
      put_xfeature_mask(out, value);
    out.push_back(']');
    return true;
  }
  template <class P>
  static void put_return(P& p) {
    if (!reqs(p.arg(0) & 0xffffffffu) || p.ret() <= 0) return p.put_return_value();
    auto v = static_cast<std::uint64_t>(p.ret());
    put_hex(p.out(), v);
    std::uint64_t known = 0;
    for (const auto& e : xfeature_masks) known |= e.value;
    if (!(v & known) || xlat_raw()) return;  // strace adds the names only when one is known
    p.out().append(" (");
    put_flag_names(p.out(), xlat{{}, 0, xfeature_masks, {}, {}}, v);
    p.out().push_back(')');
  }
};

/// personality: the previous persona in hex with its names: = 0x40000 (PER_LINUX|...).
template <>
struct decoder<sys::call_id::personality> {
  template <class P>
  static void put_return(P& p) {
    auto ret = static_cast<std::uint64_t>(p.ret());
    put_hex(p.out(), ret);
    p.out().append(" (");
    put_personality(p.out(), ret);
    p.out().push_back(')');
  }
};

/// sethostname: the name's address when the length is over __NEW_UTS_LEN (64), as strace.
template <>
struct decoder<sys::call_id::sethostname> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 0) return false;
    auto len = static_cast<std::uint32_t>(p.arg(1));
    if (len > 64) return put_ptr(p.out(), p.arg(0)), true;
    p.put_buffer(p.arg(0), len);
    return true;
  }
};

/// waitid: the id as its idtype says, a process's (P_PID) or a group's (P_PGID) id, or a
/// pidfd (P_PIDFD); strace's wait.c.
template <>
struct decoder<sys::call_id::waitid> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 1) return false;
    auto id = static_cast<std::int32_t>(p.arg(1));
    switch (static_cast<std::uint32_t>(p.arg(0))) {
      case 1:
        return p.put_pid(id, pid_type::tgid), true;
      case 2:
        return p.put_pid(id, pid_type::pgid), true;
      case 3:
        return p.put_fd(id), true;
      default:
        return put_dec(p.out(), id), true;
    }
  }
};

/// kcmp: the type by name, and the indexes each type compares: fds for KCMP_FILE,
/// an fd and a struct kcmp_epoll_slot for KCMP_EPOLL_TFD, none for the others it knows,
/// both in hex for an unknown type (strace's kcmp.c).
template <>
struct decoder<sys::call_id::kcmp> {
  template <class P>
  static void put_args(P& p, bool exit) {
    if (exit) return;
    static constexpr xlat_entry types[] = {{0, "KCMP_FILE"},    {1, "KCMP_VM"},       {2, "KCMP_FILES"},
                                           {3, "KCMP_FS"},      {4, "KCMP_SIGHAND"},  {5, "KCMP_IO"},
                                           {6, "KCMP_SYSVSEM"}, {7, "KCMP_EPOLL_TFD"}};
    std::string& out = p.out();
    p.put_pid(static_cast<std::int32_t>(p.arg(0)), pid_type::tgid);
    out.append(", ");
    p.put_pid(static_cast<std::int32_t>(p.arg(1)), pid_type::tgid);
    out.append(", ");
    auto type = static_cast<std::uint32_t>(p.arg(2));
    put_enum(out, xlat{types, ~std::uint64_t{0}, {}, {}, "KCMP_???"}, type);
    if (type == 0 || type == 7) {
      out.append(", ");
      std::int32_t pid1 = static_cast<std::int32_t>(p.arg(0)), pid2 = static_cast<std::int32_t>(p.arg(1));
      p.put_fd_of(pid1, static_cast<std::int32_t>(p.arg(3)));
      out.append(", ");
      if (type == 0) return p.put_fd_of(pid2, static_cast<std::int32_t>(p.arg(4)));
      struct {
        std::uint32_t efd, tfd, toff;
      } slot;
      if (p.arg(4) == 0 || !p.read_obj(p.arg(4), slot)) return put_ptr(out, p.arg(4));
      out.append("{efd=");
      p.put_fd_of(pid2, static_cast<std::int32_t>(slot.efd));
      out.append(", tfd=");
      p.put_fd_of(pid2, static_cast<std::int32_t>(slot.tfd));
      out.append(", toff=");
      put_udec(out, slot.toff);
      out.push_back('}');
    } else if (type > 7) {
      out.append(", ");
      put_hex(out, p.arg(3));
      out.append(", ");
      put_hex(out, p.arg(4));
    }
  }
};

/// Returns the kernel's CPU set size in bytes, as strace probes it: the smallest power of two
/// from 128 that sched_getaffinity accepts (it fails with EINVAL below, before the pointer).
inline std::size_t kernel_cpuset_size() noexcept {
  static const std::size_t size = [] {
    std::size_t n = 128;
    while (n != 0 && ::syscall(SYS_sched_getaffinity, 0, n, nullptr) == -1 && errno == EINVAL) n <<= 1;
    return n != 0 ? n : std::size_t{128};
  }();
  return size;
}

/// Appends a CPU set of `len` bytes at `addr` as the CPUs it holds, `[0 1]`, with `...` when
/// it is longer than the kernel's (strace's print_affinitylist).
template <class P>
void put_cpu_set(P& p, std::uint64_t addr, std::uint32_t len) {
  std::string& out = p.out();
  if (addr == 0) return out.append("NULL"), void();
  if (len == 0) return out.append("[]"), void();
  std::size_t fetch = std::min<std::size_t>(len, kernel_cpuset_size());
  std::size_t size = (fetch + 7) / 8 * 8;
  if (!p.read_exact(addr, fetch)) return put_hex(out, addr);
  std::string bits = scratch();
  bits.resize(size, '\0');
  out.push_back('[');
  bool any = false;
  for (std::size_t i = 0; i < size * 8; ++i) {
    if (!(static_cast<unsigned char>(bits[i / 8]) >> (i % 8) & 1)) continue;
    if (any) out.push_back(' ');
    any = true;
    put_udec(out, i);
  }
  if (size < len) out.append(any ? " ..." : "...");
  out.push_back(']');
}

/// sched_setaffinity and sched_getaffinity: the mask as the CPUs it holds; the length is an
/// unsigned int, and getaffinity's mask is the bytes it returned, at exit.
template <>
struct decoder<sys::call_id::sched_setaffinity> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 2) return false;
    put_cpu_set(p, p.arg(2), static_cast<std::uint32_t>(p.arg(1)));
    return true;
  }
};
template <>
struct decoder<sys::call_id::sched_getaffinity> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i != 2 || !exit) return false;
    if (p.failed()) return put_ptr(p.out(), p.arg(2)), true;
    put_cpu_set(p, p.arg(2), static_cast<std::uint32_t>(p.ret()));
    return true;
  }
};

/// Appends a group id: -1 for (gid_t)-1, else unsigned (strace's print_gid).
inline void put_gid(std::string& out, std::uint64_t v) {
  auto g = static_cast<std::uint32_t>(v);
  if (g == 0xffffffffu) return out.append("-1"), void();
  put_udec(out, g);
}

/// setgroups: the size is a C int; the list as strace's print_groups shows it, its address
/// when the size is over NGROUPS_MAX (65536).
template <>
struct decoder<sys::call_id::setgroups> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 1) return false;
    auto n = static_cast<std::uint32_t>(p.arg(0));
    if (n > 65536) return put_ptr(p.out(), p.arg(1)), true;
    p.put_array(p.arg(1), n, 4, [&](std::uint64_t g) { put_gid(p.out(), g); });
    return true;
  }
};

/// sched_getscheduler: the policy's name after the result, = 0 (SCHED_OTHER), when it has one.
template <>
struct decoder<sys::call_id::sched_getscheduler> {
  template <class P>
  static void put_return(P& p) {
    put_dec(p.out(), p.ret());
    std::string_view name = find_name(sched_policy_xlat.field, static_cast<std::uint64_t>(p.ret()));
    if (name.empty()) return;
    p.out().append(" (");
    p.out().append(name);
    p.out().push_back(')');
  }
};

/// The kernel's struct sched_attr (linux/sched/types.h): 48 bytes (VER0), 56 with the
/// utilization clamps (VER1).
struct abi_sched_attr {
  std::uint32_t size, sched_policy;
  std::uint64_t sched_flags;
  std::int32_t sched_nice;
  std::uint32_t sched_priority;
  std::uint64_t sched_runtime, sched_deadline, sched_period;
  std::uint32_t sched_util_min, sched_util_max;
};
inline constexpr std::uint32_t sched_attr_size_ver0 = 48, sched_attr_size_ver1 = 56;

/// Appends the struct sched_attr at `addr` as strace's print_sched_attr: for sched_getattr
/// (`usize`, the caller's size) what the kernel wrote, as many fields as its `size` says;
/// for sched_setattr (`usize` 0) what the caller's `size` covers, without the policy or the
/// parameters its SCHED_FLAG_KEEP_* flags keep; `...` for a size past the known struct.
template <class P>
void put_sched_attr(P& p, std::uint64_t addr, std::uint32_t usize) {
  std::string& out = p.out();
  abi_sched_attr a{};
  std::uint32_t size;
  bool is_set = usize == 0;
  auto read = [&](std::uint32_t n) {
    if (addr && p.read_exact(addr, n)) return std::memcpy(&a, scratch().data(), n), true;
    put_ptr(out, addr);
    return false;
  };
  if (!is_set) {
    if (!read(std::min<std::uint32_t>(usize, sizeof a))) return;
    size = a.size;
  } else {
    if (!read(4)) return;
    usize = a.size ? a.size : sched_attr_size_ver0;
    size = std::min<std::uint32_t>(usize, sizeof a);
    if (size >= sched_attr_size_ver0 && !read(size)) return;
  }
  out.append("{size=");
  put_udec(out, a.size);
  field_sep f{out, false};
  if (size >= sched_attr_size_ver0) {
    constexpr std::uint64_t keep_policy = 0x8, keep_params = 0x10;
    if (!is_set || static_cast<std::int32_t>(a.sched_policy) < 0 ||
        !(a.sched_flags & (keep_policy | keep_params)))
      put_enum(f("sched_policy"), sched_policy_xlat, a.sched_policy);
    put_flags(f("sched_flags"), sched_attr_flags_xlat, a.sched_flags);
    if (!is_set || !(a.sched_flags & keep_params)) {
      put_dec(f("sched_nice"), a.sched_nice);
      put_udec(f("sched_priority"), a.sched_priority);
      put_udec(f("sched_runtime"), a.sched_runtime);
      put_udec(f("sched_deadline"), a.sched_deadline);
      put_udec(f("sched_period"), a.sched_period);
    }
    if (size >= sched_attr_size_ver1) {
      put_udec(f("sched_util_min"), a.sched_util_min);
      put_udec(f("sched_util_max"), a.sched_util_max);
    }
  }
  if ((is_set ? usize : a.size) > size) f.next(), out.append("...");
  out.push_back('}');
}

/// sched_setattr: the attributes at entry; after E2BIG the size the kernel wants
/// (`{size=1} => {size=56}`); flags in decimal.
template <>
struct decoder<sys::call_id::sched_setattr> {
  template <class P>
  static void put_args(P& p, bool exit) {
    std::string& out = p.out();
    if (!exit) {
      p.put_pid(static_cast<std::int32_t>(p.arg(0)), pid_type::tgid);  // strace's printpid
      out.append(", ");
      return put_sched_attr(p, p.arg(1), 0);
    }
    std::uint32_t size;
    if (p.ret() == -7 /* E2BIG */ && p.arg(1) && p.read_obj(p.arg(1), size))
      out.append(" => {size="), put_udec(out, size), out.push_back('}');
    out.append(", ");
    put_udec(out, static_cast<std::uint32_t>(p.arg(2)));
  }
};

/// sched_getattr: the attributes the kernel wrote (the address when it failed), size and
/// flags in decimal.
template <>
struct decoder<sys::call_id::sched_getattr> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i == 1 && exit) {
      auto size = static_cast<std::uint32_t>(p.arg(2));
      if (size == 0 || p.failed())
        put_ptr(p.out(), p.arg(1));
      else
        put_sched_attr(p, p.arg(1), size);
      return true;
    }
    if (i == 3) return put_udec(p.out(), static_cast<std::uint32_t>(p.arg(3))), true;
    return false;
  }
};

}  // namespace snare::format::detail
