// Defines the gdbserver's register file: a stopped x86-64 thread's registers (the general file
// and the FXSAVE area) and their copy to and from gdb's numbering (protocol/x86_64.hpp).
#pragma once

#include <sys/user.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <snare/gdb/protocol/x86_64.hpp>

namespace snare::gdb::detail {

// The registers of a stopped x86-64 thread in gdb's order (protocol/x86_64.hpp): the general
// file and the FXSAVE area, which hold every register the target description names.
struct register_file {
  user_regs_struct gp{};
  user_fpregs_struct fp{};
};

// Returns the 80-bit x87 tag gdb shows (0 valid, 1 zero, 2 special, 3 empty) for each
// physical register, from FXSAVE's abridged tag byte and the registers' contents, as the
// x87 FSTENV would (Intel SDM vol. 1, 10.5.1.1 "x87 State": the abridged tag word).
inline std::uint32_t full_tag_word(const user_fpregs_struct& fp) noexcept {
  const unsigned top = (fp.swd >> 11) & 7;
  std::uint32_t tags = 0;
  for (unsigned phys = 0; phys < 8; ++phys) {
    unsigned tag = 3;
    if ((fp.ftw >> phys) & 1) {
      const unsigned st = (phys - top) & 7;  // ST(st) is physical register (top + st) mod 8
      const auto* b = reinterpret_cast<const std::uint8_t*>(&fp.st_space[st * 4]);
      const unsigned exponent = (b[9] & 0x7fu) << 8 | b[8];
      std::uint64_t mantissa = 0;
      std::memcpy(&mantissa, b, 8);
      if (exponent == 0x7fff)
        tag = 2;
      else if (exponent == 0)
        tag = mantissa == 0 ? 1 : 2;
      else
        tag = (mantissa >> 63) ? 0 : 2;
    }
    tags |= tag << (2 * phys);
  }
  return tags;
}

// Copies register `n`'s bytes (little-endian, x86_64::size_of(n) of them) out of or into the
// register file. Returns false for a number gdb's x86-64 file does not have.
inline bool access_register(register_file& f, unsigned n, std::byte* bytes, bool write) noexcept {
  using namespace x86_64;
  auto& r = f.gp;
  auto& fp = f.fp;
  auto io = [&](void* field, std::size_t size) {
    if (write)
      std::memcpy(field, bytes, size);
    else
      std::memcpy(bytes, field, size);
  };
  // 32-bit slices of 64-bit fields, and 32-bit registers from 16-bit fields.
  auto io32 = [&](auto& field) {
    std::uint32_t v = static_cast<std::uint32_t>(field);
    io(&v, 4);
    if (write) field = static_cast<std::remove_reference_t<decltype(field)>>(v);
  };
  unsigned long long* gp64[16] = {&r.rax, &r.rbx, &r.rcx, &r.rdx, &r.rsi, &r.rdi, &r.rbp, &r.rsp,
                                  &r.r8,  &r.r9,  &r.r10, &r.r11, &r.r12, &r.r13, &r.r14, &r.r15};
  if (n < 16) return io(gp64[n], 8), true;
  if (n == rip) return io(&r.rip, 8), true;
  if (n == eflags) return io32(r.eflags), true;
  unsigned long long* seg[6] = {&r.cs, &r.ss, &r.ds, &r.es, &r.fs, &r.gs};
  if (n >= 18 && n < 24) return io32(*seg[n - 18]), true;
  if (n >= st0 && n < st0 + 8) return io(&fp.st_space[(n - st0) * 4], 10), true;
  switch (n) {
    case fctrl:
      return io32(fp.cwd), true;
    case fctrl + 1:
      return io32(fp.swd), true;
    case fctrl + 2: {  // ftag: full on gdb's side, abridged in FXSAVE
      std::uint32_t full = full_tag_word(fp);
      io(&full, 4);
      if (write) {
        std::uint16_t abridged = 0;
        for (unsigned phys = 0; phys < 8; ++phys)
          if (((full >> (2 * phys)) & 3) != 3) abridged |= static_cast<std::uint16_t>(1u << phys);
        fp.ftw = abridged;
      }
      return true;
    }
    case fctrl + 3: {  // fiseg, fioff: FXSAVE64's 64-bit FPU instruction pointer, split
      std::uint32_t v = static_cast<std::uint32_t>(fp.rip >> 32);
      io(&v, 4);
      if (write) fp.rip = (fp.rip & 0xffffffffull) | std::uint64_t{v} << 32;
      return true;
    }
    case fctrl + 4: {
      std::uint32_t v = static_cast<std::uint32_t>(fp.rip);
      io(&v, 4);
      if (write) fp.rip = (fp.rip & ~0xffffffffull) | v;
      return true;
    }
    case fctrl + 5: {  // foseg, fooff: the operand pointer, likewise
      std::uint32_t v = static_cast<std::uint32_t>(fp.rdp >> 32);
      io(&v, 4);
      if (write) fp.rdp = (fp.rdp & 0xffffffffull) | std::uint64_t{v} << 32;
      return true;
    }
    case fctrl + 6: {
      std::uint32_t v = static_cast<std::uint32_t>(fp.rdp);
      io(&v, 4);
      if (write) fp.rdp = (fp.rdp & ~0xffffffffull) | v;
      return true;
    }
    case fctrl + 7:
      return io32(fp.fop), true;
    default:
      break;
  }
  if (n >= xmm0 && n < xmm0 + 16) return io(&fp.xmm_space[(n - xmm0) * 4], 16), true;
  if (n == mxcsr) return io(&fp.mxcsr, 4), true;
  if (n == orig_rax) return io(&r.orig_rax, 8), true;
  if (n == fs_base) return io(&r.fs_base, 8), true;
  if (n == gs_base) return io(&r.gs_base, 8), true;
  return false;
}

}  // namespace snare::gdb::detail
