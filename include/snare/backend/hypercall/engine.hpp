// Defines the engine and guest handle of the hypercall backend: one micro-VM per guest, the
// tool's typed handlers dispatched per syscall exit, probes, CPUID/RDTSC events, lifecycle
// events and exit code, and run_vms: several VMs traced at once by one tool.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <snare/arch/x86_64.hpp>
#include <snare/backend/concept.hpp>
#include <snare/backend/hypercall.hpp>
#include <snare/backend/hypercall/detail/vm.hpp>
#include <snare/dispatch/default_table.hpp>
#include <snare/dispatch/dispatch.hpp>
#include <snare/engine/core.hpp>
#include <snare/engine/host_check.hpp>
#include <snare/engine/options.hpp>
#include <snare/engine/records.hpp>
#include <snare/engine/spawn.hpp>
#include <snare/guest/auxv.hpp>
#include <snare/guest/handle.hpp>
#include <snare/guest/stack.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/tool.hpp>

extern char** environ;  // NOLINT: POSIX

namespace snare::backend::hypercall_detail {

template <class Tool>
class engine;

/// Says whether Tool handles probes for guest handle Guest.
template <class Tool, class Guest>
concept has_probe_handler = requires(Tool& t, const probe_event& e, Guest& g) {
  t.on_probe(e, g);
};

/// The guest handle handlers receive on the hypercall backend: one vCPU of one VM.
template <class Tool>
class guest : public guest_base<guest<Tool>, hypercall, Tool> {
 public:
  guest(engine<Tool>& e, vm& machine) noexcept : engine_(&e), vm_(&machine) {}

  /// Returns the process id the guest sees (the tracer's: the guest's syscalls run in it).
  pid_t pid() const noexcept { return ::getpid(); }
  /// Returns the thread id the guest sees (the host thread running the vCPU).
  pid_t tid() const noexcept { return vm_->tid(); }
  /// Returns the VM's name (vm_spec::name; argv[0] for a single run).
  const std::string& name() const noexcept { return vm_->name(); }
  /// Returns the vCPU's registers, valid during the handler; changes take effect when the
  /// guest resumes (rip, rsp, any general register).
  kvm_regs& registers() noexcept { return vm_->regs(); }
  /// Writes the vCPU's registers, as ptrace's set_registers (the same as assigning
  /// registers()); never fails.
  result<void> set_registers(const kvm_regs& r) noexcept {
    vm_->regs() = r;
    return {};
  }
  /// Arms this thread's timer: the tool's on_timer(g) runs in this thread once it has used
  /// `cpu_time` more of CPU time, counted on its vCPU's host thread (the guest's own run and
  /// the calls the host performs for it; 0 disarms; setting it again replaces it: one timer
  /// per thread). The guest never sees it: the timer and its signal are the host thread's.
  /// Not cycle-exact (the scheduler tick). Errors: no_such_process once the guest ended,
  /// invalid_argument for a negative time, timer_create's (EAGAIN) as an errc.
  result<void> set_timer(std::chrono::nanoseconds cpu_time) noexcept {
    if (vm_->finished()) return std::errc::no_such_process;
    return vm_->set_timer(cpu_time);
  }
  /// Returns scratch memory on the vCPU's stack below its red zone (snare::guest_stack),
  /// for the pointers of calls the handler injects.
  guest_stack<guest> stack(std::size_t capacity = guest_stack<guest>::default_capacity) noexcept {
    return guest_stack<guest>(*this, vm_->regs().rsp, capacity);
  }

  // guest_base's backend hooks.
  result<std::size_t> do_read_bytes(std::uint64_t address, std::span<std::byte> out) noexcept {
    return vm_->read_bytes(address, out);
  }
  result<std::size_t> do_write_bytes(std::uint64_t address, std::span<const std::byte> in) noexcept {
    return vm_->write_bytes(address, in);
  }
  result<long> do_inject(const sys::raw_call& call) noexcept {
    if (vm_->finished()) return std::errc::no_such_process;
    return vm_->execute(call);
  }
  result<void> do_tail_inject(const sys::raw_call& call) noexcept {
    if (!in_call_) return std::errc::operation_not_supported;
    tail_ = call;
    has_tail_ = true;
    return {};
  }
  thread_state_t<Tool>& do_thread_state() noexcept { return engine_->record_of(vm_->tid()).state; }
  process_state_t<Tool>& do_process_state() noexcept { return engine_->record_of(vm_->tid()).proc->state; }
  global_state_t<Tool>& do_global_state() noexcept { return engine_->global_state(); }
  // The VM is the run's one process: no parent in the run; its auxiliary vector is the one
  // the VM's loader put on its initial stack.
  std::optional<pid_t> do_ppid() const noexcept { return std::nullopt; }
  bool do_is_root_process() const noexcept { return true; }
  result<auxv_table> do_auxv() const { return vm_->auxv(); }
  result<void> do_wait(wait_condition c) noexcept { return engine_->wait(*vm_, c); }

  // For the engine.
  void set_in_call(bool v) noexcept { in_call_ = v; }
  bool has_tail() const noexcept { return has_tail_; }
  const sys::raw_call& tail() const noexcept { return tail_; }

 private:
  engine<Tool>* engine_;
  vm* vm_;
  bool in_call_ = false;
  bool has_tail_ = false;
  sys::raw_call tail_{};
};

/// The state one run shares between its VMs: the tool, global state, and the lock that
/// makes handlers run one at a time when several VMs run on several host threads.
template <class Tool>
struct shared_run {
  shared_run(Tool& t, global_state_t<Tool>& g) noexcept : tool(&t), global(&g) {}
  Tool* tool;
  global_state_t<Tool>* global;
  std::mutex lock{};
  std::condition_variable handler_done{};  // a handler ended: wait_until tests its condition
  bool serialize = false;
  std::exception_ptr error{};
};

/// The engine of one VM: see the snare::backend_policy concept.
template <class Tool>
class engine : public ::snare::engine::core<hypercall, Tool, guest<Tool>> {
  using core_type = ::snare::engine::core<hypercall, Tool, guest<Tool>>;
  using core_type::options_;
  using core_type::plan_;

 public:
  using core_type::subscription;
  using typename core_type::dispatch_type;
  using typename core_type::guest_type;
  using typename core_type::table_type;

  engine(Tool& tool, const run_options& options, global_state_t<Tool>& global)
      : core_type(tool, options, global), own_shared_(std::make_unique<shared_run<Tool>>(tool, global)) {
    own_shared_->serialize = true;  // guest threads are vCPUs on host threads of their own
    shared_ = own_shared_.get();
  }
  /// Creates the engine of one VM of a multi-VM run (run_vms).
  engine(shared_run<Tool>& shared, const run_options& options)
      : core_type(*shared.tool, options, *shared.global), shared_(&shared) {}
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  /// Runs argv[0] (PATH lookup) in a new VM and serves it to the end; returns its exit code
  /// (127 when it cannot run, with the reason on stderr; 128+N when it died of signal N;
  /// exit_host_unsupported when the host lacks KVM or a trap the tool needs).
  /// Rethrows a handler's exception after stopping the guest.
  int run(std::span<const char* const> argv) { return run_named(this->command_of(argv), argv); }

  /// Runs the guest of a prepared launch (snare::command): its program, arguments and
  /// environment. Anything else (arg0, a directory, streams, limits, namespaces, a function)
  /// needs a guest process of its own, which a VM served from the tracer's process is not:
  /// refused with 127 and the reason, before the VM starts.
  int run(snare::detail::launch_plan& plan) {
    const char* name = plan.name();
    const char* what = plan.process_setup ? plan.process_setup : plan.custom_arg0 ? "an arg0" : nullptr;
    if (what != nullptr)
      return this->cannot_run(name, (std::string("the hypercall backend cannot give ") + what +
                                     ": its guest runs in a VM served from the tracer's own process")
                                        .c_str());
    std::vector<const char*> argv;
    argv.push_back(name);
    for (std::size_t i = 1; i < plan.arg_store.size(); ++i) argv.push_back(plan.arg_store[i].c_str());
    return run_with_env(name, argv, &plan.env_store);
  }

  /// Same as run(argv), with `name` as the VM name the tool sees.
  int run_named(const std::string& name, std::span<const char* const> argv) {
    return run_with_env(name, argv, nullptr);
  }

  // For the guest handle.
  using thread_t = ::snare::engine::thread_record<Tool>;
  using process_t = ::snare::engine::process_record<Tool>;
  /// Returns vCPU thread `tid`'s record, made on first use (under the run's lock). The VM
  /// is one process, under the tracer's pid (what pid() reports).
  thread_t& record_of(pid_t tid) {
    if (auto* t = records_.find(tid)) return *t;
    return records_.add(tid, ::getpid());
  }

  /// Returns the VM's diagnostic after a run ("unsupported syscall 56 ...", a fault).
  const std::string& diagnostic() const noexcept { return diagnostic_; }

 private:
  // Runs argv as run_named does, in environment `env` (null: the tracer's).
  int run_with_env(const std::string& name, std::span<const char* const> argv,
                   const std::vector<std::string>* env) {
    int code = serve(name, argv, env);
    if (own_shared_ && own_shared_->error) std::rethrow_exception(own_shared_->error);
    return code;
  }

  int serve(const std::string& name, std::span<const char* const> argv,
            const std::vector<std::string>* environment) {
    if (argv.empty() || !argv[0]) return this->cannot_run("", "empty command line");
    // run_options::vdso_as_syscalls holds already: the VM's loader gives the guest no vDSO
    // (no AT_SYSINFO_EHDR, machine.hpp), so its clock calls are syscalls.
    if (!this->host_allows(argv)) return this->refused();
    vm_options opts;
    opts.name = name;
    opts.trap_cpuid = plan_.trap_cpuid;
    opts.trap_rdtsc = plan_.trap_rdtsc;
    std::vector<std::string> args(argv.begin(), argv.end());
    if (auto found = snare::detail::find_program(args[0])) args[0] = std::move(*found);
    std::vector<std::string> env;
    if (environment)
      env = *environment;
    else
      for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
    std::string why;
    auto machine = vm::create(args, env, std::move(opts), why);
    if (machine->error() != std::errc{}) return this->cannot_run(argv[0], why.c_str());

    hooks h{this};
    auto status = machine->run(h);
    diagnostic_ = machine->diagnostic();
    if (!status) {
      diagnostic_ = machine->why();
      if (options_.report_exec_failure)
        std::fprintf(stderr, "snare: the VM stopped: %s\n", diagnostic_.c_str());
      return this->finish(snare::exit_status::exited(127));
    }
    // Every thread's exit has been reported (hooks::on_vcpu_exit), the first thread's last:
    // the process's end is reported on it, as ptrace reports it on the group's leader.
    guest_type end(*this, *machine);
    locked([&] { snare::engine::notify_process_exit(*shared_->tool, status->wait_status(), end); }, *machine);
    return this->finish(*status);
  }

  // Runs f under the run's lock when VMs share the tool; a handler's exception stops this
  // VM and is kept for the tracer's stack (vm::run is noexcept).
  template <class F>
  void locked(F&& f, vm& machine) noexcept {
    std::unique_lock<std::mutex> l(shared_->lock, std::defer_lock);
    if (shared_->serialize) l.lock();
    held_ = shared_->serialize ? &l : nullptr;
    try {
      f();
    } catch (...) {
      if (!shared_->error) shared_->error = std::current_exception();
      machine.finish(exit_status::killed(SIGKILL));
    }
    held_ = nullptr;
    shared_->handler_done.notify_all();
  }

 public:
  // Suspends the calling vCPU's handler until `c` holds: it gives up the run's lock and waits
  // until another vCPU's handler ends (handler_done), then tests `c` again. The other vCPUs
  // run on their own host threads meanwhile; a wait that nothing ends stops this VM only
  // when it is finished (a fault, or its exit elsewhere).
  result<void> wait(vm& machine, wait_condition c) noexcept {
    if (held_ == nullptr) return std::errc::operation_not_supported;
    auto* l = held_;
    while (!c()) {
      if (machine.finished()) return std::errc::no_such_process;
      shared_->handler_done.wait_for(*l, std::chrono::milliseconds(10));
    }
    held_ = l;
    return {};
  }

 private:
  // The lock the handler running on this host thread holds (locked()), for wait().
  static inline thread_local std::unique_lock<std::mutex>* held_ = nullptr;

  struct hooks {
    engine* e;

    long on_syscall(vm& machine, sys::raw_call& call) noexcept {
      const long nr = call.number;
      // An x32 number is refused, as the other backends' filters refuse it: run by the
      // host kernel, it would pass the tool by (on a host with the x32 ABI).
      if (nr & arch::x86_64::x32_syscall_bit) return -ENOSYS;
      const bool entry = e->subscription.entry.contains(nr), exit = e->subscription.exit.contains(nr);
      if (!entry && !exit) return machine.execute(call);
      guest_type g(*e, machine);
      dispatch::raw_args args = call.args;
      action a;
      if (entry) {
        e->locked(
            [&] {
              g.set_in_call(true);
              a = dispatch_type::on_entry(*e->shared_->tool, g, nr, args);
              g.set_in_call(false);
            },
            machine);
        if (machine.finished()) return 0;  // the handler threw
      }
      // The call itself runs outside the lock: a guest blocked in a read does not stop the
      // other VMs of a run_vms.
      long ret;
      if (g.has_tail())
        ret = machine.execute(g.tail());
      else if (a.what() == action::kind::suppress)
        ret = a.value();
      else
        ret = machine.execute({nr, args});
      if (exit && !machine.finished())
        e->locked([&] { ret = dispatch_type::on_exit(*e->shared_->tool, g, nr, args, ret); }, machine);
      return ret;
    }

    bool started = false;
    pid_t leader = 0;  // the first thread's tid

    // On the vCPU's own host thread, so g.tid() is the new thread's.
    void on_vcpu_start(vm& machine) noexcept {
      guest_type g(*e, machine);
      // Only the first thread writes these, before it can start any other.
      bool first = !started;
      if (first) {
        started = true;
        leader = machine.tid();
      }
      e->locked(
          [&] {
            // Its state is built from its creator's, as that is when it starts.
            if (auto* creator = e->records_.find(machine.creator_tid()); creator != nullptr)
              e->records_.add_child(*creator, machine.tid(), ::getpid(), [](process_t&) {});
            if (first) snare::engine::notify_process_start(*e->shared_->tool, g);
            snare::engine::notify_thread_start(*e->shared_->tool, g);
            // The VM loaded the program as execve would have: the guest starts in a new image.
            if (first) snare::engine::notify_exec(*e->shared_->tool, g);
          },
          machine);
    }
    // Once for every guest thread that started, on its host thread: exited(code) for one
    // that called exit(2), else how its process ended (a sibling's exit_group, fault or
    // fatal signal). The first thread's comes last; its state lives on for on_process_exit.
    void on_vcpu_exit(vm& machine, const exit_status& end) noexcept {
      guest_type g(*e, machine);
      e->locked(
          [&] {
            snare::engine::notify_thread_exit(*e->shared_->tool, end.wait_status(), g);
            if (machine.tid() != leader) e->records_.erase(machine.tid());
          },
          machine);
    }

    // The thread's timer (guest::set_timer) expired; on its vCPU's host thread.
    void on_timer(vm& machine) noexcept {
      if constexpr (has_timer_handler<Tool, guest_type>) {
        guest_type g(*e, machine);
        e->locked([&] { snare::engine::notify_timer(*e->shared_->tool, g); }, machine);
      }
    }

    void on_probe(vm& machine, const probe_event& ev) noexcept {
      if constexpr (has_probe_handler<Tool, guest_type>) {
        guest_type g(*e, machine);
        e->locked([&] { e->shared_->tool->on_probe(ev, g); }, machine);
      }
    }

    // Called only where the host check switched the trap on (the tool has the handler).
    void on_cpuid(vm& machine, std::uint32_t leaf, std::uint32_t subleaf, cpuid_regs& r) noexcept {
      guest_type g(*e, machine);
      cpuid_event ev{leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx};
      e->locked([&] { snare::engine::notify_cpuid(*e->shared_->tool, ev, g); }, machine);
      r = {ev.eax, ev.ebx, ev.ecx, ev.edx};
    }

    void on_rdtsc(vm& machine, std::uint64_t& tsc) noexcept {
      guest_type g(*e, machine);
      rdtsc_event ev{false, tsc, 0};
      e->locked([&] { snare::engine::notify_rdtsc(*e->shared_->tool, ev, g); }, machine);
      tsc = ev.tsc;
    }
  };

  std::unique_ptr<shared_run<Tool>> own_shared_;
  shared_run<Tool>* shared_ = nullptr;
  ::snare::engine::records<thread_t, process_t> records_;  // used under the run's lock
  std::string diagnostic_;
};

/// Runs several guests at once, each in its own VM on its own host thread, under one tool:
/// handlers run one at a time (the tool needs no locking), global state is shared, process
/// and thread state are per VM, and g.name() tells the VMs apart. Returns each guest's exit
/// code in the order of `vms`; rethrows the first handler exception after all VMs stopped.
template <class Tool>
std::vector<int> run_vms(Tool& tool, std::span<const hypercall::vm_spec> vms, global_state_t<Tool>& global,
                         run_options options = {}) {
  shared_run<Tool> shared(tool, global);
  shared.serialize = true;
  std::vector<int> codes(vms.size(), 127);
  std::vector<std::thread> threads;
  threads.reserve(vms.size());
  for (std::size_t i = 0; i < vms.size(); ++i) {
    threads.emplace_back([&, i] {
      std::vector<const char*> argv;
      for (auto& a : vms[i].argv) argv.push_back(a.c_str());
      engine<Tool> e(shared, options);
      codes[i] = e.run_named(vms[i].name, argv);
    });
  }
  for (auto& t : threads) t.join();
  if (shared.error) std::rethrow_exception(shared.error);
  return codes;
}

}  // namespace snare::backend::hypercall_detail

namespace snare::backend {
/// Runs several static guests at once under one tool, one VM each (see hypercall_detail::run_vms).
template <class Tool>
std::vector<int> run_vms(Tool& tool, std::span<const hypercall::vm_spec> vms, run_options options = {}) {
  global_state_t<Tool> global{};
  return hypercall_detail::run_vms(tool, vms, global, options);
}
/// The same, with the run's global state in `global` (value-initialised by the caller), where
/// it stays for the caller to read after the run.
template <class Tool>
std::vector<int> run_vms(Tool& tool, std::span<const hypercall::vm_spec> vms, global_state_t<Tool>& global,
                         run_options options = {}) {
  return hypercall_detail::run_vms(tool, vms, global, options);
}
}  // namespace snare::backend
