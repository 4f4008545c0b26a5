// Tests rlimit, utsname, pollfd and epoll_event structs as strace prints them.
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("rlimit values show *1024 and RLIM64_INFINITY", "[format][resource]") {
  fake_memory mem;
  mem.put(0x1000, rlimit{8192 * 1024, RLIM_INFINITY});
  // strace: prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0
  CHECK(call("prlimit64", {0, RLIMIT_STACK, 0, 0x1000}, 0, mem) ==
        "prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0");
  mem.put(0x2000, rlimit{1000, 20000});
  // strace: prlimit64(0, RLIMIT_CORE, {rlim_cur=1000, rlim_max=20000}, NULL) = 0
  CHECK(call("prlimit64", {0, RLIMIT_CORE, 0x2000, 0}, 0, mem) ==
        "prlimit64(0, RLIMIT_CORE, {rlim_cur=1000, rlim_max=20000}, NULL) = 0");
  CHECK(call("getrlimit", {RLIMIT_STACK, 0x1000}, 0, mem) ==
        "getrlimit(RLIMIT_STACK, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0");
  mem.put(0x3000, rlimit{1024, 0});
  CHECK(call("setrlimit", {RLIMIT_NOFILE, 0x3000}, 0, mem) ==
        "setrlimit(RLIMIT_NOFILE, {rlim_cur=1024, rlim_max=0}) = 0");
}

TEST_CASE("utsname shows sysname and nodename, then ...", "[format][resource]") {
  fake_memory mem;
  utsname u{};
  std::strcpy(u.sysname, "Linux");
  std::strcpy(u.nodename, "vm");
  std::strcpy(u.release, "6.1.0");
  mem.put(0x1000, u);
  CHECK(call("uname", {0x1000}, 0, mem) == R"(uname({sysname="Linux", nodename="vm", ...}) = 0)");
}

TEST_CASE("poll shows the fds at entry and the returned events after the result", "[format][resource]") {
  fake_memory mem;
  pollfd in[2] = {{9, POLLIN, 0}, {11, POLLOUT, 0}};
  pollfd done[2] = {{9, POLLIN, 0}, {11, POLLOUT, POLLOUT}};
  mem.put(0x1000, in);
  auto& d = snare::test::desc("poll");
  std::string out;
  REQUIRE(snare::format::format_entry(out, d, {0x1000, 2, 0}, mem));
  mem.put(0x1000, done);  // the kernel fills in revents
  REQUIRE(snare::format::format_exit(out, d, {0x1000, 2, 0}, 1, mem));
  // strace: poll([{fd=9, events=POLLIN}, {fd=11, events=POLLOUT}], 2, 0) = 1 ([{fd=11, revents=POLLOUT}])
  CHECK(out ==
        "poll([{fd=9, events=POLLIN}, {fd=11, events=POLLOUT}], 2, 0) = 1 ([{fd=11, revents=POLLOUT}])");
  mem.put(0x1000, in);
  CHECK(call("poll", {0x1000, 2, 0}, 0, mem) ==
        "poll([{fd=9, events=POLLIN}, {fd=11, events=POLLOUT}], 2, 0) = 0 (Timeout)");
}

TEST_CASE("epoll_event shows events and data", "[format][resource]") {
  fake_memory mem;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLET;
  ev.data.fd = 5;
  mem.put(0x1000, ev);
  // strace: epoll_ctl(13, EPOLL_CTL_ADD, 9, {events=EPOLLIN|EPOLLET, data={u32=5, u64=5}}) = 0
  CHECK(call("epoll_ctl", {13, EPOLL_CTL_ADD, 9, 0x1000}, 0, mem) ==
        "epoll_ctl(13, EPOLL_CTL_ADD, 9, {events=EPOLLIN|EPOLLET, data={u32=5, u64=5}}) = 0");
  epoll_event out[2]{};
  out[0].events = EPOLLIN;
  out[0].data.u64 = 0x100000007;
  mem.put(0x2000, out);
  CHECK(call("epoll_wait", {13, 0x2000, 8, 100}, 1, mem) ==
        "epoll_wait(13, [{events=EPOLLIN, data={u32=7, u64=4294967303}}], 8, 100) = 1");
}

TEST_CASE("select's fd sets list the fds set below nfds", "[format][resource]") {
  fake_memory mem;
  std::uint64_t set = (1u << 0) | (1u << 3);
  mem.put(0x1000, set);
  mem.put(0x2000, timespec{0, 0});
  // strace: pselect6(4, [0 3], NULL, NULL, {tv_sec=0, tv_nsec=0}, NULL) = -1 EBADF (Bad file descriptor)
  CHECK(call("pselect6", {4, 0x1000, 0, 0, 0x2000, 0}, -9, mem) ==
        "pselect6(4, [0 3], NULL, NULL, {tv_sec=0, tv_nsec=0}, NULL) = -1 EBADF (Bad file descriptor)");
}

TEST_CASE("rusage shows the two times, sysinfo every field", "[format][resource]") {
  fake_memory mem;
  rusage ru{};
  ru.ru_utime = {0, 908};
  mem.put(0x1000, ru);
  // strace: getrusage(RUSAGE_SELF, {ru_utime={tv_sec=0, tv_usec=908}, ru_stime={tv_sec=0, tv_usec=0}, ...}) =
  // 0
  CHECK(
      call("getrusage", {0, 0x1000}, 0, mem) ==
      "getrusage(RUSAGE_SELF, {ru_utime={tv_sec=0, tv_usec=908}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 0");
  struct sysinfo si {};
  si.uptime = 2611;
  si.loads[0] = 926272;
  si.loads[1] = 888096;
  si.loads[2] = 711584;
  si.totalram = 25276502016;
  si.freeram = 19482599424;
  si.sharedram = 9084928;
  si.bufferram = 20361216;
  si.procs = 176;
  si.mem_unit = 1;
  mem.put(0x2000, si);
  // strace: sysinfo({uptime=2611, loads=[926272, 888096, 711584], totalram=25276502016, freeram=19482599424,
  //         sharedram=9084928, bufferram=20361216, totalswap=0, freeswap=0, procs=176, totalhigh=0,
  //         freehigh=0, mem_unit=1}) = 0
  CHECK(call("sysinfo", {0x2000}, 0, mem) ==
        "sysinfo({uptime=2611, loads=[926272, 888096, 711584], totalram=25276502016, freeram=19482599424, "
        "sharedram=9084928, bufferram=20361216, totalswap=0, freeswap=0, procs=176, totalhigh=0, freehigh=0, "
        "mem_unit=1}) = 0");
}

TEST_CASE("With verbose, utsname and rusage print every field (strace -v)", "[format][resource]") {
  fake_memory mem;
  snare::format::options v;
  v.verbose = true;
  utsname u{};
  std::strcpy(u.sysname, "Linux");
  std::strcpy(u.nodename, "vm");
  std::strcpy(u.release, "6.1.0");
  std::strcpy(u.version, "#1 SMP");
  std::strcpy(u.machine, "x86_64");
  std::strcpy(u.domainname, "(none)");
  mem.put(0x1000, u);
  // strace -v: uname({sysname="Linux", nodename="vm", release="6.1.0", version="#1 SMP",
  //            machine="x86_64", domainname="(none)"}) = 0
  CHECK(call("uname", {0x1000}, 0, mem, v) ==
        R"(uname({sysname="Linux", nodename="vm", release="6.1.0", version="#1 SMP", machine="x86_64", )"
        R"x(domainname="(none)"}) = 0)x");
  rusage ru{};
  ru.ru_utime = {0, 908};
  ru.ru_maxrss = 2048;
  ru.ru_minflt = 97;
  ru.ru_nvcsw = 1;
  mem.put(0x2000, ru);
  CHECK(call("getrusage", {0, 0x2000}, 0, mem, v) ==
        "getrusage(RUSAGE_SELF, {ru_utime={tv_sec=0, tv_usec=908}, ru_stime={tv_sec=0, tv_usec=0}, "
        "ru_maxrss=2048, ru_ixrss=0, ru_idrss=0, ru_isrss=0, ru_minflt=97, ru_majflt=0, ru_nswap=0, "
        "ru_inblock=0, ru_oublock=0, ru_msgsnd=0, ru_msgrcv=0, ru_nsignals=0, ru_nvcsw=1, ru_nivcsw=0}) = 0");
}

TEST_CASE("A negative enumerator names the C int it is", "[format][resource]") {
  fake_memory mem;
  // strace: getrusage(RUSAGE_CHILDREN, 0x1000) = -1 EFAULT (Bad address)
  CHECK(call("getrusage", {0xffffffffULL, 0x1000}, -14, mem) ==
        "getrusage(RUSAGE_CHILDREN, 0x1000) = -1 EFAULT (Bad address)");
  CHECK(call("getrusage", {~0ULL, 0x1000}, -14, mem) ==
        "getrusage(RUSAGE_CHILDREN, 0x1000) = -1 EFAULT (Bad address)");
  CHECK(call("getrusage", {0xfffffff0ULL, 0x1000}, -22, mem) ==
        "getrusage(0xfffffff0 /* RUSAGE_??? */, 0x1000) = -1 EINVAL (Invalid argument)");
}
