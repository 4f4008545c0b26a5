// Defines the gdbserver's packet handlers: one `on` per request of protocol/request.hpp
// (registers, memory, breakpoints, threads, resume, qXfer objects, detach and kill, monitor
// commands), over the session's state (server/session.hpp).
#pragma once

#include <fcntl.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/user.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include <snare/backend/ptrace/memory.hpp>
#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>
#include <snare/gdb/protocol.hpp>
#include <snare/gdb/server/host_io.hpp>
#include <snare/gdb/server/monitor.hpp>
#include <snare/gdb/server/registers.hpp>
#include <snare/gdb/server/session.hpp>
#include <snare/gdb/server/watchpoints.hpp>
#include <snare/gdb/server/xfer.hpp>
#include <snare/host.hpp>

namespace snare::gdb::detail {

// The session's packet handlers; each returns false when the guest runs again (or is gone).
template <class Tool>
class handlers : public session<Tool> {
  using base = session<Tool>;
  using step_range = typename base::step_range;

 protected:
  using base::all_threads;
  using base::breakpoints;
  using base::calls_;
  using base::catching_;
  using base::current_;
  using base::debugs;
  using base::end_session;
  using base::engine_;
  using base::exec_events_;
  using base::files_;
  using base::forget_process;
  using base::fork_events_;
  using base::general_;
  using base::hwbreak_;
  using base::last_stop_;
  using base::log_;
  using base::no_ack_;
  using base::pass_;
  using base::pending_child_;
  using base::process_of;
  using base::procs_;
  using base::program_;
  using base::program_set_;
  using base::release_process;
  using base::send_packet;
  using base::steps_;
  using base::swbreak_;
  using base::vfork_events_;
  using base::watchpoints_;

  // The thread a register or memory request is for: Hg's, or the stopped one.
  pid_t thread_for_g() const noexcept { return general_ > 0 ? general_ : current_; }

  // The process of the thread a request is for.
  pid_t process_for_g() { return process_of(thread_for_g()); }

  bool known_thread(pid_t tid) {
    auto ts = all_threads();
    return std::any_of(ts.begin(), ts.end(), [tid](const thread_id& t) { return t.tid == tid; });
  }

  // Answers one request; false when the guest runs again (or is gone) and serving stops.
  bool answer(const request_type& req) override {
    return std::visit([&](const auto& r) { return on(r); }, req);
  }

  bool on(const request::halt_reason&) { return send_packet(last_stop_), true; }

  bool on(const request::supported& r) {
    swbreak_ = r.has("swbreak+");
    hwbreak_ = r.has("hwbreak+");
    fork_events_ = r.has("fork-events+");
    vfork_events_ = r.has("vfork-events+");
    exec_events_ = r.has("exec-events+");
    engine_->debug_hold_children(fork_events_ || vfork_events_);
    std::string caps = "PacketSize=";
    reply::append_number(caps, max_packet_size);
    caps +=
        ";QStartNoAckMode+;multiprocess+;swbreak+;hwbreak+;qXfer:features:read+;qXfer:auxv:read+;"
        "qXfer:exec-file:read+;qXfer:threads:read+;qXfer:libraries-svr4:read+;vContSupported+;"
        "QCatchSyscalls+;QPassSignals+;QProgramSignals+";
    if (fork_events_) caps += ";fork-events+";
    if (vfork_events_) caps += ";vfork-events+";
    if (exec_events_) caps += ";exec-events+";
    return send_packet(caps), true;
  }

  bool on(const request::start_no_ack&) {
    send_packet(reply::ok());
    no_ack_ = true;
    return true;
  }

  bool on(const request::set_thread& r) {
    pid_t tid = static_cast<pid_t>(r.thread.tid);
    // `Hg pPID.0`: any thread of process PID (its first).
    if (tid <= 0 && r.thread.pid > 0 && debugs(static_cast<pid_t>(r.thread.pid))) {
      auto threads = engine_->debug_threads(static_cast<pid_t>(r.thread.pid));
      if (!threads.empty()) tid = threads.front();
    }
    if (tid > 0 && !known_thread(tid)) return send_packet(reply::error(ESRCH)), true;
    if (r.op == 'g') general_ = tid > 0 ? tid : 0;
    return send_packet(reply::ok()), true;
  }

  bool on(const request::thread_alive& r) {
    const bool alive = r.thread.tid > 0 && known_thread(static_cast<pid_t>(r.thread.tid));
    return send_packet(alive ? reply::ok() : reply::error(ESRCH)), true;
  }

  bool on(const request::thread_list& r) {
    if (!r.first) return send_packet(reply::thread_list({})), true;
    return send_packet(reply::thread_list(all_threads())), true;
  }

  bool on(const request::current_thread&) {
    return send_packet(reply::current_thread({process_of(current_), current_})), true;
  }
  bool on(const request::attached&) { return send_packet("0"), true; }  // snare started it

  std::optional<register_file> load(pid_t tid) {
    auto gp = engine_->debug_registers(tid);
    if (!gp) return std::nullopt;
    register_file f;
    f.gp = *gp;
    if (::ptrace(PTRACE_GETFPREGS, tid, 0, &f.fp) != 0) return std::nullopt;
    return f;
  }
  bool store(pid_t tid, const register_file& f) {
    return engine_->debug_set_registers(tid, f.gp).has_value() &&
           ::ptrace(PTRACE_SETFPREGS, tid, 0, &f.fp) == 0;
  }

  bool on(const request::read_registers&) {
    auto f = load(thread_for_g());
    if (!f) return send_packet(reply::error(ESRCH)), true;
    std::array<std::byte, x86_64::file_size> bytes{};
    for (unsigned n = 0; n < x86_64::registers.size(); ++n)
      access_register(*f, n, bytes.data() + x86_64::offset_of(n), false);
    return send_packet(reply::hex(bytes)), true;
  }

  bool on(const request::write_registers& r) {
    auto f = load(thread_for_g());
    if (!f) return send_packet(reply::error(ESRCH)), true;
    if (r.bytes.size() != x86_64::file_size) return send_packet(reply::error(EINVAL)), true;
    auto* bytes = reinterpret_cast<std::byte*>(const_cast<char*>(r.bytes.data()));
    for (unsigned n = 0; n < x86_64::registers.size(); ++n)
      access_register(*f, n, bytes + x86_64::offset_of(n), true);
    return send_packet(store(thread_for_g(), *f) ? reply::ok() : reply::error(ESRCH)), true;
  }

  bool on(const request::read_register& r) {
    if (r.number >= x86_64::registers.size()) return send_packet(reply::error(EINVAL)), true;
    auto f = load(thread_for_g());
    if (!f) return send_packet(reply::error(ESRCH)), true;
    std::array<std::byte, 16> bytes{};
    access_register(*f, r.number, bytes.data(), false);
    return send_packet(reply::hex(std::span(bytes.data(), x86_64::size_of(r.number)))), true;
  }

  bool on(const request::write_register& r) {
    if (r.number >= x86_64::registers.size() || r.bytes.size() != x86_64::size_of(r.number))
      return send_packet(reply::error(EINVAL)), true;
    auto f = load(thread_for_g());
    if (!f) return send_packet(reply::error(ESRCH)), true;
    std::array<std::byte, 16> bytes{};
    std::memcpy(bytes.data(), r.bytes.data(), r.bytes.size());
    access_register(*f, r.number, bytes.data(), true);
    return send_packet(store(thread_for_g(), *f) ? reply::ok() : reply::error(ESRCH)), true;
  }

  bool on(const request::read_memory& r) {
    std::vector<std::byte> buf(r.length);
    auto n = backend::ptrace_detail::read_memory(thread_for_g(), r.address, buf);
    if (!n || (*n == 0 && r.length != 0)) return send_packet(reply::error(EFAULT)), true;
    buf.resize(*n);
    // gdb sees the bytes its breakpoints replaced, not the int3s (gdbserver's shadow).
    breakpoints(process_for_g()).shadow(r.address, buf);
    return send_packet(reply::hex(buf)), true;
  }

  bool on(const request::write_memory& r) {
    if (r.bytes.empty()) return send_packet(reply::ok()), true;  // gdb's probe for X support
    std::vector<std::byte> data(r.bytes.size());
    std::memcpy(data.data(), r.bytes.data(), r.bytes.size());
    // A write over a breakpoint changes the byte it restores; the int3 stays.
    breakpoints(process_for_g()).mask(r.address, data);
    auto n = backend::ptrace_detail::write_memory(thread_for_g(), r.address, data);
    const bool ok = n && *n == data.size();
    return send_packet(ok ? reply::ok() : reply::error(EFAULT)), true;
  }

  bool on(const request::breakpoint& r) {
    if (r.type != 0) return hardware_breakpoint(r);
    // In the process of the thread gdb chose: a fork child's table starts empty (its copy
    // of the int3s was taken out, session::on_fork); a vfork child's is its parent's (one
    // memory), so gdb's removals there take them out of the parent too, until vforkdone.
    const pid_t tid = thread_for_g();
    auto& table = breakpoints(process_of(tid));
    auto done = r.insert ? table.insert(tid, r.address) : table.remove(tid, r.address);
    return send_packet(done ? reply::ok() : reply::error(EFAULT)), true;
  }

  // Z1, Z2, Z4 in the debug registers of every thread of the process (stopped: all-stop),
  // where the host has them (the hw_watchpoints probe); elsewhere, and for Z3 (x86 has no
  // read-only watchpoint), the empty reply: gdb then does without (software watchpoints).
  bool hardware_breakpoint(const request::breakpoint& r) {
    if (!watchpoint_table::serves(r.type) || !host_features().has(host_feature::hw_watchpoints))
      return send_packet(reply::unsupported()), true;
    const pid_t pid = process_for_g();
    auto& table = watchpoints_[pid];
    if (!r.insert) {
      table.remove(r.type, r.address);
      for (pid_t tid : engine_->debug_threads(pid)) (void)table.sync(tid);
      return send_packet(reply::ok()), true;
    }
    if (auto ok = table.insert(r.type, r.address, r.kind); !ok)
      return send_packet(reply::error(ok.error_number())), true;
    for (pid_t tid : engine_->debug_threads(pid)) {
      if (auto ok = table.sync(tid); !ok) {  // refused (a hypervisor may): taken back
        table.remove(r.type, r.address);
        for (pid_t t : engine_->debug_threads(pid)) (void)table.sync(t);
        return send_packet(reply::error(ok.error_number())), true;
      }
    }
    return send_packet(reply::ok()), true;
  }

  // `t` (stop) is accepted in all-stop, where every thread gdb can name is stopped already;
  // there is no non-stop mode (QNonStop is not offered).
  bool on(const request::resume_query&) { return send_packet("vCont;c;C;s;S;t;r"), true; }

  // Applies gdb's actions: to each stopped thread of the process, the first action naming it
  // (or naming every thread). `t` keeps a thread stopped; `r` steps it while its pc stays in
  // the range (session::on_signal), `s` once. Actions that name no thread are refused before
  // anything runs; actions that would resume none (only `t`) leave the guest stopped.
  bool on(const request::resume& r) {
    if (r.address) {
      auto regs = engine_->debug_registers(current_);
      if (!regs) return send_packet(reply::error(ESRCH)), true;
      user_regs_struct w = *regs;
      w.rip = *r.address;
      (void)engine_->debug_set_registers(current_, w);
    }
    // `pPID.-1` names every thread of process PID; `-1` (or no thread) every thread of every
    // process gdb debugs (gdb's schedule-multiple; by default it names one process).
    auto action_for = [&](const thread_id& id) -> const request::resume_action* {
      for (const auto& a : r.actions) {
        if (!a.thread) return &a;
        const auto& t = *a.thread;
        const bool process = t.pid <= 0 || t.pid == id.pid;
        if (process && (t.tid == thread_id::all || t.tid == thread_id::any || t.tid == id.tid)) return &a;
      }
      return nullptr;
    };
    const auto threads = all_threads();
    if (std::none_of(threads.begin(), threads.end(),
                     [&](const thread_id& t) { return action_for(t) != nullptr; }))
      return send_packet(reply::error(ESRCH)), true;
    if (std::none_of(threads.begin(), threads.end(), [&](const thread_id& t) {
          const auto* a = action_for(t);
          return a != nullptr && a->op != 't';
        }))
      return send_packet(reply::ok()), true;  // all-stop: the threads named are stopped already
    this->resuming();
    pending_child_ = 0;  // a fork child gdb kept is a process as the others now
    // A thread no action names stays stopped (gdb steps one thread over a breakpoint so, and
    // leaves the other processes stopped unless schedule-multiple is on). The old `c`/`s`
    // packets have one action for every thread.
    for (const thread_id& id : threads) {
      const request::resume_action* a = action_for(id);
      if (a == nullptr || a->op == 't') continue;
      const auto tid = static_cast<pid_t>(id.tid);
      const int sig = a->signal != 0 ? from_gdb_signal(a->signal) : 0;
      const bool step = a->op == 's' || a->op == 'r';
      if (step) steps_[tid] = a->op == 'r' ? step_range{a->range_start, a->range_end} : step_range{};
      (void)watchpoints_[static_cast<pid_t>(id.pid)].sync(tid);  // a thread made since has none yet
      engine_->debug_release(tid, sig, step);
    }
    return false;
  }

  // `handle SIG nostop noprint pass` (QPassSignals) and the signals the guest may receive
  // (QProgramSignals): session::on_signal applies them. Numbers gdb has no signal for are
  // kept and never match.
  bool on(const request::signal_set& r) {
    auto& set = r.program ? program_ : pass_;
    set.reset();
    for (unsigned g : r.signals) set.set(g);
    if (r.program) program_set_ = true;
    return send_packet(reply::ok()), true;
  }

  bool on(const request::xfer_read& r) {
    std::string object;
    if (r.object == "features") {
      if (r.annex != "target.xml") return send_packet(reply::error(ENOENT)), true;
      object = x86_64::target_description();
    } else if (r.object == "auxv") {
      auto auxv = read_small_file("/proc/" + std::to_string(process_for_g()) + "/auxv");
      if (!auxv) return send_packet(reply::error(EIO)), true;
      object = std::move(*auxv);
    } else if (r.object == "exec-file") {
      long pid = process_for_g();
      if (!r.annex.empty()) {
        std::string_view a = r.annex;
        pid = 0;
        for (char c : a) {
          if (hex_value(c) < 0 || pid > 0x7ffffff) return send_packet(reply::error(EINVAL)), true;
          pid = pid * 16 + hex_value(c);
        }
      }
      if (!debugs(static_cast<pid_t>(pid))) return send_packet(reply::error(ESRCH)), true;
      char path[64], target[4096];
      std::snprintf(path, sizeof path, "/proc/%ld/exe", pid);
      ssize_t n = ::readlink(path, target, sizeof target);
      if (n <= 0) return send_packet(reply::error(EIO)), true;
      object.assign(target, static_cast<std::size_t>(n));
    } else if (r.object == "threads") {
      object = threads_document(all_threads());
    } else if (r.object == "libraries-svr4") {
      auto libraries = libraries_document(process_for_g());
      if (!libraries) return send_packet(reply::error(EIO)), true;
      object = std::move(*libraries);
    } else {
      return send_packet(reply::unsupported()), true;
    }
    return send_packet(reply::xfer_chunk(object, r.offset, r.length)), true;
  }

  // `D;PID` detaches one process (a fork child gdb does not follow, or the parent it leaves
  // with follow-fork-mode child): it runs on under the tool. `D`, or the last process's
  // `D;PID`, ends the session: every process gdb debugs runs on.
  bool on(const request::detach& r) {
    if (r.pid && !debugs(static_cast<pid_t>(*r.pid))) return send_packet(reply::error(ESRCH)), true;
    if (r.pid && procs_.size() > 1) {
      release_process(static_cast<pid_t>(*r.pid));
      return send_packet(reply::ok()), true;
    }
    send_packet(reply::ok());
    end_session();
    engine_->set_debugger(nullptr);
    const auto procs = procs_;
    for (pid_t p : procs) release_process(p);
    return false;
  }

  // `vKill;PID` ends one process (gdb forgets it: no exit is told); `k`, or the last
  // process's, ends the session and every guest process.
  bool on(const request::kill& r) {
    if (r.pid && procs_.size() > 1 && debugs(static_cast<pid_t>(*r.pid))) {
      const auto pid = static_cast<pid_t>(*r.pid);
      ::kill(pid, SIGKILL);  // reaped by the engine once the guest runs again
      forget_process(pid);
      return send_packet(reply::ok()), true;
    }
    if (r.pid) send_packet(reply::ok());  // vKill has a reply, k none
    end_session();
    engine_->set_debugger(nullptr);
    engine_->debug_kill_all();
    return false;
  }

  // `monitor CMD` in gdb: snare's own commands; their text goes to gdb's console.
  bool on(const request::monitor& r) {
    const pid_t tid = thread_for_g();
    auto calls = calls_.find(tid);
    std::string text = monitor_text(*engine_, r.command, catching_ ? &*catching_ : nullptr, process_of(tid),
                                    tid, calls != calls_.end() ? &calls->second : nullptr);
    // Console output in pieces a packet holds (hex doubles it).
    for (std::size_t at = 0; at < text.size(); at += max_read_size / 2)
      send_packet(reply::console(std::string_view(text).substr(at, max_read_size / 2)));
    return send_packet(reply::ok()), true;
  }

  // gdb's `catch syscall`: the calls to stop at, among those the tool subscribes to (the
  // others never leave the kernel: `monitor subscription` says which are caught).
  bool on(const request::catch_syscalls& r) {
    if (!r.enable) {  // gdb also sends this at each stop: catching_ keeps the last set for monitor
      engine_->debug_catch_syscalls(nullptr);
      return send_packet(reply::ok()), true;
    }
    syscall_set calls = r.numbers.empty() ? syscall_set::everything() : syscall_set{};
    for (long nr : r.numbers) calls.add(nr);
    catching_ = calls;
    engine_->debug_catch_syscalls(&calls);
    return send_packet(reply::ok()), true;
  }

  // vFile: gdb reads the target's files (server/host_io.hpp).
  bool on(const request::file_io& r) {
    // setfs may name any process gdb debugs (they share the server's mount namespace).
    pid_t guest = process_for_g();
    if (r.op == "setfs" && r.args.size() == 1 && r.args[0] > 0 && r.args[0] <= 0x7fffffff &&
        debugs(static_cast<pid_t>(r.args[0])))
      guest = static_cast<pid_t>(r.args[0]);
    return send_packet(files_.answer(r, guest)), true;
  }

  bool on(const request::malformed& r) {
    if (log_) std::fprintf(log_, "gdb: malformed: %s\n", r.what.c_str());
    return send_packet(reply::error(EINVAL)), true;
  }

  // Parsed, not served yet: the empty reply (docs/gdbserver.md lists them).
  template <class Other>
  bool on(const Other&) {
    return send_packet(reply::unsupported()), true;
  }
};

}  // namespace snare::gdb::detail
