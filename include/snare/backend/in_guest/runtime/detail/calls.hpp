// Defines the calls the in-guest runtime runs itself rather than as they come: execve keeping
// LD_PRELOAD, the clone family (new stacks, vfork), and perform(), the dispatch of every call.
#pragma once

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#include <snare/backend/in_guest/runtime/detail/signals.hpp>

namespace snare::in_guest::detail {
inline namespace v1 {

/// execve/execveat with the runtime's LD_PRELOAD kept in the new environment (added, or put
/// in front of the guest's own value, when the environment lacks it). The environment is read
/// with read_guest: one the kernel cannot read runs as the guest gave it (EFAULT, as natively).
inline long run_exec(syscall_frame f) noexcept {
  int ei = f.nr == SYS_execve ? 2 : 3;
  auto** envp = reinterpret_cast<char**>(f.args[ei]);
  if (proc.preload[0] == '\0') return sys(f);
  constexpr std::size_t key = 11;  // strlen("LD_PRELOAD=")
  const char* mine = proc.preload + key;
  const long pid = sys(SYS_getpid);
  // The pointers, read up to the end of their page at a time (never past it: the array may end
  // right before an unreadable page), so a large environment costs about one call per entry.
  char* ptrs[512];
  auto read_ptrs = [&](std::size_t from, std::size_t& count) {
    auto at = reinterpret_cast<std::uintptr_t>(envp + from);
    count = (4096 - (at & 4095)) / sizeof(char*);
    if (count == 0) count = 1;  // a pointer across two pages
    if (count > sizeof ptrs / sizeof ptrs[0]) count = sizeof ptrs / sizeof ptrs[0];
    return read_guest(ptrs, envp + from, count * sizeof(char*), false, pid) ==
           static_cast<long>(count * sizeof(char*));
  };
  std::size_t n = 0;
  long found = -1;
  char* found_at = nullptr;
  for (bool end = envp == nullptr; !end;) {
    std::size_t count = 0;
    if (!read_ptrs(n, count)) return sys(f);
    for (std::size_t i = 0; i < count; ++i, ++n) {
      char* e = ptrs[i];
      if (e == nullptr) {
        end = true;
        break;
      }
      char head[key];
      long got = read_guest(head, e, key, true, pid);
      if (got < 0) return sys(f);
      if (got == static_cast<long>(key) && std::memcmp(head, "LD_PRELOAD=", key) == 0) {
        found = static_cast<long>(n);
        found_at = e + key;
      }
    }
  }
  std::size_t theirs = 0;
  if (found >= 0) {
    char chunk[256];
    for (;;) {
      long got = read_guest(chunk, found_at + theirs, sizeof chunk, true, pid);
      if (got < 0) return sys(f);
      if (got < static_cast<long>(sizeof chunk) || chunk[sizeof chunk - 1] == '\0') {
        theirs += static_cast<std::size_t>(got) - 1;
        break;
      }
      theirs += sizeof chunk;
      if (theirs > (1UL << 20)) return sys(f);  // past MAX_ARG_STRLEN: the kernel's E2BIG
    }
  }
  std::size_t bytes = (n + 2) * sizeof(char*) + std::strlen(proc.preload) + 1 + theirs + 1;
  // Never the guest's heap (the call may come from inside malloc), nor its stack (execve is
  // async-signal-safe: a handler on a small alternate stack may call it).
  long m =
      sys(SYS_mmap, 0, static_cast<long>(bytes), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m < 0 && m > -4096) return sys(f);  // run it as the guest asked
  char* buf = reinterpret_cast<char*>(m);
  auto unmap = [&] { sys(SYS_munmap, arg(buf), static_cast<long>(bytes)); };
  auto** env = reinterpret_cast<char**>(buf);
  char* s = buf + (n + 2) * sizeof(char*);
  std::size_t len = std::strlen(proc.preload);
  std::memcpy(s, proc.preload, len);
  if (theirs != 0) {
    s[len] = ':';
    if (read_guest(s + len + 1, found_at, theirs, false, pid) != static_cast<long>(theirs)) {
      unmap();
      return sys(f);
    }
    s[len + 1 + theirs] = '\0';
    if (std::strstr(s + len + 1, mine) != nullptr) {  // already there
      unmap();
      return sys(f);
    }
    len += 1 + theirs;
  }
  s[len] = '\0';
  std::size_t k = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t count = 0;
    if (!read_ptrs(i, count)) {
      unmap();
      return sys(f);
    }
    for (std::size_t j = 0; j < count && i < n; ++j, ++i) {
      if (static_cast<long>(i) != found) env[k++] = ptrs[j];
    }
  }
  env[k++] = s;
  env[k] = nullptr;
  f.args[ei] = arg(env);
  long r = sys(f);
  unmap();
  return r;
}

/// The clone family. With a new stack the child starts in snare_ig_v1_clone (see the asm);
/// without one it returns here as a copy of this handler (`child` set). vfork without a new
/// stack runs without CLONE_VM (the parent still waits): the child's later SIGSYS frames would
/// otherwise overwrite this handler's frame on the shared stack (docs/in_guest.md).
inline long run_clone(const syscall_frame& in, const greg_t* g, const _libc_fpstate* fp,
                      bool& child) noexcept {
  syscall_frame f = in;
  std::uint64_t flags = 0, stack = 0;
  struct {
    std::uint64_t v[32];
  } cl{};
  switch (f.nr) {
    case SYS_fork:
      break;
    case SYS_vfork:
      f.nr = SYS_clone;
      f.args[0] = CLONE_VFORK | SIGCHLD;
      f.args[1] = f.args[2] = f.args[3] = f.args[4] = 0;
      break;
    case SYS_clone:
      flags = static_cast<std::uint64_t>(f.args[0]);
      stack = static_cast<std::uint64_t>(f.args[1]);
      if (stack == 0 && (flags & CLONE_VM) && (flags & CLONE_VFORK))
        f.args[0] &= ~static_cast<long>(CLONE_VM);
      break;
    case SYS_clone3: {
      // Read as the kernel reads it (copy_struct_from_user): unreadable -> EFAULT, a size past
      // what the runtime copies is fine when the rest is zero (E2BIG otherwise): then run on
      // the runtime's copy.
      auto size = static_cast<std::size_t>(f.args[1]);
      auto* src = reinterpret_cast<const char*>(f.args[0]);
      if (f.args[0] == 0 || size < 64 || size > 4096) return sys(f);  // the kernel's answer
      std::size_t head = size < sizeof cl ? size : sizeof cl;
      if (read_guest(&cl, src, head) != static_cast<long>(head)) return sys(f);
      for (std::size_t at = head; at < size;) {
        char tail[256];
        std::size_t n = size - at < sizeof tail ? size - at : sizeof tail;
        if (read_guest(tail, src + at, n) != static_cast<long>(n)) return sys(f);
        for (std::size_t i = 0; i < n; ++i) {
          if (tail[i] != 0) return sys(f);
        }
        at += n;
      }
      flags = cl.v[0];
      if (cl.v[5] != 0) stack = cl.v[5] + cl.v[6];  // stack + stack_size
      if (stack == 0 && (flags & CLONE_VM) && (flags & CLONE_VFORK))
        cl.v[0] &= ~static_cast<std::uint64_t>(CLONE_VM);
      f.args[0] = arg(&cl);
      f.args[1] = static_cast<long>(head);
      break;
    }
    default:
      break;
  }
  // The flags the kernel gets: a child without CLONE_VM has the address space to itself, where
  // the rewrite lock may be held by a thread of the parent that the child does not have.
  const std::uint64_t sent = f.nr == SYS_clone    ? static_cast<std::uint64_t>(f.args[0])
                             : f.nr == SYS_clone3 ? cl.v[0]
                                                  : 0;
  const bool own_memory = (sent & CLONE_VM) == 0;
  if (stack != 0) {
    std::uint64_t blk[22];
    const int order[] = {REG_RBX, REG_RBP, REG_R12, REG_R13, REG_R14, REG_R15};
    blk[0] = own_memory ? 1 : 0;
    for (int i = 0; i < 6; ++i) blk[1 + i] = static_cast<std::uint64_t>(f.args[i]);
    for (int i = 0; i < 6; ++i) blk[7 + i] = static_cast<std::uint64_t>(g[order[i]]);
    blk[13] = in.ip;                                   // rcx, as the kernel leaves it
    blk[14] = static_cast<std::uint64_t>(g[REG_EFL]);  // r11
    blk[15] = stack;
    blk[16] = in.ip;
    blk[17] = (flags & CLONE_THREAD) ? 1 : 0;
    blk[18] = 0;
    // The floating-point controls a new thread inherits (MXCSR, the x87 control word, callee-
    // saved in the ABI): the guest's from the signal frame (the kernel gives the SIGSYS
    // handler default ones), or the current ones on the trampoline's path (which keeps them).
    std::uint32_t mxcsr = 0;
    std::uint16_t fcw = 0;
    if (fp != nullptr) {
      mxcsr = fp->mxcsr;
      fcw = fp->cwd;
    } else {
      asm volatile("stmxcsr %0" : "=m"(mxcsr));
      asm volatile("fnstcw %0" : "=m"(fcw));
    }
    blk[19] = mxcsr;
    blk[20] = fcw;
    blk[21] = std::exchange(tls.child_word, 0);  // the hooks' word for the child (creator_word())
    auto* b = reinterpret_cast<std::uint64_t*>((stack - 512) & ~std::uint64_t{15});
    // A stack the guest cannot write: run the call as it came; the child faults at its first
    // instruction on it and dies by SIGSEGV, as natively (never the parent, in the runtime).
    if (write_guest(b, blk, sizeof blk) != static_cast<long>(sizeof blk) ||
        write_guest(reinterpret_cast<std::uint64_t*>(stack) - 1, &in.ip, sizeof in.ip) != 8)
      return sys(f);
    // Every signal but SIGSYS blocked across the call: the child starts with rsp at the new
    // stack's top, where a signal frame would overwrite the block; it restores b[18] itself.
    // (The parent keeps its own copy: the child's stack, block included, is the child's at once.)
    std::uint64_t all = ~sigsys_bit, old = 0;
    sys(SYS_rt_sigprocmask, SIG_BLOCK, arg(&all), arg(&old), kernel_sigset_size);
    b[18] = old;
    long r = snare_ig_v1_clone(f.nr, f.args[0], f.args[1], f.args[2], f.args[3], f.args[4], f.args[5]);
    tls.selector = selector_allow;  // a CLONE_VM child without its own TLS wrote the same byte
    sys(SYS_rt_sigprocmask, SIG_SETMASK, arg(&old), 0, kernel_sigset_size);
    return r;
  }
  long r = sys(f);
  if (r == 0) {
    child = true;
    if (own_memory) proc.rewrite_lock.store(false, std::memory_order_relaxed);
    enable_sud_or_die();
    if (proc.h.process_start != nullptr) proc.h.process_start();
  }
  return r;
}

/// prctl(PR_SET_SYSCALL_USER_DISPATCH) of the guest's: SUD is the runtime's (one per thread in
/// the kernel), so the guest's is not passed on: switching it off succeeds as it does natively
/// for a thread that never switched it on; switching it on fails with EINVAL, as on a kernel
/// without SUD (docs/in_guest.md).
inline long emulate_own_sud(const syscall_frame& f) noexcept {
  constexpr long pr_sys_dispatch_off = 0;
  if (f.args[1] == pr_sys_dispatch_off && f.args[2] == 0 && f.args[3] == 0 && f.args[4] == 0) return 0;
  return -EINVAL;
}

/// A seccomp filter of the guest's (seccomp(SECCOMP_SET_MODE_FILTER) or prctl(PR_SET_SECCOMP,
/// SECCOMP_MODE_FILTER)), loaded with a prefix that lets the runtime's own
/// prctl(PR_SET_SYSCALL_USER_DISPATCH) through (x86-64, that option, from the ip after the
/// `syscall` of snare_ig_v1_syscall): new threads and children turn SUD on with it before their
/// first guest instruction, which a filter forbidding prctl would refuse. Every other call,
/// the guest's calls run from the runtime's range included, meets the guest's program as it
/// was (prefixing keeps its relative jumps). `pi`: the argument holding the sock_fprog. A
/// program the kernel cannot read or too long for the prefix is loaded as given.
inline long run_seccomp_filter(syscall_frame f, int pi) noexcept {
  struct insn {
    std::uint16_t code;
    std::uint8_t jt, jf;
    std::uint32_t k;
  };
  struct fprog {
    unsigned short len;
    const insn* filter;
  } prog{};
  if (read_guest(&prog, reinterpret_cast<const void*>(f.args[pi]), sizeof prog) !=
      static_cast<long>(sizeof prog))
    return sys(f);
  constexpr std::uint16_t ld_abs = 0x20, jeq_k = 0x15, ret_k = 0x06;  // BPF_LD|W|ABS, JMP|JEQ|K, RET|K
  constexpr std::uint32_t audit_arch_x86_64 = 0xc000003e, ret_allow = 0x7fff0000;
  const auto ip = reinterpret_cast<std::uint64_t>(snare_ig_v1_syscall_ip);
  const insn prefix[] = {
      {ld_abs, 0, 0, 4},  // seccomp_data.arch
      {jeq_k, 0, 9, audit_arch_x86_64},
      {ld_abs, 0, 0, 0},  // nr
      {jeq_k, 0, 7, SYS_prctl},
      {ld_abs, 0, 0, 16},  // args[0], low half
      {jeq_k, 0, 5, pr_set_syscall_user_dispatch},
      {ld_abs, 0, 0, 8},  // instruction_pointer, low half
      {jeq_k, 0, 3, static_cast<std::uint32_t>(ip)},
      {ld_abs, 0, 0, 12},  // high half
      {jeq_k, 0, 1, static_cast<std::uint32_t>(ip >> 32)},
      {ret_k, 0, 0, ret_allow},
  };
  constexpr std::size_t np = sizeof prefix / sizeof prefix[0];
  constexpr std::size_t bpf_maxinsns = 4096;
  if (prog.len == 0 || prog.len + np > bpf_maxinsns) return sys(f);
  std::size_t bytes = (prog.len + np) * sizeof(insn);
  long m =
      sys(SYS_mmap, 0, static_cast<long>(bytes), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m < 0 && m > -4096) return sys(f);
  auto* all = reinterpret_cast<insn*>(m);
  std::memcpy(all, prefix, sizeof prefix);
  long r;
  if (read_guest(all + np, prog.filter, prog.len * sizeof(insn)) !=
      static_cast<long>(prog.len * sizeof(insn))) {
    r = sys(f);  // EFAULT, from the kernel
  } else {
    fprog mine{static_cast<unsigned short>(prog.len + np), all};
    f.args[pi] = arg(&mine);
    r = sys(f);
  }
  sys(SYS_munmap, m, static_cast<long>(bytes));
  return r;
}

/// prctl: the guest's own SUD and seccomp filters (above); any other option as it comes.
inline long run_prctl(const syscall_frame& f) noexcept {
  constexpr long pr_set_seccomp = 22, seccomp_mode_filter = 2;
  if (f.args[0] == pr_set_syscall_user_dispatch) return emulate_own_sud(f);
  if (f.args[0] == pr_set_seccomp && f.args[1] == seccomp_mode_filter) return run_seccomp_filter(f, 2);
  return sys(f);
}

/// seccomp: SECCOMP_SET_MODE_FILTER through run_seccomp_filter; the rest as it comes.
inline long run_seccomp(const syscall_frame& f) noexcept {
  constexpr long seccomp_set_mode_filter = 1;
  if (f.args[0] == seccomp_set_mode_filter) return run_seccomp_filter(f, 2);
  return sys(f);
}

/// Whether the runtime must see calls with number `nr` itself (perform() does more than run
/// them), hooks or not.
inline bool runtime_handles(long nr) noexcept {
  switch (nr) {
    case SYS_rt_sigaction:
    case SYS_rt_sigprocmask:
    case SYS_rt_sigsuspend:
    case SYS_ppoll:
    case SYS_epoll_pwait:
    case SYS_epoll_pwait2:
    case SYS_pselect6:
    case SYS_execve:
    case SYS_execveat:
    case SYS_clone:
    case SYS_clone3:
    case SYS_fork:
    case SYS_vfork:
    case SYS_rt_sigreturn:
    case SYS_prctl:
    case SYS_seccomp:
      return true;
    default:
      return false;
  }
}

/// Runs the guest's (possibly changed) call for the SIGSYS handler.
inline long perform(const syscall_frame& f, const greg_t* g, const _libc_fpstate* fp, bool& child) noexcept {
  switch (f.nr) {
    case SYS_rt_sigaction:
      return emulate_sigaction(f);
    case SYS_rt_sigprocmask:
      return emulate_sigprocmask(f);
    case SYS_rt_sigsuspend:
      return run_with_mask_arg(f, 0);
    case SYS_ppoll:
      return run_with_mask_arg(f, 3);
    case SYS_epoll_pwait:
    case SYS_epoll_pwait2:
      return run_with_mask_arg(f, 4);
    case SYS_pselect6:
      return run_pselect6(f);
    case SYS_execve:
    case SYS_execveat:
      return run_exec(f);
    case SYS_clone:
    case SYS_clone3:
    case SYS_fork:
    case SYS_vfork:
      return run_clone(f, g, fp, child);
    case SYS_prctl:
      return run_prctl(f);
    case SYS_seccomp:
      return run_seccomp(f);
    default:
      return sys(f);
  }
}

}  // namespace v1
}  // namespace snare::in_guest::detail
