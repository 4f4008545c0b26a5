// Defines the decoder of the TEE (trusted execution environment) ioctls of linux/tee.h
// (strace's tee.c): the version, shared memory allocation and registration, sessions,
// invocations and the supplicant's requests with their parameters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/ioctl/family.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

/// TEE_GEN_CAP_* (linux/tee.h).
inline constexpr xlat_entry tee_gen_caps_bits[] = {
    {1u << 0, "TEE_GEN_CAP_GP"},
    {1u << 1, "TEE_GEN_CAP_PRIVILEGED"},
    {1u << 2, "TEE_GEN_CAP_REG_MEM"},
    {1u << 3, "TEE_GEN_CAP_MEMREF_NULL"},
};
inline constexpr xlat tee_gen_caps_xlat{{}, 0, tee_gen_caps_bits, "0", "TEE_GEN_CAP_???"};

/// TEE_IMPL_ID_* (linux/tee.h).
inline constexpr xlat_entry tee_impl_ids_field[] = {{1, "TEE_IMPL_ID_OPTEE"}, {2, "TEE_IMPL_ID_AMDTEE"}};
inline constexpr xlat tee_impl_ids_xlat{tee_impl_ids_field, ~std::uint64_t{0}, {}, {}, "TEE_IMPL_ID_???"};

/// TEE_OPTEE_CAP_* (linux/tee.h).
inline constexpr xlat_entry tee_optee_caps_bits[] = {{1u << 0, "TEE_OPTEE_CAP_TZ"}};
inline constexpr xlat tee_optee_caps_xlat{{}, 0, tee_optee_caps_bits, "0", "TEE_OPTEE_CAP_???"};

/// TEE_IOCTL_LOGIN_* (linux/tee.h).
inline constexpr xlat_entry tee_login_types_field[] = {
    {0, "TEE_IOCTL_LOGIN_PUBLIC"},
    {1, "TEE_IOCTL_LOGIN_USER"},
    {2, "TEE_IOCTL_LOGIN_GROUP"},
    {4, "TEE_IOCTL_LOGIN_APPLICATION"},
    {5, "TEE_IOCTL_LOGIN_USER_APPLICATION"},
    {6, "TEE_IOCTL_LOGIN_GROUP_APPLICATION"},
};
inline constexpr xlat tee_login_types_xlat{
    tee_login_types_field, ~std::uint64_t{0}, {}, {}, "TEE_IOCTL_LOGIN_???"};

/// TEEC_ORIGIN_* (the GlobalPlatform client API; not in the uapi header, as strace lists them).
inline constexpr xlat_entry tee_origins_field[] = {
    {1, "TEEC_ORIGIN_API"},
    {2, "TEEC_ORIGIN_COMMS"},
    {3, "TEEC_ORIGIN_TEE"},
    {4, "TEEC_ORIGIN_TRUSTED_APP"},
};
inline constexpr xlat tee_origins_xlat{tee_origins_field, ~std::uint64_t{0}, {}, {}, "TEEC_ORIGIN_???"};

/// TEE_IOCTL_PARAM_ATTR_TYPE_* (linux/tee.h); an unknown type is commented with strace's
/// bare prefix.
inline constexpr xlat_entry tee_param_types_field[] = {
    {0, "TEE_IOCTL_PARAM_ATTR_TYPE_NONE"},         {1, "TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT"},
    {2, "TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT"}, {3, "TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT"},
    {5, "TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT"}, {6, "TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT"},
    {7, "TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT"}, {0x100, "TEE_IOCTL_PARAM_ATTR_META"},
};
inline constexpr xlat tee_param_types_xlat{
    tee_param_types_field, ~std::uint64_t{0}, {}, {}, "TEE_IOCTL_PARAM_ATTR_"};

/// TEE_IOCTL_SHM_* (the kernel's tee_drv.h; strace's list).
inline constexpr xlat_entry tee_shm_flags_bits[] = {
    {0x1, "TEE_IOCTL_SHM_MAPPED"},         {0x2, "TEE_IOCTL_SHM_DMA_BUF"},
    {0x4, "TEE_IOCTL_SHM_EXT_DMA_BUF"},    {0x8, "TEE_IOCTL_SHM_REGISTER"},
    {0x10, "TEE_IOCTL_SHM_USER_MAPPED"},   {0x20, "TEE_IOCTL_SHM_POOL"},
    {0x40, "TEE_IOCTL_SHM_KERNEL_MAPPED"},
};
inline constexpr xlat tee_shm_flags_xlat{{}, 0, tee_shm_flags_bits, "0", "TEE_IOCTL_SHM_???"};

inline constexpr std::uint32_t tee_ioc_version = 0x800ca400;
inline constexpr std::uint32_t tee_ioc_shm_alloc = 0xc010a401;
inline constexpr std::uint32_t tee_ioc_open_session = 0x8010a402;
inline constexpr std::uint32_t tee_ioc_invoke = 0x8010a403;
inline constexpr std::uint32_t tee_ioc_cancel = 0x8008a404;
inline constexpr std::uint32_t tee_ioc_close_session = 0x8004a405;
inline constexpr std::uint32_t tee_ioc_suppl_recv = 0x8010a406;
inline constexpr std::uint32_t tee_ioc_suppl_send = 0x8010a407;
inline constexpr std::uint32_t tee_ioc_shm_register_fd = 0xc020a408;  // not upstream (strace decodes it)
inline constexpr std::uint32_t tee_ioc_shm_register = 0xc018a409;

/// The TEE requests (names in the generated table; TEE_IOC_SHM_REGISTER_FD has none, as in
/// strace), sorted by number.
inline constexpr ioctl_entry tee_ioctls[] = {
    {tee_ioc_close_session, "TEE_IOC_CLOSE_SESSION"},
    {tee_ioc_cancel, "TEE_IOC_CANCEL"},
    {tee_ioc_version, "TEE_IOC_VERSION"},
    {tee_ioc_open_session, "TEE_IOC_OPEN_SESSION"},
    {tee_ioc_invoke, "TEE_IOC_INVOKE"},
    {tee_ioc_suppl_recv, "TEE_IOC_SUPPL_RECV"},
    {tee_ioc_suppl_send, "TEE_IOC_SUPPL_SEND"},
    {tee_ioc_shm_alloc, "TEE_IOC_SHM_ALLOC"},
    {tee_ioc_shm_register, "TEE_IOC_SHM_REGISTER"},
};
static_assert(ioctl_table_sorted(tee_ioctls), "tee_ioctls must stay sorted by request");

/// Appends one struct tee_ioctl_param (attr, a, b, c: 32 bytes) as strace's
/// tee_print_param_fn: a memory reference's offset, size and id, else the three values.
inline void put_tee_param(std::string& out, const unsigned char* e) {
  auto attr = ioctl_field<std::uint64_t>(e, 0);
  auto a = ioctl_field<std::uint64_t>(e, 8), b = ioctl_field<std::uint64_t>(e, 16),
       c = ioctl_field<std::uint64_t>(e, 24);
  out.append("{attr="), put_enum(out, tee_param_types_xlat, attr & ~std::uint64_t{0x100});
  if (attr & 0x100) out.append("|TEE_IOCTL_PARAM_ATTR_META");
  if (attr == 0) return out.push_back('}');
  if (attr >= 5 && attr <= 7) {
    out.append(", shm_offs="), put_hex(out, a), out.append(", size="), put_hex(out, b);
    out.append(", shm_id="), put_udec(out, c);
  } else {
    out.append(", a="), put_hex(out, a), out.append(", b="), put_hex(out, b), out.append(", c="),
        put_hex(out, c);
  }
  out.push_back('}');
}

/// The argument of a request that passes its struct through a tee_ioctl_buf_data, read:
/// the buffer, its struct (`head` bytes, at most 56) and where the parameters start.
struct tee_buf {
  std::uint64_t ptr = 0, len = 0;
  unsigned char head[56] = {};
  bool whole = false;  ///< the struct was read and, `checked`, its parameters fill the buffer
};

/// Reads the tee_ioctl_buf_data at `arg` and the struct of `head_size` bytes it points to
/// (strace's tee_fetch_buf_data; TEE_MAX_ARG_SIZE is 1024, linux/tee.h). False when `arg`
/// is unreadable.
template <class P>
bool read_tee_buf(P& p, std::uint64_t arg, std::size_t head_size, std::size_t num_params_off, bool check,
                  tee_buf& b) {
  std::uint64_t bd[2];  // buf_ptr, buf_len
  if (!p.read_obj(arg, bd)) return false;
  b.ptr = bd[0], b.len = bd[1];
  if (b.len > 1024 || b.len < head_size || !p.read_exact(b.ptr, head_size)) return true;
  std::memcpy(b.head, scratch().data(), head_size);
  auto n = ioctl_field<std::uint32_t>(b.head, num_params_off);
  b.whole = !check || head_size + 32 * std::uint64_t{n} == b.len;
  return true;
}

/// Appends `, params=[...]` of `n` parameters after the struct of `b`.
template <class P>
void put_tee_params(P& p, const tee_buf& b, std::size_t head_size, std::uint32_t n) {
  p.out().append(", params=");
  std::uint64_t at = n ? b.ptr + head_size : 0;
  put_ioctl_structs(p, at, n, 32, [&](const unsigned char* e) { put_tee_param(p.out(), e); });
}

/// Prints OPEN_SESSION, INVOKE, SUPPL_RECV and SUPPL_SEND: `{buf_len=..., buf_ptr={...}`
/// at entry and `}` or ` => {...}}` at exit; the buffer alone when its struct is
/// unreadable or its parameters do not fill it.
template <class P>
ioctl_step put_tee_buf_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  std::string& out = p.out();
  const std::size_t head_size = code == tee_ioc_open_session ? 56 : code == tee_ioc_invoke ? 24 : 8;
  const std::size_t n_off = code == tee_ioc_open_session ? 52 : code == tee_ioc_invoke ? 20 : 4;
  tee_buf b;
  // The kernel may lower SUPPL_RECV's num_params, not its buf_len: not checked after it.
  const bool check = !exit || p.failed() || code != tee_ioc_suppl_recv;
  if (!read_tee_buf(p, arg, head_size, n_off, check, b))
    return exit ? ioctl_step::done : (put_ptr(out, arg), ioctl_step::done);
  if (!b.whole) {
    if (exit) return ioctl_step::done;
    out.append("{buf_len="), put_udec(out, b.len), out.append(", buf_ptr="), put_hex(out, b.ptr);
    out.push_back('}');
    return ioctl_step::done;
  }
  if (exit && p.failed()) return out.push_back('}'), ioctl_step::done;
  const unsigned char* h = b.head;
  auto u32 = [&](std::size_t off) { return ioctl_field<std::uint32_t>(h, off); };
  auto n = u32(n_off);
  if (exit) {
    out.append(" => {");
    switch (code) {
      case tee_ioc_open_session:
        out.append("session="), put_hex(out, u32(40)), out.append(", ret="), put_udec(out, u32(44));
        out.append(", ret_origin="), put_enum(out, tee_origins_xlat, u32(48));
        break;
      case tee_ioc_invoke:
        out.append("ret="), put_udec(out, u32(12));
        out.append(", ret_origin="), put_enum(out, tee_origins_xlat, u32(16));
        break;
      case tee_ioc_suppl_recv:
        out.append("num_params="), put_udec(out, n);
        break;
      default:
        out.append("ret="), put_udec(out, u32(0));
        break;
    }
    put_tee_params(p, b, head_size, n);
    out.append("}}");
    return ioctl_step::done;
  }
  out.append("{buf_len="), put_udec(out, b.len), out.append(", buf_ptr={");
  switch (code) {
    case tee_ioc_open_session: {
      out.append("uuid="), put_uuid(out, h);
      auto login = u32(32);
      out.append(", clnt_login="), put_enum(out, tee_login_types_xlat, login);
      if (login == 2 || login == 6) {  // a group id, not a UUID (strace's printuid)
        auto gid = u32(16);
        out.append(", clnt_uuid=");
        if (gid == ~std::uint32_t{0})
          out.append("-1");
        else
          put_udec(out, gid);
      } else if (login != 0 && login != 1 && login != 4 && login != 5) {
        out.append(", clnt_uuid=[");
        for (std::size_t i = 0; i < 16; ++i) out.append(i ? ", " : ""), put_hex(out, h[16 + i]);
        out.push_back(']');
      }
      out.append(", cancel_id="), put_udec(out, u32(36));
      break;
    }
    case tee_ioc_invoke:
      out.append("func="), put_udec(out, u32(0)), out.append(", session="), put_hex(out, u32(4));
      out.append(", cancel_id="), put_udec(out, u32(8));
      break;
    case tee_ioc_suppl_recv:
      out.append("func="), put_udec(out, u32(0));
      break;
    default:
      break;
  }
  if (code != tee_ioc_suppl_send) out.append(", ");
  out.append("num_params="), put_udec(out, n);
  put_tee_params(p, b, head_size, n);
  out.push_back('}');
  return ioctl_step::more;
}

/// Prints the argument of TEE request `code` (see ioctl_step); unknown for other requests.
template <class P>
ioctl_step put_tee_ioctl(P& p, std::uint32_t code, std::uint64_t arg, bool exit) {
  if (code != tee_ioc_shm_register_fd && !find_ioctl_entry(tee_ioctls, code)) return ioctl_step::unknown;
  std::string& out = p.out();
  switch (code) {
    case tee_ioc_open_session:
    case tee_ioc_invoke:
    case tee_ioc_suppl_recv:
    case tee_ioc_suppl_send:
      return put_tee_buf_ioctl(p, code, arg, exit);
    case tee_ioc_version: {
      if (!exit) return ioctl_step::more;
      std::uint32_t v[3];  // impl_id, impl_caps, gen_caps
      if (p.failed() || !p.read_obj(arg, v)) return put_ptr(out, arg), ioctl_step::done;
      out.append("{impl_id="), put_enum(out, tee_impl_ids_xlat, v[0]);
      out.append(", gen_caps="), put_flags(out, tee_gen_caps_xlat, v[2]);
      out.append(", impl_caps=");
      v[0] == 1 ? put_flags(out, tee_optee_caps_xlat, v[1]) : put_hex(out, v[1]);
      out.push_back('}');
      return ioctl_step::done;
    }
    case tee_ioc_cancel:
    case tee_ioc_close_session: {
      if (exit) return ioctl_step::done;
      std::uint32_t v[2];
      bool ok = code == tee_ioc_cancel ? p.read_obj(arg, v) : p.read_obj(arg, v[1]);
      if (!ok) return put_ptr(out, arg), ioctl_step::done;
      if (code == tee_ioc_cancel)
        out.append("{cancel_id="), put_udec(out, v[0]), out.append(", session=");
      else
        out.append("{session=");
      put_hex(out, v[1]), out.push_back('}');
      return ioctl_step::done;
    }
    default:
      break;
  }
  // The shared memory requests: the request at entry, ` => {...}` after a success.
  unsigned char s[32];
  const std::size_t size = code == tee_ioc_shm_alloc ? 16 : code == tee_ioc_shm_register ? 24 : 32;
  const bool readable = p.read_exact(arg, size);
  if (readable) std::memcpy(s, scratch().data(), size);
  if (!exit) {
    if (!readable) return put_ptr(out, arg), ioctl_step::done;
    if (code == tee_ioc_shm_alloc) {
      out.append("{size="), put_hex(out, ioctl_field<std::uint64_t>(s, 0));
      out.append(", flags="), put_flags(out, tee_shm_flags_xlat, ioctl_field<std::uint32_t>(s, 8));
    } else if (code == tee_ioc_shm_register) {
      out.append("{addr="), put_hex(out, ioctl_field<std::uint64_t>(s, 0));
      out.append(", length="), put_hex(out, ioctl_field<std::uint64_t>(s, 8));
      out.append(", flags="), put_flags(out, tee_shm_flags_xlat, ioctl_field<std::uint32_t>(s, 16));
    } else {
      out.append("{fd="), p.put_fd(ioctl_field<std::int64_t>(s, 0));
      out.append(", flags="), put_flags(out, tee_shm_flags_xlat, ioctl_field<std::uint32_t>(s, 16));
    }
    out.push_back('}');
    return ioctl_step::more;
  }
  if (p.failed() || !readable) return ioctl_step::done;
  out.append(" => {");
  if (code == tee_ioc_shm_alloc) {
    out.append("size="), put_hex(out, ioctl_field<std::uint64_t>(s, 0));
    out.append(", flags="), put_flags(out, tee_shm_flags_xlat, ioctl_field<std::uint32_t>(s, 8));
    out.append(", id="), put_dec(out, ioctl_field<std::int32_t>(s, 12));
  } else if (code == tee_ioc_shm_register) {
    out.append("length="), put_hex(out, ioctl_field<std::uint64_t>(s, 8));
    out.append(", flags="), put_flags(out, tee_shm_flags_xlat, ioctl_field<std::uint32_t>(s, 16));
    out.append(", id="), put_dec(out, ioctl_field<std::int32_t>(s, 20));
  } else {
    out.append("size="), put_hex(out, ioctl_field<std::uint64_t>(s, 8));
    out.append(", id="), put_dec(out, ioctl_field<std::int32_t>(s, 24));
  }
  out.push_back('}');
  return ioctl_step::done;
}

}  // namespace snare::format::detail
