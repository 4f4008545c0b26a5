// Tests the strace-like syscall classes: which calls belong to %file, %process, %network,
// %signal, %ipc, %desc, %memory (and creds, clock, stat), as descriptors and as bitmaps.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <utility>

#include <unistd.h>

#include <snare/sys.hpp>

#include <skip.hpp>

namespace sys = snare::sys;

namespace {
constexpr bool has(long nr, std::uint16_t cls) { return (sys::x86_64::descriptor(nr)->classes & cls) == cls; }
constexpr long nr(std::string_view name) { return sys::x86_64::number_of(name); }
}  // namespace

TEST_CASE("Common calls carry strace's classes") {
  STATIC_REQUIRE(has(nr("openat"), sys::class_file | sys::class_desc));
  STATIC_REQUIRE(has(nr("open"), sys::class_file | sys::class_desc));
  STATIC_REQUIRE(has(nr("execve"), sys::class_file | sys::class_process));
  STATIC_REQUIRE(has(nr("clone"), sys::class_process));
  STATIC_REQUIRE(has(nr("clone3"), sys::class_process));
  STATIC_REQUIRE(has(nr("exit_group"), sys::class_process));
  STATIC_REQUIRE(has(nr("wait4"), sys::class_process));
  STATIC_REQUIRE(has(nr("socket"), sys::class_network));
  STATIC_REQUIRE(has(nr("connect"), sys::class_network));
  STATIC_REQUIRE(has(nr("rt_sigaction"), sys::class_signal));
  STATIC_REQUIRE(has(nr("kill"), sys::class_signal | sys::class_process));
  STATIC_REQUIRE(has(nr("mmap"), sys::class_memory | sys::class_desc));
  STATIC_REQUIRE(has(nr("brk"), sys::class_memory));
  STATIC_REQUIRE(has(nr("munmap"), sys::class_memory));
  STATIC_REQUIRE(has(nr("shmget"), sys::class_ipc));
  STATIC_REQUIRE(has(nr("read"), sys::class_desc));
  STATIC_REQUIRE(has(nr("fstat"), sys::class_desc | sys::class_stat));
  STATIC_REQUIRE(has(nr("newfstatat"), sys::class_file | sys::class_stat));
  STATIC_REQUIRE(has(nr("statfs"), sys::class_file | sys::class_statfs));
  STATIC_REQUIRE(has(nr("setuid"), sys::class_creds));
  STATIC_REQUIRE(has(nr("clock_gettime"), sys::class_clock));
  STATIC_REQUIRE_FALSE(has(nr("read"), sys::class_file));
  STATIC_REQUIRE_FALSE(has(nr("getpid"), sys::class_process));
  STATIC_REQUIRE_FALSE(has(nr("socket"), sys::class_file));
  STATIC_REQUIRE(sys::x86_64::descriptor(nr("getpid"))->classes == sys::class_none);
}

TEST_CASE("in_class gives the numbers of a class as a constexpr bitmap") {
  constexpr auto file = sys::x86_64::in_class<sys::class_file>;
  STATIC_REQUIRE(file.contains(257));
  STATIC_REQUIRE(file.contains(2));
  STATIC_REQUIRE_FALSE(file.contains(0));
  STATIC_REQUIRE_FALSE(file.contains(-1));
  STATIC_REQUIRE_FALSE(file.contains(100000));
  constexpr auto file_and_desc = sys::x86_64::in_class<sys::class_file | sys::class_desc>;
  STATIC_REQUIRE(file_and_desc.contains(257));
  STATIC_REQUIRE_FALSE(file_and_desc.contains(nr("stat")));  // a file, no descriptor
  STATIC_REQUIRE((file & sys::x86_64::in_class<sys::class_desc>) == file_and_desc);
  STATIC_REQUIRE(sys::aarch64::in_class<sys::class_network>.contains(198));                    // socket
  STATIC_REQUIRE(sys::class_numbers<snare::arch::aarch64, sys::class_process>.contains(220));  // clone
  // The bitmap agrees with the descriptors, number by number.
  std::size_t members = 0;
  for (const auto& d : sys::table<snare::arch::x86_64>::descriptors) {
    bool in = d.number >= 0 && (d.classes & sys::class_file);
    CHECK(file.contains(d.number) == in);
    members += in;
  }
  CHECK(file.size() == members);
  CHECK(members > 50);
  auto numbers = file.to_array<200>();
  CHECK(numbers[0] == 2);  // open is the lowest-numbered %file call
}

#if defined(__x86_64__)
namespace {

// The workload both strace runs trace: a shell running a few ordinary programs.
constexpr const char* workload =
    "cat /etc/hostname >/dev/null; ls / >/dev/null; id >/dev/null; date >/dev/null; sleep 0.01";

// Returns the names of the syscalls strace printed when tracing the workload with `filter`.
std::set<std::string> strace_names(const std::string& filter) {
  char path[] = "/tmp/snare_sys_strace_XXXXXX";
  int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::string command =
      "strace -f -qq " + filter + " -o " + path + " sh -c '" + workload + "' >/dev/null 2>&1 </dev/null";
  int rc = std::system(command.c_str());
  std::set<std::string> names;
  std::ifstream in(path);
  std::regex call(R"(^(?:\d+\s+)?([a-z_0-9]+)\()");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_search(line, m, call)) names.insert(m[1]);
  }
  ::unlink(path);
  CHECK(rc == 0);
  return names;
}

}  // namespace

TEST_CASE("The classes agree with strace's -e trace=%class on the syscalls of a real guest") {
  if (std::system("strace -V >/dev/null 2>&1") != 0) snare::test::skip("strace is not installed");
  std::set<std::string> all = strace_names("");
  REQUIRE(all.size() > 20);
  const std::pair<const char*, std::uint16_t> classes[] = {
      {"file", sys::class_file},     {"process", sys::class_process}, {"network", sys::class_network},
      {"signal", sys::class_signal}, {"ipc", sys::class_ipc},         {"desc", sys::class_desc},
      {"memory", sys::class_memory}, {"creds", sys::class_creds},     {"clock", sys::class_clock},
  };
  for (auto [name, cls] : classes) {
    std::set<std::string> in_class = strace_names(std::string("-e trace=%") + name);
    for (const std::string& call : all) {
      const sys::syscall_desc* d = sys::x86_64::descriptor(sys::x86_64::number_of(call));
      INFO("%" << name << " and " << call);
      REQUIRE(d != nullptr);
      CHECK(in_class.count(call) == ((d->classes & cls) != 0 ? 1u : 0u));
    }
  }
}
#endif
