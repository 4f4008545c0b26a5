// Defines snare-latency: per-syscall latency histograms of a command and of every process and
// thread it starts (the time from each call's entry to its exit, in nanoseconds), printed when
// the command ends as DTrace prints @[probefunc] = quantize(timestamp - self->ts). On the KVM
// backend the histograms are per VM, as HyperTrace's latency script is per bhyve guest. The
// aggregations are the tool's global state (snare/aggregate.hpp).
#include <time.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <snare/aggregate.hpp>
#include <snare/backend/hypercall.hpp>
#include <snare/backend/ptrace.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>

namespace {

namespace agg = snare::aggregate;

std::int64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

std::string call_name(long nr) {
  auto name = snare::sys::x86_64::name_of(nr);
  return name.empty() ? "syscall_" + std::to_string(nr) : std::string(name);
}

/// The run's histograms (the tool's global state): keyed by syscall name, or by the process
/// (or VM) name and the syscall name.
struct histograms {
  agg::aggregation<agg::quantize, std::string> by_call;
  agg::aggregation<agg::quantize, std::string, std::string> by_owner;
};

/// The tool: a timestamp at each call's entry, a quantize of the time to its exit.
struct latency_tool {
  using syscall_table = snare::call_list<>;  // every call as snare::unknown_call: one handler
  using global_state = histograms;
  struct thread_state {
    long nr = -1;  // the call in progress, -1 between calls
    std::int64_t start_ns = 0;
  };
  struct process_state {
    std::string name;  // /proc/PID/comm, read on first use after each exec
  };

  bool per_owner = false;  // key by process (VM) name too

  template <class G>
  void on(snare::unknown_call& c, G& g) {
    g.thread_state() = {c.number, now_ns()};
  }
  template <class G>
  void on_exit(snare::unknown_call& c, long, G& g) {
    const std::int64_t end = now_ns();
    auto& t = g.thread_state();
    if (t.nr != c.number) return;  // an exit whose entry this run did not see
    t.nr = -1;
    const std::int64_t ns = end - t.start_ns;
    std::string name = call_name(c.number);
    if (per_owner) {
      std::string owner = owner_of(g);
      g.global().call([&](histograms& s) { s.by_owner(std::move(owner), std::move(name)).add(ns); });
    } else {
      g.global().call([&](histograms& s) { s.by_call(std::move(name)).add(ns); });
    }
  }
  template <class G>
  void on_exec(G& g) {
    g.process_state().name.clear();
  }

  /// Returns the VM's name on the hypercall backend, else the process's command name.
  template <class G>
  std::string owner_of(G& g) {
    if constexpr (requires { g.name(); }) {
      return g.name();
    } else {
      auto& name = g.process_state().name;
      if (name.empty()) {
        std::ifstream comm("/proc/" + std::to_string(g.pid()) + "/comm");
        std::getline(comm, name);
        if (name.empty()) name = "?";
      }
      return name;
    }
  }
};

/// Writes the histograms as DTrace prints them.
bool print(const latency_tool& t, const histograms& h, std::FILE* out) {
  return t.per_owner ? h.by_owner.print(out) : h.by_call.print(out);
}

std::string base_name(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

constexpr const char* usage =
    "Usage: snare-latency [--backend=ptrace|kvm] [-p] [-o FILE] PROG [ARGS]\n"
    "       snare-latency --backend=kvm [-o FILE] --vm NAME=COMMAND... [PROG [ARGS]]\n"
    "Times every syscall of PROG and of every process and thread it starts, from its entry\n"
    "to its exit, and prints one power-of-two histogram of nanoseconds per syscall (on\n"
    "stderr, or in FILE) when PROG ends, as DTrace's quantize() prints them.\n"
    "  -p               one histogram per process name and syscall\n"
    "  --backend=kvm    run PROG (a static executable) in a KVM micro-VM: one histogram per\n"
    "                   VM and syscall; each --vm NAME=COMMAND (split at blanks) runs one\n"
    "                   more VM named NAME, all at once; PROG's VM is named after PROG\n"
    "The seccomp backend reports no syscall exits, so it cannot time a call: refused.\n"
    "Exit status: PROG's (with several VMs, the first non-zero one), 128+N when killed by\n"
    "signal N, 127 when it cannot run, 69 when the host lacks KVM, 2 on a bad option.\n";

int bad_usage(const char* why, const char* arg = "") {
  std::fprintf(stderr, "snare-latency: %s%s\nTry 'snare-latency --help'.\n", why, arg);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  bool kvm = false;
  const char* out_path = nullptr;
  latency_tool tool;
  std::vector<snare::backend::hypercall::vm_spec> vms;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      return 0;
    } else if (a == "--backend=ptrace") {
      kvm = false;
    } else if (a == "--backend=kvm") {
      kvm = true;
    } else if (a == "--backend=seccomp") {
      return bad_usage(
          "the seccomp backend reports no syscall exits, so it cannot time a call; use "
          "--backend=ptrace or --backend=kvm");
    } else if (a == "-p") {
      tool.per_owner = true;
    } else if (a == "-o" && i + 1 < argc) {
      out_path = argv[++i];
    } else if (a == "--vm" && i + 1 < argc) {
      std::string spec = argv[++i];
      auto eq = spec.find('=');
      if (eq == 0 || eq == std::string::npos) return bad_usage("--vm wants NAME=COMMAND, not ", argv[i]);
      snare::backend::hypercall::vm_spec vm{spec.substr(0, eq), {}};
      std::istringstream words(spec.substr(eq + 1));
      for (std::string w; words >> w;) vm.argv.push_back(w);
      if (vm.argv.empty()) return bad_usage("--vm wants a command after '=': ", argv[i]);
      vms.push_back(std::move(vm));
    } else if (a == "--") {
      ++i;
      break;
    } else {
      return bad_usage("unknown option ", argv[i]);
    }
  }
  if (!vms.empty() && !kvm) return bad_usage("--vm needs --backend=kvm");
  if (i >= argc && vms.empty()) return bad_usage("no command given");
  std::FILE* out = out_path ? std::fopen(out_path, "we") : stderr;
  if (!out) {
    std::fprintf(stderr, "snare-latency: cannot open '%s': %s\n", out_path, std::strerror(errno));
    return 1;
  }

  int code = 0;
  histograms kvm_result;  // the KVM run's global state; ptrace's stays in its tracer
  snare::tracer<snare::backend::ptrace, latency_tool> tracer(tool);
  if (kvm) {
    tool.per_owner = true;  // a VM is the unit HyperTrace keys by
    if (i < argc) vms.push_back({base_name(argv[i]), std::vector<std::string>(argv + i, argv + argc)});
    std::vector<int> codes =
        snare::backend::run_vms(tool, std::span<const snare::backend::hypercall::vm_spec>(vms), kvm_result);
    for (int c : codes)
      if (c != 0) {
        code = c;
        break;
      }
  } else {
    code = tracer.run(std::span<const char* const>(argv + i, argc - i));
  }
  bool written = print(tool, kvm ? kvm_result : tracer.global_state(), out);
  if (out != stderr && std::fclose(out) != 0) written = false;
  if (!written) {
    std::fprintf(stderr, "snare-latency: cannot write the histograms\n");
    return code ? code : 1;
  }
  return code;
}
