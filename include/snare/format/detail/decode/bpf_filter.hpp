// Defines how classic BPF programs print (strace's bpf_filter.c, bpf_seccomp_filter.c,
// bpf_sock_filter.c): struct sock_fprog as {len=2, filter=[BPF_STMT(...), BPF_JUMP(...)]}
// with seccomp's return actions or a socket filter's SKF_* offsets by name, and the
// seccomp syscall that loads one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

// Names from strace's xlat/{bpf_class,bpf_size,bpf_mode,bpf_miscop,bpf_src,bpf_op_alu,
// bpf_op_jmp,bpf_rval,seccomp_ret_action,skf_ad,seccomp_filter_flags}.in; values from
// <linux/bpf_common.h>, <linux/filter.h> and <linux/seccomp.h>.
inline constexpr xlat_entry bpf_class_names[] = {
    {0, "BPF_LD"},  {1, "BPF_LDX"}, {2, "BPF_ST"},  {3, "BPF_STX"},
    {4, "BPF_ALU"}, {5, "BPF_JMP"}, {6, "BPF_RET"}, {7, "BPF_MISC"},
};
inline constexpr xlat_entry bpf_size_names[] = {
    {0, "BPF_W"}, {0x08, "BPF_H"}, {0x10, "BPF_B"}, {0x18, "BPF_DW"}};
inline constexpr xlat_entry bpf_mode_names[] = {
    {0, "BPF_IMM"},    {0x20, "BPF_ABS"}, {0x40, "BPF_IND"},  {0x60, "BPF_MEM"},
    {0x80, "BPF_LEN"}, {0xa0, "BPF_MSH"}, {0xc0, "BPF_XADD"},
};
inline constexpr xlat_entry bpf_miscop_names[] = {{0, "BPF_TAX"}, {0x80, "BPF_TXA"}};
inline constexpr xlat_entry bpf_src_names[] = {{0, "BPF_K"}, {0x08, "BPF_X"}};
inline constexpr xlat_entry bpf_op_alu_names[] = {
    {0x00, "BPF_ADD"}, {0x10, "BPF_SUB"}, {0x20, "BPF_MUL"},  {0x30, "BPF_DIV"}, {0x40, "BPF_OR"},
    {0x50, "BPF_AND"}, {0x60, "BPF_LSH"}, {0x70, "BPF_RSH"},  {0x80, "BPF_NEG"}, {0x90, "BPF_MOD"},
    {0xa0, "BPF_XOR"}, {0xb0, "BPF_MOV"}, {0xc0, "BPF_ARSH"}, {0xd0, "BPF_END"},
};
inline constexpr xlat_entry bpf_op_jmp_names[] = {
    {0x00, "BPF_JA"},  {0x10, "BPF_JEQ"},  {0x20, "BPF_JGT"},  {0x30, "BPF_JGE"},  {0x40, "BPF_JSET"},
    {0x50, "BPF_JNE"}, {0x60, "BPF_JSGT"}, {0x70, "BPF_JSGE"}, {0x80, "BPF_CALL"}, {0x90, "BPF_EXIT"},
    {0xa0, "BPF_JLT"}, {0xb0, "BPF_JLE"},  {0xc0, "BPF_JSLT"}, {0xd0, "BPF_JSLE"},
};
inline constexpr xlat_entry bpf_rval_names[] = {{0, "BPF_K"}, {0x08, "BPF_X"}, {0x10, "BPF_A"}};
inline constexpr xlat_entry seccomp_ret_action_names[] = {
    {0x80000000, "SECCOMP_RET_KILL_PROCESS"},
    {0, "SECCOMP_RET_KILL_THREAD"},
    {0x30000, "SECCOMP_RET_TRAP"},
    {0x50000, "SECCOMP_RET_ERRNO"},
    {0x7fc00000, "SECCOMP_RET_USER_NOTIF"},
    {0x7ff00000, "SECCOMP_RET_TRACE"},
    {0x7ffc0000, "SECCOMP_RET_LOG"},
    {0x7fff0000, "SECCOMP_RET_ALLOW"},
};
inline constexpr xlat_entry skf_ad_names[] = {
    {0, "SKF_AD_PROTOCOL"},
    {4, "SKF_AD_PKTTYPE"},
    {8, "SKF_AD_IFINDEX"},
    {12, "SKF_AD_NLATTR"},
    {16, "SKF_AD_NLATTR_NEST"},
    {20, "SKF_AD_MARK"},
    {24, "SKF_AD_QUEUE"},
    {28, "SKF_AD_HATYPE"},
    {32, "SKF_AD_RXHASH"},
    {36, "SKF_AD_CPU"},
    {40, "SKF_AD_ALU_XOR_X"},
    {44, "SKF_AD_VLAN_TAG"},
    {48, "SKF_AD_VLAN_TAG_PRESENT"},
    {52, "SKF_AD_PAY_OFFSET"},
    {56, "SKF_AD_RANDOM"},
    {60, "SKF_AD_VLAN_TPID"},
};
inline constexpr xlat_entry seccomp_filter_flag_bits[] = {
    {0x1, "SECCOMP_FILTER_FLAG_TSYNC"},        {0x2, "SECCOMP_FILTER_FLAG_LOG"},
    {0x4, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"},   {0x8, "SECCOMP_FILTER_FLAG_NEW_LISTENER"},
    {0x10, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH"}, {0x20, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"},
};
inline constexpr xlat seccomp_filter_flags_xlat{
    {}, 0, seccomp_filter_flag_bits, "0", "SECCOMP_FILTER_FLAG_???"};

/// Which program a sock_fprog holds: its constants print by what they mean there.
enum class bpf_program : unsigned char { seccomp, socket };

/// Appends `|` and one part of an instruction's code by its table.
inline void put_bpf_part(std::string& out, std::span<const xlat_entry> names, std::uint32_t v) {
  out.push_back('|');
  put_enum(out, xlat{names, ~std::uint64_t{0}, {}, {}, "BPF_???"}, v);
}

/// Appends `|0x8 /* BPF_??? */`: bits of a code no part names.
inline void put_bpf_unknown_bits(std::string& out, std::uint32_t v) {
  out.push_back('|');
  put_hex(out, v);
  out.append(" /* BPF_??? */");
}

/// Appends a classic BPF instruction's code: BPF_LD|BPF_W|BPF_ABS, BPF_RET|BPF_K.
inline void put_bpf_code(std::string& out, std::uint16_t code) {
  std::uint32_t cls = code & 7, rest = code & ~7u;
  put_enum(out, xlat{bpf_class_names, ~std::uint64_t{0}, {}, {}, "BPF_???"}, cls);
  switch (cls) {
    case 2:  // BPF_ST
    case 3:  // BPF_STX
      if (rest != 0) put_bpf_unknown_bits(out, rest);
      return;
    case 0:  // BPF_LD
    case 1:  // BPF_LDX
      put_bpf_part(out, bpf_size_names, code & 0x18);
      put_bpf_part(out, bpf_mode_names, code & 0xe0);
      return;
    case 7:  // BPF_MISC
      put_bpf_part(out, bpf_miscop_names, code & 0xf8);
      return;
    case 4:  // BPF_ALU
    case 5:  // BPF_JMP
      put_bpf_part(out, bpf_src_names, code & 0x08);
      put_bpf_part(out, cls == 4 ? std::span<const xlat_entry>(bpf_op_alu_names) : bpf_op_jmp_names,
                   code & 0xf0);
      return;
    default:  // BPF_RET
      put_bpf_part(out, bpf_rval_names, code & 0x18);
      if ((rest & ~0x18u) != 0) put_bpf_unknown_bits(out, rest & ~0x18u);
      return;
  }
}

/// Appends a statement's operand where the program gives it a meaning: a seccomp return
/// action (SECCOMP_RET_ERRNO|0x1), a socket filter's load offset (SKF_AD_OFF+SKF_AD_PROTOCOL,
/// SKF_NET_OFF+8); false when it is a plain number.
inline bool put_bpf_k(std::string& out, std::uint16_t code, std::uint32_t k, bpf_program prog) {
  if (prog == bpf_program::seccomp) {
    if ((code & 7) != 6) return false;  // BPF_RET
    std::uint32_t action = k & 0xffff0000u, data = k & 0xffffu;
    put_enum(out, xlat{seccomp_ret_action_names, ~std::uint64_t{0}, {}, {}, "SECCOMP_RET_???"}, action);
    if (data != 0) {
      out.push_back('|');
      put_hex(out, data);
    }
    return true;
  }
  if ((code & 7) != 0 || (code & 0xe0) != 0x20) return false;  // BPF_LD|BPF_ABS
  constexpr std::uint32_t ad_off = 0xfffff000u, net_off = 0xfff00000u, ll_off = 0xffe00000u;
  auto base = [&](std::string_view name, std::uint32_t off) {
    put_named(out, name, [&] { put_hex(out, off); });
    out.push_back('+');
  };
  if (k >= ad_off) {
    base("SKF_AD_OFF", ad_off);
    put_enum(out, xlat{skf_ad_names, ~std::uint64_t{0}, {}, {}, "SKF_AD_???"}, k - ad_off);
  } else if (k >= net_off) {
    base("SKF_NET_OFF", net_off);
    put_udec(out, k - net_off);
  } else if (k >= ll_off) {
    base("SKF_LL_OFF", ll_off);
    put_udec(out, k - ll_off);
  } else {
    return false;
  }
  return true;
}

/// Appends `len` instructions at `addr` (with -v; else the address, as strace abbreviates
/// them): [BPF_STMT(code, k), BPF_JUMP(code, k, jt, jf)], at most BPF_MAXINSNS (4096).
template <class P>
void put_bpf_insns(P& p, std::uint64_t addr, std::uint32_t len, bpf_program prog) {
  std::string& out = p.out();
  if (addr == 0 || !p.opts().verbose) return put_ptr(out, addr);
  struct insn {
    std::uint16_t code;
    std::uint8_t jt, jf;
    std::uint32_t k;
  };
  std::size_t mark = out.size();
  out.push_back('[');
  for (std::uint32_t n = 0; n < len; ++n) {
    if (n) out.append(", ");
    insn in;
    if (!p.read_obj(addr + n * sizeof(insn), in)) {
      if (n == 0) return out.resize(mark), put_hex(out, addr);
      p.put_unreadable_tail(addr + n * sizeof(insn));
      break;
    }
    if (n == 4096) {  // BPF_MAXINSNS
      out.append("...");
      break;
    }
    if (in.jt != 0 || in.jf != 0) {
      out.append("BPF_JUMP(");
      put_bpf_code(out, in.code);
      put_hex(out.append(", "), in.k);
      put_hex(out.append(", "), in.jt);
      put_hex(out.append(", "), in.jf);
    } else {
      out.append("BPF_STMT(");
      put_bpf_code(out, in.code);
      out.append(", ");
      if (!put_bpf_k(out, in.code, in.k, prog)) put_hex(out, in.k);
    }
    out.push_back(')');
  }
  out.push_back(']');
}

/// Appends the struct sock_fprog at `addr`: {len=2, filter=[...]}; its address when
/// unreadable.
template <class P>
void put_sock_fprog(P& p, std::uint64_t addr, bpf_program prog) {
  struct {
    std::uint16_t len;
    std::uint64_t filter;
  } fprog;
  if (addr == 0) return p.out().append("NULL"), void();
  if (!p.read_obj(addr, fprog)) return put_hex(p.out(), addr);
  p.out().append("{len=");
  put_udec(p.out(), fprog.len);
  p.out().append(", filter=");
  put_bpf_insns(p, fprog.filter, fprog.len, prog);
  p.out().push_back('}');
}

/// seccomp: each operation's flags and argument, as strace's seccomp.c: SECCOMP_SET_MODE_FILTER's
/// flags and program, SECCOMP_GET_ACTION_AVAIL's action ([SECCOMP_RET_LOG]),
/// SECCOMP_GET_NOTIF_SIZES' sizes at exit; other operations' flags in hex and the address.
template <>
struct decoder<sys::call_id::seccomp> {
  static constexpr xlat_entry ops[] = {{0, "SECCOMP_SET_MODE_STRICT"},
                                       {1, "SECCOMP_SET_MODE_FILTER"},
                                       {2, "SECCOMP_GET_ACTION_AVAIL"},
                                       {3, "SECCOMP_GET_NOTIF_SIZES"}};
  template <class P>
  static bool at_exit(const P& p, std::size_t i) {
    return i == 2 && static_cast<std::uint32_t>(p.arg(0)) == 3;
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    auto op = static_cast<std::uint32_t>(p.arg(0));
    std::string& out = p.out();
    if (i == 0) return put_enum(out, xlat{ops, ~std::uint64_t{0}, {}, {}, "SECCOMP_SET_MODE_???"}, op), true;
    if (i == 1) {
      if (op == 1)
        return put_flags(out, seccomp_filter_flags_xlat, static_cast<std::uint32_t>(p.arg(1))), true;
      return put_hex(out, static_cast<std::uint32_t>(p.arg(1))), true;
    }
    if (i != 2) return false;
    std::uint64_t addr = p.arg(2);
    if (op == 1) return put_sock_fprog(p, addr, bpf_program::seccomp), true;
    if (op == 2) {
      std::uint32_t action;
      if (addr == 0) return out.append("NULL"), true;
      if (!p.read_obj(addr, action)) return put_hex(out, addr), true;
      out.push_back('[');
      put_enum(out, xlat{seccomp_ret_action_names, ~std::uint64_t{0}, {}, {}, "SECCOMP_RET_???"}, action);
      out.push_back(']');
      return true;
    }
    if (op == 3) {
      struct {
        std::uint16_t notif, resp, data;
      } sizes;
      if (addr == 0) return out.append("NULL"), true;
      if ((exit && p.failed()) || !p.read_obj(addr, sizes)) return put_hex(out, addr), true;
      out.append("{seccomp_notif=");
      put_udec(out, sizes.notif);
      out.append(", seccomp_notif_resp=");
      put_udec(out, sizes.resp);
      out.append(", seccomp_data=");
      put_udec(out, sizes.data);
      out.push_back('}');
      return true;
    }
    put_ptr(out, addr);
    return true;
  }
};

}  // namespace snare::format::detail
