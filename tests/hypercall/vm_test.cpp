// Tests the hypercall backend's micro-VM: real static programs (musl, glibc static and
// static-pie, busybox) run with the same output and exit code as natively; the loader,
// memory syscalls, TLS, exit codes and errors are checked directly.
#include <sys/syscall.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "support.hpp"

using namespace snare::test;

namespace {

// Drops the line of `ls -la /` that lists /proc: its link count is the number of processes,
// one more in the native run (the forked child) than in the VM run.
std::string without_proc_line(std::string s) {
  auto at = s.find(" proc\n");
  if (at == std::string::npos) return s;
  auto begin = s.rfind('\n', at);
  begin = begin == std::string::npos ? 0 : begin + 1;
  return s.erase(begin, at + 6 - begin);
}

// Runs argv natively and in the VM; `attempts` > 1 for commands whose output depends on a
// file system others change meanwhile (ls -la / shows /tmp's time stamp).
void same_as_native(const std::vector<std::string>& argv, const std::vector<std::string>& envp = {},
                    bool prints = true, int attempts = 1) {
  run_output native, in_vm;
  for (int i = 0; i < attempts; ++i) {
    native = run_native(argv, envp);
    no_hooks h;
    in_vm = run_vm(argv, h, {}, envp);
    if (attempts > 1) {
      native.out = without_proc_line(native.out);
      in_vm.out = without_proc_line(in_vm.out);
    }
    if (in_vm.out == native.out) break;
  }
  INFO("command: " << argv[0] << (argv.size() > 1 ? " " + argv[1] : std::string()));
  INFO("vm diagnostic: " << in_vm.diagnostic);
  CHECK(in_vm.out == native.out);
  CHECK(in_vm.code == native.code);
  CHECK(native.out.empty() != prints);
}

}  // namespace

TEST_CASE("a static musl program prints and exits as it does natively", "[hypercall][loader]") {
  require_kvm();
  auto path = musl_guest("hello");
  same_as_native({path}, {});
  same_as_native({path, "7", "two words"}, {"SNARE_TEST_VAR=from-env"});
}

TEST_CASE("a gcc -static program prints and exits as it does natively", "[hypercall][loader]") {
  require_kvm();
  same_as_native({guest("hypercall_guest_hello")});
  same_as_native({guest("hypercall_guest_hello"), "3", "x"}, {"SNARE_TEST_VAR=glibc"});
}

TEST_CASE("a static-pie program is loaded at a bias the VM picks", "[hypercall][loader]") {
  require_kvm();
  same_as_native({guest("hypercall_guest_hello_pie"), "12"}, {"SNARE_TEST_VAR=pie"});
}

TEST_CASE("busybox applets give the same output and exit code as natively", "[hypercall][busybox]") {
  require_kvm();
  if (::access("/bin/busybox", X_OK) != 0) skip("/bin/busybox (busybox-static) is not installed");
  // A file to read, sort, count and hash.
  char dir[] = "/tmp/snare-hc-XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  std::string file = std::string(dir) + "/data.txt";
  {
    FILE* f = std::fopen(file.c_str(), "w");
    for (int i = 0; i < 500; ++i) std::fprintf(f, "line %d %s\n", (i * 7919) % 1000, i % 3 ? "abc" : "xyz");
    std::fclose(f);
  }
  SECTION("echo") { same_as_native({"/bin/busybox", "echo", "hello", "world"}); }
  SECTION("cat") { same_as_native({"/bin/busybox", "cat", file}); }
  SECTION("ls -la /") { same_as_native({"/bin/busybox", "ls", "-la", "/"}, {}, true, 3); }
  SECTION("sha256sum") { same_as_native({"/bin/busybox", "sha256sum", file}); }
  SECTION("sort") { same_as_native({"/bin/busybox", "sort", "-n", "-k", "2", file}); }
  SECTION("wc") { same_as_native({"/bin/busybox", "wc", file}); }
  SECTION("find") { same_as_native({"/bin/busybox", "find", "/usr/include/linux", "-name", "k*.h"}); }
  SECTION("a failing applet") {
    same_as_native({"/bin/busybox", "cat", std::string(dir) + "/missing"}, {}, false);
  }
  ::unlink(file.c_str());
  ::rmdir(dir);
}

TEST_CASE("memory syscalls behave inside the guest's memory as on Linux", "[hypercall][memory]") {
  require_kvm();
  SECTION("glibc") { same_as_native({guest("hypercall_guest_memory")}); }
  SECTION("musl") { same_as_native({musl_guest("memory")}); }
}

TEST_CASE("thread-local storage works through arch_prctl(ARCH_SET_FS)", "[hypercall][tls]") {
  require_kvm();
  SECTION("glibc") { same_as_native({guest("hypercall_guest_tls")}); }
  SECTION("musl") { same_as_native({musl_guest("tls")}); }
}

TEST_CASE("exit codes and deaths by signal are reported as natively", "[hypercall][exit]") {
  require_kvm();
  for (const char* code : {"0", "1", "42", "255", "256"})
    same_as_native({guest("hypercall_guest_hello"), code});
  SECTION("a guest that kills itself") {
    if (::access("/bin/busybox", X_OK) != 0) skip("/bin/busybox (busybox-static) is not installed");
    no_hooks h;
    auto r = run_vm({"/bin/busybox", "sh", "-c", "echo before; kill -TERM $$; echo after"}, h);
    CHECK(r.out == "before\n");
    CHECK(r.code == 128 + SIGTERM);
  }
}

TEST_CASE("the loader rejects what it cannot run with a clear error", "[hypercall][loader]") {
  require_kvm();
  std::string why;
  SECTION("a missing file") {
    auto v = hc::vm::create({"/nonexistent/program"}, {}, {}, why);
    CHECK(v->error() == std::errc::no_such_file_or_directory);
    CHECK(why.find("/nonexistent/program") != std::string::npos);
  }
  SECTION("a dynamically linked executable") {
    auto v = hc::vm::create({"/bin/sh"}, {}, {}, why);
    CHECK(v->error() == std::errc::executable_format_error);
    CHECK(why.find("dynamically linked") != std::string::npos);
  }
  SECTION("a file that is not ELF") {
    auto v = hc::vm::create({"/etc/hostname"}, {}, {}, why);
    CHECK(v->error() == std::errc::executable_format_error);
  }
  SECTION("a second VM wanting the same fixed addresses") {
    auto a = hc::vm::create({guest("hypercall_guest_hello")}, {}, {}, why);
    REQUIRE(a->error() == std::errc{});
    auto b = hc::vm::create({guest("hypercall_guest_hello")}, {}, {}, why);
    CHECK(b->error() == std::errc::device_or_resource_busy);
  }
}

TEST_CASE("fork and exec are reported as unsupported", "[hypercall][process]") {
  require_kvm();
  if (::access("/bin/busybox", X_OK) != 0) skip("/bin/busybox (busybox-static) is not installed");
  no_hooks h;
  auto r = run_vm({"/bin/busybox", "sh", "-c", "/bin/busybox true; echo status $?"}, h);
  // busybox sh reports "can't fork: Function not implemented" and exits with 2.
  CHECK(r.diagnostic.find("not supported by the hypercall backend yet") != std::string::npos);
  CHECK(r.code == 2);
}

namespace {
// Records every syscall; cuts or suppresses write(2) to fd 1 to show that hooks can change
// arguments and return values.
struct recorder {
  enum { forward, cut_to_5, suppress } mode = forward;
  std::vector<long> numbers;
  int writes = 0;
  long on_syscall(hc::vm& vm, snare::sys::raw_call& call) {
    numbers.push_back(call.number);
    if (call.number == SYS_write && call.args[0] == 1) {
      ++writes;
      std::uint64_t len = call.args[2];
      if (mode == suppress) return static_cast<long>(len);  // success, nothing written
      if (mode == cut_to_5) {
        call.args[2] = 5;
        vm.execute(call);
        return static_cast<long>(len);  // the guest believes everything was written
      }
    }
    return vm.execute(call);
  }
};
}  // namespace

TEST_CASE("hooks see every syscall and can change arguments or suppress it", "[hypercall][hooks]") {
  require_kvm();
  recorder rec;
  SECTION("forward") {
    auto r = run_vm({guest("hypercall_guest_hello"), "5"}, rec);
    CHECK(r.out.find("heap ok") != std::string::npos);
    CHECK(r.code == 5);
  }
  SECTION("change an argument") {
    rec.mode = recorder::cut_to_5;
    auto r = run_vm({guest("hypercall_guest_hello"), "5"}, rec);
    CHECK(r.out == "hello");
    CHECK(r.code == 5);
  }
  SECTION("suppress with a return value") {
    rec.mode = recorder::suppress;
    auto r = run_vm({guest("hypercall_guest_hello"), "5"}, rec);
    CHECK(r.out.empty());
    CHECK(r.code == 5);
  }
  CHECK(rec.writes >= 1);
  CHECK(std::count(rec.numbers.begin(), rec.numbers.end(), SYS_exit_group) == 1);
  CHECK(rec.numbers.back() == SYS_exit_group);
}

TEST_CASE("guest memory reads are bounds-checked", "[hypercall][memory]") {
  require_kvm();
  std::string why;
  auto v = hc::vm::create({guest("hypercall_guest_hello")}, {}, {}, why);
  REQUIRE(v->error() == std::errc{});
  std::byte buf[16];
  CHECK(v->read_bytes(0, buf).error() == std::errc::bad_address);
  CHECK(v->read_bytes(reinterpret_cast<std::uint64_t>(&why), buf).error() == std::errc::bad_address);
  auto ok = v->read_bytes(v->memory().image().start, buf);
  REQUIRE(ok);
  CHECK(*ok == sizeof buf);
  CHECK(std::memcmp(buf, "\177ELF", 4) == 0);
  CHECK(!v->write_bytes(v->memory().image().end - 4, std::as_bytes(std::span(buf))));
}

TEST_CASE("the guest kernel table is what the assembler makes of guest_kernel.S", "[hypercall][kernel]") {
  std::string dir = SNARE_TEST_KERNEL_BINS;
  if (dir.empty()) skip("GNU as or objcopy was not found at configure time");
  for (auto how : {hc::syscall_return::jump_rcx, hc::syscall_return::sysret}) {
    bool sysret = how == hc::syscall_return::sysret;
    std::string path = dir + "/guest_kernel_sysret" + (sysret ? "1" : "0") + ".bin";
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    std::string bytes = slurp(fd);
    ::close(fd);
    auto table = hc::guest_kernel_code(how);
    INFO("flavour: " << (sysret ? "sysret" : "jmp *%rcx"));
    REQUIRE(bytes.size() == table.size());
    CHECK(std::memcmp(bytes.data(), table.data(), table.size()) == 0);
  }
}

namespace {
// Resumes after the exits guests/exit_cost.c causes on purpose and counts them.
struct exit_counter {
  long mmio = 0, gp = 0, bp = 0;
  bool on_mmio(hc::vm&, std::uint64_t address) {
    ++mmio;
    return address == 0xF0001000;
  }
  bool on_exception(hc::vm&, std::uint64_t vector, std::uint64_t& rip) {
    if (vector == 13) {
      ++gp;
      rip += 2;  // outb %al, $imm8
      return true;
    }
    if (vector == 3) ++bp;  // a trap: rip is already past int3
    return vector == 3;
  }
};
}  // namespace

TEST_CASE("each hypercall mechanism reaches the host once per use", "[hypercall][kernel]") {
  require_kvm();
  for (const char* m : {"mmio", "pio", "int3"}) {
    exit_counter c;
    auto r = run_vm({guest("hypercall_guest_exit_cost"), m, "100"}, c);
    INFO("method " << m << ": " << r.diagnostic);
    CHECK(r.code == 0);
    CHECK(r.out.rfind(std::string(m) + " 100 ", 0) == 0);
    CHECK(c.mmio == (std::string(m) == "mmio" ? 100 : 0));
    CHECK(c.gp == (std::string(m) == "pio" ? 100 : 0));
    CHECK(c.bp == (std::string(m) == "int3" ? 100 : 0));
  }
}

TEST_CASE("readlink(/proc/self/exe) names the guest's executable", "[hypercall][process]") {
  require_kvm();
  if (::access("/bin/busybox", X_OK) != 0) skip("/bin/busybox (busybox-static) is not installed");
  no_hooks h;
  auto r = run_vm({"/bin/busybox", "readlink", "/proc/self/exe"}, h);
  char* real = ::realpath("/bin/busybox", nullptr);
  REQUIRE(real != nullptr);
  CHECK(r.out == std::string(real) + "\n");
  std::free(real);
  CHECK(r.code == 0);
}

TEST_CASE("threads run as extra vCPUs, as natively", "[hypercall][threads]") {
  require_kvm();
  SECTION("glibc, joined") {
    same_as_native({guest("hypercall_guest_threads"), "join", "4"});
    same_as_native({guest("hypercall_guest_threads"), "join", "16"});
  }
  SECTION("musl, joined") { same_as_native({musl_guest("threads"), "join", "8"}); }
  SECTION("main exits while threads block") { same_as_native({guest("hypercall_guest_threads"), "leave"}); }
  SECTION("a thread faults") { same_as_native({guest("hypercall_guest_threads"), "crash"}, {}, false); }
  SECTION("abort with threads running") {
    same_as_native({guest("hypercall_guest_threads"), "abort"}, {}, false);
  }
}

TEST_CASE("signals a guest sends itself run its handlers, as natively", "[hypercall][signals]") {
  require_kvm();
  SECTION("glibc") { same_as_native({guest("hypercall_guest_signals")}); }
  SECTION("musl") { same_as_native({musl_guest("signals")}); }
  SECTION("busybox sh trap") {
    if (::access("/bin/busybox", X_OK) != 0) skip("/bin/busybox (busybox-static) is not installed");
    same_as_native({"/bin/busybox", "sh", "-c", "trap 'echo caught TERM' TERM; kill -TERM $$; echo after"});
  }
}
