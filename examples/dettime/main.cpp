// Defines snare-dettime: runs a command on a virtual clock. clock_gettime, gettimeofday, time
// and RDTSC read one counter that starts at --epoch and moves --step-ns per read, so runs
// repeat; the vDSO's clock functions are patched at each exec into syscalls the tool answers.
#include <elf.h>
#include <sys/auxv.h>
#include <time.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <snare/backend/ptrace.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>

namespace {

namespace sys = snare::sys;

/// The vDSO functions that read the clock, and the syscall each becomes.
constexpr std::pair<const char*, long> patches[] = {
    {"__vdso_clock_gettime", 228}, {"__vdso_gettimeofday", 96}, {"__vdso_time", 201}};

/// Returns the offsets of the patched functions in this kernel's vDSO (the same image is
/// mapped in every process, so the tracer reads its own copy).
std::vector<std::pair<std::uint64_t, long>> vdso_offsets() {
  std::vector<std::pair<std::uint64_t, long>> out;
  auto base = reinterpret_cast<const unsigned char*>(::getauxval(AT_SYSINFO_EHDR));
  if (!base) return out;
  auto eh = reinterpret_cast<const Elf64_Ehdr*>(base);
  auto sh = reinterpret_cast<const Elf64_Shdr*>(base + eh->e_shoff);
  auto ph = reinterpret_cast<const Elf64_Phdr*>(base + eh->e_phoff);
  std::uint64_t bias = 0;  // the vaddr the first PT_LOAD was linked at
  for (int i = 0; i < eh->e_phnum; ++i)
    if (ph[i].p_type == PT_LOAD) {
      bias = ph[i].p_vaddr;
      break;
    }
  for (int i = 0; i < eh->e_shnum; ++i) {
    if (sh[i].sh_type != SHT_DYNSYM) continue;
    auto syms = reinterpret_cast<const Elf64_Sym*>(base + sh[i].sh_offset);
    auto strs = reinterpret_cast<const char*>(base + sh[sh[i].sh_link].sh_offset);
    for (std::size_t k = 0; k < sh[i].sh_size / sizeof(Elf64_Sym); ++k)
      for (auto [name, nr] : patches)
        if (std::strcmp(strs + syms[k].st_name, name) == 0) out.emplace_back(syms[k].st_value - bias, nr);
  }
  return out;
}

/// Returns where the vDSO of process `pid` is mapped, 0 when it has none.
std::uint64_t vdso_base(pid_t pid) {
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  for (std::string line; std::getline(maps, line);)
    if (line.ends_with("[vdso]")) return std::stoull(line, nullptr, 16);
  return 0;
}

/// The tool: one virtual clock for the whole run.
struct virtual_clock {
  std::int64_t epoch_s = 946684800;  // 2000-01-01T00:00:00Z
  std::int64_t step_ns = 1000000;
  std::int64_t now_ns = 0;  // time since the epoch, advanced by every read
  std::uint64_t tsc = 0;
  std::vector<std::pair<std::uint64_t, long>> vdso = vdso_offsets();

  std::int64_t tick() { return now_ns += step_ns; }

  // After each exec: `mov eax, nr; syscall; ret` over each clock function of the vDSO.
  template <class G>
  void on_exec(G& g) {
    std::uint64_t base = vdso_base(g.pid());
    if (!base) return;
    for (auto [offset, nr] : vdso) {
      unsigned char code[8] = {0xb8, 0, 0, 0, 0, 0x0f, 0x05, 0xc3};
      std::memcpy(code + 1, &nr, 4);
      (void)g.write_bytes(base + offset, std::as_bytes(std::span(code)));
    }
  }
  template <class G>
  void on(sys::clock_gettime& c, G& g) {
    std::int64_t t = tick();
    bool wall =
        c.clockid() == CLOCK_REALTIME || c.clockid() == CLOCK_REALTIME_COARSE || c.clockid() == CLOCK_TAI;
    std::int64_t ns = wall ? epoch_s * 1000000000 + t : t;
    if (!g.write(c.tp(), sys::abi::timespec{ns / 1000000000, ns % 1000000000})) return g.fail(EFAULT);
    g.suppress(0);
  }
  template <class G>
  void on(sys::gettimeofday& c, G& g) {
    std::int64_t ns = epoch_s * 1000000000 + tick();
    if (c.tv().address && !g.write(c.tv(), sys::abi::timeval{ns / 1000000000, ns % 1000000000 / 1000}))
      return g.fail(EFAULT);
    if (c.tz().address && !g.write(c.tz(), sys::abi::timezone{0, 0})) return g.fail(EFAULT);
    g.suppress(0);
  }
  template <class G>
  void on(sys::time& c, G& g) {
    std::int64_t s = epoch_s + tick() / 1000000000;
    if (c.tloc().address && !g.write(c.tloc(), static_cast<std::uint64_t>(s))) return g.fail(EFAULT);
    g.suppress(s);
  }
  template <class G>
  void on_rdtsc(snare::rdtsc_event& e, G&) {
    e.tsc = tsc += static_cast<std::uint64_t>(step_ns);  // one cycle per virtual nanosecond
  }
};

constexpr const char* usage =
    "Usage: snare-dettime [--epoch=SECONDS] [--step-ns=N] [--strict] PROG [ARGS]\n"
    "Runs PROG on a virtual clock: clock_gettime, gettimeofday, time and RDTSC read a\n"
    "counter that starts at SECONDS since 1970 (default 946684800, 2000-01-01) and moves\n"
    "N nanoseconds (default 1000000) at every read, so every run sees the same times.\n"
    "On a host that cannot trap RDTSC (see snare-strace --host), PROG runs with the real\n"
    "RDTSC and a warning; --strict refuses to run it instead (exit status 69).\n"
    "Exit status: PROG's, 127 when it cannot run, 69 when refused, 2 on a bad option.\n";

}  // namespace

int main(int argc, char** argv) {
  virtual_clock tool;
  snare::run_options options;
  // The syscall clocks work on every host; RDTSC needs RDTSC trapping: without it, say so.
  options.on_missing_host_feature = snare::host_policy::degrade;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    std::string_view a = argv[i];
    char* end = nullptr;
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      return 0;
    } else if (a.starts_with("--epoch=")) {
      tool.epoch_s = std::strtoll(argv[i] + 8, &end, 10);
    } else if (a.starts_with("--step-ns=")) {
      tool.step_ns = std::strtoll(argv[i] + 10, &end, 10);
      if (tool.step_ns <= 0) end = nullptr;
    } else if (a == "--strict") {
      options.on_missing_host_feature = snare::host_policy::strict;
      continue;
    } else if (a == "--") {
      ++i;
      break;
    }
    if (!end || *end != '\0') {
      std::fprintf(stderr, "snare-dettime: bad option '%s'\nTry 'snare-dettime --help'.\n", argv[i]);
      return 2;
    }
  }
  if (i < argc)
    return snare::run<snare::backend::ptrace>(tool, std::span<const char* const>(argv + i, argc - i),
                                              options);
  std::fprintf(stderr, "snare-dettime: no command given\nTry 'snare-dettime --help'.\n");
  return 2;
}
