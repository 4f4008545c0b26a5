// Defines the printers of x86-64's register sets as ptrace(2) moves them (strace's
// regset.c with linux/x86_64/arch_prstatus_regset.c and arch_fpregset.c): struct
// user_regs_struct (NT_PRSTATUS, PTRACE_GETREGS) and struct user_fpregs_struct
// (NT_FPREGSET, PTRACE_GETFPREGS), from field tables in the kernel's layout
// (asm/user_64.h), cut at the length the caller gives as strace cuts them; and the
// offsets into struct user that PTRACE_PEEKUSER and POKEUSER name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>

#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// One field of a register set: its name, byte offset, element size (2, 4 or 8) and
/// element count (1 for a scalar, more for an array such as st_space).
struct regset_field {
  std::string_view name;
  std::uint16_t offset;
  std::uint8_t size;
  std::uint8_t count;
};

/// struct user_regs_struct (asm/user_64.h): 27 unsigned longs, 216 bytes.
inline constexpr regset_field prstatus_regset_fields[] = {
    {"r15", 0, 8, 1},   {"r14", 8, 8, 1},       {"r13", 16, 8, 1},      {"r12", 24, 8, 1},
    {"rbp", 32, 8, 1},  {"rbx", 40, 8, 1},      {"r11", 48, 8, 1},      {"r10", 56, 8, 1},
    {"r9", 64, 8, 1},   {"r8", 72, 8, 1},       {"rax", 80, 8, 1},      {"rcx", 88, 8, 1},
    {"rdx", 96, 8, 1},  {"rsi", 104, 8, 1},     {"rdi", 112, 8, 1},     {"orig_rax", 120, 8, 1},
    {"rip", 128, 8, 1}, {"cs", 136, 8, 1},      {"eflags", 144, 8, 1},  {"rsp", 152, 8, 1},
    {"ss", 160, 8, 1},  {"fs_base", 168, 8, 1}, {"gs_base", 176, 8, 1}, {"ds", 184, 8, 1},
    {"es", 192, 8, 1},  {"fs", 200, 8, 1},      {"gs", 208, 8, 1},
};
inline constexpr std::size_t prstatus_regset_size = 216;

/// struct user_fpregs_struct (asm/user_64.h): the FXSAVE area, 512 bytes.
inline constexpr regset_field fpregset_fields[] = {
    {"cwd", 0, 2, 1},        {"swd", 2, 2, 1},          {"ftw", 4, 2, 1},        {"fop", 6, 2, 1},
    {"rip", 8, 8, 1},        {"rdp", 16, 8, 1},         {"mxcsr", 24, 4, 1},     {"mxcr_mask", 28, 4, 1},
    {"st_space", 32, 4, 32}, {"xmm_space", 160, 4, 64}, {"padding", 416, 4, 24},
};
inline constexpr std::size_t fpregset_size = 512;

/// The offsets PTRACE_PEEKUSER and PTRACE_POKEUSER name in struct user (sys/user.h, x86-64),
/// as strace's linux/x86_64/userent.h names them: the registers `8*RAX` (sys/reg.h's
/// indices; EFLAGS as `8*EFL`), then the members, then the struct's size.
inline constexpr xlat_entry user_offsets[] = {
    {0, "8*R15"},
    {8, "8*R14"},
    {16, "8*R13"},
    {24, "8*R12"},
    {32, "8*RBP"},
    {40, "8*RBX"},
    {48, "8*R11"},
    {56, "8*R10"},
    {64, "8*R9"},
    {72, "8*R8"},
    {80, "8*RAX"},
    {88, "8*RCX"},
    {96, "8*RDX"},
    {104, "8*RSI"},
    {112, "8*RDI"},
    {120, "8*ORIG_RAX"},
    {128, "8*RIP"},
    {136, "8*CS"},
    {144, "8*EFL"},
    {152, "8*RSP"},
    {160, "8*SS"},
    {216, "offsetof(struct user, u_fpvalid)"},
    {224, "offsetof(struct user, i387)"},
    {736, "offsetof(struct user, u_tsize)"},
    {744, "offsetof(struct user, u_dsize)"},
    {752, "offsetof(struct user, u_ssize)"},
    {760, "offsetof(struct user, start_code)"},
    {768, "offsetof(struct user, start_stack)"},
    {776, "offsetof(struct user, signal)"},
    {784, "offsetof(struct user, reserved)"},
    {792, "offsetof(struct user, u_ar0)"},
    {800, "offsetof(struct user, u_fpstate)"},
    {808, "offsetof(struct user, magic)"},
    {816, "offsetof(struct user, u_comm)"},
    {848, "offsetof(struct user, u_debugreg)"},
    {912, "sizeof(struct user)"},
};

/// Appends offset `addr` into struct user as strace's print_user_offset_addr: the nearest
/// name at or below it, `+N` past it (`offsetof(struct user, u_debugreg)+8`); -X verbose
/// the address and the name in a comment, -X raw the address; the address alone past the
/// struct's size.
inline void put_user_offset(std::string& out, std::uint64_t addr) {
  std::string_view name;
  std::uint64_t base = 0;
  for (const auto& e : user_offsets)
    if (e.value <= addr) name = e.name, base = e.value;
  if (addr > base && base == user_offsets[std::size(user_offsets) - 1].value) name = {};
  if (name.empty() || !xlat_abbrev()) put_ptr(out, addr);
  if (name.empty() || xlat_raw()) return;
  if (xlat_verbose()) out.append(" /* ");
  out.append(name);
  if (base != addr) put_udec(out.append("+"), addr - base);
  if (xlat_verbose()) out.append(" */");
}

/// Returns the element of `size` bytes at `p`, zero-extended.
inline std::uint64_t regset_value(const unsigned char* p, std::size_t size) noexcept {
  std::uint64_t v = 0;
  if (size == 2) {
    std::uint16_t x;
    std::memcpy(&x, p, 2);
    v = x;
  } else if (size == 4) {
    std::uint32_t x;
    std::memcpy(&x, p, 4);
    v = x;
  } else {
    std::memcpy(&v, p, 8);
  }
  return v;
}

/// Appends a register set of `size` bytes at `addr` with the field table `fields` of a
/// struct of `struct_size` bytes: `{r15=0x..., r14=0, ...}`, each field in hex, only the
/// fields that start within the bytes read (at most struct_size), the arrays cut there too
/// and at `array_limit` elements (`...`), `, ...` when `size` exceeds the struct. The
/// address when `size` is 0 or not a multiple of 8, or the bytes are unreadable (strace's
/// arch_decode_prstatus_regset / arch_decode_fpregset).
template <class P, std::size_t N>
void put_regset(P& p, const regset_field (&fields)[N], std::size_t struct_size, std::uint64_t addr,
                std::uint64_t size, std::size_t array_limit) {
  std::string& out = p.out();
  std::size_t fetch = size < struct_size ? static_cast<std::size_t>(size) : struct_size;
  if (size == 0 || (size & 7) != 0 || !p.read_exact(addr, fetch)) return put_ptr(out, addr);
  unsigned char buf[fpregset_size > prstatus_regset_size ? fpregset_size : prstatus_regset_size];
  std::memcpy(buf, scratch().data(), fetch);
  out.push_back('{');
  for (std::size_t f = 0; f < N; ++f) {
    const regset_field& d = fields[f];
    if (f != 0 && fetch <= d.offset) break;
    if (f != 0) out.append(", ");
    out.append(d.name).push_back('=');
    if (d.count == 1) {
      put_hex(out, regset_value(buf + d.offset, d.size));
      continue;
    }
    std::size_t n = (fetch - d.offset) / d.size;
    if (n > d.count) n = d.count;
    out.push_back('[');
    for (std::size_t i = 0; i < n; ++i) {
      if (i) out.append(", ");
      if (i == array_limit) {
        out.append("...");
        break;
      }
      put_hex(out, regset_value(buf + d.offset + i * d.size, d.size));
    }
    out.push_back(']');
  }
  if (size > struct_size) out.append(", ...");
  out.push_back('}');
}

/// Appends the user_regs_struct of `size` bytes at `addr` (NT_PRSTATUS).
template <class P>
void put_prstatus_regset(P& p, std::uint64_t addr, std::uint64_t size) {
  put_regset(p, prstatus_regset_fields, prstatus_regset_size, addr, size, p.opts().string_limit);
}

/// Appends the user_fpregs_struct of `size` bytes at `addr` (NT_FPREGSET).
template <class P>
void put_fpregset(P& p, std::uint64_t addr, std::uint64_t size) {
  put_regset(p, fpregset_fields, fpregset_size, addr, size, p.opts().string_limit);
}

}  // namespace snare::format::detail
