// Defines the formatting microbenchmarks: one completed call rendered as strace prints it,
// through snare's generic formatter (descriptor driven, strings read through a guest
// memory) and through a hand-written snprintf that knows the call in advance (the
// baseline: what a hand-rolled tracer prints for one call it hard-codes). Guest memory is
// this process's own, so the figures are formatting alone, without memory-access cost.
#include <benchmark/benchmark.h>
#include <fcntl.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>

#if __has_include(<snare/format/format.hpp>)
#include <snare/format/format.hpp>
#include <snare/sys/x86_64.hpp>
#define SNARE_BENCH_HAVE_FORMAT 1
#endif

namespace {

// Strings the formatted calls point to, inside one buffer so that a read of a whole page
// chunk never leaves mapped memory.
alignas(4096) char g_strings[8192];
const char* const path = "/etc/passwd";
const char* const content =
    "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";

std::uint64_t put(std::size_t at, const char* s) {
  std::memcpy(g_strings + at, s, std::strlen(s) + 1);
  return reinterpret_cast<std::uint64_t>(g_strings + at);
}
const std::uint64_t path_addr = put(0, path);
const std::uint64_t content_addr = put(256, content);

void BM_format_openat_snprintf(benchmark::State& state) {
  char line[512];
  for (auto _ : state) {
    int n = std::snprintf(line, sizeof line, "openat(AT_FDCWD, \"%s\", O_RDONLY|O_CLOEXEC) = %ld",
                          reinterpret_cast<const char*>(path_addr), 3L);
    benchmark::DoNotOptimize(n);
    benchmark::DoNotOptimize(line);
  }
  state.SetLabel("hand-written snprintf of one known call");
}
BENCHMARK(BM_format_openat_snprintf);

#ifdef SNARE_BENCH_HAVE_FORMAT
/// A snare::guest_memory over this process's memory.
struct own_memory {
  snare::result<std::size_t> read_bytes(std::uint64_t address, std::span<std::byte> out) noexcept {
    std::memcpy(out.data(), reinterpret_cast<const void*>(address), out.size());
    return out.size();
  }
};

template <class Call>
void format_one(benchmark::State& state, const Call& call, std::int64_t ret, const char* expect) {
  own_memory mem;
  std::string out;
  out.reserve(512);
  for (auto _ : state) {
    out.clear();
    auto r = snare::format::format_call(out, call, ret, mem);
    benchmark::DoNotOptimize(r);
    benchmark::DoNotOptimize(out.data());
  }
  if (out.find(expect) == std::string::npos) state.SkipWithError(("unexpected output: " + out).c_str());
  state.SetLabel(out.size() > 60 ? out.substr(0, 57) + "..." : out);
}

void BM_format_openat_snare(benchmark::State& state) {
  snare::sys::openat c({static_cast<std::uint64_t>(AT_FDCWD), path_addr, O_RDONLY | O_CLOEXEC, 0, 0, 0});
  format_one(state, c, 3, "O_RDONLY|O_CLOEXEC) = 3");
}
BENCHMARK(BM_format_openat_snare);

void BM_format_openat_enoent_snare(benchmark::State& state) {
  snare::sys::openat c({static_cast<std::uint64_t>(AT_FDCWD), path_addr, O_RDONLY | O_CLOEXEC, 0, 0, 0});
  format_one(state, c, -2, "ENOENT");
}
BENCHMARK(BM_format_openat_enoent_snare);

void BM_format_read_snare(benchmark::State& state) {
  snare::sys::read c({3, content_addr, 4096, 0, 0, 0});
  format_one(state, c, static_cast<std::int64_t>(std::strlen(content)), "read(3, \"root");
}
BENCHMARK(BM_format_read_snare);

void BM_format_close_snare(benchmark::State& state) {
  snare::sys::close c({3, 0, 0, 0, 0, 0});
  format_one(state, c, 0, "close(3) = 0");
}
BENCHMARK(BM_format_close_snare);
#endif

}  // namespace
