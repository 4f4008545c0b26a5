// Defines the decoders of the key management calls (strace's keyctl.c): add_key's and
// request_key's keyrings, and keyctl's arguments, each command's by what they are (key
// serials with their KEY_SPEC_* names, strings, payloads, permissions, the buffers the
// kernel fills in, and the parameter structs of the Diffie-Hellman and public-key
// commands). A command it does not know prints its four arguments in hex.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <snare/format/detail/decode/err.hpp>
#include <snare/format/detail/decode/io.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/abi.hpp>

namespace snare::format::detail {

/// What one argument of a keyctl command is.
enum class key_arg : std::uint8_t {
  none,
  serial,         ///< a key serial: KEY_SPEC_SESSION_KEYRING, or the number
  i32,            ///< a C int
  u32,            ///< an unsigned int (a timeout)
  xlong,          ///< an unsigned long in hex (PKEY_QUERY's reserved argument)
  ulong,          ///< a length
  uid,            ///< a uid_t (0xffffffff as -1)
  gid,            ///< a gid_t (0xffffffff as -1)
  str,            ///< a NUL-terminated string
  payload,        ///< bytes the kernel reads; the next argument is their length
  text_out,       ///< a string the kernel writes; the next argument is the buffer's size
  data_out,       ///< bytes the kernel writes; the next argument is the buffer's size
  perm,           ///< KEY_POS_VIEW|KEY_USR_VIEW|...
  reqkey,         ///< KEY_REQKEY_DEFL_*
  error,          ///< an errno value by name
  iovecs,         ///< an iovec array; the next argument is its length
  dh_params,      ///< struct keyctl_dh_params
  kdf_params,     ///< struct keyctl_kdf_params
  pkey_params,    ///< struct keyctl_pkey_params: its key_id, in_len and out_len
  verify_params,  ///< struct keyctl_pkey_params: its key_id, in_len and in2_len
  pkey_in,        ///< bytes the kernel reads, params.in_len of them
  pkey_in2,       ///< bytes the kernel reads, params.in2_len of them
  pkey_out,       ///< bytes the kernel writes, at most params.out_len
  ptr_out,        ///< a struct the kernel writes, shown as its address
  caps_out,       ///< the capability bytes of KEYCTL_CAPABILITIES; the next argument is their count
  move_flags,     ///< KEYCTL_MOVE_EXCL
};

/// The arguments after the command, for each command 0..KEYCTL_CAPABILITIES.
inline constexpr std::array<std::array<key_arg, 4>, 32> keyctl_args = [] {
  using enum key_arg;
  std::array<std::array<key_arg, 4>, 32> t{};
  t[0] = {serial, i32};                              // KEYCTL_GET_KEYRING_ID
  t[1] = {str};                                      // KEYCTL_JOIN_SESSION_KEYRING
  t[2] = {serial, payload, ulong};                   // KEYCTL_UPDATE
  t[3] = {serial};                                   // KEYCTL_REVOKE
  t[4] = {serial, uid, gid};                         // KEYCTL_CHOWN
  t[5] = {serial, perm};                             // KEYCTL_SETPERM
  t[6] = {serial, text_out, ulong};                  // KEYCTL_DESCRIBE
  t[7] = {serial};                                   // KEYCTL_CLEAR
  t[8] = {serial, serial};                           // KEYCTL_LINK
  t[9] = {serial, serial};                           // KEYCTL_UNLINK
  t[10] = {serial, str, str, serial};                // KEYCTL_SEARCH
  t[11] = {serial, data_out, ulong};                 // KEYCTL_READ
  t[12] = {serial, payload, ulong, serial};          // KEYCTL_INSTANTIATE
  t[13] = {serial, u32, serial};                     // KEYCTL_NEGATE
  t[14] = {reqkey};                                  // KEYCTL_SET_REQKEY_KEYRING
  t[15] = {serial, u32};                             // KEYCTL_SET_TIMEOUT
  t[16] = {serial};                                  // KEYCTL_ASSUME_AUTHORITY
  t[17] = {serial, text_out, ulong};                 // KEYCTL_GET_SECURITY
  t[18] = {};                                        // KEYCTL_SESSION_TO_PARENT
  t[19] = {serial, u32, error, serial};              // KEYCTL_REJECT
  t[20] = {serial, iovecs, ulong, serial};           // KEYCTL_INSTANTIATE_IOV
  t[21] = {serial};                                  // KEYCTL_INVALIDATE
  t[22] = {uid, serial};                             // KEYCTL_GET_PERSISTENT
  t[23] = {dh_params, data_out, ulong, kdf_params};  // KEYCTL_DH_COMPUTE
  t[24] = {serial, xlong, str, ptr_out};             // KEYCTL_PKEY_QUERY
  t[25] = {pkey_params, str, pkey_in, pkey_out};     // KEYCTL_PKEY_ENCRYPT
  t[26] = {pkey_params, str, pkey_in, pkey_out};     // KEYCTL_PKEY_DECRYPT
  t[27] = {pkey_params, str, pkey_in, pkey_out};     // KEYCTL_PKEY_SIGN
  t[28] = {verify_params, str, pkey_in, pkey_in2};   // KEYCTL_PKEY_VERIFY
  t[29] = {serial, str, str};                        // KEYCTL_RESTRICT_KEYRING
  t[30] = {serial, serial, serial, move_flags};      // KEYCTL_MOVE
  t[31] = {caps_out, ulong};                         // KEYCTL_CAPABILITIES
  return t;
}();

/// Appends a key serial: its KEY_SPEC_* name, else the number.
inline void put_key_serial(std::string& out, std::uint64_t v) {
  auto serial = static_cast<std::int32_t>(v);
  auto name = find_name(key_spec_xlat.field, static_cast<std::uint64_t>(std::int64_t{serial}));
  put_named(out, name, [&] { put_dec(out, serial); });  // -X raw: -1; verbose: -1 /* KEY_SPEC_... */
}

/// Appends `__spare=[0, 0x2, ...]` after `, ` when any of the `n` spare words is not 0.
inline void put_spare_words(std::string& out, const std::uint32_t* words, std::size_t n) {
  if (std::all_of(words, words + n, [](std::uint32_t w) { return w == 0; })) return;
  out.append(", __spare=[");
  for (std::size_t k = 0; k < n; ++k) {
    if (k) out.append(", ");
    put_hex(out, words[k]);
  }
  out.push_back(']');
}

/// keyctl: the arguments of each command, the buffers the kernel fills in at exit.
template <>
struct decoder<sys::call_id::keyctl> {
  static constexpr const std::array<key_arg, 4>* args_of(std::uint64_t cmd) noexcept {
    cmd &= 0xffffffffu;  // a C int
    return cmd < keyctl_args.size() ? &keyctl_args[cmd] : nullptr;
  }
  static constexpr bool is_out(key_arg a) noexcept {
    return a == key_arg::text_out || a == key_arg::data_out || a == key_arg::pkey_out ||
           a == key_arg::ptr_out || a == key_arg::caps_out;
  }

  template <class P>
  static std::size_t shown_args(const P& p, std::size_t n) {
    const auto* args = args_of(p.arg(0));
    if (args == nullptr) return n;
    std::size_t k = 0;
    while (k < args->size() && (*args)[k] != key_arg::none) ++k;
    return std::min(n, k + 1);
  }
  template <class P>
  static bool at_exit(const P& p, std::size_t i) {
    const auto* args = args_of(p.arg(0));
    return args != nullptr && i > 0 && is_out((*args)[i - 1]);
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    const auto* args = args_of(p.arg(0));
    if (args == nullptr || i == 0) return false;
    put(p, (*args)[i - 1], i, exit);
    return true;
  }

 private:
  template <class P>
  static void put(P& p, key_arg a, std::size_t i, bool exit) {
    std::string& out = p.out();
    std::uint64_t v = p.arg(i);
    auto u32 = static_cast<std::uint32_t>(v);
    switch (a) {
      case key_arg::serial:
        return put_key_serial(out, v);
      case key_arg::i32:
      case key_arg::u32:
      case key_arg::xlong:
      case key_arg::ulong:
      case key_arg::uid:
      case key_arg::gid:
        return put_number(out, a, v);
      case key_arg::str:
        return p.put_cstring(v, p.opts().string_limit);
      case key_arg::payload:
        return p.put_buffer(v, p.arg(i + 1));
      case key_arg::text_out:
      case key_arg::data_out:
        return put_out_buffer(p, v, p.arg(i + 1), exit, a == key_arg::text_out);
      case key_arg::perm:
        return put_flags(out, key_perm_xlat, u32);
      case key_arg::reqkey:
        return put_reqkey(out, v);
      case key_arg::error:
        return put_err(out, u32, false);
      case key_arg::iovecs: {
        if (v == 0) return out.append("NULL"), void();
        std::uint64_t budget = ~std::uint64_t{0};
        return put_iovecs(p, v, p.arg(i + 1), budget);
      }
      case key_arg::dh_params:
      case key_arg::kdf_params:
      case key_arg::pkey_params:
      case key_arg::verify_params:
        return put_params(p, a, v);
      case key_arg::pkey_in:
      case key_arg::pkey_in2:
      case key_arg::pkey_out: {
        sys::abi::keyctl_pkey_params params;
        if (v == 0 || !p.read_obj(p.arg(1), params)) return put_ptr(out, v);
        if (a == key_arg::pkey_in) return p.put_buffer(v, params.in_len);
        if (a == key_arg::pkey_in2) return p.put_buffer(v, params.out_len);
        return put_out_buffer(p, v, params.out_len, exit, false);
      }
      case key_arg::ptr_out:
        return put_ptr(out, v);
      case key_arg::caps_out:
        return put_caps(p, v, p.arg(i + 1));
      case key_arg::move_flags:
        return put_flags(out, keyctl_move_flags_xlat, u32);
      default:
        return put_hex(out, v);
    }
  }

  // The plain numbers: C ints (the upper half of the register does not count), in decimal
  // but for the reserved argument in hex, ids with -1 by its name, and lengths.
  static void put_number(std::string& out, key_arg a, std::uint64_t v) {
    auto u32 = static_cast<std::uint32_t>(v);
    if (a == key_arg::i32)
      put_dec(out, static_cast<std::int32_t>(v));
    else if (a == key_arg::xlong)
      put_hex(out, v);
    else if (a == key_arg::ulong)
      put_udec(out, v);
    else if ((a == key_arg::uid || a == key_arg::gid) && u32 == 0xffffffffu)
      out.append("-1");
    else
      put_udec(out, u32);
  }

  // KEY_REQKEY_DEFL_* by name, else the int in decimal with strace's ??? comment.
  static void put_reqkey(std::string& out, std::uint64_t v) {
    auto value = static_cast<std::int32_t>(v);
    auto name = find_name(key_reqkey_defl_xlat.field, static_cast<std::uint64_t>(std::int64_t{value}));
    if (!name.empty()) return put_named(out, name, [&] { put_dec(out, value); });
    put_dec(out, value);
    if (!xlat_raw()) out.append(" /* KEY_REQKEY_DEFL_??? */");
  }

  // A buffer the kernel fills in: NULL, its address when the call failed, else the bytes
  // written (the return value says how many the kernel had; the buffer holds at most
  // `size`). A text buffer ends in a NUL, which is not shown.
  template <class P>
  static void put_out_buffer(P& p, std::uint64_t addr, std::uint64_t size, bool exit, bool text) {
    std::string& out = p.out();
    if (addr == 0) return out.append("NULL"), void();
    if (!exit || p.failed()) return put_hex(out, addr);
    std::uint64_t n = std::min<std::uint64_t>(size, p.ret() > 0 ? static_cast<std::uint64_t>(p.ret()) : 0);
    std::size_t limit = p.opts().string_limit;
    if (!text || n > limit + 1) return p.put_buffer(addr, n);
    if (!p.read_exact(addr, static_cast<std::size_t>(n))) return put_hex(out, addr);
    std::string& s = scratch();
    if (!s.empty() && s.back() == '\0') s.pop_back();
    bool cut = s.size() > limit;
    if (cut) s.resize(limit);
    put_quoted(out, s);
    if (cut) out.append("...");
  }

  // The parameter structs of DH_COMPUTE and the PKEY_* commands: NULL, the address when
  // unreadable, else their fields (and the spare words when any is set).
  template <class P>
  static void put_params(P& p, key_arg a, std::uint64_t addr) {
    std::string& out = p.out();
    if (addr == 0) return out.append("NULL"), void();
    sys::abi::keyctl_dh_params dh{};
    sys::abi::keyctl_kdf_params kdf{};
    sys::abi::keyctl_pkey_params pkey{};
    bool read = a == key_arg::dh_params    ? p.read_obj(addr, dh)
                : a == key_arg::kdf_params ? p.read_obj(addr, kdf)
                                           : p.read_obj(addr, pkey);
    if (!read) return put_hex(out, addr);
    if (a == key_arg::dh_params) {
      const std::pair<std::string_view, std::int32_t> serials[] = {
          {"{private=", dh.private_}, {", prime=", dh.prime}, {", base=", dh.base}};
      for (const auto& [label, serial] : serials) {
        out.append(label);
        put_key_serial(out, static_cast<std::uint32_t>(serial));
      }
    } else if (a == key_arg::kdf_params) {
      out.append("{hashname=");
      p.put_cstring(kdf.hashname, p.opts().string_limit);
      out.append(", otherinfo=");
      if (kdf.otherinfolen != 0)
        p.put_buffer(kdf.otherinfo, kdf.otherinfolen);
      else  // the kernel does not read it then
        put_ptr(out, kdf.otherinfo);
      out.append(", otherinfolen=");
      put_udec(out, kdf.otherinfolen);
      put_spare_words(out, kdf.spare, std::size(kdf.spare));
    } else {
      out.append("{key_id=");
      put_key_serial(out, static_cast<std::uint32_t>(pkey.key_id));
      out.append(", in_len=");
      put_udec(out, pkey.in_len);
      out.append(a == key_arg::verify_params ? ", in2_len=" : ", out_len=");
      put_udec(out, pkey.out_len);
      put_spare_words(out, pkey.spare, std::size(pkey.spare));
    }
    out.push_back('}');
  }

  // KEYCTL_CAPABILITIES: one byte of KEYCTL_CAPS0_* flags, one of KEYCTL_CAPS1_*, then
  // bytes no name covers, as many as the kernel wrote and the buffer holds.
  template <class P>
  static void put_caps(P& p, std::uint64_t addr, std::uint64_t size) {
    std::string& out = p.out();
    if (addr == 0) return out.append("NULL"), void();
    if (p.failed()) return put_hex(out, addr);
    std::uint64_t n = std::min<std::uint64_t>(size, p.ret() > 0 ? static_cast<std::uint64_t>(p.ret()) : 0);
    n = std::min<std::uint64_t>(n, p.opts().string_limit);
    if (!p.read_exact(addr, static_cast<std::size_t>(n))) return put_hex(out, addr);
    const std::string& caps = scratch();
    out.push_back('[');
    for (std::size_t k = 0; k < caps.size(); ++k) {
      if (k) out.append(", ");
      auto byte = static_cast<unsigned char>(caps[k]);
      if (k == 0)
        put_flags(out, keyctl_caps0_xlat, byte);
      else if (k == 1)
        put_flags(out, keyctl_caps1_xlat, byte);
      else
        put_hex(out, byte);
    }
    out.push_back(']');
  }
};

/// add_key and request_key: the keyring (their last argument) as a key serial.
inline constexpr auto put_key_serial_arg = [](auto& p, std::uint64_t v) { put_key_serial(p.out(), v); };
template <>
struct decoder<sys::call_id::add_key> : arg_decoder<4, put_key_serial_arg> {};
template <>
struct decoder<sys::call_id::request_key> : arg_decoder<3, put_key_serial_arg> {};

}  // namespace snare::format::detail
