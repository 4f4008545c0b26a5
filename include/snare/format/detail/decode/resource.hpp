// Defines the decoders of resource calls (strace's resource.c, sysinfo.c): struct rlimit
// (RLIM64_INFINITY, 8192*1024), struct rusage and struct sysinfo.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/format/fd_resolver.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// Appends one limit: RLIM64_INFINITY, 8192*1024 or 1000. A 64-bit rlim_t's infinity is
/// RLIM64_INFINITY in strace for getrlimit and setrlimit as for prlimit64 (checked with
/// strace 6.1 on x86-64; its tests/xgetrlimit.c). The symbolic form is a name for -X:
/// the number alone (raw), or `8388608 /* 8192*1024 */` (verbose), as strace's print_rlim64_t.
inline void put_rlim(std::string& out, std::uint64_t v) {
  std::string sym;
  if (v == ~std::uint64_t{0}) {
    sym = "RLIM64_INFINITY";
  } else if (v > 1024 && v % 1024 == 0) {
    put_udec(sym, v / 1024);
    sym.append("*1024");
  }
  put_named(out, sym, [&] { put_udec(out, v); });
}

/// Appends the struct rlimit at `addr`: {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}.
template <class P>
bool put_rlimit(P& p, std::uint64_t addr) {
  sys::abi::rlimit rl;
  if (!p.read_obj(addr, rl)) return false;
  std::string& out = p.out();
  out.append("{rlim_cur=");
  put_rlim(out, rl.rlim_cur);
  out.append(", rlim_max=");
  put_rlim(out, rl.rlim_max);
  out.push_back('}');
  return true;
}

/// Appends the struct rusage at `addr`: {ru_utime={...}, ru_stime={...}, ...}, every field
/// when verbose (strace -v).
template <class P>
bool put_rusage(P& p, std::uint64_t addr) {
  sys::abi::rusage ru;
  if (!p.read_obj(addr, ru)) return false;
  std::string& out = p.out();
  out.append("{ru_utime=");
  put_timeval(out, ru.ru_utime);
  out.append(", ru_stime=");
  put_timeval(out, ru.ru_stime);
  if (!p.opts().verbose) return out.append(", ...}"), true;
  const std::pair<const char*, std::int64_t> rest[] = {
      {"ru_maxrss", ru.ru_maxrss}, {"ru_ixrss", ru.ru_ixrss},     {"ru_idrss", ru.ru_idrss},
      {"ru_isrss", ru.ru_isrss},   {"ru_minflt", ru.ru_minflt},   {"ru_majflt", ru.ru_majflt},
      {"ru_nswap", ru.ru_nswap},   {"ru_inblock", ru.ru_inblock}, {"ru_oublock", ru.ru_oublock},
      {"ru_msgsnd", ru.ru_msgsnd}, {"ru_msgrcv", ru.ru_msgrcv},   {"ru_nsignals", ru.ru_nsignals},
      {"ru_nvcsw", ru.ru_nvcsw},   {"ru_nivcsw", ru.ru_nivcsw}};
  for (const auto& [name, v] : rest) {  // strace prints them unsigned (PRINT_FIELD_U)
    out.append(", ");
    out.append(name);
    out.push_back('=');
    put_udec(out, static_cast<std::uint64_t>(v));
  }
  out.push_back('}');
  return true;
}

/// Appends the struct sysinfo at `addr`, every field.
template <class P>
bool put_sysinfo(P& p, std::uint64_t addr) {
  sys::abi::sysinfo si;
  if (!p.read_obj(addr, si)) return false;
  std::string& out = p.out();
  out.append("{uptime=");
  put_dec(out, si.uptime);
  out.append(", loads=[");
  for (int k = 0; k < 3; ++k) {
    if (k) out.append(", ");
    put_udec(out, si.loads[k]);
  }
  const std::pair<std::string_view, std::uint64_t> fields[] = {
      {"], totalram=", si.totalram},  {", freeram=", si.freeram},     {", sharedram=", si.sharedram},
      {", bufferram=", si.bufferram}, {", totalswap=", si.totalswap}, {", freeswap=", si.freeswap},
      {", procs=", si.procs},         {", totalhigh=", si.totalhigh}, {", freehigh=", si.freehigh},
      {", mem_unit=", si.mem_unit}};
  for (const auto& [label, v] : fields) {
    out.append(label);
    put_udec(out, v);
  }
  out.push_back('}');
  return true;
}

/// getpriority and setpriority: `which` by name (PRIO_PROCESS, ...).
inline constexpr auto put_priority_which = [](auto& p, std::uint64_t v) {
  put_enum(p.out(), priority_which_xlat, static_cast<std::uint32_t>(v));
};
/// Appends `who` of getpriority and ioprio_get: a process's id when `which` is
/// `process`, a group's when `pgrp`, else a plain int (a uid); strace's printpid.
template <class P>
void put_priority_who(P& p, std::uint32_t process, std::uint32_t pgrp) {
  auto which = static_cast<std::uint32_t>(p.arg(0));
  if (which == process) return p.put_pid(static_cast<std::int32_t>(p.arg(1)), pid_type::tgid);
  if (which == pgrp) return p.put_pid(static_cast<std::int32_t>(p.arg(1)), pid_type::pgid);
  put_dec(p.out(), static_cast<std::int32_t>(p.arg(1)));
}
/// getpriority and setpriority: `which` by name, `who` as put_priority_who says (PRIO_PROCESS 0,
/// PRIO_PGRP 1).
template <>
struct decoder<sys::call_id::getpriority> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 0) return put_priority_which(p, p.arg(0)), true;
    if (i == 1) return put_priority_who(p, 0, 1), true;
    return false;
  }
};
template <>
struct decoder<sys::call_id::setpriority> : decoder<sys::call_id::getpriority> {};

/// Appends an I/O priority as strace does: IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4).
inline void put_ioprio(std::string& out, std::uint32_t v) {
  out.append("IOPRIO_PRIO_VALUE(");
  put_enum(out, ioprio_class_xlat, v >> 13);
  out.append(", ");
  put_udec(out, v & 0x1fff);
  out.push_back(')');
}

/// ioprio_get and ioprio_set: `which` by name, the priority as IOPRIO_PRIO_VALUE(); the
/// priority ioprio_get returns, after it.
template <>
struct decoder<sys::call_id::ioprio_get> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 1) return put_priority_who(p, 1, 2), true;  // IOPRIO_WHO_PROCESS, IOPRIO_WHO_PGRP
    if (i != 0) return false;
    put_enum(p.out(), ioprio_who_xlat, static_cast<std::uint32_t>(p.arg(0)));
    return true;
  }
  template <class P>
  static void put_return(P& p) {
    p.put_return_value();
    if (xlat_raw()) return;  // strace drops the decoded priority with -X raw
    p.out().append(" (");
    put_ioprio(p.out(), static_cast<std::uint32_t>(p.ret()));
    p.out().push_back(')');
  }
};
template <>
struct decoder<sys::call_id::ioprio_set> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 0) return put_enum(p.out(), ioprio_who_xlat, static_cast<std::uint32_t>(p.arg(0))), true;
    if (i == 1) return put_priority_who(p, 1, 2), true;
    if (i != 2) return false;
    // The priority as a name for -X: `8191 /* IOPRIO_PRIO_VALUE(...) */` in signed decimal
    // (verbose), the number alone (raw), as strace's ioprio_set.
    std::string& out = p.out();
    auto v = static_cast<std::uint32_t>(p.arg(2));
    std::string sym;
    put_ioprio(sym, v);
    put_named(out, sym, [&] { put_dec(out, static_cast<std::int32_t>(v)); });
    return true;
  }
};

}  // namespace snare::format::detail
