// Tests that each syscall table holds exactly the syscalls the system's kernel headers
// number (same number, same name, nothing more), and agrees with libseccomp's tables.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <snare/sys.hpp>

#include <skip.hpp>

#if SNARE_TEST_HAVE_LIBSECCOMP
#include <seccomp.h>
#endif

namespace {

using numbers = std::map<std::string, long>;

// Reads `#define __NR_<name> <value>` lines; values naming another macro are resolved, as
// asm-generic does for the 32/64-bit aliases (__NR_fcntl -> __NR3264_fcntl -> 25).
numbers parse_defines(const std::string& text) {
  std::map<std::string, std::string> defs;
  std::regex line(R"(#define\s+(__NR\w+)\s+(\w+))");
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (std::regex_search(l, m, line)) defs[m[1]] = m[2];
  }
  numbers out;
  for (auto& [macro, value] : defs) {
    if (macro.rfind("__NR_", 0) != 0) continue;
    std::string v = value;
    for (int hops = 0; defs.count(v) && hops < 8; ++hops) v = defs[v];
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) continue;
    out[macro.substr(5)] = std::stol(v);
  }
  // asm-generic defines these two as bounds, not syscalls.
  out.erase("syscalls");
  out.erase("arch_specific_syscall");
  return out;
}

std::string read_file(const char* path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string run(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

template <class Arch>
std::size_t table_size() {
  std::size_t n = 0;
  for (const auto& d : snare::sys::table<Arch>::descriptors) n += d.number >= 0;
  return n;
}

template <class Arch>
void require_same_as_kernel(const numbers& kernel) {
  REQUIRE(kernel.size() > 250);  // the header was read, not an empty file
  for (const auto& [name, nr] : kernel) {
    INFO(Arch::name << " syscall " << name << " = " << nr);
    const snare::sys::syscall_desc* d = snare::sys::descriptor<Arch>(nr);
    REQUIRE(d != nullptr);
    CHECK(d->number == nr);
    CHECK(d->name == name);
    CHECK(snare::sys::number_of<Arch>(name) == nr);
  }
  CHECK(table_size<Arch>() == kernel.size());
  CHECK(Arch::max_syscall_number == std::prev(std::end(snare::sys::table<Arch>::descriptors))->number);
}

}  // namespace

TEST_CASE("The x86-64 table has every syscall of asm/unistd_64.h with its number and name") {
  std::string path = SNARE_TEST_UNISTD_64_H;
  if (path.empty()) snare::test::skip("asm/unistd_64.h not found");
  numbers kernel = parse_defines(read_file(path.c_str()));
  require_same_as_kernel<snare::arch::x86_64>(kernel);
  CHECK(snare::sys::x86_64::count == kernel.size());
}

TEST_CASE("The i386 table has every syscall of asm/unistd_32.h with its number and name") {
  std::string path = SNARE_TEST_UNISTD_32_H;
  if (path.empty()) snare::test::skip("asm/unistd_32.h not found");
  numbers kernel = parse_defines(read_file(path.c_str()));
  require_same_as_kernel<snare::arch::i386>(kernel);
  CHECK(snare::sys::i386::count == kernel.size());
}

TEST_CASE("The aarch64 table has every syscall of the aarch64 asm/unistd.h with its number and name") {
  std::string gcc = SNARE_TEST_AARCH64_GCC;
  if (gcc.empty()) snare::test::skip("aarch64-linux-gnu-gcc not installed");
  numbers kernel = parse_defines(run(gcc + " -E -dM -include asm/unistd.h -x c /dev/null 2>/dev/null"));
  if (kernel.empty()) snare::test::skip("aarch64-linux-gnu-gcc cannot preprocess asm/unistd.h");
  require_same_as_kernel<snare::arch::aarch64>(kernel);
  CHECK(snare::sys::aarch64::count == kernel.size());
}

#if SNARE_TEST_HAVE_LIBSECCOMP
namespace {
template <class Arch>
void require_agrees_with_libseccomp(std::uint32_t scmp_arch) {
  std::size_t known = 0;
  for (const auto& d : snare::sys::table<Arch>::descriptors) {
    if (d.number < 0) continue;
    std::string name(d.name);
    int nr = seccomp_syscall_resolve_name_arch(scmp_arch, name.c_str());
    if (nr < 0) continue;  // libseccomp does not know it, or multiplexes it (socketcall)
    INFO(Arch::name << " syscall " << name);
    CHECK(nr == d.number);
    ++known;
  }
  CHECK(known > 250);
}
}  // namespace

TEST_CASE("The tables agree with libseccomp's syscall numbers for every name libseccomp knows") {
  SECTION("x86-64") { require_agrees_with_libseccomp<snare::arch::x86_64>(SCMP_ARCH_X86_64); }
  SECTION("aarch64") { require_agrees_with_libseccomp<snare::arch::aarch64>(SCMP_ARCH_AARCH64); }
  SECTION("i386") { require_agrees_with_libseccomp<snare::arch::i386>(SCMP_ARCH_X86); }
}
#endif
