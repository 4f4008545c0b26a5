// The snare::command tests, written once over `backend` (defined by the including .cpp):
// real guests see the environment, directory, streams, limits and namespaces the command
// gives them, their output is captured, and the tool sees none of the setup.
#pragma once

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <skip.hpp>

#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>

namespace snare::test::command {

/// Counts the calls the command's setup would make were it traced, and the guest's writes.
struct setup_watch {
  int chdirs = 0;
  int dup2s = 0;
  int writes = 0;
  snare::action on(snare::sys::x86_64::chdir, auto&) {
    ++chdirs;
    return snare::proceed();
  }
  snare::action on(snare::sys::x86_64::dup2, auto&) {
    ++dup2s;
    return snare::proceed();
  }
  snare::action on(snare::sys::x86_64::write, auto&) {
    ++writes;
    return snare::proceed();
  }
};

inline snare::run_output run(const snare::command& c) {
  setup_watch tool;
  return snare::output<backend>(tool, c);
}

/// Skips the test unless the host gives every namespace kind of `kinds` (and, without root,
/// a user namespace to make them in).
inline void require_namespaces(snare::ns kinds) {
  if (::geteuid() != 0) snare::test::require_host(snare::host_feature::user_namespace);
  for (snare::ns k :
       {snare::ns::user, snare::ns::pid, snare::ns::mount, snare::ns::net, snare::ns::uts, snare::ns::ipc})
    if (snare::has(kinds, k)) snare::test::require_host(snare::detail::feature_of(k));
}

/// Returns `c` with a user namespace mapping root added when the tracer is not root (what
/// new namespaces then need).
inline snare::command privileged(snare::command c) {
  if (::geteuid() != 0) c.map_root();
  return c;
}

TEST_CASE("a guest sees the environment the command sets, removes and clears") {
  ::setenv("SNARE_CMD_REMOVED", "still here", 1);
  ::setenv("SNARE_CMD_KEPT", "kept", 1);
  auto o = run(snare::command("sh")
                   .arg("-c")
                   .arg("echo \"$SNARE_CMD_SET:${SNARE_CMD_REMOVED-unset}:$SNARE_CMD_KEPT\"")
                   .env("SNARE_CMD_SET", "set")
                   .env_remove("SNARE_CMD_REMOVED"));
  CHECK(o.code == 0);
  CHECK(o.out == "set:unset:kept\n");

  SECTION("a cleared environment holds only what is set after") {
    auto c = run(snare::command("/usr/bin/env").env_clear().env("ONLY", "this"));
    CHECK(c.code == 0);
    CHECK(c.out == "ONLY=this\n");
  }
}

TEST_CASE("a guest runs in the command's working directory, and the tool sees no chdir of the setup") {
  setup_watch tool;
  auto o = snare::output<backend>(tool, snare::command("sh").args({"-c", "pwd"}).current_dir("/usr/bin"));
  CHECK(o.code == 0);
  CHECK(o.out == "/usr/bin\n");
  CHECK(tool.chdirs == 0);
  CHECK(tool.dup2s == 0);
  CHECK(tool.writes >= 1);  // the guest's own write is seen
}

/// Runs f() with the tracer's stderr sent to a file; returns what was written there.
template <class F>
std::string tracer_stderr_of(F&& f) {
  char path[] = "/tmp/snare_cmd_err_XXXXXX";
  int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  std::fflush(stderr);
  int saved = ::dup(2);
  ::dup2(fd, 2);
  f();
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::string text;
  char buf[512];
  ::lseek(fd, 0, SEEK_SET);
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  ::unlink(path);
  return text;
}

TEST_CASE("a setup step that fails ends the guest with 127 before its program runs, and is named") {
  setup_watch tool;
  snare::run_output o;
  auto err = tracer_stderr_of(
      [&] { o = snare::output<backend>(tool, snare::command("true").current_dir("/nonexistent/snare")); });
  CHECK(o.code == 127);
  CHECK(tool.writes == 0);
  CHECK(err ==
        "snare: cannot set up the guest for 'true': chdir to '/nonexistent/snare': No such file or "
        "directory\n");

  SECTION("a file for a stream that cannot be opened fails before anything is forked") {
    auto e2 = tracer_stderr_of([&] {
      o = snare::output<backend>(tool, snare::command("true").std_in(snare::stdio::file("/nonexistent/in")));
    });
    CHECK(o.code == 127);
    CHECK(e2 == "snare: cannot run 'true': opening '/nonexistent/in': No such file or directory\n");
  }
}

TEST_CASE("the stdout and stderr of a multi-process guest are captured") {
  auto o = run(snare::command("sh").arg("-c").arg("echo a; (echo b); /bin/echo c; echo d >&2"));
  CHECK(o.code == 0);
  CHECK(o.status.is_exited());
  CHECK(o.out == "a\nb\nc\n");
  CHECK(o.err == "d\n");
}

TEST_CASE("a guest reads the command's input on stdin, and a file or /dev/null as its streams") {
  auto o = run(snare::command("cat").input("typed in\n"));
  CHECK(o.out == "typed in\n");

  SECTION("an input larger than a pipe's buffer") {
    std::string big(300000, 'x');
    auto b = run(snare::command("wc").arg("-c").input(big));
    CHECK(b.out == "300000\n");
  }
  SECTION("stdout to a file, stdin from /dev/null") {
    char path[] = "/tmp/snare_cmd_XXXXXX";
    int fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    ::close(fd);
    setup_watch tool;
    int code = snare::run<backend>(tool, snare::command("sh")
                                             .args({"-c", "cat; echo to the file"})
                                             .std_in(snare::stdio::null())
                                             .std_out(snare::stdio::file(path)));
    CHECK(code == 0);
    std::FILE* f = std::fopen(path, "r");
    REQUIRE(f != nullptr);
    char buf[64] = {};
    std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    ::unlink(path);
    CHECK(std::string(buf, n) == "to the file\n");
  }
  SECTION("stderr on a descriptor of the tracer") {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    setup_watch tool;
    int code = snare::run<backend>(
        tool, snare::command("sh").args({"-c", "echo oops >&2"}).std_err(snare::stdio::fd(p[1])));
    ::close(p[1]);
    char buf[16] = {};
    auto n = ::read(p[0], buf, sizeof buf);
    ::close(p[0]);
    CHECK(code == 0);
    CHECK(std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0) == "oops\n");
  }
}

TEST_CASE("a guest gets the command's arg0, resource limits and CPU affinity") {
  auto a = run(snare::command("cat").arg0("renamed").arg("/proc/self/cmdline"));
  CHECK(a.out == std::string("renamed\0/proc/self/cmdline\0", 27));

  auto l = run(snare::command("sh").args({"-c", "ulimit -n"}).limit(RLIMIT_NOFILE, 42));
  CHECK(l.out == "42\n");

  auto c = run(snare::command("grep").args({"Cpus_allowed_list", "/proc/self/status"}).cpus({0}));
  CHECK(c.out == "Cpus_allowed_list:\t0\n");
}

TEST_CASE("a guest runs as the command's user, group and supplementary groups") {
  if (::geteuid() != 0)
    snare::test::skip("command::user needs root (CAP_SETUID), which this test runs without");
  auto o = run(snare::command("sh").args({"-c", "id -u; id -g; id -G"}).user(65534, 65534, {65534}));
  CHECK(o.code == 0);
  CHECK(o.out == "65534\n65534\n65534\n");
}

TEST_CASE("a C++ function runs as the traced guest, its exit code and output captured") {
  setup_watch tool;
  int here = 41;
  auto o = snare::output<backend>(tool, snare::command::function([&] {
                                    std::printf("from the function: %d\n", here + 1);
                                    return 3;
                                  }));
  CHECK(o.code == 3);
  CHECK(o.out == "from the function: 42\n");
  CHECK(tool.writes >= 1);  // its write was traced
}

TEST_CASE("a guest in a new pid namespace is its pid 1") {
  require_namespaces(snare::ns::pid);
  auto o = run(privileged(snare::command("sh").args({"-c", "echo $$"}).unshare(snare::ns::pid)));
  CHECK(o.code == 0);
  CHECK(o.out == "1\n");
}

TEST_CASE("a tmpfs mounted in the guest's mount namespace is not seen by the host") {
  require_namespaces(snare::ns::mount);
  char dir[] = "/tmp/snare_cmd_mnt_XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  std::string d = dir;
  auto o =
      run(privileged(snare::command("sh").args({"-c", "echo x > " + d + "/inside && ls " + d}).tmpfs(d)));
  struct stat st {};
  bool host_sees = ::stat((d + "/inside").c_str(), &st) == 0;
  ::rmdir(dir);
  CHECK(o.code == 0);
  CHECK(o.out == "inside\n");
  CHECK_FALSE(host_sees);
}

TEST_CASE("a read-only bind mount and a chroot are the guest's view, not the host's") {
  require_namespaces(snare::ns::mount);
  char src[] = "/tmp/snare_cmd_src_XXXXXX", dst[] = "/tmp/snare_cmd_dst_XXXXXX";
  REQUIRE(::mkdtemp(src) != nullptr);
  REQUIRE(::mkdtemp(dst) != nullptr);
  std::string s = src, d = dst;
  REQUIRE(std::system(("echo from-src > " + s + "/file").c_str()) == 0);
  auto o = run(privileged(snare::command("sh")
                              .args({"-c", "cat " + d + "/file; echo x > " + d + "/new || echo read-only"})
                              .bind(s, d, /*read_only=*/true)));
  CHECK(o.code == 0);
  CHECK(o.out == "from-src\nread-only\n");
  struct stat st {};
  CHECK(::stat((d + "/file").c_str(), &st) != 0);  // the host's dst is still empty

  SECTION("a function guest pivoted into the source sees its file at /, and nothing of the host's") {
    auto c = run(privileged(snare::command::function([] {
                              return ::access("/file", R_OK) == 0 && ::access("/usr", F_OK) != 0 ? 7 : 1;
                            }).pivot_root(s)));
    CHECK(c.code == 7);
  }
  SECTION("a function guest chrooted into the source sees its file at /") {
    auto c = run(
        privileged(snare::command::function([] { return ::access("/file", R_OK) == 0 ? 7 : 1; }).chroot(s)));
    CHECK(c.code == 7);
  }
  CHECK(std::system(("rm -rf " + s + " " + d).c_str()) == 0);
}

TEST_CASE("a new devpts instance holds none of the host's terminals") {
  require_namespaces(snare::ns::mount);
  snare::test::require_host(snare::host_feature::pseudo_terminal);
  // One terminal of the host's for sure, so that its /dev/pts holds more than ptmx.
  int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  REQUIRE(master >= 0);
  REQUIRE(::unlockpt(master) == 0);
  setup_watch tool;
  auto host = snare::output<backend>(tool, snare::command("ls").arg("/dev/pts"));
  auto o = run(privileged(snare::command("ls").arg("/dev/pts").devpts()));
  ::close(master);
  CHECK(host.out != "ptmx\n");
  CHECK(o.code == 0);
  CHECK(o.out == "ptmx\n");
}

TEST_CASE("map_root makes the guest uid 0 in its user namespace") {
  require_namespaces(snare::ns::user);
  auto o = run(snare::command("sh").args({"-c", "id -u; id -g"}).map_root());
  CHECK(o.code == 0);
  CHECK(o.out == "0\n0\n");
}

TEST_CASE("a guest gets its host name, a loopback-only network and its own proc") {
  require_namespaces(snare::ns::uts | snare::ns::net | snare::ns::pid | snare::ns::mount);
  auto o = run(
      privileged(snare::command("sh")
                     .args({"-c",
                            "hostname; cat /proc/sys/kernel/domainname; grep -c : /proc/net/dev; ls /proc | "
                            "grep -c '^[0-9]'"})
                     .hostname("snare-guest")
                     .domainname("snare-domain")
                     .unshare(snare::ns::net | snare::ns::pid | snare::ns::ipc)
                     .proc()));
  CHECK(o.code == 0);
  // The host name; one interface (lo); the processes sh, grep (and ls) of the namespace only.
  const std::string head = "snare-guest\nsnare-domain\n1\n";
  CHECK(o.out.rfind(head, 0) == 0);
  int procs = std::atoi(o.out.substr(head.size()).c_str());
  CHECK(procs >= 1);
  CHECK(procs <= 3);
}

TEST_CASE("a guest given a pseudo-terminal sees a terminal on its standard streams") {
  snare::test::require_host(snare::host_feature::pseudo_terminal);
  auto o = run(snare::command("sh").args({"-c", "test -t 0 && test -t 1 && test -t 2 && echo tty"}).pty());
  CHECK(o.code == 0);
  CHECK(o.out == "tty\r\n");  // the terminal's output processing (ONLCR)

  SECTION("the command's input is typed into the terminal") {
    auto t = run(snare::command("sh").args({"-c", "read line; echo got:$line"}).pty().input("typed\n"));
    CHECK(t.code == 0);
    CHECK(t.out.find("got:typed\r\n") != std::string::npos);
  }
}

}  // namespace snare::test::command
