// Tests the table against a real guest: every syscall /bin/sh makes while running a small
// command has a descriptor, and typed calls built from its registers read the right values.
#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <set>
#include <string>

#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <snare/sys.hpp>

#include <skip.hpp>

#if defined(__x86_64__)
namespace {

std::string read_guest_string(pid_t pid, std::uint64_t address) {
  char buf[4096] = {};
  iovec local{buf, sizeof buf - 1};
  iovec remote{reinterpret_cast<void*>(address), sizeof buf - 1};
  // A short read near the end of a mapping still holds the string; retry smaller if none.
  for (std::size_t len = sizeof buf - 1; len >= 64; len /= 2) {
    local.iov_len = remote.iov_len = len;
    if (::process_vm_readv(pid, &local, 1, &remote, 1, 0) > 0) return std::string(buf);
  }
  return {};
}

}  // namespace

TEST_CASE("Every syscall a real guest makes has a descriptor, and typed calls read its registers") {
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    if (::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) != 0) ::_exit(111);
    ::raise(SIGSTOP);
    ::execl("/bin/sh", "sh", "-c", "cat /etc/hostname /proc/self/stat >/dev/null; exit 3", nullptr);
    ::_exit(112);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 111)
    snare::test::skip("ptrace(PTRACE_TRACEME) is not permitted");
  REQUIRE(WIFSTOPPED(status));
  REQUIRE(::ptrace(PTRACE_SETOPTIONS, child, nullptr,
                   PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEFORK | PTRACE_O_TRACECLONE |
                       PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC) == 0);
  REQUIRE(::ptrace(PTRACE_SYSCALL, child, nullptr, nullptr) == 0);

  std::set<std::string> seen;
  std::set<std::string> opened;
  std::set<pid_t> in_syscall;
  int exit_code = -1;
  for (;;) {
    pid_t pid = ::waitpid(-1, &status, __WALL);
    if (pid < 0) break;
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      if (pid == child) exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      continue;
    }
    int deliver = 0;
    if (WIFSTOPPED(status) && WSTOPSIG(status) == (SIGTRAP | 0x80)) {
      bool entry = in_syscall.insert(pid).second;
      if (!entry) in_syscall.erase(pid);
      user_regs_struct regs{};
      REQUIRE(::ptrace(PTRACE_GETREGS, pid, nullptr, &regs) == 0);
      if (entry) {
        long nr = static_cast<long>(regs.orig_rax);
        const snare::sys::syscall_desc* d = snare::sys::descriptor(nr);
        INFO("syscall number " << nr);
        REQUIRE(d != nullptr);
        seen.insert(std::string(d->name));
        std::array<std::uint64_t, 6> args{regs.rdi, regs.rsi, regs.rdx, regs.r10, regs.r8, regs.r9};
        if (nr == snare::sys::openat::number) {
          snare::sys::openat call(args);
          CHECK(call.pathname().address == regs.rsi);
          std::string path = read_guest_string(pid, call.pathname().address);
          CHECK(!path.empty());
          opened.insert(path);
        } else if (nr == snare::sys::execve::number) {
          snare::sys::execve call(args);
          CHECK(read_guest_string(pid, call.pathname().address).find('/') != std::string::npos);
        } else if (nr == snare::sys::exit_group::number && pid == child) {
          CHECK(snare::sys::exit_group(args).status() == 3);
        }
      }
    } else if (WIFSTOPPED(status) && WSTOPSIG(status) != SIGTRAP && WSTOPSIG(status) != SIGSTOP) {
      deliver = WSTOPSIG(status);
    }
    ::ptrace(PTRACE_SYSCALL, pid, nullptr, reinterpret_cast<void*>(static_cast<long>(deliver)));
  }
  CHECK(exit_code == 3);
  CHECK(seen.count("execve") == 1);
  CHECK(seen.count("exit_group") == 1);
  CHECK(seen.count("mmap") == 1);
  CHECK(seen.size() > 10);
  CHECK(opened.count("/etc/hostname") == 1);
}
#endif
