// Defines the in-guest runtime's lazy rewriting: page 0's sled, the exactness checks, the
// table of rewritten sites, and the registers the trampoline saves.
#pragma once

#include <cpuid.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <snare/backend/in_guest/runtime/detail/state.hpp>

namespace snare::in_guest::detail {
inline namespace v1 {

/// Finds the mapping holding `addr` in /proc/self/maps (read with the runtime's own calls, into
/// proc's buffers: call it holding proc.rewrite_lock): its PROT_* bits and whether it is special (shared, or
/// the vDSO, vsyscall, vvar).
struct mapping_info {
  bool found = false;
  int prot = 0;
  bool special = true;
};
inline mapping_info mapping_of(std::uintptr_t addr) noexcept {
  mapping_info mi;
  long fd = sys(SYS_openat, AT_FDCWD, arg("/proc/self/maps"), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return mi;
  // The process's buffers, not the stack: the caller holds the rewrite lock, and the SIGSYS
  // path runs on the guest's stack, perhaps a small alternate signal stack.
  char* buf = proc.maps_buf;
  char* line = proc.maps_line;
  std::size_t len = 0;
  bool found = false;
  for (;;) {
    long n = sys(SYS_read, fd, arg(buf), sizeof proc.maps_buf);
    if (n <= 0) break;
    for (long i = 0; i < n && !found; ++i) {
      char c = buf[i];
      if (c != '\n') {
        if (len + 1 < sizeof proc.maps_line) line[len++] = c;
        continue;
      }
      line[len] = '\0';
      len = 0;
      char* end = nullptr;
      std::uintptr_t lo = std::strtoull(line, &end, 16);
      if (end == nullptr || *end != '-') continue;
      std::uintptr_t hi = std::strtoull(end + 1, &end, 16);
      if (addr < lo || addr >= hi || end == nullptr) continue;
      const char* p = end + 1;
      mi.prot =
          (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) | (p[2] == 'x' ? PROT_EXEC : 0);
      // A shared mapping is never written: the store would reach the file or other processes.
      mi.special = p[3] != 'p' || (std::strchr(p, '[') != nullptr && std::strstr(p, "[heap]") == nullptr &&
                                   std::strstr(p, "[stack") == nullptr);
      mi.found = found = true;
    }
    if (found) break;
  }
  sys(SYS_close, fd);
  return mi;
}

/// Records a rewritten site (under the rewrite lock); false when the table is full.
inline bool record_site(std::uintptr_t site) noexcept {
  for (std::size_t i = 0; i < process_state::site_slots; ++i) {
    auto& slot = proc.sites[((site >> 1) + i) % process_state::site_slots];
    std::uintptr_t cur = slot.load(std::memory_order_relaxed);
    if (cur == site) return true;
    if (cur == 0) {
      slot.store(site, std::memory_order_release);
      return true;
    }
  }
  return false;
}

/// Whether `site` is one the runtime rewrote.
inline bool is_rewritten_site(std::uintptr_t site) noexcept {
  for (std::size_t i = 0; i < process_state::site_slots; ++i) {
    std::uintptr_t cur =
        proc.sites[((site >> 1) + i) % process_state::site_slots].load(std::memory_order_acquire);
    if (cur == site) return true;
    if (cur == 0) return false;
  }
  return false;
}

/// Rewrites the trapped site before `ip` into `call *%rax` when that is exact: SUD's trap came
/// from a real `syscall` (0f 05) with a number the sled covers, in a read-only executable
/// mapping that is not the vDSO nor the runtime's, the 2 bytes inside one page and one cache
/// line (one 16-bit store, so a thread racing through sees the old or the new instruction),
/// the page made writable only for the store and given back its protection. One rewrite at a
/// time per process; a busy lock leaves the site to its next trap.
inline void try_rewrite(std::uint64_t ip, long nr) noexcept {
  if (!proc.report.rewriting || nr < 0 || static_cast<std::uintptr_t>(nr) >= sled_end ||
      nr == SYS_rt_sigreturn)
    return;
  std::uintptr_t site = ip - 2;
  if (site == reinterpret_cast<std::uintptr_t>(snare_ig_v1_trapping_syscall)) return;
  if (site >= reinterpret_cast<std::uintptr_t>(snare_ig_v1_begin) &&
      site < reinterpret_cast<std::uintptr_t>(snare_ig_v1_end))
    return;
  if ((site & 4095) == 4095 || (site & 63) == 63) return;
  auto& no = proc.not_rewritable[(site >> 1) & 255];
  if (no.load(std::memory_order_relaxed) == site) return;
  // Every signal but SIGSYS blocked while the lock is held: a guest handler that left by
  // siglongjmp would leave the lock taken (no more rewrites) or the page writable.
  std::uint64_t all = ~sigsys_bit, old_mask = 0;
  sys(SYS_rt_sigprocmask, SIG_BLOCK, arg(&all), arg(&old_mask), kernel_sigset_size);
  auto unblock = [&] { sys(SYS_rt_sigprocmask, SIG_SETMASK, arg(&old_mask), 0, kernel_sigset_size); };
  if (proc.rewrite_lock.exchange(true, std::memory_order_acquire)) {
    unblock();
    return;
  }
  auto* bytes = reinterpret_cast<volatile unsigned char*>(site);
  const mapping_info mi = mapping_of(site);
  const long prot = mi.prot;
  bool rewritten = false;
  if (mi.found && !mi.special && prot == (PROT_READ | PROT_EXEC) && bytes[0] == 0x0f && bytes[1] == 0x05) {
    std::uintptr_t page = site & ~std::uintptr_t{4095};
    if (record_site(site) && sys(SYS_mprotect, static_cast<long>(page), 4096, prot | PROT_WRITE) == 0) {
      std::uint16_t call_rax = 0xd0ff;  // ff d0
      asm volatile("movw %w0, (%1)" : : "r"(call_rax), "r"(site) : "memory");
      sys(SYS_mprotect, static_cast<long>(page), 4096, prot);
      proc.sites_rewritten.fetch_add(1, std::memory_order_relaxed);
      rewritten = true;
    }
  }
  // Not rewritable, or refused (a full table; mprotect refused by SELinux's execmod or a
  // seccomp filter): its next traps skip the reading of /proc/self/maps.
  if (!rewritten) no.store(site, std::memory_order_relaxed);
  proc.rewrite_lock.store(false, std::memory_order_release);
  unblock();
}

/// Where page 0's sled of jumps ends and its nops begin (see setup_rewriting): a jump from
/// below lands at most 79 bytes past it, so sled_end - stride_end must be 80 or more.
inline constexpr std::uintptr_t stride_end = 432;
static_assert(sled_end - stride_end >= 80 && stride_end % 2 == 0);

/// The extended-state components snare_ig_v1_trampoline may save by hand (snare_ig_v1_fast_mask):
/// those of SSE 1, AVX 2, opmask 5, ZMM_Hi256 6, Hi16_ZMM 7 and PKRU 9 that XCR0 enables, opmask
/// only with AVX512BW (`kmovq`: on a CPU with AVX-512F alone a call with the opmask registers in
/// use takes the xsave path), PKRU only with OSPKE (`rdpkru`). Needs OSXSAVE (xgetbv). Sources:
/// Intel SDM vol. 1 ch. 13 (the components, XINUSE), CPUID leaf 7 (AVX512F EBX.16, AVX512BW
/// EBX.30, OSPKE ECX.4).
inline unsigned long xcr0() noexcept {
  unsigned lo = 0, hi = 0;
  asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return lo | (static_cast<unsigned long>(hi) << 32);
}
inline unsigned long fast_components() noexcept {
  unsigned a = 0, b = 0, c = 0, d = 0;
  __cpuid_count(7, 0, a, b, c, d);
  unsigned long want = (1UL << 1) | (1UL << 2);
  if ((b & (1U << 16)) != 0) want |= (1UL << 6) | (1UL << 7);
  if ((b & (1U << 16)) != 0 && (b & (1U << 30)) != 0) want |= 1UL << 5;
  if ((c & (1U << 4)) != 0) want |= 1UL << 9;
  return xcr0() & want;
}

/// Maps page 0 (the nop sled and the jump to the trampoline) and reads the xsave size; on
/// failure writes the reason into proc.why_not_rewriting and returns false.
inline bool setup_rewriting() noexcept {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid(1, &a, &b, &c, &d) == 0 || (c & bit_OSXSAVE) == 0) {
    std::strcpy(proc.why_not_rewriting,
                "the CPU or kernel lacks XSAVE (CPUID.1:ECX.OSXSAVE), which the trampoline needs");
    return false;
  }
  __cpuid_count(0xd, 0, a, b, c, d);
  snare_ig_v1_xsave_size = b + 64;  // room to align down to 64
  __cpuid_count(0xd, 1, a, b, c, d);
  snare_ig_v1_xsavec = (a & 2) != 0 ? 1 : 0;                     // CPUID.(0xd,1):EAX bit 1: XSAVEC
  snare_ig_v1_fast_mask = (a & 4) != 0 ? fast_components() : 0;  // bit 2: XGETBV with ecx 1
  snare_ig_v1_exact_after = (xcr0() & ~(snare_ig_v1_fast_mask | 1)) != 0 ? 1 : 0;
  // install() has set snare_ig_v1_direct (from install_options::interest) before this.
  for (std::size_t nr = 0; nr < 512; ++nr)
    snare_ig_v1_dispatch[nr] = (snare_ig_v1_direct[nr / 64] >> (nr % 64)) & 1;
  snare_ig_v1_dispatch[SYS_rt_sigreturn] = 2;
  constexpr long map_fixed_noreplace = 0x100000;
  long m = sys(SYS_mmap, 0, page0_size, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | map_fixed_noreplace, -1, 0);
  if (m != 0) {
    if (m > 0) sys(SYS_munmap, m, page0_size);  // a kernel without MAP_FIXED_NOREPLACE put it elsewhere
    char min_addr[32] = "?";
    long fd = sys(SYS_openat, AT_FDCWD, arg("/proc/sys/vm/mmap_min_addr"), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      long n = sys(SYS_read, fd, arg(min_addr), sizeof min_addr - 1);
      min_addr[n > 0 ? n : 0] = '\0';
      if (n > 0 && min_addr[n - 1] == '\n') min_addr[n - 1] = '\0';
      sys(SYS_close, fd);
    }
    std::snprintf(
        proc.why_not_rewriting, sizeof proc.why_not_rewriting,
        "mapping page 0 was refused (%s): vm.mmap_min_addr is %s and the process lacks CAP_SYS_RAWIO",
        m == -EEXIST ? "EEXIST, something is mapped there" : std::strerror(static_cast<int>(-m)), min_addr);
    return false;
  }
  // Built on the stack, copied to address 0 by `rep movsb`: C++ may not write through a null
  // pointer (the optimizer and UBSan both assume it never happens).
  unsigned char page[page0_size];
  // The sled, flag-free, entered at address nr (any byte up to sled_end). Up to stride_end:
  // `jmp .+81` (eb 4f) at even addresses; entered at an odd address, `4f eb 4f` is the same
  // jump with an ignored REX prefix (.+82). Then, up to sled_end, `xchg %ax, %ax` (66 90, a
  // 2-byte nop) at even addresses; entered at an odd one, `nop` (90) and then in step. The
  // last jumps land at most 79 bytes past stride_end, inside the nops: at most 45 instructions
  // (6 jumps) from any entry, where a sled of single steps ran up to 256.
  // (A REX prefix before `jmp rel8`, or before the 66 prefix at stride_end - 1, is ignored:
  // Intel SDM vol. 2, 2.2.1; AMD APM vol. 3, 1.2.7.) Numbers past sled_end land in nops.
  for (std::uintptr_t i = 0; i < sled_end; ++i) {
    if (i < stride_end)
      page[i] = (i % 2 == 0) ? 0xeb : 0x4f;
    else
      page[i] = (i % 2 == 0) ? 0x66 : 0x90;
  }
  for (std::uintptr_t i = sled_end; i < page0_size; ++i) page[i] = (i % 2 == 0) ? 0x66 : 0x90;
  auto target = reinterpret_cast<std::uint64_t>(&snare_ig_v1_trampoline);
  for (std::uintptr_t at : {sled_end, second_sled_end}) {
    page[at] = 0x49;  // movabs $target, %r11
    page[at + 1] = 0xbb;
    std::memcpy(page + at + 2, &target, sizeof target);
    page[at + 10] = 0x41;  // jmp *%r11
    page[at + 11] = 0xff;
    page[at + 12] = 0xe3;
    page[at + 13] = 0xcc;  // int3: never reached
    page[at + 14] = 0xcc;
    page[at + 15] = 0xcc;
  }
  std::uintptr_t dst = 0, count = page0_size;
  const unsigned char* src = page;
  asm volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(count) : : "memory");
  // Execute-only where the CPU has protection keys (the kernel then gives PROT_EXEC alone an
  // access-disabled key), so a read through a null pointer still faults there.
  sys(SYS_mprotect, 0, page0_size, PROT_EXEC);
  return true;
}

/// The registers snare_ig_v1_trampoline saved, lowest address first.
struct trampoline_regs {
  std::uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rdi, rsi, rdx, rcx, rbx, rax, rbp;
  std::uint64_t rflags;  // the guest's (the sled and the dispatch leave them as they were)
  std::uint64_t red_zone[16];
  std::uint64_t ret;  // the rewritten site + 2
};

}  // namespace v1
}  // namespace snare::in_guest::detail
