// Defines strace::run_in_guest: snare-strace on the in_guest backend. The guests format
// their calls in strace::in_guest_tool (snare-strace-in-guest.so, preloaded) and send each
// line by g.global().call; here the messages reach the session in the order the tracer
// serves them (one global call at a time), whole lines only.
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <string>

#include <snare/backend/in_guest.hpp>
#include <snare/tracer.hpp>

#include "in_guest_tool.hpp"
#include "run_on.hpp"

namespace strace {

namespace {

/// Receives the guests' messages (in the tracer, on the thread that serves global calls).
class in_guest_sink {
 public:
  explicit in_guest_sink(session& s) : s_(s) {}

  static void deliver(void* self, const guest_message& m) { static_cast<in_guest_sink*>(self)->on(m); }

 private:
  struct pending {
    pid_t tid = 0;
    std::string text;
    std::uint32_t pad = 0;
  };

  void on(const guest_message& m) {
    // A text longer than one message comes in parts of the same thread, in order.
    std::string& part = parts_[m.tid];
    part.append(m.text, m.len);
    if (!m.last) return;
    std::string text = std::move(part);
    parts_.erase(m.tid);
    using k = guest_message::kind;
    switch (m.k) {
      case k::call: {
        // A call after an execve of this thread: the execve failed and its line is this one.
        auto it = execs_.find(m.pid);
        if (it != execs_.end() && it->second.tid == m.tid) execs_.erase(it);
        s_.guest_line(m.tid, text, m.pad_at, false);
        break;
      }
      case k::exec_pending:
        execs_[m.pid] = {m.tid, std::move(text), m.pad_at};
        break;
      case k::exec:
        if (auto it = execs_.find(m.pid); it != execs_.end()) {
          // The kernel gives the new image the process's pid as its thread's id.
          s_.guest_line(it->second.tid, it->second.text, it->second.pad, false);
          execs_.erase(it);
        }
        break;
      case k::no_return:
        s_.guest_line(m.tid, text, std::string::npos, true);
        break;
      case k::thread_start:
        s_.guest_thread_start(m.pid, m.tid);
        break;
      case k::thread_exit:
        s_.guest_thread_exit(m.pid, m.tid, m.status);
        break;
      case k::process_exit:
        execs_.erase(m.pid);
        s_.guest_process_exit(m.pid, m.status);
        break;
    }
  }

  session& s_;
  std::map<pid_t, std::string> parts_;
  std::map<pid_t, pending> execs_;
};

/// The tool object: SNARE_IN_GUEST_OBJECT, else snare-strace-in-guest.so next to this
/// executable, else ../lib/snare/ from it (an installed snare-strace), as snare-count.
std::string in_guest_object() {
  if (const char* e = std::getenv("SNARE_IN_GUEST_OBJECT"); e && *e) return e;
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "snare-strace-in-guest.so";
  std::string dir(self, static_cast<std::size_t>(n));
  dir = dir.substr(0, dir.rfind('/'));
  std::string here = dir + "/snare-strace-in-guest.so";
  if (::access(here.c_str(), R_OK) == 0) return here;
  return dir + "/../lib/snare/snare-strace-in-guest.so";
}

}  // namespace

snare::exit_status run_in_guest(const nr_set& trace, session& s, const options& o) {
  guest_config c;
  c.trace = trace;
  c.abbrev = o.abbrev_calls;
  c.follow_forks = o.follow_forks;
  c.fo.string_limit = o.string_limit;
  c.fo.show_fd_paths = o.fd_paths;
  c.fo.show_socket_details = (o.fd_details & decode_fd_socket) != 0;
  c.fo.show_device_numbers = (o.fd_details & decode_fd_dev) != 0;
  c.fo.show_pidfd_pids = (o.fd_details & decode_fd_pidfd) != 0;
  c.fo.hex_strings = o.hex_strings;
  c.fo.xlat = o.xlat == xlat_style::raw       ? snare::format::xlat_style::raw
              : o.xlat == xlat_style::verbose ? snare::format::xlat_style::verbose
                                              : snare::format::xlat_style::abbrev;
  in_guest_tool t;
  t.config_text = c.to_string();
  const std::string object = in_guest_object();
  snare::run_options ro;
  ro.follow_forks = o.follow_forks;
  ro.stop = s.stop_source();
  ro.in_guest_object = object.c_str();
  s.set_exits_observed(true);
  in_guest_sink sink(s);
  in_guest_global::next = {&sink, &in_guest_sink::deliver};
  snare::tracer<snare::backend::in_guest, in_guest_tool> tracer(t, ro);
  if (o.env.empty() && !o.user)
    tracer.run(o.command);
  else
    tracer.run(command_of(o));
  return tracer.status();
}

}  // namespace strace
