// Defines the decoder of ptrace(2) as strace 6.1 prints it (ptrace.c, ptrace_syscall_info.c):
// the request as a 64-bit value, the pid, then addr and data by what each request makes of
// them (signals, PTRACE_O_* options, siginfo, signal masks, regset iovecs with NT_* types,
// register sets, seccomp filters and metadata, struct ptrace_syscall_info), the arguments
// the call fills in printed at exit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decode/bpf_filter.hpp>
#include <snare/format/detail/decode/ioctl/seccomp.hpp>
#include <snare/format/detail/decode/ptrace_regs.hpp>
#include <snare/format/detail/decode/signal.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/signals.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/format/fd_resolver.hpp>
#include <snare/sys/abi.hpp>
#include <snare/sys/call_id.hpp>

namespace snare::format::detail {

/// ptrace's requests, by their x86-64 values in linux/ptrace.h and asm/ptrace-abi.h.
namespace pt {
inline constexpr std::uint64_t traceme = 0, peektext = 1, peekdata = 2, peekuser = 3, pokeuser = 6, cont = 7,
                               kill = 8, singlestep = 9, getregs = 12, setregs = 13, getfpregs = 14,
                               setfpregs = 15, attach = 16, detach = 17, syscall = 24, sysemu = 31,
                               sysemu_singlestep = 32, singleblock = 33, setoptions = 0x4200,
                               geteventmsg = 0x4201, getsiginfo = 0x4202, setsiginfo = 0x4203,
                               getregset = 0x4204, setregset = 0x4205, seize = 0x4206, interrupt = 0x4207,
                               listen = 0x4208, peeksiginfo = 0x4209, getsigmask = 0x420a,
                               setsigmask = 0x420b, seccomp_get_filter = 0x420c,
                               seccomp_get_metadata = 0x420d, get_syscall_info = 0x420e;
inline constexpr std::uint32_t nt_prstatus = 1, nt_fpregset = 2;
}  // namespace pt

/// Appends syscall number `nr` of audit arch `arch` as put_audit_syscall, a number past 32
/// bits in decimal alone (struct ptrace_syscall_info's u64 nr).
inline void put_audit_syscall64(std::string& out, std::uint64_t nr, std::uint32_t arch) {
  if (nr > 0xffffffffu) return put_udec(out, nr);
  put_audit_syscall(out, static_cast<std::uint32_t>(nr), arch);
}

/// Appends the struct ptrace_syscall_info (linux/ptrace.h) the kernel wrote at `addr`: the
/// first min(user_len, kernel_len, 84) bytes of it, each field only when wholly inside them
/// (strace's print_ptrace_syscall_info): `{op=PTRACE_SYSCALL_INFO_ENTRY,
/// arch=AUDIT_ARCH_X86_64, instruction_pointer=0x..., stack_pointer=0x..., entry={nr=__NR_chdir,
/// args=[...]}}`, exit={rval=-ENOENT, is_error=1}, seccomp={nr=..., args=[...], ret_data=N}.
/// The address when nothing can be read.
template <class P>
void put_ptrace_syscall_info(P& p, std::uint64_t addr, std::uint64_t user_len, std::uint64_t kernel_len) {
  // Offsets: op (u8) 0, arch (u32) 4, instruction_pointer 8, stack_pointer 16, the union at
  // 24: entry {nr, args[6]}, exit {s64 rval, u8 is_error at 32}, seccomp {nr, args[6],
  // u32 ret_data at 80}.
  constexpr std::size_t seccomp_size = 84, exit_size = 33, args_at = 32;
  std::uint64_t len = user_len < kernel_len ? user_len : kernel_len;
  std::size_t fetch = len < seccomp_size ? static_cast<std::size_t>(len) : seccomp_size;
  std::string& out = p.out();
  if (fetch == 0 || !p.read_exact(addr, fetch)) return put_ptr(out, addr);
  unsigned char b[88] = {};
  std::memcpy(b, scratch().data(), fetch);
  auto u64 = [&](std::size_t off) {
    std::uint64_t v;
    std::memcpy(&v, b + off, 8);
    return v;
  };
  std::uint32_t arch;
  std::memcpy(&arch, b + 4, 4);
  out.append("{op=");
  put_enum(out, ptrace_syscall_info_op_xlat, b[0]);
  if (fetch >= 8) put_enum(out.append(", arch="), seccomp_audit_arch_xlat, arch);
  if (fetch >= 16) put_ptr(out.append(", instruction_pointer="), u64(8));
  if (fetch >= 24) put_ptr(out.append(", stack_pointer="), u64(16));
  if (fetch >= args_at) {
    auto call = [&](const char* name) {  // entry's and seccomp's {nr=..., args=[...]
      out.append(", ").append(name).append("={nr=");
      put_audit_syscall64(out, u64(24), arch);
      if (std::size_t n = (fetch - args_at) / 8) {
        out.append(", args=[");
        for (std::size_t i = 0; i < n && i < 6; ++i) put_hex(out.append(i ? ", " : ""), u64(args_at + 8 * i));
        out.push_back(']');
      }
    };
    switch (b[0]) {
      case 1:  // PTRACE_SYSCALL_INFO_ENTRY
        call("entry");
        out.push_back('}');
        break;
      case 3:  // PTRACE_SYSCALL_INFO_SECCOMP
        call("seccomp");
        if (fetch >= seccomp_size) {
          std::uint32_t ret_data;
          std::memcpy(&ret_data, b + 80, 4);
          put_udec(out.append(", ret_data="), ret_data);
        }
        out.push_back('}');
        break;
      case 2: {  // PTRACE_SYSCALL_INFO_EXIT
        auto rval = static_cast<std::int64_t>(u64(24));
        out.append(", exit={rval=");
        if (fetch >= exit_size && b[32] != 0 && rval >= -4095 && rval < 0)
          put_negated_errno(out, static_cast<std::int32_t>(rval));
        else
          put_dec(out, rval);
        if (fetch >= exit_size) put_udec(out.append(", is_error="), b[32]);
        out.push_back('}');
        break;
      }
      default:
        break;
    }
  }
  out.push_back('}');
}

/// ptrace: request, pid, addr, data as strace's decode_ptrace_entering and
/// decode_ptrace_exiting print them. What the entry printed is recomputed at exit from
/// the request, but for the iovec of PTRACE_[GS]ETREGSET and PTRACE_SECCOMP_GET_METADATA's
/// struct, read at entry: slot 5 of the entry state notes whether entry opened it (1) or
/// printed the address (2), slots 3 and 4 keep the iov_len seen at entry.
template <>
struct decoder<sys::call_id::ptrace> {
  static constexpr std::size_t state = 5;

  // Appends the address when strace's umove_or_printaddr would: NULL, a struct -e verbose=
  // leaves out, or at exit after a failed call; true when it printed.
  template <class P>
  static bool unfilled(P& p, std::uint64_t addr, bool exit) {
    if (addr != 0 && p.opts().decode_structs && !(exit && p.failed())) return false;
    put_ptr(p.out(), addr);
    return true;
  }
  struct iovec64 {
    std::uint64_t base, len;
  };
  // The regset at an iovec's base: NT_PRSTATUS and NT_FPREGSET decoded, others addressed.
  template <class P>
  static void put_regset_of(P& p, std::uint32_t nt, const iovec64& iov, bool exit) {
    if (nt != pt::nt_prstatus && nt != pt::nt_fpregset) return put_ptr(p.out(), iov.base);
    if (unfilled(p, iov.base, exit)) return;
    if (nt == pt::nt_prstatus) return put_prstatus_regset(p, iov.base, iov.len);
    put_fpregset(p, iov.base, iov.len);
  }
  template <class P>
  static void keep_len(P& p, std::uint64_t len) {
    p.keep(3, static_cast<std::int32_t>(len & 0xffffffffu));
    p.keep(4, static_cast<std::int32_t>(len >> 32));
  }
  template <class P>
  static bool kept_len(const P& p, std::uint64_t& len) {
    std::int32_t lo, hi;
    if (!p.saved(3, lo) || !p.saved(4, hi)) return false;
    len = static_cast<std::uint32_t>(lo) | std::uint64_t{static_cast<std::uint32_t>(hi)} << 32;
    return true;
  }
  // Whether the entry opened the struct of data (1), not printed its address (2); without
  // an entry state, whether the struct can be read now.
  template <class P>
  static bool opened(const P& p, bool readable) {
    std::int32_t v;
    return p.saved(state, v) ? v == 1 : readable;
  }

  template <class P>
  static void put_args(P& p, bool exit) {
    if (exit) return put_exit(p);
    std::string& out = p.out();
    const std::uint64_t request = p.arg(0), addr = p.arg(2), data = p.arg(3);
    put_enum(out, ptrace_request_xlat, request);
    if (request == pt::traceme) return;
    out.append(", ");
    p.put_pid(static_cast<std::int32_t>(p.arg(1)), pid_type::tgid);
    switch (request) {
      case pt::attach:
      case pt::interrupt:
      case pt::kill:
      case pt::listen:
        return;
      default:
        break;
    }
    out.append(", ");
    switch (request) {
      case pt::peekuser:
      case pt::pokeuser:
        put_user_offset(out, addr);
        break;
      case pt::getregset:
      case pt::setregset:
        put_enum(out, nt_descriptor_types_xlat, static_cast<std::uint32_t>(addr));
        break;
      case pt::getsigmask:
      case pt::setsigmask:
      case pt::seccomp_get_filter:
      case pt::seccomp_get_metadata:
      case pt::get_syscall_info:
        put_udec(out, addr);
        break;
      case pt::peeksiginfo:
        put_peeksiginfo_args(p, addr);
        break;
      case pt::setregs:  // x86: the registers are at data, addr is ignored
        if (!unfilled(p, data, false)) put_prstatus_regset(p, data, prstatus_regset_size);
        return;
      case pt::setfpregs:
        if (!unfilled(p, data, false)) put_fpregset(p, data, fpregset_size);
        return;
      case pt::getregs:
      case pt::getfpregs:
        return;  // data at exit
      default:
        put_ptr(out, addr);
    }
    out.append(", ");
    switch (request) {
      case pt::cont:
      case pt::detach:
      case pt::syscall:
      case pt::singlestep:
      case pt::singleblock:
      case pt::sysemu:
      case pt::sysemu_singlestep:
        return put_signal(out, static_cast<std::int32_t>(data));
      case pt::seize:
      case pt::setoptions:
        return put_flags(out, ptrace_setoptions_xlat, data);
      case pt::setsiginfo:
        if (unfilled(p, data, false) || put_siginfo_at(p, data)) return;
        return put_ptr(out, data);
      case pt::setsigmask:
        if (unfilled(p, data, false) || put_sigset_at(p, data, addr)) return;
        return put_ptr(out, data);
      case pt::getregset:
      case pt::setregset: {
        iovec64 iov;
        if (!p.read_obj(data, iov)) return p.keep(state, 2), put_ptr(out, data);
        p.keep(state, 1);
        keep_len(p, iov.len);
        if (request == pt::getregset) return;
        out.append("{iov_base=");
        put_regset_of(p, static_cast<std::uint32_t>(addr), iov, false);
        put_udec(out.append(", iov_len="), iov.len);
        return;
      }
      case pt::seccomp_get_metadata: {
        std::uint64_t filter_off;
        p.keep(state, 2);  // the address, until the struct opens
        if (addr < 8) return put_ptr(out, data);
        if (unfilled(p, data, false)) return;
        if (!p.read_obj(data, filter_off)) return put_ptr(out, data);
        p.keep(state, 1);
        put_udec(out.append("{filter_off="), filter_off);
        return;
      }
      case pt::peekdata:
      case pt::peektext:
      case pt::peekuser:
      case pt::geteventmsg:
      case pt::getsiginfo:
      case pt::getsigmask:
      case pt::peeksiginfo:
      case pt::seccomp_get_filter:
      case pt::get_syscall_info:
        if (p.opts().decode_structs) return;  // data at exit
        [[fallthrough]];
      default:
        put_ptr(out, data);
    }
  }

  // PTRACE_PEEKSIGINFO's struct ptrace_peeksiginfo_args {u64 off; u32 flags; s32 nr}.
  template <class P>
  static void put_peeksiginfo_args(P& p, std::uint64_t addr) {
    struct {
      std::uint64_t off;
      std::uint32_t flags, nr;
    } a;
    std::string& out = p.out();
    if (unfilled(p, addr, false)) return;
    if (!p.read_obj(addr, a)) return put_ptr(out, addr);
    put_udec(out.append("{off="), a.off);
    put_flags(out.append(", flags="), ptrace_peeksiginfo_flags_xlat, a.flags);
    put_udec(out.append(", nr="), a.nr);
    out.push_back('}');
  }

  // The `n` siginfos at `addr` PTRACE_PEEKSIGINFO copied (strace's print_siginfo_array).
  template <class P>
  static void put_siginfo_array(P& p, std::uint64_t addr, std::uint64_t n) {
    std::string& out = p.out();
    if (unfilled(p, addr, true)) return;
    if (n == 0) return out.append("[]"), void();
    std::size_t mark = out.size();
    out.push_back('[');
    for (std::uint64_t i = 0; i < n; ++i) {
      if (i) out.append(", ");
      if (i == p.opts().string_limit) {
        out.append("...");
        break;
      }
      sys::abi::siginfo si;
      std::uint64_t at = addr + i * sizeof si;
      if (!p.read_obj(at, si)) {
        if (i == 0) return out.resize(mark), put_ptr(out, addr);
        p.put_unreadable_tail(at);
        break;
      }
      put_siginfo(
          out, si, [&](std::int32_t pid) { p.append_pid_note(pid, pid_type::tgid); },
          [&](std::int32_t fd) { p.put_fd(fd); });
    }
    out.push_back(']');
  }

  // `[v]` of the word the call stored at `addr`: hex (PEEK*) or unsigned (GETEVENTMSG).
  template <class P>
  static void put_stored_word(P& p, std::uint64_t addr, bool hex) {
    if (unfilled(p, addr, true)) return;
    std::uint64_t v = 0;
    std::string word;
    if (p.read_obj(addr, v)) {
      word.push_back('[');
      if (hex)
        put_hex(word, v);
      else
        put_udec(word, v);
      word.push_back(']');
    } else {
      put_ptr(word, addr);
    }
    p.out().append(word);
  }

  template <class P>
  static void put_exit(P& p) {
    std::string& out = p.out();
    const std::uint64_t request = p.arg(0), addr = p.arg(2), data = p.arg(3);
    const auto ret = static_cast<std::uint64_t>(p.ret());
    switch (request) {
      case pt::getregs:  // the entry printed the ", " before data
        if (!unfilled(p, data, true)) put_prstatus_regset(p, data, prstatus_regset_size);
        return;
      case pt::getfpregs:
        if (!unfilled(p, data, true)) put_fpregset(p, data, fpregset_size);
        return;
      case pt::getregset:
      case pt::setregset: {
        iovec64 iov;
        bool readable = p.read_obj(data, iov);
        if (!opened(p, readable)) return;
        std::uint64_t old_len = readable ? iov.len : 0;
        kept_len(p, old_len);
        if (request == pt::setregset) {
          if (readable && iov.len != old_len) put_udec(out.append(" => "), iov.len);
          return out.push_back('}');
        }
        if (!readable) return put_ptr(out, data);
        out.append("{iov_base=");
        put_regset_of(p, static_cast<std::uint32_t>(addr), iov, true);
        put_udec(out.append(", iov_len="), old_len);
        if (old_len != iov.len) put_udec(out.append(" => "), iov.len);
        return out.push_back('}');
      }
      case pt::seccomp_get_metadata: {
        if (!opened(p, false)) return;
        if (!p.failed() && ret > 8) {
          std::uint64_t flags;
          out.append(", ");
          if (ret < 16 || !p.read_obj(data + 8, flags)) {
            out.append("???");
          } else {
            put_flags(out.append("flags="), seccomp_filter_flags_xlat, flags);
            if (ret > 16) out.append(", ...");
          }
        }
        return out.push_back('}');
      }
      default:
        break;
    }
    if (!p.opts().decode_structs) return;
    switch (request) {
      case pt::peekdata:
      case pt::peektext:
      case pt::peekuser:
        return put_stored_word(p, data, true);
      case pt::geteventmsg:
        return put_stored_word(p, data, false);
      case pt::getsiginfo:
        if (unfilled(p, data, true) || put_siginfo_at(p, data)) return;
        return put_ptr(out, data);
      case pt::getsigmask:
        if (unfilled(p, data, true) || put_sigset_at(p, data, addr)) return;
        return put_ptr(out, data);
      case pt::peeksiginfo:
        return put_siginfo_array(p, data, ret);
      case pt::seccomp_get_filter:
        if (unfilled(p, data, true)) return;
        return put_bpf_insns(p, data, static_cast<std::uint16_t>(ret), bpf_program::seccomp);
      case pt::get_syscall_info:
        // strace reads it even after a failure: the kernel's length is then (unsigned) -1.
        return put_ptrace_syscall_info(p, data, addr, p.failed() ? ~std::uint64_t{0} : ret);
      default:
        return;
    }
  }
};

}  // namespace snare::format::detail
