// Runs the backend conformance laws (laws.hpp) over the ptrace backend, twice: as is
// (test_conformance_ptrace) and as on a kernel without PTRACE_GET_SYSCALL_INFO (Linux < 5.3,
// test_conformance_ptrace_registers). The second run is the same executable with
// SNARE_CONFORMANCE_NO_SYSCALL_INFO=1 in its environment: a seccomp filter on this test
// process then fails that request with EIO, so the engine reads every stop's call from the
// registers (and a seccomp stop's filter data with PTRACE_GETEVENTMSG), as
// detail/syscall_info.hpp falls back to. One executable for both: the laws over ptrace are
// the heaviest translation unit of the suite, and the fallback is chosen at run time anyway.
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <tuple>

#include <catch2/catch.hpp>

#include <snare/backend/ptrace.hpp>

#include "subject.hpp"

namespace {

// Installed before main (one thread then), inherited by the tracer and every guest: only
// ptrace(PTRACE_GET_SYSCALL_INFO, ...) is touched, with the errno of a kernel that lacks it.
const bool no_syscall_info = [] {
  const char* hide = std::getenv("SNARE_CONFORMANCE_NO_SYSCALL_INFO");
  if (hide == nullptr || std::strcmp(hide, "1") != 0) return false;
  sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ptrace, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[0])),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PTRACE_GET_SYSCALL_INFO, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EIO),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog prog{static_cast<unsigned short>(std::size(f)), f};
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog) != 0) {
    std::perror("ptrace_test: cannot install the filter that hides PTRACE_GET_SYSCALL_INFO");
    std::exit(1);
  }
  return true;
}();

}  // namespace

TEST_CASE("ptrace: PTRACE_GET_SYSCALL_INFO answers as this run needs (EIO when hidden)", "[ptrace]") {
  // Not a tracee of itself: a kernel that has the request answers ESRCH; hidden, EIO.
  errno = 0;
  CHECK(::ptrace(PTRACE_GET_SYSCALL_INFO, ::getpid(), 0, nullptr) == -1);
  CHECK(errno == (no_syscall_info ? EIO : ESRCH));
}

namespace snare::test::conformance {
/// The backends this executable holds to the laws.
using subjects = std::tuple<subject<snare::backend::ptrace>>;
}  // namespace snare::test::conformance

#include "laws.hpp"
