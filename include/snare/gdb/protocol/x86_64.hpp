// Defines the x86-64 register file as gdb numbers it, and the target description (XML) that
// announces it in `qXfer:features:read:target.xml`: gdb's features org.gnu.gdb.i386.core,
// .sse, .linux and .segments (gdb/features/i386/64bit-{core,sse,linux,segments}.xml, whose
// register names, sizes and order gdb's amd64 code checks). The `g` packet is every register
// here in this order, little-endian, each its size.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace snare::gdb::x86_64 {

/// One register as gdb numbers it: its name, size in bits, gdb type, group and feature.
struct register_info {
  std::string_view name;
  unsigned bits;
  std::string_view type;
  std::string_view group;    ///< empty: gdb's default group for the type
  std::string_view feature;  ///< "core", "sse", "linux" or "segments"
};

/// The registers in gdb's numbering: 0-15 general, 16 rip, 17 eflags, 18-23 segment
/// selectors, 24-31 st0-7, 32-39 the x87 control registers, 40-55 xmm0-15, 56 mxcsr,
/// 57 orig_rax, 58 fs_base, 59 gs_base.
inline constexpr std::array<register_info, 60> registers = [] {
  std::array<register_info, 60> r{};
  constexpr std::string_view gp[16] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
                                       "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
  for (std::size_t i = 0; i < 16; ++i)
    r[i] = {gp[i], 64, i == 6 || i == 7 ? std::string_view("data_ptr") : "int64", "", "core"};
  r[16] = {"rip", 64, "code_ptr", "", "core"};
  r[17] = {"eflags", 32, "i386_eflags", "", "core"};
  constexpr std::string_view seg[6] = {"cs", "ss", "ds", "es", "fs", "gs"};
  for (std::size_t i = 0; i < 6; ++i) r[18 + i] = {seg[i], 32, "int32", "", "core"};
  constexpr std::string_view st[8] = {"st0", "st1", "st2", "st3", "st4", "st5", "st6", "st7"};
  for (std::size_t i = 0; i < 8; ++i) r[24 + i] = {st[i], 80, "i387_ext", "", "core"};
  constexpr std::string_view fp[8] = {"fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"};
  for (std::size_t i = 0; i < 8; ++i) r[32 + i] = {fp[i], 32, "int", "float", "core"};
  constexpr std::string_view xmm[16] = {"xmm0", "xmm1", "xmm2",  "xmm3",  "xmm4",  "xmm5",  "xmm6",  "xmm7",
                                        "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"};
  for (std::size_t i = 0; i < 16; ++i) r[40 + i] = {xmm[i], 128, "vec128", "", "sse"};
  r[56] = {"mxcsr", 32, "i386_mxcsr", "vector", "sse"};
  r[57] = {"orig_rax", 64, "int", "", "linux"};
  r[58] = {"fs_base", 64, "int", "", "segments"};
  r[59] = {"gs_base", 64, "int", "", "segments"};
  return r;
}();

/// gdb's numbers of the registers the server names.
enum regno : unsigned {
  rax = 0,
  rsp = 7,
  rip = 16,
  eflags = 17,
  st0 = 24,
  fctrl = 32,
  xmm0 = 40,
  mxcsr = 56,
  orig_rax = 57,
  fs_base = 58,
  gs_base = 59
};

/// Returns the size in bytes of register `n` (its slice of the `g` packet).
constexpr std::size_t size_of(unsigned n) noexcept { return registers[n].bits / 8; }

/// Returns the offset of register `n` in the `g` packet's bytes.
constexpr std::size_t offset_of(unsigned n) noexcept {
  std::size_t at = 0;
  for (unsigned i = 0; i < n; ++i) at += size_of(i);
  return at;
}

/// The size of the `g` packet's data: every register (560 bytes).
inline constexpr std::size_t file_size = offset_of(registers.size());
static_assert(file_size == 16 * 8 + 8 + 4 * 7 + 8 * 10 + 8 * 4 + 16 * 16 + 4 + 3 * 8);

/// Returns the target description: the XML of `qXfer:features:read:target.xml`, built from
/// `registers`, with the types gdb's own feature files define (the vec128 union without the
/// bfloat16 and half members, which older gdbs do not know).
inline std::string target_description() {
  std::string out =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n"
      "<architecture>i386:x86-64</architecture>\n<osabi>GNU/Linux</osabi>\n";
  auto preamble = [](std::string_view feature) -> std::string_view {
    if (feature == "core")
      return "<flags id=\"i386_eflags\" size=\"4\">"
             "<field name=\"CF\" start=\"0\" end=\"0\"/><field name=\"\" start=\"1\" end=\"1\"/>"
             "<field name=\"PF\" start=\"2\" end=\"2\"/><field name=\"AF\" start=\"4\" end=\"4\"/>"
             "<field name=\"ZF\" start=\"6\" end=\"6\"/><field name=\"SF\" start=\"7\" end=\"7\"/>"
             "<field name=\"TF\" start=\"8\" end=\"8\"/><field name=\"IF\" start=\"9\" end=\"9\"/>"
             "<field name=\"DF\" start=\"10\" end=\"10\"/><field name=\"OF\" start=\"11\" end=\"11\"/>"
             "<field name=\"NT\" start=\"14\" end=\"14\"/><field name=\"RF\" start=\"16\" end=\"16\"/>"
             "<field name=\"VM\" start=\"17\" end=\"17\"/><field name=\"AC\" start=\"18\" end=\"18\"/>"
             "<field name=\"VIF\" start=\"19\" end=\"19\"/><field name=\"VIP\" start=\"20\" end=\"20\"/>"
             "<field name=\"ID\" start=\"21\" end=\"21\"/></flags>\n";
    if (feature == "sse")
      return "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
             "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
             "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>"
             "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>"
             "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>"
             "<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>"
             "<union id=\"vec128\"><field name=\"v4_float\" type=\"v4f\"/>"
             "<field name=\"v2_double\" type=\"v2d\"/><field name=\"v16_int8\" type=\"v16i8\"/>"
             "<field name=\"v8_int16\" type=\"v8i16\"/><field name=\"v4_int32\" type=\"v4i32\"/>"
             "<field name=\"v2_int64\" type=\"v2i64\"/><field name=\"uint128\" type=\"uint128\"/></union>\n"
             "<flags id=\"i386_mxcsr\" size=\"4\">"
             "<field name=\"IE\" start=\"0\" end=\"0\"/><field name=\"DE\" start=\"1\" end=\"1\"/>"
             "<field name=\"ZE\" start=\"2\" end=\"2\"/><field name=\"OE\" start=\"3\" end=\"3\"/>"
             "<field name=\"UE\" start=\"4\" end=\"4\"/><field name=\"PE\" start=\"5\" end=\"5\"/>"
             "<field name=\"DAZ\" start=\"6\" end=\"6\"/><field name=\"IM\" start=\"7\" end=\"7\"/>"
             "<field name=\"DM\" start=\"8\" end=\"8\"/><field name=\"ZM\" start=\"9\" end=\"9\"/>"
             "<field name=\"OM\" start=\"10\" end=\"10\"/><field name=\"UM\" start=\"11\" end=\"11\"/>"
             "<field name=\"PM\" start=\"12\" end=\"12\"/><field name=\"FZ\" start=\"15\" "
             "end=\"15\"/></flags>\n";
    return {};
  };
  std::string_view open;
  for (unsigned n = 0; n < registers.size(); ++n) {
    const register_info& r = registers[n];
    if (r.feature != open) {
      if (!open.empty()) out += "</feature>\n";
      open = r.feature;
      out += "<feature name=\"org.gnu.gdb.i386.";
      out += r.feature;
      out += "\">\n";
      out += preamble(r.feature);
    }
    out += "<reg name=\"";
    out += r.name;
    out += "\" bitsize=\"";
    out += std::to_string(r.bits);
    out += "\" type=\"";
    out += r.type;
    out += "\" regnum=\"";
    out += std::to_string(n);
    out += '"';
    if (!r.group.empty()) {
      out += " group=\"";
      out += r.group;
      out += '"';
    }
    out += "/>\n";
  }
  out += "</feature>\n</target>\n";
  return out;
}

}  // namespace snare::gdb::x86_64
