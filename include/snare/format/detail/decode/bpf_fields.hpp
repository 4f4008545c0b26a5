// Defines what the bpf decoders share (strace's bpf.c): the field writer of union bpf_attr's
// members, the `/* bytes N..M */` tail past the known attributes, and eBPF instructions.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/bpf_filter.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// Returns the part of union bpf_attr a command reads, copied from the `data` the call passed
/// (strace's BEGIN_BPF_CMD_DECODER): the first min(size, sizeof(T)) bytes, the rest zero.
template <class T>
T bpf_attr_of(std::string_view data) noexcept {
  T a{};
  std::memcpy(&a, data.data(), std::min(data.size(), sizeof a));
  return a;
}

/// Appends a name kept in a fixed-size field of `n` bytes as strace's print_quoted_cstring
/// (PRINT_FIELD_CSTRING_SZ): at most its first n - 1 bytes (the room a NUL leaves), quoted up
/// to a NUL; `...` after when none of the n bytes is a NUL.
inline void put_field_cstring(std::string& out, const char* s, std::size_t n, int hex_strings) {
  const std::size_t len = strnlen(s, n), shown = std::min(len, n ? n - 1 : 0);
  put_quoted(out, std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(s), shown), false,
             hex_strings);
  if (len == n) out.append("...");
}

/// Appends what strace's decode_attr_extra_data prints after a command's attributes when
/// `size` passes the `known` bytes it decodes: nothing when the rest is zero, `, ...`, or
/// with -v `, extra_data="\x.."` and the bytes' offsets in a comment. `data` holds `size` bytes.
template <class P>
void put_bpf_extra_data(P& p, std::string_view data, std::size_t known) {
  if (data.size() <= known) return;
  std::string_view rest = data.substr(known);
  if (rest.find_first_not_of('\0') == std::string_view::npos) return;
  std::string& out = p.out();
  if (!p.opts().verbose) return out.append(", ..."), void();
  out.append(", extra_data=");
  put_quoted(out,
             std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(rest.data()), rest.size()),
             true);
  out.append(" /* bytes ");
  put_udec(out, known);
  out.append("..");
  put_udec(out, data.size() - 1);
  out.append(" */");
}

/// Writes the members of one struct as strace's PRINT_FIELD_* macros: `name=value`, a comma
/// before each but the first.
template <class P>
struct bpf_fields {
  P& p;
  bool first = true;

  std::string& name(std::string_view n) {
    std::string& out = p.out();
    if (!first) out.append(", ");
    first = false;
    out.append(n);
    out.push_back('=');
    return out;
  }
  void u(std::string_view n, std::uint64_t v) { put_udec(name(n), v); }
  void d(std::string_view n, std::int64_t v) { put_dec(name(n), v); }
  void x(std::string_view n, std::uint64_t v) { put_hex(name(n), v); }
  void addr(std::string_view n, std::uint64_t v) { put_ptr(name(n), v); }
  void fd(std::string_view n, std::uint32_t v) { name(n), p.put_fd(static_cast<std::int32_t>(v)); }
  void flags(std::string_view n, const xlat& x, std::uint64_t v) { put_flags(name(n), x, v); }
  void xval(std::string_view n, const xlat& x, std::uint64_t v) { put_enum(name(n), x, v); }
  /// `name=before => after` when a value-result member changed (strace's tprint_value_changed).
  void u_changed(std::string_view n, std::uint64_t before, std::uint64_t after) {
    std::string& out = name(n);
    if (before != after) put_udec(out, before), out.append(" => ");
    put_udec(out, after);
  }
  void addr_changed(std::string_view n, std::uint64_t before, std::uint64_t after) {
    std::string& out = name(n);
    if (before != after) put_ptr(out, before), out.append(" => ");
    put_ptr(out, after);
  }
};

// strace's xlat/ebpf_{class,mode}.in: eBPF renames classic BPF's RET and MISC classes and
// drops its LEN and MSH modes.
inline constexpr xlat_entry ebpf_class_names[] = {
    {0, "BPF_LD"},  {1, "BPF_LDX"}, {2, "BPF_ST"},    {3, "BPF_STX"},
    {4, "BPF_ALU"}, {5, "BPF_JMP"}, {6, "BPF_JMP32"}, {7, "BPF_ALU64"},
};
inline constexpr xlat_entry ebpf_mode_names[] = {
    {0, "BPF_IMM"}, {0x20, "BPF_ABS"}, {0x40, "BPF_IND"}, {0x60, "BPF_MEM"}, {0xc0, "BPF_XADD"},
};

/// Appends an eBPF instruction's code as strace's print_bpf_filter_code(code, true):
/// BPF_ALU64|BPF_K|BPF_MOV, BPF_STX|BPF_W|BPF_MEM, BPF_JMP32|0x8 /* BPF_??? */.
inline void put_ebpf_code(std::string& out, std::uint8_t code) {
  const std::uint32_t cls = code & 7u, rest = code & ~7u;
  put_enum(out, xlat{ebpf_class_names, ~std::uint64_t{0}, {}, {}, "BPF_???"}, cls);
  switch (cls) {
    case 0:  // BPF_LD
    case 1:  // BPF_LDX
    case 2:  // BPF_ST
    case 3:  // BPF_STX
      put_bpf_part(out, bpf_size_names, code & 0x18u);
      put_bpf_part(out, ebpf_mode_names, code & 0xe0u);
      return;
    case 4:  // BPF_ALU
    case 7:  // BPF_ALU64
      put_bpf_part(out, bpf_src_names, code & 0x08u);
      put_bpf_part(out, bpf_op_alu_names, code & 0xf0u);
      return;
    case 5:  // BPF_JMP
      put_bpf_part(out, bpf_src_names, code & 0x08u);
      put_bpf_part(out, bpf_op_jmp_names, code & 0xf0u);
      return;
    default:  // BPF_JMP32: strace 6.1 names none of its bits
      if (rest != 0) put_bpf_unknown_bits(out, rest);
      return;
  }
}

/// Appends `count` eBPF instructions at `addr` as strace's print_ebpf_prog: the address
/// without -v; with it `[{code=..., dst_reg=BPF_REG_1, src_reg=BPF_REG_0, off=0, imm=0}, ...]`,
/// at most BPF_MAXINSNS (4096) then `...`, as print_array where memory ends. `exit_read`:
/// read after the call (nothing is read from a call that failed).
template <class P>
void put_ebpf_insns(P& p, std::uint64_t addr, std::uint32_t count, bool exit_read = false) {
  std::string& out = p.out();
  if (!p.opts().verbose || addr == 0) return put_ptr(out, addr);
  if (count == 0) return out.append("[]"), void();
  if (exit_read && p.failed()) return put_hex(out, addr);
  struct insn {
    std::uint8_t code, regs;
    std::int16_t off;
    std::int32_t imm;
  };
  const std::size_t mark = out.size();
  out.push_back('[');
  for (std::uint32_t k = 0; k < count; ++k) {
    if (k) out.append(", ");
    insn in;
    if (!p.read_obj(addr + std::uint64_t{k} * sizeof in, in)) {
      if (k == 0) return out.resize(mark), put_hex(out, addr);
      p.put_unreadable_tail(addr + std::uint64_t{k} * sizeof in);
      break;
    }
    if (k == 4096) {
      out.append("...");
      break;
    }
    out.append("{code=");
    put_ebpf_code(out, in.code);
    out.append(", dst_reg=");
    put_enum(out, ebpf_regs_xlat, in.regs & 0xfu);
    out.append(", src_reg=");
    put_enum(out, ebpf_regs_xlat, in.regs >> 4);
    out.append(", off=");
    put_dec(out, in.off);
    out.append(", imm=");
    put_hex(out, static_cast<std::uint32_t>(in.imm));
    out.push_back('}');
  }
  out.push_back(']');
}

/// Appends `count` u32 ids at `addr` read after the call, as strace's print_array of
/// print_uint_array_member (prog_ids, map_ids): the address when the call failed.
template <class P>
void put_bpf_ids(P& p, std::uint64_t addr, std::uint32_t count) {
  if (addr != 0 && count != 0 && p.failed()) return put_hex(p.out(), addr);
  p.put_array(addr, count, 4, [&](std::uint64_t v) { put_udec(p.out(), v); });
}

}  // namespace snare::format::detail
