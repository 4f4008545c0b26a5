// Defines a program built against snare::format alone: it formats one call the way strace
// prints it, from its own memory, and exits 0 when the line is right. It fails to compile
// when <snare/format.hpp> brings any Boost or libunwind header along.
#include <snare/format.hpp>
#include <snare/sys/native.hpp>

#if defined(BOOST_CONFIG_HPP) || defined(UNW_VERSION_MAJOR)
#error "<snare/format.hpp> includes a Boost or libunwind header: snare::format must need neither"
#endif

#include <cstdint>
#include <cstdio>
#include <string>

int main() {
  static const char path[] = "/etc/hostname";
  const snare::sys::syscall_desc& openat = snare::sys::openat::desc;
  // openat(AT_FDCWD, path, O_RDONLY|O_CLOEXEC) returning 3.
  snare::sys::raw_args args{static_cast<std::uint64_t>(-100), reinterpret_cast<std::uint64_t>(path),
                            02000000};
  auto mem = snare::format::self_memory();
  std::string line;
  if (!snare::format::format_call(line, openat, args, 3, mem)) return 1;
  std::puts(line.c_str());
  return line == "openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY|O_CLOEXEC) = 3" ? 0 : 1;
}
