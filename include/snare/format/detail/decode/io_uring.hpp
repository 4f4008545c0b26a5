// Defines the decoder of io_uring_register (strace's io_uring.c): each opcode's argument,
// the fds, iovecs, files updates, probes, restrictions, resources, worker limits and ring
// registrations it points to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include <snare/format/detail/decode/fs.hpp>
#include <snare/format/detail/decode/futex.hpp>
#include <snare/format/detail/decode/io.hpp>
#include <snare/format/detail/decode/process.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>

namespace snare::format::detail {

/// Appends `v` of a value-indexed table in decimal, as strace's XLAT_STYLE_FMT_U: the name
/// (abbrev), `255 /* IORING_OP_??? */` when unnamed, the number (raw), both (verbose).
inline void put_enum_u(std::string& out, const xlat& x, std::uint64_t v) {
  auto name = find_name(x.field, v);
  if (name.empty()) {
    put_udec(out, v);
    if (!xlat_raw()) out.append(" /* ").append(x.unknown).append(" */");
    return;
  }
  put_named(out, name, [&] { put_udec(out, v); });
}

/// Appends `[0x1, 0, 0x2]`: an array of 32-bit words in hex (strace's print_xint_array_member).
template <std::size_t N>
void put_hex_words(std::string& out, const std::uint32_t (&w)[N]) {
  out.push_back('[');
  for (std::size_t i = 0; i < N; ++i) {
    if (i) out.append(", ");
    put_hex(out, w[i]);
  }
  out.push_back(']');
}

/// io_uring_register as strace's SYS_FUNC(io_uring_register): the argument of each opcode,
/// at entry, and nr_args; IORING_REGISTER_PROBE and IORING_REGISTER_IOWQ_MAX_WORKERS, which
/// the kernel fills in, again at exit (`{...} => {...}` when the entry printed it).
template <>
struct decoder<sys::call_id::io_uring_register> {
  enum : std::uint32_t {
    register_buffers = 0,
    register_files = 2,
    register_eventfd = 4,
    register_files_update = 6,
    register_eventfd_async = 7,
    register_probe = 8,
    register_restrictions = 11,
    register_files2 = 13,
    register_files_update2 = 14,
    register_buffers2 = 15,
    register_buffers_update = 16,
    register_iowq_aff = 17,
    register_iowq_max_workers = 19,
    register_ring_fds = 20,
    unregister_ring_fds = 21,
    register_pbuf_ring = 22,
    unregister_pbuf_ring = 23,
  };
  struct probe_head {
    std::uint8_t last_op, ops_len;
    std::uint16_t resv;
    std::uint32_t resv2[3];
  };
  struct probe_op {
    std::uint8_t op, resv;
    std::uint16_t flags;
    std::uint32_t resv2;
  };
  struct restriction {
    std::uint16_t opcode;
    std::uint8_t op, resv;
    std::uint32_t resv2[3];
  };
  struct files_update {
    std::uint32_t offset, resv;
    std::uint64_t fds;
  };
  struct rsrc_register {
    std::uint32_t nr, flags;
    std::uint64_t resv2, data, tags;
  };
  struct rsrc_update2 {
    std::uint32_t offset, resv;
    std::uint64_t data, tags;
    std::uint32_t nr, resv2;
  };
  struct rsrc_update {
    std::uint32_t offset, resv;
    std::uint64_t data;
  };
  struct buf_reg {
    std::uint64_t ring_addr;
    std::uint32_t ring_entries;
    std::uint16_t bgid, pad;
    std::uint64_t resv[3];
  };

  // Which argument's entry_state slot tells the exit what the entry printed (the pointer's:
  // no in-out int uses it).
  static constexpr std::size_t state_slot = 2;

  template <class P>
  static void put_fds(P& p, std::uint64_t addr, std::uint64_t n, bool update) {
    put_array_of<std::int32_t>(p, addr, n, [&](std::int32_t fd) {
      if (update && fd < -1)  // strace's uring_files_update_fds
        put_named(p.out(), fd == -2 ? "IORING_REGISTER_FILES_SKIP" : "", [&] { put_dec(p.out(), fd); });
      else
        p.put_fd(fd);
      return true;
    });
  }
  template <class P>
  static void put_iovs(P& p, std::uint64_t addr, std::uint64_t n) {
    std::uint64_t budget = ~std::uint64_t{0};
    if (n == 0 && addr != 0) return p.out().append("[]"), void();
    put_iovecs(p, addr, n, budget, true);
  }
  template <class P>
  static void put_tags(P& p, std::uint64_t addr, std::uint64_t n) {
    put_array_of<std::uint64_t>(p, addr, n, [&](std::uint64_t v) { return put_hex(p.out(), v), true; });
  }
  // IORING_REGISTER_FILES2 and _BUFFERS2's struct io_uring_rsrc_register; FILES_UPDATE2 and
  // BUFFERS_UPDATE's struct io_uring_rsrc_update2 (32 bytes each; shorter: the address).
  template <class P>
  static void put_rsrc(P& p, std::uint32_t op, std::uint64_t addr, std::uint32_t size) {
    std::string& out = p.out();
    if (size < 32) return put_ptr(out, addr);
    const bool files = op == register_files2 || op == register_files_update2;
    auto data = [&](std::uint64_t a, std::uint32_t nr) {
      out.append(", data=");
      if (files)
        put_fds(p, a, nr, op == register_files_update2);
      else
        put_iovs(p, a, nr);
    };
    auto tags = [&](std::uint64_t a, std::uint32_t nr) { out.append(", tags="), put_tags(p, a, nr); };
    if (op == register_files2 || op == register_buffers2) {
      rsrc_register r;
      if (addr == 0 || !p.read_obj(addr, r)) return put_ptr(out, addr);
      static constexpr xlat_entry flags[] = {{1, "IORING_RSRC_REGISTER_SPARSE"}};
      out.append("{nr=");
      put_udec(out, r.nr);
      out.append(", flags=");
      put_flags(out, xlat{{}, 0, flags, "0", "IORING_RSRC_REGISTER_???"}, r.flags);
      if (r.resv2) out.append(", resv2="), put_hex(out, r.resv2);
      data(r.data, r.nr);
      tags(r.tags, r.nr);
    } else {
      rsrc_update2 r;
      if (addr == 0 || !p.read_obj(addr, r)) return put_ptr(out, addr);
      out.append("{offset=");
      put_udec(out, r.offset);
      if (r.resv) out.append(", resv="), put_hex(out, r.resv);
      data(r.data, r.nr);
      tags(r.tags, r.nr);
      out.append(", nr=");
      put_udec(out, r.nr);
      if (r.resv2) out.append(", resv2="), put_hex(out, r.resv2);
    }
    put_nonzero_tail(p, addr, 32, size);
    out.push_back('}');
  }
  template <class P>
  static void put_restrictions(P& p, std::uint64_t addr, std::uint32_t n) {
    std::string& out = p.out();
    static constexpr xlat_entry opcodes[] = {{0, "IORING_RESTRICTION_REGISTER_OP"},
                                             {1, "IORING_RESTRICTION_SQE_OP"},
                                             {2, "IORING_RESTRICTION_SQE_FLAGS_ALLOWED"},
                                             {3, "IORING_RESTRICTION_SQE_FLAGS_REQUIRED"}};
    put_array_of<restriction>(p, addr, n, [&](const restriction& r) {
      out.append("{opcode=");
      put_enum(out, xlat{opcodes, ~std::uint64_t{0}, {}, {}, "IORING_RESTRICTION_???"}, r.opcode);
      switch (r.opcode) {
        case 0:
          out.append(", register_op=");
          put_enum(out, uring_register_opcode_xlat, r.op);
          break;
        case 1:
          out.append(", sqe_op=");
          put_enum(out, uring_op_xlat, r.op);
          break;
        case 2:
        case 3:
          out.append(", sqe_flags=");
          put_flags(out, uring_sqe_flags_xlat, r.op);
          break;
        default:
          out.append(" /* op: ");
          put_hex(out, r.op);
          out.append(" */");
      }
      if (r.resv) out.append(", resv="), put_hex(out, r.resv);
      if (r.resv2[0] || r.resv2[1] || r.resv2[2]) out.append(", resv2="), put_hex_words(out, r.resv2);
      out.push_back('}');
      return true;
    });
  }
  // Prints the probe at `addr` with `n` ops (`truncated`: the kernel has more, `...`).
  template <class P>
  static void put_probe(P& p, std::string_view bytes, std::uint32_t n, bool truncated) {
    std::string& out = p.out();
    probe_head h;
    std::memcpy(&h, bytes.data(), sizeof h);
    out.append("{last_op=");
    put_enum_u(out, uring_op_xlat, h.last_op);
    out.append(", ops_len=");
    put_udec(out, h.ops_len);
    if (h.resv) out.append(", resv="), put_hex(out, h.resv);
    if (h.resv2[0] || h.resv2[1] || h.resv2[2]) out.append(", resv2="), put_hex_words(out, h.resv2);
    out.append(", ops=[");
    static constexpr xlat_entry op_flags[] = {{1, "IO_URING_OP_SUPPORTED"}};
    std::uint32_t k = 0;
    for (; k < n; ++k) {
      if (k) out.append(", ");
      if (!p.opts().verbose && k >= p.opts().string_limit) {
        out.append("...");
        break;
      }
      probe_op o;
      std::memcpy(&o, bytes.data() + sizeof h + k * sizeof o, sizeof o);
      out.append("{op=");
      put_enum_u(out, uring_op_xlat, o.op);
      if (o.resv) out.append(", resv="), put_hex(out, o.resv);
      out.append(", flags=");
      put_flags(out, xlat{{}, 0, op_flags, "0", "IO_URING_OP_???"}, o.flags);
      if (o.resv2) out.append(", resv2="), put_hex(out, o.resv2);
      out.push_back('}');
    }
    if (truncated && k == n) out.append(n ? ", ..." : "...");
    out.append("]}");
  }
  // IORING_REGISTER_IOWQ_MAX_WORKERS' array of limits by index; true when all n were printed.
  template <class P>
  static bool put_max_workers(P& p, std::uint64_t addr, std::uint32_t n) {
    std::string& out = p.out();
    if (addr == 0) return out.append("NULL"), false;
    if (n == 0) return out.append("[]"), false;
    static constexpr xlat_entry acct[] = {{0, "IO_WQ_BOUND"}, {1, "IO_WQ_UNBOUND"}};
    std::uint64_t k = 0;
    put_array_of<std::uint32_t>(p, addr, n, [&](std::uint32_t v) {
      out.push_back('[');
      put_enum_u(out, xlat{acct, ~std::uint64_t{0}, {}, {}, "IO_WQ_???"}, k++);
      out.append("]=");
      put_udec(out, v);
      return true;
    });
    return k == n;
  }

  template <class P>
  static void put_args(P& p, bool exit) {
    std::string& out = p.out();
    const auto op = static_cast<std::uint32_t>(p.arg(1)), nargs = static_cast<std::uint32_t>(p.arg(3));
    const std::uint64_t arg = p.arg(2);
    auto tail = [&] { out.append(", "), put_udec(out, nargs); };
    std::int32_t printed = 0;
    if (exit) {
      if (op != register_probe && op != register_iowq_max_workers) return;  // all printed at entry
      p.saved(state_slot, printed);
      if (printed < 0) return;  // the entry printed everything
      if (op == register_probe) {
        if (p.failed()) {
          if (!printed) put_ptr(out, arg);
          return tail();
        }
        if (printed) out.append(" => ");
        std::size_t bytes = sizeof(probe_head) + sizeof(probe_op) * nargs;
        if (arg == 0 || !p.read_exact(arg, bytes)) return put_ptr(out, arg), tail();
        const std::string probe = scratch();
        probe_head h;
        std::memcpy(&h, probe.data(), sizeof h);
        put_probe(p, probe, std::min<std::uint32_t>(h.ops_len, nargs), nargs < h.ops_len);
        return tail();
      }
      if (p.failed() && arg != 0) return put_hex(out, arg), tail();  // strace's tfetch_mem at exit
      put_max_workers(p, arg, nargs);
      return tail();
    }
    p.put_fd(static_cast<std::int32_t>(p.arg(0)));
    out.append(", ");
    put_enum(out, uring_register_opcode_xlat, op);
    out.append(", ");
    bool done = true;  // strace's RVAL_DECODED: nr_args follows at entry
    switch (op) {
      case register_buffers:
        put_iovs(p, arg, nargs);
        break;
      case register_files:
      case register_eventfd:
      case register_eventfd_async:
        put_fds(p, arg, nargs, false);
        break;
      case register_files_update: {
        files_update u;
        if (arg == 0) {
          out.append("NULL");
        } else if (!p.read_obj(arg, u)) {
          put_hex(out, arg);
        } else {
          out.append("{offset=");
          put_udec(out, u.offset);
          if (u.resv) out.append(", resv="), put_hex(out, u.resv);
          out.append(", fds=");
          put_fds(p, u.fds, nargs, true);
          out.push_back('}');
        }
        break;
      }
      case register_probe: {
        std::size_t bytes = sizeof(probe_head) + sizeof(probe_op) * nargs;
        if (nargs > 256 || arg == 0 || !p.read_exact(arg, bytes)) {
          put_ptr(out, arg);
          break;
        }
        const std::string probe = scratch();
        done = false;
        if (probe.find_first_not_of('\0') == std::string::npos) break;  // printed at exit only
        put_probe(p, probe, nargs, false);
        printed = 1;
        break;
      }
      case register_restrictions:
        put_restrictions(p, arg, nargs);
        break;
      case register_files2:
      case register_buffers2:
      case register_files_update2:
      case register_buffers_update:
        put_rsrc(p, op, arg, nargs);
        break;
      case register_iowq_aff:
        put_cpu_set(p, arg, nargs);
        break;
      case register_iowq_max_workers:
        if (put_max_workers(p, arg, nargs)) {
          out.append(" => ");
          done = false;
          printed = 1;
        }
        break;
      case register_ring_fds:
        put_array_of<rsrc_update>(p, arg, nargs, [&](const rsrc_update& u) {
          out.append("{offset=");
          if (u.offset == 0xffffffffu)
            out.append("-1");
          else
            put_udec(out, u.offset);
          if (u.resv) out.append(", resv="), put_hex(out, u.resv);
          out.append(", data=");
          p.put_fd(static_cast<std::int32_t>(u.data));
          out.push_back('}');
          return true;
        });
        break;
      case unregister_ring_fds:
        put_array_of<rsrc_update>(p, arg, nargs, [&](const rsrc_update& u) {
          out.append("{offset=");
          put_udec(out, u.offset);
          if (u.resv) out.append(", resv="), put_hex(out, u.resv);
          if (u.data) out.append(", data="), put_hex(out, u.data);
          out.push_back('}');
          return true;
        });
        break;
      case register_pbuf_ring:
      case unregister_pbuf_ring: {
        buf_reg b;
        if (arg == 0) {
          out.append("NULL");
        } else if (!p.read_obj(arg, b)) {
          put_hex(out, arg);
        } else {
          out.append("{ring_addr=");
          put_ptr(out, b.ring_addr);
          out.append(", ring_entries=");
          put_udec(out, b.ring_entries);
          out.append(", bgid=");
          put_udec(out, b.bgid);
          if (b.pad) out.append(", pad="), put_hex(out, b.pad);
          if (b.resv[0] || b.resv[1] || b.resv[2]) {
            out.append(", resv=[");
            for (std::size_t i = 0; i < 3; ++i) {
              if (i) out.append(", ");
              put_hex(out, b.resv[i]);
            }
            out.push_back(']');
          }
          out.push_back('}');
        }
        break;
      }
      default:
        put_ptr(out, arg);
    }
    p.keep(state_slot, done ? -1 : printed);
    if (done) tail();
  }
};

}  // namespace snare::format::detail
