// Defines the printer of struct perf_event_attr (strace's perf.c) and the decoder of
// perf_event_open: the struct is read at entry as far as its size field says (the first 48
// bytes without -v) and printed at exit, with the size the kernel wrote back after E2BIG.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/bpf_fields.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// struct perf_event_attr as strace 6.1's perf_event_struct.h lays it out (128 bytes, up to
/// sig_data); `bits` holds the bit fields from `disabled` (bit 0) to `__reserved_1` (38..63).
struct perf_attr {
  std::uint32_t type, size;
  std::uint64_t config, sample_period, sample_type, read_format, bits;
  std::uint32_t wakeup_events, bp_type;
  std::uint64_t config1, config2, branch_sample_type, sample_regs_user;
  std::uint32_t sample_stack_user;
  std::int32_t clockid;
  std::uint64_t sample_regs_intr;
  std::uint32_t aux_watermark;
  std::uint16_t sample_max_stack, reserved_2;
  std::uint32_t aux_sample_size, reserved_3;
  std::uint64_t sig_data;
};
static_assert(sizeof(perf_attr) == 128);

/// Reads struct perf_event_attr at `addr` as strace's fetch_perf_event_attr: its size field
/// (0 meaning PERF_ATTR_SIZE_VER0, at most 128), the first 48 bytes only without -v. Returns
/// the bytes read, or an empty string when the size field or the struct cannot be read or
/// the size is below VER0 (64), or structs are not decoded (options::decode_structs).
template <class P>
std::string fetch_perf_attr(P& p, std::uint64_t addr) {
  std::uint32_t size = 0;
  // -e verbose= leaving the call out: the address, as strace's umoven_or_printaddr.
  if (addr == 0 || !p.opts().decode_structs || !p.read_obj(addr + offsetof(perf_attr, size), size)) return {};
  size = size == 0 ? 64 : std::min<std::uint32_t>(size, sizeof(perf_attr));
  if (size < 64) return {};
  if (!p.opts().verbose) size = offsetof(perf_attr, wakeup_events);
  if (!p.read_exact(addr, size)) return {};
  return scratch();
}

/// Appends struct perf_event_attr from the `data` fetch_perf_attr read: the fields the type
/// gives a meaning, set bit fields (all with -v), then with -v the fields `data` holds;
/// `, ...` when the struct's size passes what was read. `new_size` shows ` => VER` (1), ` =>
/// ???` (-1), or nothing (0): the size the kernel wrote back on E2BIG.
template <class P>
void put_perf_attr(P& p, std::string_view data, int new_size = 0, std::uint32_t size_after = 0) {
  const auto a = bpf_attr_of<perf_attr>(data);
  const std::size_t size = data.size();
  const bool verbose = p.opts().verbose;
  std::string& out = p.out();
  bpf_fields<P> f{p};
  out.push_back('{');
  f.xval("type", perf_type_id_xlat, a.type);
  f.xval("size", perf_attr_size_xlat, a.size);
  if (new_size > 0) out.append(" => "), put_enum(out, perf_attr_size_xlat, size_after);
  if (new_size < 0) out.append(" => ???");
  auto shifted = [&](std::uint64_t v, unsigned shift) {
    put_hex(out, v);
    out.append("<<");
    put_udec(out, shift);
    out.push_back('|');
  };
  switch (a.type) {
    case 0:  // PERF_TYPE_HARDWARE: PMU type << 32 | perf_hw_id
      f.name("config");
      if (a.config >> 32) shifted(a.config >> 32, 32);
      put_enum(out, perf_hw_id_xlat, a.config & 0xffffffffu);
      break;
    case 1:  // PERF_TYPE_SOFTWARE
      f.xval("config", perf_sw_ids_xlat, a.config);
      break;
    case 2:  // PERF_TYPE_TRACEPOINT: an id from tracing/events
      f.u("config", a.config);
      break;
    case 3:  // PERF_TYPE_HW_CACHE: PMU type << 32 | result << 16 | op << 8 | cache
      f.name("config");
      if (a.config >> 32) shifted(a.config >> 32, 32);
      if ((a.config & 0xffffffffu) >> 24) shifted((a.config & 0xffffffffu) >> 24, 24);
      put_enum(out, perf_hw_cache_op_result_id_xlat, (a.config >> 16) & 0xff);
      out.append("<<16|");
      put_enum(out, perf_hw_cache_op_id_xlat, (a.config >> 8) & 0xff);
      out.append("<<8|");
      put_enum(out, perf_hw_cache_id_xlat, a.config & 0xff);
      break;
    default:  // PERF_TYPE_RAW, PERF_TYPE_BREAKPOINT and others
      f.x("config", a.config);
      break;
  }
  const auto bit = [&](unsigned b) { return (a.bits >> b) & 1u; };
  f.u(bit(10) ? "sample_freq" : "sample_period", a.sample_period);
  f.flags("sample_type", perf_event_sample_format_xlat, a.sample_type);
  f.flags("read_format", perf_event_read_format_xlat, a.read_format);
  static constexpr std::string_view low[] = {"disabled",       "inherit",        "pinned",     "exclusive",
                                             "exclude_user",   "exclude_kernel", "exclude_hv", "exclude_idle",
                                             "mmap",           "comm",           "freq",       "inherit_stat",
                                             "enable_on_exec", "task",           "watermark"};
  static constexpr std::string_view high[] = {"mmap_data",
                                              "sample_id_all",
                                              "exclude_host",
                                              "exclude_guest",
                                              "exclude_callchain_kernel",
                                              "exclude_callchain_user",
                                              "mmap2",
                                              "comm_exec",
                                              "use_clockid",
                                              "context_switch",
                                              "write_backward",
                                              "namespaces",
                                              "ksymbol",
                                              "bpf_event",
                                              "aux_output",
                                              "cgroup",
                                              "text_poke",
                                              "build_id",
                                              "inherit_thread",
                                              "remove_on_exec",
                                              "sigtrap"};
  for (unsigned b = 0; b < std::size(low); ++b)
    if (verbose || bit(b)) f.u(low[b], bit(b));
  static constexpr std::string_view skid[] = {"arbitrary skid", "constant skid", "requested to have 0 skid",
                                              "must have 0 skid"};
  const auto precise_ip = static_cast<unsigned>((a.bits >> 15) & 3u);
  f.u("precise_ip", precise_ip);
  out.append(" /* ").append(skid[precise_ip]).append(" */");
  for (unsigned b = 0; b < std::size(high); ++b)
    if (verbose || bit(17 + b)) f.u(high[b], bit(17 + b));
  if (a.bits >> 38) f.x("__reserved_1", a.bits >> 38), out.append(" /* Bits 63..38 */");
  const auto reaches = [&](std::size_t offset) { return offset < size; };
  const auto end = [&] {
    if ((a.size && a.size > size) || (!a.size && size < 64)) out.append(", ...");
    out.push_back('}');
  };
  if (!verbose) return end();
  const bool breakpoint = a.type == 5;
  f.u(bit(14) ? "wakeup_watermark" : "wakeup_events", a.wakeup_events);
  if (breakpoint) {
    // Any combination of R/W with X is invalid.
    const xlat bp{hw_breakpoint_type_field,
                  ~std::uint64_t{0},
                  {},
                  {},
                  a.bp_type <= 7 ? "HW_BREAKPOINT_INVALID" : "HW_BREAKPOINT_???"};
    f.xval("bp_type", bp, a.bp_type);
  }
  f.x(breakpoint ? "bp_addr" : "config1", a.config1);
  if (!reaches(offsetof(perf_attr, config2))) return end();
  if (breakpoint)
    f.u("bp_len", a.config2);
  else
    f.x("config2", a.config2);
  if (!reaches(offsetof(perf_attr, branch_sample_type))) return end();
  if (a.sample_type & (1u << 11))  // PERF_SAMPLE_BRANCH_STACK
    f.flags("branch_sample_type", perf_branch_sample_type_xlat, a.branch_sample_type);
  if (!reaches(offsetof(perf_attr, sample_regs_user))) return end();
  f.x("sample_regs_user", a.sample_regs_user);
  if (!reaches(offsetof(perf_attr, sample_stack_user))) return end();
  if (a.sample_type & (1u << 13)) f.x("sample_stack_user", a.sample_stack_user);  // PERF_SAMPLE_STACK_USER
  if (bit(25)) {                                                                  // use_clockid
    if (!reaches(offsetof(perf_attr, clockid))) return end();
    f.xval("clockid", clock_id_xlat, static_cast<std::uint32_t>(a.clockid));
  }
  if (!reaches(offsetof(perf_attr, sample_regs_intr))) return end();
  f.x("sample_regs_intr", a.sample_regs_intr);
  if (!reaches(offsetof(perf_attr, aux_watermark))) return end();
  f.u("aux_watermark", a.aux_watermark);
  if (!reaches(offsetof(perf_attr, sample_max_stack))) return end();
  f.u("sample_max_stack", a.sample_max_stack);
  if (!reaches(offsetof(perf_attr, reserved_2))) return end();
  if (a.reserved_2) out.append(" /* bytes 110..111: "), put_hex(out, a.reserved_2), out.append(" */");
  if (!reaches(offsetof(perf_attr, aux_sample_size))) return end();
  f.u("aux_sample_size", a.aux_sample_size);
  if (!reaches(offsetof(perf_attr, reserved_3))) return end();
  if (a.reserved_3) out.append(" /* bytes 116..119: "), put_hex(out, a.reserved_3), out.append(" */");
  if (!reaches(offsetof(perf_attr, sig_data))) return end();
  f.x("sig_data", a.sig_data);
  end();
}

/// perf_event_open: the attributes read at entry and every argument printed at exit (the
/// address and all at entry when the struct cannot be read); pid and cpu as plain ints, the
/// flags named to their 64 bits.
template <>
struct decoder<sys::call_id::perf_event_open> {
  template <class P>
  static void put_rest(P& p) {
    std::string& out = p.out();
    out.append(", ");
    put_dec(out, static_cast<std::int32_t>(p.arg(1)));
    out.append(", ");
    put_dec(out, static_cast<std::int32_t>(p.arg(2)));
    out.append(", ");
    p.put_fd(static_cast<std::int32_t>(p.arg(3)));
    out.append(", ");
    put_flags(out, perf_event_open_flags_xlat, p.arg(4));
  }
  template <class P>
  static void put_args(P& p, bool exit) {
    const std::uint64_t addr = p.arg(0);
    if (!exit) {
      std::string attr = fetch_perf_attr(p, addr);
      // The first byte tells the exit whether the entry printed the call (an unreadable struct).
      attr.insert(attr.begin(), attr.empty() ? '\1' : '\0');
      p.keep_bytes(attr);
      if (attr.size() > 1) return;
      put_ptr(p.out(), addr);
      return put_rest(p);
    }
    std::string_view kept = p.saved_bytes();
    std::string fresh;
    if (kept.empty()) {  // no entry state: read it now
      fresh = fetch_perf_attr(p, addr);
      fresh.insert(fresh.begin(), fresh.empty() ? '\1' : '\0');
      kept = fresh;
    }
    if (kept[0] == '\1' && !p.saved_bytes().empty()) return;  // printed at entry
    if (kept[0] == '\1') return put_ptr(p.out(), addr), put_rest(p);
    int new_size = 0;
    std::uint32_t size_after = 0;
    if (p.failed() && p.ret() == -7)
      new_size = p.read_obj(addr + offsetof(perf_attr, size), size_after) ? 1 : -1;
    put_perf_attr(p, kept.substr(1), new_size, size_after);
    put_rest(p);
  }
};

}  // namespace snare::format::detail
