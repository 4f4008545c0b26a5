// Defines a small program built against snare as a consumer builds it: it reads its own
// memory through snare's guest-memory interface, as a backend reads a guest's, and checks
// the version the build system saw against the one in the headers.

// System headers first on purpose: their macros (sigmask, st_atime, ...) must not break snare.
#include <signal.h>
#include <sys/stat.h>

#include <snare.hpp>

#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <span>
#include <string_view>

namespace {

/// Reads this process's memory with process_vm_readv (a snare::guest_memory model).
struct self_memory {
  snare::result<std::size_t> read_bytes(std::uint64_t address, std::span<std::byte> out) noexcept {
    iovec local{out.data(), out.size()};
    iovec remote{reinterpret_cast<void*>(address), out.size()};
    for (;;) {
      ssize_t n = ::process_vm_readv(::getpid(), &local, 1, &remote, 1, 0);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno != EINTR) return snare::result<std::size_t>::from_errno(errno);
    }
  }
};
static_assert(snare::guest_memory<self_memory>);

}  // namespace

int main() {
  int failures = 0;
  auto check = [&](bool ok, const char* what) {
    if (!ok) {
      std::fprintf(stderr, "FAILED: %s\n", what);
      ++failures;
    }
  };

  check(std::string_view(snare::version_string) == SNARE_CONSUMER_EXPECTED_VERSION,
        "the headers' version equals the version the build system found");

  static const char text[] = "hello from the guest";
  self_memory memory;
  auto read = snare::read_cstr(memory, snare::guest_cstr{reinterpret_cast<std::uintptr_t>(text)});
  check(read.has_value() && *read == text, "read_cstr reads a string from process memory");
  auto bad = snare::read_cstr(memory, snare::guest_cstr{8});
  check(!bad && bad.error() == std::errc::bad_address, "read_cstr at an unmapped address gives bad_address");

  std::printf("snare %s consumer: read \"%s\"; %d failure(s)\n", snare::version_string,
              read ? read->c_str() : "<error>", failures);
  return failures == 0 ? 0 : 1;
}
