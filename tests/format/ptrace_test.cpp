// Tests the ptrace(2) decoder (decode/ptrace.hpp, ptrace_regs.hpp), the siginfo printer it
// shares (decode/siginfo.hpp) and rt_sigreturn's mask: the expected lines are strace 6.1's,
// from its own tests (tests/ptrace.c, ptrace_syscall_info.c, rt_sigreturn.c) on x86-64.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/user.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

namespace {
constexpr std::uint64_t pt_bad = 0xdeadbeeffffffeed;
constexpr std::uint64_t pt_data = 0xdeadcafefffff00d;
struct pt_iovec {
  std::uint64_t base, len;
};
}  // namespace

TEST_CASE("ptrace prints the request as 64 bits, then only the arguments the request uses",
          "[format][ptrace]") {
  fake_memory mem;
  CHECK(call("ptrace", {pt_bad, 13599, 0, 0}, -3, mem) ==
        "ptrace(0xdeadbeeffffffeed /* PTRACE_??? */, 13599, NULL, NULL) = -1 ESRCH (No such process)");
  CHECK(call("ptrace", {0, 1, 2, 3}, 0, mem) == "ptrace(PTRACE_TRACEME) = 0");
  CHECK(call("ptrace", {16, 13599, pt_bad, pt_data}, -1, mem) ==
        "ptrace(PTRACE_ATTACH, 13599) = -1 EPERM (Operation not permitted)");
  CHECK(call("ptrace", {7, 13599, 0, SIGUSR1}, -3, mem) ==
        "ptrace(PTRACE_CONT, 13599, NULL, SIGUSR1) = -1 ESRCH (No such process)");
  CHECK(call("ptrace", {7, 13624, 0, 0}, 0, mem) == "ptrace(PTRACE_CONT, 13624, NULL, 0) = 0");
  CHECK(call("ptrace", {0x4200, 13599, 0, 0x2 | 0x8}, -3, mem) ==
        "ptrace(PTRACE_SETOPTIONS, 13599, NULL, PTRACE_O_TRACEFORK|PTRACE_O_TRACECLONE) = -1 ESRCH (No such "
        "process)");
  CHECK(call("ptrace", {0x420c, 13599, 42, 0}, -3, mem) ==
        "ptrace(PTRACE_SECCOMP_GET_FILTER, 13599, 42, NULL) = -1 ESRCH (No such process)");
  SECTION("-X verbose and raw") {
    CHECK(call("ptrace", {0x4206, 13599, pt_bad, 1}, -5, mem, snare::test::verbose) ==
          "ptrace(0x4206 /* PTRACE_SEIZE */, 13599, 0xdeadbeeffffffeed, 0x1 /* PTRACE_O_TRACESYSGOOD */) = "
          "-1 EIO "
          "(Input/output error)");
    CHECK(call("ptrace", {0x4206, 13599, pt_bad, 1}, -5, mem, snare::test::raw) ==
          "ptrace(0x4206, 13599, 0xdeadbeeffffffeed, 0x1) = -1 EIO (Input/output error)");
  }
}

TEST_CASE("ptrace shows what PEEK*, GETEVENTMSG and the signal mask requests store at exit",
          "[format][ptrace]") {
  fake_memory mem;
  mem.put<std::uint64_t>(0x1000, 0x1234);
  CHECK(call("ptrace", {2, 77, 0x5000, 0x1000}, 0, mem) ==
        "ptrace(PTRACE_PEEKDATA, 77, 0x5000, [0x1234]) = 0");
  CHECK(call("ptrace", {0x4201, 77, 0, 0x1000}, 0, mem) ==
        "ptrace(PTRACE_GETEVENTMSG, 77, NULL, [4660]) = 0");
  CHECK(
      call("ptrace", {2, 13599, pt_bad, pt_data}, -3, mem) ==
      "ptrace(PTRACE_PEEKDATA, 13599, 0xdeadbeeffffffeed, 0xdeadcafefffff00d) = -1 ESRCH (No such process)");
  mem.put<std::uint64_t>(0x2000, std::uint64_t{1} << (SIGUSR1 - 1));
  CHECK(call("ptrace", {0x420b, 13599, 8, 0x2000}, -3, mem) ==
        "ptrace(PTRACE_SETSIGMASK, 13599, 8, [USR1]) = -1 ESRCH (No such process)");
  CHECK(call("ptrace", {0x420a, 13599, 8, 0x2000}, -3, mem) ==
        "ptrace(PTRACE_GETSIGMASK, 13599, 8, 0x2000) = -1 ESRCH (No such process)");
  CHECK(call("ptrace", {0x420a, 77, 8, 0x2000}, 0, mem) == "ptrace(PTRACE_GETSIGMASK, 77, 8, [USR1]) = 0");
  struct {
    std::uint64_t off;
    std::uint32_t flags, nr;
  } psi{0xdeadbeeffacefeed, 1, 42};
  mem.put(0x3000, psi);
  CHECK(
      call("ptrace", {0x4209, 13599, 0x3000, pt_bad}, -3, mem) ==
      "ptrace(PTRACE_PEEKSIGINFO, 13599, {off=16045690985305276141, flags=PTRACE_PEEKSIGINFO_SHARED, nr=42}, "
      "0xdeadbeeffffffeed) = -1 ESRCH (No such process)");
}

TEST_CASE("ptrace's register sets: an iovec with NT_* type, cut at its length; PTRACE_GETREGS",
          "[format][ptrace]") {
  fake_memory mem;
  mem.put(0x1000, pt_iovec{0x5000, 8});
  CHECK(call("ptrace", {0x4204, 13599, 1, 0x1000}, -3, mem) ==
        "ptrace(PTRACE_GETREGSET, 13599, NT_PRSTATUS, {iov_base=0x5000, iov_len=8}) = -1 ESRCH (No such "
        "process)");
  std::uint64_t regs[27] = {};
  regs[0] = 0x5572b5203139;
  regs[1] = 0x5572b52030cf;
  regs[15] = 0x50;
  mem.put(0x5000, regs);
  CHECK(call("ptrace", {0x4204, 77, 1, 0x1000}, 0, mem) ==
        "ptrace(PTRACE_GETREGSET, 77, NT_PRSTATUS, {iov_base={r15=0x5572b5203139}, iov_len=8}) = 0");
  CHECK(call("ptrace", {0x4205, 77, 3, 0x1000}, 0, mem) ==
        "ptrace(PTRACE_SETREGSET, 77, NT_PRPSINFO, {iov_base=0x5000, iov_len=8}) = 0");
  mem.put(0x1000, pt_iovec{0x5000, 9});  // not a multiple of 8: the address
  CHECK(call("ptrace", {0x4205, 77, 1, 0x1000}, 0, mem) ==
        "ptrace(PTRACE_SETREGSET, 77, NT_PRSTATUS, {iov_base=0x5000, iov_len=9}) = 0");
  CHECK(call("ptrace", {0x4204, 77, 1, 0x1003}, -14, mem) ==
        "ptrace(PTRACE_GETREGSET, 77, NT_PRSTATUS, 0x1003) = -1 EFAULT (Bad address)");
  std::string line = call("ptrace", {12, 77, 0, 0x5000}, 0, mem);
  CHECK(line.starts_with("ptrace(PTRACE_GETREGS, 77, {r15=0x5572b5203139, r14=0x5572b52030cf, r13=0, "));
  CHECK(
      line.ends_with(", orig_rax=0x50, rip=0, cs=0, eflags=0, rsp=0, ss=0, fs_base=0, gs_base=0, ds=0, es=0, "
                     "fs=0, gs=0}) = 0"));
  CHECK(call("ptrace", {12, 13599, 0, 0x5000}, -3, mem) ==
        "ptrace(PTRACE_GETREGS, 13599, 0x5000) = -1 ESRCH (No such process)");

  SECTION("GETREGSET shows the length the kernel wrote back, old => new") {
    mem.put(0x1000, pt_iovec{0x5000, 216 + 8});
    std::string out;
    snare::format::entry_state st;
    REQUIRE(snare::format::format_entry(out, snare::test::desc("ptrace"), {0x4204, 77, 1, 0x1000}, mem, {},
                                        snare::format::no_fd_paths{}, &st));
    CHECK(out == "ptrace(PTRACE_GETREGSET, 77, NT_PRSTATUS, ");
    mem.put(0x1000, pt_iovec{0x5000, 16});
    REQUIRE(snare::format::format_exit(out, snare::test::desc("ptrace"), {0x4204, 77, 1, 0x1000}, 0, mem, {},
                                       snare::format::no_fd_paths{}, &st));
    CHECK(out ==
          "ptrace(PTRACE_GETREGSET, 77, NT_PRSTATUS, {iov_base={r15=0x5572b5203139, r14=0x5572b52030cf}, "
          "iov_len=224 => 16}) = 0");
  }
}

TEST_CASE("siginfo prints each signal's union member as strace's printsiginfo.c",
          "[format][ptrace][signal]") {
  fake_memory mem;
  auto setsiginfo = [&](const siginfo_t& si) {
    mem.put(0x1000, si);
    return call("ptrace", {0x4203, 13599, pt_bad, 0x1000}, -3, mem);
  };
  siginfo_t si{};
  si.si_signo = SIGIO;
  si.si_code = POLL_IN;
  si.si_errno = ENOENT;
  si.si_band = -2;
  si.si_fd = 23;
  CHECK(setsiginfo(si) ==
        "ptrace(PTRACE_SETSIGINFO, 13599, 0xdeadbeeffffffeed, {si_signo=SIGIO, si_code=POLL_IN, "
        "si_errno=ENOENT, "
        "si_band=-2, si_fd=23}) = -1 ESRCH (No such process)");
  si = {};
  si.si_signo = SIGTRAP;
  si.si_code = 7;
  si.si_errno = ENOENT;
  si.si_addr = reinterpret_cast<void*>(0xfacefeeddeadbeef);
  CHECK(
      setsiginfo(si) ==
      "ptrace(PTRACE_SETSIGINFO, 13599, 0xdeadbeeffffffeed, {si_signo=SIGTRAP, si_code=0x7, si_errno=ENOENT, "
      "si_addr=0xfacefeeddeadbeef}) = -1 ESRCH (No such process)");
  si = {};
  si.si_signo = SIGSEGV;
  si.si_code = SEGV_PKUERR;
  si.si_addr = reinterpret_cast<void*>(0xfacefeeddeadbeef);
  si.si_pkey = 3141592653u;
  CHECK(setsiginfo(si) ==
        "ptrace(PTRACE_SETSIGINFO, 13599, 0xdeadbeeffffffeed, {si_signo=SIGSEGV, si_code=SEGV_PKUERR, "
        "si_addr=0xfacefeeddeadbeef, si_pkey=3141592653}) = -1 ESRCH (No such process)");
  si = {};
  si.si_signo = SIGSYS;
  si.si_code = 1;  // SYS_SECCOMP
  si.si_errno = static_cast<int>(3141592653u);
  si.si_syscall = 0;
  si.si_arch = 0xc000003e;
  CHECK(
      setsiginfo(si) ==
      "ptrace(PTRACE_SETSIGINFO, 13599, 0xdeadbeeffffffeed, {si_signo=SIGSYS, si_code=SYS_SECCOMP, "
      "si_errno=3141592653, si_call_addr=NULL, si_syscall=__NR_read, si_arch=AUDIT_ARCH_X86_64}) = -1 ESRCH "
      "(No such process)");
  mem.put(0x1000, si);
  CHECK(call("ptrace", {0x4203, 13920, pt_bad, 0x1000}, -3, mem, snare::test::verbose) ==
        "ptrace(0x4203 /* PTRACE_SETSIGINFO */, 13920, 0xdeadbeeffffffeed, {si_signo=31 /* SIGSYS */, "
        "si_code=0x1 "
        "/* SYS_SECCOMP */, si_errno=3141592653, si_call_addr=NULL, si_syscall=0 /* __NR_read */, "
        "si_arch=0xc000003e "
        "/* AUDIT_ARCH_X86_64 */}) = -1 ESRCH (No such process)");
  si = {};
  si.si_signo = SIGHUP;
  si.si_code = SI_TIMER;
  si.si_errno = ENOENT;
  si.si_timerid = static_cast<int>(0xdeadbeefu);
  si.si_overrun = -1;
  si.si_ptr = reinterpret_cast<void*>(0xfacefeeddeadbeef);
  CHECK(setsiginfo(si) ==
        "ptrace(PTRACE_SETSIGINFO, 13599, 0xdeadbeeffffffeed, {si_signo=SIGHUP, si_code=SI_TIMER, "
        "si_errno=ENOENT, "
        "si_timerid=0xdeadbeef, si_overrun=-1, si_int=-559038737, si_ptr=0xfacefeeddeadbeef}) = -1 ESRCH (No "
        "such "
        "process)");
}

TEST_CASE("PTRACE_GET_SYSCALL_INFO shows the fields within the length both sides allow", "[format][ptrace]") {
  fake_memory mem;
  unsigned char info[88] = {};
  info[0] = 1;  // PTRACE_SYSCALL_INFO_ENTRY
  std::uint32_t arch = 0xc000003e;
  std::memcpy(info + 4, &arch, 4);
  std::uint64_t words[] = {0x7f40aefb7829, 0x7ffc88c03f78, 80 /* chdir */, 0x55b8cc769248, 0xbad1fed1};
  std::memcpy(info + 8, words, sizeof words);
  mem.put(0x1000, info);
  CHECK(call("ptrace", {0x420e, 14455, 7, 0x1000}, 80, mem) ==
        "ptrace(PTRACE_GET_SYSCALL_INFO, 14455, 7, {op=PTRACE_SYSCALL_INFO_ENTRY}) = 80");
  CHECK(call("ptrace", {0x420e, 14455, 48, 0x1000}, 80, mem) ==
        "ptrace(PTRACE_GET_SYSCALL_INFO, 14455, 48, {op=PTRACE_SYSCALL_INFO_ENTRY, arch=AUDIT_ARCH_X86_64, "
        "instruction_pointer=0x7f40aefb7829, stack_pointer=0x7ffc88c03f78, entry={nr=__NR_chdir, "
        "args=[0x55b8cc769248, 0xbad1fed1]}}) = 80");
  info[0] = 2;  // PTRACE_SYSCALL_INFO_EXIT: rval -2, is_error 1
  std::int64_t rval = -2;
  std::memcpy(info + 24, &rval, 8);
  info[32] = 1;
  mem.put(0x1000, info);
  CHECK(call("ptrace", {0x420e, 14455, 33, 0x1000}, 33, mem) ==
        "ptrace(PTRACE_GET_SYSCALL_INFO, 14455, 33, {op=PTRACE_SYSCALL_INFO_EXIT, arch=AUDIT_ARCH_X86_64, "
        "instruction_pointer=0x7f40aefb7829, stack_pointer=0x7ffc88c03f78, exit={rval=-ENOENT, is_error=1}}) "
        "= 33");
  CHECK(call("ptrace", {0x420e, 14455, 32, 0x1000}, 33, mem) ==
        "ptrace(PTRACE_GET_SYSCALL_INFO, 14455, 32, {op=PTRACE_SYSCALL_INFO_EXIT, arch=AUDIT_ARCH_X86_64, "
        "instruction_pointer=0x7f40aefb7829, stack_pointer=0x7ffc88c03f78, exit={rval=-2}}) = 33");
  CHECK(call("ptrace", {0x420e, 14453, 0, 0}, -3, mem) ==
        "ptrace(PTRACE_GET_SYSCALL_INFO, 14453, 0, NULL) = -1 ESRCH (No such process)");
}

TEST_CASE("rt_sigreturn shows the mask of the signal frame at the stack pointer", "[format][signal]") {
  fake_memory mem;
  constexpr std::uint64_t sp = 0x7ffc0000;
  std::uint64_t mask = (std::uint64_t{1} << (SIGINT - 1)) | (std::uint64_t{1} << (SIGCHLD - 1));
  mem.put(sp + 296, mask);  // uc_sigmask: the frame is at sp - 8, the mask 304 bytes in
  std::string out;
  snare::format::entry_state st;
  st.stack_pointer = sp;
  REQUIRE(snare::format::format_entry(out, snare::test::desc("rt_sigreturn"), {}, mem, {},
                                      snare::format::no_fd_paths{}, &st));
  REQUIRE(snare::format::format_exit(out, snare::test::desc("rt_sigreturn"), {}, 0, mem, {},
                                     snare::format::no_fd_paths{}, &st));
  CHECK(out == "rt_sigreturn({mask=[INT CHLD]}) = 0");
  // Without a stack pointer (a backend without registers) nothing is shown, as before.
  CHECK(call("rt_sigreturn", {}, 0, mem) == "rt_sigreturn() = 0");
}

TEST_CASE("PEEKUSER and POKEUSER name their offset into struct user", "[format][ptrace]") {
  // The table's values against glibc's struct user (sys/user.h; sys/reg.h's indices are
  // these offsets over 8, but its macros R8, SS, ... would leak into the unity batch).
  using snare::format::detail::user_offsets;
  STATIC_REQUIRE(user_offsets[10].value == offsetof(struct user_regs_struct, rax));
  STATIC_REQUIRE(user_offsets[18].value == offsetof(struct user_regs_struct, eflags));
  STATIC_REQUIRE(user_offsets[20].value == offsetof(struct user_regs_struct, ss));
  STATIC_REQUIRE(user_offsets[21].value == offsetof(struct user, u_fpvalid));
  STATIC_REQUIRE(user_offsets[22].value == offsetof(struct user, i387));
  STATIC_REQUIRE(user_offsets[34].value == offsetof(struct user, u_debugreg));
  STATIC_REQUIRE(user_offsets[35].value == sizeof(struct user));
  fake_memory mem;
  CHECK(call("ptrace", {3, 77, offsetof(struct user_regs_struct, rax), 0}, -3, mem) ==
        "ptrace(PTRACE_PEEKUSER, 77, 8*RAX, NULL) = -1 ESRCH (No such process)");
  CHECK(
      call("ptrace", {6, 77, offsetof(struct user, u_debugreg) + 8, 0}, -3, mem) ==
      "ptrace(PTRACE_POKEUSER, 77, offsetof(struct user, u_debugreg)+8, NULL) = -1 ESRCH (No such process)");
  CHECK(call("ptrace", {6, 77, offsetof(struct user_regs_struct, fs_base), 0}, -3, mem) ==
        "ptrace(PTRACE_POKEUSER, 77, 8*SS+8, NULL) = -1 ESRCH (No such process)");
  CHECK(call("ptrace", {6, 77, sizeof(struct user) + 1, 0}, -3, mem) ==
        "ptrace(PTRACE_POKEUSER, 77, 0x391, NULL) = -1 ESRCH (No such process)");
  CHECK(call("ptrace", {6, 77, offsetof(struct user_regs_struct, rcx), 0}, -3, mem, snare::test::verbose) ==
        "ptrace(0x6 /* PTRACE_POKEUSER */, 77, 0x58 /* 8*RCX */, NULL) = -1 ESRCH (No such process)");
  CHECK(call("ptrace", {6, 77, offsetof(struct user_regs_struct, rcx), 0}, -3, mem, snare::test::raw) ==
        "ptrace(0x6, 77, 0x58, NULL) = -1 ESRCH (No such process)");
}

TEST_CASE("ptrace under -e verbose= shows the addresses of the structs it leaves out", "[format][ptrace]") {
  fake_memory mem;
  snare::format::options quiet;
  quiet.decode_structs = false;
  siginfo_t si{};
  si.si_signo = SIGUSR1;
  mem.put(0x1000, si);
  CHECK(call("ptrace", {0x4203, 77, 0, 0x1000}, 0, mem, quiet) ==
        "ptrace(PTRACE_SETSIGINFO, 77, NULL, 0x1000) = 0");
  CHECK(call("ptrace", {0x4202, 77, 0, 0x1000}, 0, mem, quiet) ==
        "ptrace(PTRACE_GETSIGINFO, 77, NULL, 0x1000) = 0");
  mem.put(0x2000, pt_iovec{0x5000, 8});
  mem.put<std::uint64_t>(0x5000, 1);
  // The iovec is read whatever -e verbose says; the registers it points to are not.
  CHECK(call("ptrace", {0x4204, 77, 1, 0x2000}, 0, mem, quiet) ==
        "ptrace(PTRACE_GETREGSET, 77, NT_PRSTATUS, {iov_base=0x5000, iov_len=8}) = 0");
  CHECK(call("ptrace", {0x4204, 77, 1, 0x2000}, 0, mem) ==
        "ptrace(PTRACE_GETREGSET, 77, NT_PRSTATUS, {iov_base={r15=0x1}, iov_len=8}) = 0");
  CHECK(call("ptrace", {13, 77, 0, 0x5000}, 0, mem, quiet) == "ptrace(PTRACE_SETREGS, 77, 0x5000) = 0");
}
