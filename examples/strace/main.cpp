// Defines snare-strace's entry point: reads strace's options, maps the run-time trace set
// onto one of the tracers specialised at compile time, runs the command and returns its
// exit code.
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include <snare/backend/ptrace.hpp>
#include <snare/backend/seccomp_notify.hpp>
#include <snare/sys/lookup.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>
#include <snare/version.hpp>

#include "options.hpp"
#include "session.hpp"
#include "tool.hpp"

namespace {

namespace sys = snare::sys;
using x86 = snare::arch::x86_64;

// The calls of some classes, plus the three every specialisation needs: execve (the first
// exec ends the spawn's own work) and exit/exit_group (the status of exiting threads).
template <std::uint16_t Classes>
constexpr auto spec_numbers() {
  auto set = sys::x86_64::in_class<Classes>;
  set.insert(sys::x86_64::execve::number);
  set.insert(sys::x86_64::exit::number);
  set.insert(sys::x86_64::exit_group::number);
  return set;
}
template <std::uint16_t Classes>
inline constexpr auto spec_set = spec_numbers<Classes>();

template <std::uint16_t Classes, std::size_t... I>
auto make_subscription(std::index_sequence<I...>) {
  constexpr auto numbers = spec_set<Classes>.template to_array<sizeof...(I)>();
  return snare::syscalls<sys::call_t<x86, numbers[I]>...>{};
}

/// The compile-time subscription to the calls of Classes (a snare::syscalls<...> list).
template <std::uint16_t Classes>
using class_subscription =
    decltype(make_subscription<Classes>(std::make_index_sequence<spec_set<Classes>.size()>{}));

template <class Backend, class Subscription>
int run_with(strace::session& s, const strace::options& o) {
  snare::run_options ro;
  ro.follow_forks = o.follow_forks;
  if constexpr (Backend::can_observe_exit) {
    strace::tool<Subscription> t{&s};
    return snare::run<Backend>(t, o.command, ro);
  } else {
    s.set_exits_observed(false);
    strace::entry_tool<Subscription> t{&s};
    return snare::run<Backend>(t, o.command, ro);
  }
}

/// One compile-time specialisation: its name, its calls (to test coverage at run time) and
/// its runner per backend.
struct specialisation {
  const char* name;
  strace::nr_set calls;
  bool everything;
  int (*ptrace_run)(strace::session&, const strace::options&);
  int (*seccomp_run)(strace::session&, const strace::options&);
};

template <std::uint16_t Classes>
specialisation make_spec(const char* name) {
  strace::nr_set calls;
  for (std::size_t nr = 0; nr < strace::max_nr; ++nr)
    if (spec_set<Classes>.contains(static_cast<long>(nr))) calls.set(nr);
  return {name, calls, false, &run_with<snare::backend::ptrace, class_subscription<Classes>>,
          &run_with<snare::backend::seccomp_notify, class_subscription<Classes>>};
}

// Ordered from the smallest set to the largest: the first that covers the request wins.
std::vector<specialisation> specialisations() {
  std::vector<specialisation> v = {
      make_spec<sys::class_ipc>("%ipc"),         make_spec<sys::class_signal>("%signal"),
      make_spec<sys::class_network>("%network"), make_spec<sys::class_memory>("%memory"),
      make_spec<sys::class_process>("%process"), make_spec<sys::class_file>("%file"),
      make_spec<sys::class_desc>("%desc"),
  };
  std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.calls.count() < b.calls.count(); });
  v.push_back({"all syscalls",
               {},
               true,
               &run_with<snare::backend::ptrace, snare::all_syscalls>,
               &run_with<snare::backend::seccomp_notify, snare::all_syscalls>});
  return v;
}

const specialisation& choose(const std::vector<specialisation>& specs, const strace::options& o) {
  strace::nr_set need = o.trace;
  for (auto& r : o.injects) need |= r.calls;
  for (auto& s : specs)
    if (s.everything || (need & ~s.calls).none()) return s;
  return specs.back();
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = strace::parse(argc, argv);
  if (parsed.help) {
    std::fputs(strace::help_text().data(), stdout);
    return 0;
  }
  if (parsed.version) {
    std::printf("snare-strace (snare %d.%d.%d)\n", SNARE_VERSION_MAJOR, SNARE_VERSION_MINOR,
                SNARE_VERSION_PATCH);
    return 0;
  }
  if (!parsed.opts) {
    std::fprintf(stderr, "snare-strace: %s\nTry 'snare-strace --help' for more information.\n",
                 parsed.error.c_str());
    return 2;
  }
  const strace::options& o = *parsed.opts;
  auto specs = specialisations();
  const specialisation& spec = choose(specs, o);

  const char* backend_name = "ptrace";
  if (o.backend == strace::backend_choice::ptrace) {
    if (auto ok = snare::backend::ptrace::available(); !ok) {
      std::fprintf(stderr, "snare-strace: the ptrace backend is not available here: %s\n",
                   std::strerror(ok.error_number()));
      return 1;
    }
  } else if (o.backend == strace::backend_choice::seccomp) {
    backend_name = "seccomp_notify";
    if (auto ok = snare::backend::seccomp_notify::available(); !ok) {
      std::fprintf(stderr, "snare-strace: the seccomp backend is not available here: %s\n",
                   std::strerror(ok.error_number()));
      return 1;
    }
  } else {
    std::fprintf(stderr, "snare-strace: the kvm backend is not part of this build yet\n");
    return 1;
  }
  if (o.tracer_info) {
    std::fprintf(stderr, "snare-strace: backend %s, tracer specialised for %s", backend_name, spec.name);
    if (!spec.everything) std::fprintf(stderr, " (%zu syscalls stop the guest)", spec.calls.count());
    std::fputc('\n', stderr);
  }

  strace::session s(o);
  if (!s.open()) return 1;
  int code = o.backend == strace::backend_choice::seccomp ? spec.seccomp_run(s, o) : spec.ptrace_run(s, o);
  s.finish();
  return code;
}
