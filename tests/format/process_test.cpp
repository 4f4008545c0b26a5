// Tests process calls: pipe fds, wait status, execve argv/envp, clone, getdents64.
#include <catch2/catch.hpp>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("pipe2 shows both fds in brackets", "[format][process]") {
  fake_memory mem;
  mem.put(0x1000, std::array<std::int32_t, 2>{9, 11});
  CHECK(call("pipe2", {0x1000, 02000000}, 0, mem) == "pipe2([9, 11], O_CLOEXEC) = 0");
  CHECK(call("pipe", {0x1000}, 0, mem) == "pipe([9, 11]) = 0");
  CHECK(call("socketpair", {1, 1, 0, 0x1000}, 0, mem) == "socketpair(AF_UNIX, SOCK_STREAM, 0, [9, 11]) = 0");
}

TEST_CASE("wait4 decodes the status as strace does", "[format][process]") {
  fake_memory mem;
  auto status = [&](std::int32_t s) {
    mem.put(0x1000, s);
    return call("wait4", {6683, 0x1000, 0, 0}, 6683, mem);
  };
  CHECK(status(3 << 8) == "wait4(6683, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 6683");
  CHECK(status(9) == "wait4(6683, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = 6683");
  CHECK(status(11 | 0x80) ==
        "wait4(6683, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}], 0, NULL) = 6683");
  CHECK(status((19 << 8) | 0x7f) ==
        "wait4(6683, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}], 0, NULL) = 6683");
  CHECK(status(0xffff) == "wait4(6683, [{WIFCONTINUED(s)}], 0, NULL) = 6683");
  // strace: wait4(6685, 0x7ffc44f04f8c, 0, NULL) = -1 ECHILD (No child processes)
  CHECK(call("wait4", {6685, 0x7ffc44f04f8c, 0, 0}, -10, mem) ==
        "wait4(6685, 0x7ffc44f04f8c, 0, NULL) = -1 ECHILD (No child processes)");
}

TEST_CASE("execve shows argv in full and envp as a count", "[format][process]") {
  fake_memory mem;
  mem.put_string(0x1000, "/bin/true");
  mem.put_string(0x1100, "-la");
  mem.put_string(0x1200, "x\ny");
  mem.put_string(0x1300, "A=1");
  mem.put_string(0x1400, "B=2");
  mem.put(0x2000, std::array<std::uint64_t, 4>{0x1000, 0x1100, 0x1200, 0});
  mem.put(0x3000, std::array<std::uint64_t, 3>{0x1300, 0x1400, 0});
  // strace: execve("/bin/true", ["/bin/true", "-la", "x\ny"], 0x7fff23a10470 /* 2 vars */) = 0
  CHECK(call("execve", {0x1000, 0x2000, 0x3000}, 0, mem) ==
        R"(execve("/bin/true", ["/bin/true", "-la", "x\ny"], 0x3000 /* 2 vars */) = 0)");
  SECTION("-s cuts each element, -v shows the environment") {
    snare::format::options o;
    o.string_limit = 5;
    o.verbose = true;
    CHECK(call("execve", {0x1000, 0x2000, 0x3000}, 0, mem, o) ==
          R"(execve("/bin/true", ["/bin/"..., "-la", "x\ny"], ["A=1", "B=2"]) = 0)");
  }
  SECTION("-v shows every element of both arrays, however many -s allows") {
    snare::format::options o;
    o.string_limit = 1;
    o.verbose = true;
    // strace -v -s 1: execve("/bin/true", ["/"..., "-"..., "x"...], ["A"..., "B"...]) = 0
    CHECK(call("execve", {0x1000, 0x2000, 0x3000}, 0, mem, o) ==
          R"(execve("/bin/true", ["/"..., "-"..., "x"...], ["A"..., "B"...]) = 0)");
  }
  SECTION("NULL arrays, unreadable arrays and unreadable elements") {
    // strace: execve("/nonexist", NULL, NULL) = -1 ENOENT; execve("/nonexist", 0x8, 0x8) = -1 ENOENT
    CHECK(call("execve", {0x1000, 0, 0}, -2, mem) ==
          R"(execve("/bin/true", NULL, NULL) = -1 ENOENT (No such file or directory))");
    CHECK(call("execve", {0x1000, 8, 8}, -2, mem) ==
          R"(execve("/bin/true", 0x8, 0x8) = -1 ENOENT (No such file or directory))");
    mem.put(0x4000, std::array<std::uint64_t, 3>{0x1100, 8, 0});
    // strace: execve("/nonexist", ["x", 0x8], 0x7ffcfe83d550 /* 2 vars */) = -1 ENOENT
    CHECK(
        call("execve", {0x1000, 0x4000, 0x3000}, -2, mem) ==
        R"(execve("/bin/true", ["-la", 0x8], 0x3000 /* 2 vars */) = -1 ENOENT (No such file or directory))");
  }
  SECTION("more elements than -s end with ...") {
    std::array<std::uint64_t, 41> argv{};
    for (std::size_t i = 0; i < 40; ++i) argv[i] = 0x1100;
    mem.put(0x5000, argv);
    std::string expected = R"(execve("/bin/true", [)";
    for (int i = 0; i < 32; ++i) expected += "\"-la\", ";
    expected += R"(...], 0x3000 /* 2 vars */) = 0)";
    CHECK(call("execve", {0x1000, 0x5000, 0x3000}, 0, mem) == expected);
  }
}

TEST_CASE("clone shows named arguments and the exit signal", "[format][process]") {
  fake_memory mem;
  // strace: clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD,
  //         child_tidptr=0x7f930528ca10) = 6683
  CHECK(call("clone", {0x01200000 | 17, 0, 0, 0x7f930528ca10, 0}, 6683, mem) ==
        "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
        "child_tidptr=0x7f930528ca10) "
        "= 6683");
}

TEST_CASE("clone shows what the kernel stored through parent_tid at exit", "[format][process]") {
  fake_memory mem;
  mem.put(0x3000, std::int32_t{11318});
  // strace 6.1, its test clone-flags.c: the tid stored, after child_stack and flags.
  CHECK(call("clone", {0x00100000 | 17, 0x7f1202603ff0, 0x3000, 0, 0}, 11318, mem) ==
        "clone(child_stack=0x7f1202603ff0, flags=CLONE_PARENT_SETTID|SIGCHLD, parent_tid=[11318]) = 11318");
  // CLONE_PIDFD stores an fd there; tls before child_tidptr, as strace orders them.
  mem.put(0x3000, std::int32_t{3});
  CHECK(call("clone", {0x01000000 | 0x00080000 | 0x1000 | 17, 0, 0x3000, 0x4000, 0x5000}, 11319, mem) ==
        "clone(child_stack=NULL, flags=CLONE_PIDFD|CLONE_SETTLS|CLONE_CHILD_SETTID|SIGCHLD, parent_tid=[3], "
        "tls=0x5000, child_tidptr=0x4000) = 11319");
}

TEST_CASE("getdents64 is abbreviated to its entry count", "[format][process]") {
  fake_memory mem;
  // Three records of 24, 32 and 24 bytes (d_reclen at offset 16).
  std::array<unsigned char, 80> buf{};
  buf[16] = 24;
  buf[24 + 16] = 32;
  buf[56 + 16] = 24;
  mem.put(0x1000, buf);
  CHECK(call("getdents64", {15, 0x1000, 4096}, 80, mem) ==
        "getdents64(15, 0x1000 /* 3 entries */, 4096) = 80");
  CHECK(call("getdents64", {15, 0x1000, 4096}, 0, mem) == "getdents64(15, 0x1000 /* 0 entries */, 4096) = 0");
  CHECK(call("getdents64", {15, 0x1000, 4096}, 24, mem) == "getdents64(15, 0x1000 /* 1 entry */, 4096) = 24");
}

TEST_CASE("clone3 shows its clone_args", "[format][process]") {
  fake_memory mem;
  struct {
    std::uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
        set_tid_size, cgroup;
  } args{0x3d0f00, 0, 0x7fc1b1cb1990, 0x7fc1b1cb1990, 0, 0x7fc1b14b1000, 0x7fff80, 0x7fc1b1cb16c0, 0, 0, 0};
  mem.put(0x1000, args);
  std::string out;
  REQUIRE(snare::format::format_entry(out, snare::test::desc("clone3"), {0x1000, 88}, mem));
  // strace, at entry:
  // clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|
  //         CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7fc1b1cb1990, parent_tid=0x7fc1b1cb1990,
  //         exit_signal=0, stack=0x7fc1b14b1000, stack_size=0x7fff80, tls=0x7fc1b1cb16c0}
  CHECK(out ==
        "clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|"
        "CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7fc1b1cb1990, parent_tid=0x7fc1b1cb1990, "
        "exit_signal=0, stack=0x7fc1b14b1000, stack_size=0x7fff80, tls=0x7fc1b1cb16c0}");
  // With CLONE_PARENT_SETTID the size follows what the kernel stored, at exit (clone3_test.cpp).
}

TEST_CASE("clone3 prints a zero stack and zero addresses as NULL", "[format][process]") {
  fake_memory mem;
  struct {
    std::uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
  } args{0x1000, 0, 0, 0, 0, 0, 0, 0};  // CLONE_PIDFD with pidfd 0
  mem.put(0x1000, args);
  std::string out;
  REQUIRE(snare::format::format_entry(out, snare::test::desc("clone3"), {0x1000, 64}, mem));
  // strace (tests/clone3.c): clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0}, 64)
  CHECK(out == "clone3({flags=CLONE_PIDFD, pidfd=NULL, exit_signal=0, stack=NULL, stack_size=0}");
  out.clear();
  args.flags = 0;
  mem.put(0x1000, args);
  REQUIRE(snare::format::format_entry(out, snare::test::desc("clone3"), {0x1000, 64}, mem));
  CHECK(out == "clone3({flags=0, exit_signal=0, stack=NULL, stack_size=0}, 64");
}

TEST_CASE("wait4 that reaps nothing (WNOHANG) prints its pointers as addresses", "[format][process]") {
  fake_memory mem;
  mem.put<std::int32_t>(0x1000, 0);
  // strace (wait.c): wait4(1234, 0x1000, WNOHANG, 0x2000) = 0
  CHECK(call("wait4", {1234, 0x1000, 1, 0x2000}, 0, mem) == "wait4(1234, 0x1000, WNOHANG, 0x2000) = 0");
  CHECK(call("wait4", {1234, 0x1000, 1, 0}, 0, mem) == "wait4(1234, 0x1000, WNOHANG, NULL) = 0");
}
