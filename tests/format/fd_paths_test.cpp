// Tests -y: fd arguments and fd results with their paths, through a resolver.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include "fake_memory.hpp"
#include "skip.hpp"

using snare::test::call;
using snare::test::fake_fds;
using snare::test::fake_memory;

namespace {
snare::format::options with_paths() {
  snare::format::options o;
  o.show_fd_paths = true;
  return o;
}
using snare::test::at_fdcwd;
}  // namespace

TEST_CASE(
    "With show_fd_paths (strace -y) fds print as 3</etc/passwd> and AT_FDCWD with the working directory",
    "[format][fd]") {
  fake_memory mem;
  fake_fds fds{{{3, "/etc/passwd"}, {-100, "/tmp/fmtprobe"}, {1, "/dev/null"}, {6, "socket:[26117]"}}};
  mem.put_string(0x1000, "/etc/passwd");
  // strace -y: openat(AT_FDCWD</tmp/fmtprobe>, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3</etc/passwd>
  CHECK(call("openat", {at_fdcwd, 0x1000, 02000000}, 3, mem, with_paths(), fds) ==
        R"(openat(AT_FDCWD</tmp/fmtprobe>, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3</etc/passwd>)");
  // strace -y: close(3</etc/passwd>) = 0 ; close(12345) = -1 EBADF (Bad file descriptor)
  CHECK(call("close", {3}, 0, mem, with_paths(), fds) == "close(3</etc/passwd>) = 0");
  CHECK(call("close", {12345}, -9, mem, with_paths(), fds) ==
        "close(12345) = -1 EBADF (Bad file descriptor)");
  // strace -y: write(1</dev/null>, 0x10, 5) = 5
  CHECK(call("write", {1, 0x10, 5}, 5, mem, with_paths(), fds) == "write(1</dev/null>, 0x10, 5) = 5");
  CHECK(call("socket", {2, 1, 0}, 6, mem, with_paths(), fds) ==
        "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 6<socket:[26117]>");
  SECTION("mmap's fd -1 stays -1") {
    CHECK(call("mmap", {0, 4096, 1, 0x22, static_cast<std::uint64_t>(-1), 0}, 0x7f0000000000, mem,
               with_paths(),
               fds) == "mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000");
  }
  SECTION("fds inside structs: pipe fds and pollfd") {
    fake_fds pipes{{{9, "pipe:[26120]"}, {11, "pipe:[26120]"}}};
    mem.put(0x2000, std::array<std::int32_t, 2>{9, 11});
    CHECK(call("pipe2", {0x2000, 02000000}, 0, mem, with_paths(), pipes) ==
          "pipe2([9<pipe:[26120]>, 11<pipe:[26120]>], O_CLOEXEC) = 0");
  }
  SECTION("without -y the resolver is not asked") {
    CHECK(call("close", {3}, 0, mem, {}, fds) == "close(3) = 0");
  }
}

TEST_CASE("proc_fd_resolver reads /proc/<pid>/fd of a live process", "[format][fd]") {
  int fd = ::open("/etc/hostname", O_RDONLY | O_CLOEXEC);
  if (fd < 0) snare::test::skip("/etc/hostname cannot be opened");
  char cwd[4096];
  REQUIRE(::getcwd(cwd, sizeof cwd) != nullptr);
  fake_memory mem;
  snare::format::proc_fd_resolver self(::getpid());
  std::string expected = "close(" + std::to_string(fd) + "</etc/hostname>) = 0";
  CHECK(call("close", {static_cast<std::uint64_t>(fd)}, 0, mem, with_paths(), self) == expected);
  std::string path;
  CHECK(self.append_fd_path(-100, path));
  CHECK(path == cwd);
  ::close(fd);
  path.clear();
  CHECK_FALSE(self.append_fd_path(fd, path));
  CHECK(path.empty());
}

namespace {
// A resolver that notes every pid as strace --decode-pids=pidns would for a namespace where
// pid N is 1000+N in the tracer's, and names the kind of id it was asked about.
struct pid_noter {
  bool append_fd_path(int, std::string&) const noexcept { return false; }
  void append_pid_note(int pid, snare::format::pid_type t, std::string& out) const {
    static constexpr const char* kinds[] = {"tid", "tgid", "pgid", "sid"};
    out += " /* " + std::to_string(1000 + pid) + " " + kinds[static_cast<int>(t)] + " */";
  }
};
}  // namespace

TEST_CASE("A resolver's append_pid_note follows each pid, with the kind of id strace's printpid names",
          "[format][pid]") {
  fake_memory mem;
  pid_noter pids;
  auto c = [&](std::string_view name, snare::sys::raw_args a, std::int64_t ret) {
    return call(name, a, ret, mem, {}, pids);
  };
  CHECK(c("getpid", {}, 2) == "getpid() = 2 /* 1002 tgid */");
  CHECK(c("gettid", {}, 3) == "gettid() = 3 /* 1003 tid */");
  CHECK(c("getpgid", {0}, 4) == "getpgid(0) = 4 /* 1004 pgid */");
  CHECK(c("getsid", {2}, 5) == "getsid(2 /* 1002 tgid */) = 5 /* 1005 sid */");
  CHECK(c("setsid", {}, 6) == "setsid() = 6");  // strace prints it plainly
  CHECK(c("tgkill", {2, 3, 18}, 0) == "tgkill(2 /* 1002 tgid */, 3 /* 1003 tid */, SIGCONT) = 0");
  // kill and wait4: a negative id below -1 is a process group's
  CHECK(c("kill", {static_cast<std::uint64_t>(-7), 0}, 0) == "kill(-7 /* 1007 pgid */, 0) = 0");
  CHECK(c("kill", {static_cast<std::uint64_t>(-1), 0}, 0) == "kill(-1, 0) = 0");
  CHECK(c("kill", {0, 0}, 0) == "kill(0, 0) = 0");
  // getpriority's who by which: PRIO_PROCESS a process, PRIO_PGRP a group, PRIO_USER a uid
  CHECK(c("getpriority", {0, 2}, 20) == "getpriority(PRIO_PROCESS, 2 /* 1002 tgid */) = 20");
  CHECK(c("getpriority", {1, 2}, 20) == "getpriority(PRIO_PGRP, 2 /* 1002 pgid */) = 20");
  CHECK(c("getpriority", {2, 2}, 20) == "getpriority(PRIO_USER, 2) = 20");
  // fcntl F_SETOWN (8): negative is a group
  CHECK(c("fcntl", {0, 8, static_cast<std::uint64_t>(-9)}, 0) ==
        "fcntl(0, F_SETOWN, -9 /* 1009 pgid */) = 0");
  CHECK(c("fcntl", {0, 9}, 2) == "fcntl(0, F_GETOWN) = 2 /* 1002 tgid */");
  // prctl PR_SET_PTRACER (0x59616d61) and sched_setattr: a process (strace's PT_TGID)
  CHECK(c("prctl", {0x59616d61, 2}, 0) == "prctl(PR_SET_PTRACER, 2 /* 1002 tgid */) = 0");
  CHECK(c("prctl", {0x59616d61, 0}, 0) == "prctl(PR_SET_PTRACER, 0) = 0");
  CHECK(c("sched_setattr", {2, 0, 0}, -22) ==
        "sched_setattr(2 /* 1002 tgid */, NULL, 0) = -1 EINVAL (Invalid argument)");
}
