// Defines the decoder of the perf_event ioctls strace's perf_ioctl.c decodes by hand:
// PERF_EVENT_IOC_QUERY_BPF's struct perf_event_query_bpf (ids_len at entry, the program ids
// at exit) and PERF_EVENT_IOC_MODIFY_ATTRIBUTES' struct perf_event_attr. The others are
// plain shapes of ioctl.hpp's table.
#pragma once

#include <cstdint>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/decode/perf.hpp>
#include <snare/format/detail/out.hpp>

namespace snare::format::detail {

// _IOWR('$', 10, __u32 *) and _IOW('$', 11, struct perf_event_attr *) of linux/perf_event.h.
inline constexpr std::uint32_t perf_event_ioc_query_bpf = 0xc008240a;
inline constexpr std::uint32_t perf_event_ioc_modify_attributes = 0x4008240b;

/// Prints the argument of PERF_EVENT_IOC_QUERY_BPF (`{ids_len=4, ` at entry, `prog_cnt=2,
/// ids=[5, 6]}` at exit, `...}` after a failure) and PERF_EVENT_IOC_MODIFY_ATTRIBUTES (the
/// struct, at entry); unknown for other requests.
template <class P>
ioctl_step put_perf_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  if (code != perf_event_ioc_query_bpf && code != perf_event_ioc_modify_attributes)
    return ioctl_step::unknown;
  std::string& out = p.out();
  if (code == perf_event_ioc_modify_attributes) {
    if (exit) return ioctl_step::done;
    const std::string attr = fetch_perf_attr(p, arg);
    if (attr.empty()) return put_ptr(out, arg), ioctl_step::done;
    put_perf_attr(p, attr);
    return ioctl_step::done;
  }
  std::uint32_t ids_len = 0, prog_cnt = 0;
  if (!exit) {
    if (!p.opts().decode_structs || !p.read_obj(arg, ids_len)) return put_ptr(out, arg), ioctl_step::done;
    out.append("{ids_len=");
    put_udec(out, ids_len);
    out.append(", ");
    return ioctl_step::more;
  }
  if (!p.opts().decode_structs || !p.read_obj(arg, ids_len)) return ioctl_step::done;  // printed at entry
  if (p.failed() || !p.read_obj(arg + 4, prog_cnt)) return out.append("...}"), ioctl_step::done;
  out.append("prog_cnt=");
  put_udec(out, prog_cnt);
  out.append(", ids=");
  p.put_array(arg + 8, prog_cnt, 4, [&](std::uint64_t id) { put_udec(out, id); });
  out.push_back('}');
  return ioctl_step::done;
}

}  // namespace snare::format::detail
