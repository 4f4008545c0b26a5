// Defines the decoder of bpf (strace's bpf.c): the command by name and union bpf_attr as
// the command reads it. So far BPF_PROG_LOAD's attributes; the other commands print the
// attribute's address.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/nlattr.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// BPF_PROG_LOAD's part of union bpf_attr as strace 6.1 knows it (its bpf_attr.h: 128
/// bytes, up to fd_array).
struct bpf_prog_load_attr {
  std::uint32_t prog_type, insn_cnt;
  std::uint64_t insns, license;
  std::uint32_t log_level, log_size;
  std::uint64_t log_buf;
  std::uint32_t kern_version, prog_flags;
  char prog_name[16];
  std::uint32_t prog_ifindex, expected_attach_type, prog_btf_fd, func_info_rec_size;
  std::uint64_t func_info;
  std::uint32_t func_info_cnt, line_info_rec_size;
  std::uint64_t line_info;
  std::uint32_t line_info_cnt, attach_btf_id, attach_prog_fd, pad;
  std::uint64_t fd_array;
};
static_assert(sizeof(bpf_prog_load_attr) == 128);

/// Appends a name kept in a fixed-size field of `n` bytes as strace's
/// PRINT_FIELD_CSTRING_SZ: quoted up to its NUL, `...` after when the field holds none.
inline void put_field_cstring(std::string& out, const char* s, std::size_t n, int hex_strings) {
  std::size_t len = strnlen(s, n);
  put_quoted(out, std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(s), len), false,
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

/// Prints BPF_PROG_LOAD's attributes from the `size` bytes in `data`: each field group only
/// when `size` reaches it (the versions of the struct the kernel accepts), as strace does.
template <class P>
void put_bpf_prog_load(P& p, std::string_view data) {
  bpf_prog_load_attr a{};
  const std::size_t len = std::min(data.size(), sizeof a);
  std::memcpy(&a, data.data(), len);
  std::string& out = p.out();
  auto reaches = [&](std::size_t offset) { return len > offset; };
  out.append("{prog_type=");
  put_enum(out, bpf_prog_type_xlat, a.prog_type);
  out.append(", insn_cnt=");
  put_udec(out, a.insn_cnt);
  out.append(", insns=");
  put_ptr(out, a.insns);  // the instructions themselves only with -v: not yet decoded
  out.append(", license=");
  p.put_cstring(a.license, p.opts().string_limit);
  auto done = [&] { out.push_back('}'); };
  if (!reaches(offsetof(bpf_prog_load_attr, log_level))) return done();
  out.append(", log_level=");
  put_udec(out, a.log_level);
  out.append(", log_size=");
  put_udec(out, a.log_size);
  out.append(", log_buf=");
  if (a.log_buf != 0 && a.log_size == 0)
    out.append("\"\"");
  else
    p.put_cstring_n(a.log_buf, a.log_size);
  if (!reaches(offsetof(bpf_prog_load_attr, kern_version))) return done();
  out.append(", kern_version=");
  put_kernel_version(out, a.kern_version);
  if (!reaches(offsetof(bpf_prog_load_attr, prog_flags))) return done();
  out.append(", prog_flags=");
  put_flags(out, bpf_prog_flags_xlat, a.prog_flags);
  if (!reaches(offsetof(bpf_prog_load_attr, prog_name))) return done();
  out.append(", prog_name=");
  put_field_cstring(out, a.prog_name,
                    std::min(sizeof a.prog_name, len - offsetof(bpf_prog_load_attr, prog_name)),
                    p.opts().hex_strings);
  if (!reaches(offsetof(bpf_prog_load_attr, prog_ifindex))) return done();
  out.append(", prog_ifindex=");
  put_ifindex(out, a.prog_ifindex);
  if (!reaches(offsetof(bpf_prog_load_attr, expected_attach_type))) return done();
  out.append(", expected_attach_type=");
  put_enum(out, bpf_attach_type_xlat, a.expected_attach_type);
  if (!reaches(offsetof(bpf_prog_load_attr, prog_btf_fd))) return done();
  out.append(", prog_btf_fd=");
  p.put_fd(static_cast<std::int32_t>(a.prog_btf_fd));
  out.append(", func_info_rec_size=");
  put_udec(out, a.func_info_rec_size);
  out.append(", func_info=");
  put_ptr(out, a.func_info);
  out.append(", func_info_cnt=");
  put_udec(out, a.func_info_cnt);
  out.append(", line_info_rec_size=");
  put_udec(out, a.line_info_rec_size);
  out.append(", line_info=");
  put_ptr(out, a.line_info);
  out.append(", line_info_cnt=");
  put_udec(out, a.line_info_cnt);
  if (!reaches(offsetof(bpf_prog_load_attr, attach_btf_id))) return done();
  out.append(", attach_btf_id=");
  put_udec(out, a.attach_btf_id);
  if (!reaches(offsetof(bpf_prog_load_attr, attach_prog_fd))) return done();
  out.append(", attach_prog_fd=");
  p.put_fd(static_cast<std::int32_t>(a.attach_prog_fd));
  if (!reaches(offsetof(bpf_prog_load_attr, fd_array))) return done();
  out.append(", fd_array=");
  put_ptr(out, a.fd_array);
  put_bpf_extra_data(p, data, sizeof a);
  done();
}

/// bpf: the command by name (the table), the attributes of the commands decoded here read
/// from `size` bytes (at most a page, as strace; read even when the call failed), the size.
template <>
struct decoder<sys::call_id::bpf> {
  static constexpr std::uint32_t prog_load = 5;
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 1) return false;
    const auto cmd = static_cast<std::uint32_t>(p.arg(0)), size = static_cast<std::uint32_t>(p.arg(2));
    if (cmd != prog_load || size == 0 || size > 4096) return false;
    if (!p.read_exact(p.arg(1), size)) return put_ptr(p.out(), p.arg(1)), true;
    const std::string data = scratch();  // the printers below use the scratch buffer
    put_bpf_prog_load(p, data);
    return true;
  }
  template <class P>
  static void put_return(P& p) {
    if (static_cast<std::uint32_t>(p.arg(0)) == prog_load) return p.put_fd(p.ret());  // a program's fd
    p.put_return_value();
  }
};

}  // namespace snare::format::detail
