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

 protected:
  using base::breakpoints_;
  using base::calls_;
  using base::catching_;
  using base::current_;
  using base::end_session;
  using base::engine_;
  using base::exec_events_;
  using base::files_;
  using base::fork_events_;
  using base::general_;
  using base::hwbreak_;
  using base::last_stop_;
  using base::log_;
  using base::no_ack_;
  using base::pending_child_;
  using base::pending_vfork_;
  using base::pid_;
  using base::release_child;
  using base::send_packet;
  using base::swbreak_;
  using base::vfork_events_;
  using base::watchpoints_;

  // The thread a register or memory request is for: Hg's, or the stopped one.
  pid_t thread_for_g() const noexcept { return general_ > 0 ? general_ : current_; }

  bool known_thread(pid_t tid) {
    if (tid == pending_child_ && tid != 0) return true;  // a fork child gdb has not let go yet
    auto ts = engine_->debug_threads(pid_);
    return std::find(ts.begin(), ts.end(), tid) != ts.end();
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
        "QCatchSyscalls+";
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
    // `Hg pCHILD.0`: any thread of the fork child, which has one.
    if (tid <= 0 && pending_child_ != 0 && r.thread.pid == pending_child_) tid = pending_child_;
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
    std::vector<thread_id> ids;
    for (pid_t t : engine_->debug_threads(pid_)) ids.push_back({pid_, t});
    return send_packet(reply::thread_list(ids)), true;
  }

  bool on(const request::current_thread&) {
    return send_packet(reply::current_thread({pid_, current_})), true;
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
    breakpoints_.shadow(r.address, buf);
    return send_packet(reply::hex(buf)), true;
  }

  bool on(const request::write_memory& r) {
    if (r.bytes.empty()) return send_packet(reply::ok()), true;  // gdb's probe for X support
    std::vector<std::byte> data(r.bytes.size());
    std::memcpy(data.data(), r.bytes.data(), r.bytes.size());
    // A write over a breakpoint changes the byte it restores; the int3 stays.
    breakpoints_.mask(r.address, data);
    auto n = backend::ptrace_detail::write_memory(thread_for_g(), r.address, data);
    const bool ok = n && *n == data.size();
    return send_packet(ok ? reply::ok() : reply::error(EFAULT)), true;
  }

  bool on(const request::breakpoint& r) {
    if (r.type != 0) return hardware_breakpoint(r);
    const pid_t tid = thread_for_g();
    // gdb takes its breakpoints out of a fork child before it lets it go: a fork's copy had
    // them taken out when it was made (session::on_fork); a vfork's child shares the
    // parent's memory, so they go from it (and come back at vforkdone).
    if (tid == pending_child_ && tid != 0 && !pending_vfork_) return send_packet(reply::ok()), true;
    auto done = r.insert ? breakpoints_.insert(tid, r.address) : breakpoints_.remove(tid, r.address);
    return send_packet(done ? reply::ok() : reply::error(EFAULT)), true;
  }

  // Z1, Z2, Z4 in the debug registers of every thread of the process (stopped: all-stop),
  // where the host has them (the hw_watchpoints probe); elsewhere, and for Z3 (x86 has no
  // read-only watchpoint), the empty reply: gdb then does without (software watchpoints).
  bool hardware_breakpoint(const request::breakpoint& r) {
    if (!watchpoint_table::serves(r.type) || !host_features().has(host_feature::hw_watchpoints))
      return send_packet(reply::unsupported()), true;
    if (!r.insert) {
      watchpoints_.remove(r.type, r.address);
      for (pid_t tid : engine_->debug_threads(pid_)) (void)watchpoints_.sync(tid);
      return send_packet(reply::ok()), true;
    }
    if (auto ok = watchpoints_.insert(r.type, r.address, r.kind); !ok)
      return send_packet(reply::error(ok.error_number())), true;
    for (pid_t tid : engine_->debug_threads(pid_)) {
      if (auto ok = watchpoints_.sync(tid); !ok) {  // refused (a hypervisor may): taken back
        watchpoints_.remove(r.type, r.address);
        for (pid_t t : engine_->debug_threads(pid_)) (void)watchpoints_.sync(t);
        return send_packet(reply::error(ok.error_number())), true;
      }
    }
    return send_packet(reply::ok()), true;
  }

  bool on(const request::resume_query&) { return send_packet("vCont;c;C;s;S"), true; }

  // Applies gdb's actions: to each stopped thread of the process, the first action naming it
  // (or naming every thread). 't', and actions that would resume no thread (the guest would
  // never stop again), are refused before anything runs.
  bool on(const request::resume& r) {
    if (r.address) {
      auto regs = engine_->debug_registers(current_);
      if (!regs) return send_packet(reply::error(ESRCH)), true;
      user_regs_struct w = *regs;
      w.rip = *r.address;
      (void)engine_->debug_set_registers(current_, w);
    }
    for (const auto& a : r.actions)
      if (a.op == 't') return send_packet(reply::error(EINVAL)), true;  // all-stop: nothing to stop
    auto action_for = [&](pid_t tid) -> const request::resume_action* {
      for (const auto& a : r.actions) {
        if (!a.thread) return &a;
        const auto& t = *a.thread;
        const bool process = t.pid <= 0 || t.pid == pid_;
        if (process && (t.tid == thread_id::all || t.tid == thread_id::any || t.tid == tid)) return &a;
      }
      return nullptr;
    };
    const auto threads = engine_->debug_threads(pid_);
    if (std::none_of(threads.begin(), threads.end(), [&](pid_t tid) { return action_for(tid) != nullptr; }))
      return send_packet(reply::error(ESRCH)), true;
    this->resuming();
    // A fork child gdb keeps (detach-on-fork off) is let go: the server follows one process.
    release_child();
    // A thread no action names stays stopped (gdb steps one thread over a breakpoint so).
    // The old `c`/`s` packets have one action for every thread.
    for (pid_t tid : threads) {
      const request::resume_action* a = action_for(tid);
      if (a == nullptr) continue;
      const int sig = a->signal != 0 ? from_gdb_signal(a->signal) : 0;
      (void)watchpoints_.sync(tid);  // a thread made since the last change has none yet
      engine_->debug_release(tid, sig, a->op == 's' || a->op == 'r');
    }
    return false;
  }

  bool on(const request::xfer_read& r) {
    std::string object;
    if (r.object == "features") {
      if (r.annex != "target.xml") return send_packet(reply::error(ENOENT)), true;
      object = x86_64::target_description();
    } else if (r.object == "auxv") {
      auto auxv = read_small_file("/proc/" + std::to_string(pid_) + "/auxv");
      if (!auxv) return send_packet(reply::error(EIO)), true;
      object = std::move(*auxv);
    } else if (r.object == "exec-file") {
      long pid = pid_;
      if (!r.annex.empty()) {
        std::string_view a = r.annex;
        pid = 0;
        for (char c : a) {
          if (hex_value(c) < 0 || pid > 0x7ffffff) return send_packet(reply::error(EINVAL)), true;
          pid = pid * 16 + hex_value(c);
        }
      }
      if (pid != pid_) return send_packet(reply::error(ESRCH)), true;
      char path[64], target[4096];
      std::snprintf(path, sizeof path, "/proc/%ld/exe", pid);
      ssize_t n = ::readlink(path, target, sizeof target);
      if (n <= 0) return send_packet(reply::error(EIO)), true;
      object.assign(target, static_cast<std::size_t>(n));
    } else if (r.object == "threads") {
      object = threads_document(pid_, engine_->debug_threads(pid_));
    } else if (r.object == "libraries-svr4") {
      auto libraries = libraries_document(pid_);
      if (!libraries) return send_packet(reply::error(EIO)), true;
      object = std::move(*libraries);
    } else {
      return send_packet(reply::unsupported()), true;
    }
    return send_packet(reply::xfer_chunk(object, r.offset, r.length)), true;
  }

  bool on(const request::detach& r) {
    // `D;CHILD`: gdb lets the fork child go (detach-on-fork, following the parent), or a
    // child it kept and the server let go when gdb resumed (detach-on-fork off).
    if (r.pid && *r.pid != pid_) {
      if (*r.pid == pending_child_) release_child();
      return send_packet(reply::ok()), true;
    }
    // `D;PARENT` with a fork child pending: gdb would follow the child (follow-fork-mode
    // child), which the server does not do: refused, gdb stays with the parent.
    if (r.pid && pending_child_ != 0 && *r.pid == pid_) return send_packet(reply::error(EINVAL)), true;
    release_child();
    breakpoints_.clear(pid_);
    watchpoints_.clear();
    for (pid_t tid : engine_->debug_threads(pid_)) (void)watchpoints_.sync(tid);
    send_packet(reply::ok());
    end_session();
    engine_->set_debugger(nullptr);
    for (pid_t tid : engine_->debug_threads(pid_)) engine_->debug_release(tid, 0, false);
    return false;
  }

  bool on(const request::kill& r) {
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
    std::string text = monitor_text(*engine_, r.command, catching_ ? &*catching_ : nullptr, pid_, tid,
                                    calls != calls_.end() ? &calls->second : nullptr);
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
  bool on(const request::file_io& r) { return send_packet(files_.answer(r, pid_)), true; }

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
