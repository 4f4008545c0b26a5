// Defines strace::pid_notes: what snare-strace prints after a pid (-Y's `<comm>`,
// --decode-pids=pidns's ` /* N in strace's PID NS */`) and the comm of each traced thread
// for the line prefix, read from /proc as strace does.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <snare/format/fd_resolver.hpp>

namespace strace {

/// Translates pids between the pid namespaces of the traced threads and the tracer's own
/// (through /proc/PID/status's NSpid, NStgid, NSpgid and NSsid lines, and the namespaces'
/// parents from the NS_GET_PARENT ioctl of /proc/PID/ns/pid), and reads the tasks' comm.
/// /proc may be mounted from an ancestor namespace of the tracer's (`unshare -Urpf
/// snare-strace ...`): its directory names are then not the tracer's pids, and are found
/// by the same lookup. Not thread-safe; every method returns nothing rather than failing.
class pid_notes {
 public:
  /// `comm`: -Y, `pidns`: --decode-pids=pidns.
  pid_notes(bool comm, bool pidns);

  /// Says whether pids get anything appended (either option).
  bool active() const noexcept { return comm_ || pidns_; }
  /// Says whether line prefixes carry the thread's comm (-Y).
  bool comm() const noexcept { return comm_; }

  /// Appends the note for `pid`, an id of type `t` in the pid namespace of thread `tid`
  /// (a tracer's pid): `<comm>` (-Y, for tids and tgids) when the task is found, and
  /// ` /* N in strace's PID NS */` (pidns) when its id N in the tracer's namespace differs.
  void append_note(pid_t tid, int pid, snare::format::pid_type t, std::string& out);

  /// Returns the /proc directory of the task whose id of type `t` in thread `tid`'s pid
  /// namespace is `pid`; 0 when none has it.
  int to_proc(pid_t tid, int pid, snare::format::pid_type t);
  /// Returns the /proc directory of thread `tid` (a tracer's pid); 0 when not found. `tid`
  /// itself unless /proc was mounted in an ancestor namespace.
  int proc_pid(pid_t tid);

  /// Reads thread `tid`'s comm again (at its start, after an execve or a PR_SET_NAME).
  void load_comm(pid_t tid);
  /// Appends `<comm>` of thread `tid` as the line prefix shows it; nothing when unknown.
  /// Returns whether it appended.
  bool append_comm(pid_t tid, std::string& out);
  /// Forgets thread `tid` (it ended).
  void forget(pid_t tid);

 private:
  struct found {
    int ours = 0;  // the id in the tracer's namespace; 0: not found
    int proc = 0;  // the task's directory in /proc
  };
  // Finds the task whose id of type `t` is `pid` in thread `tid`'s namespace.
  found lookup(pid_t tid, int pid, snare::format::pid_type t);
  // Finds the task whose id of type `t` is `id` in namespace `ns` (an inode).
  found translate(unsigned long ns, int id, snare::format::pid_type t);
  found match(int proc_tid, unsigned long ns, int id, snare::format::pid_type t);
  // The pid namespace of thread `tid` (a tracer's pid); 0 when unknown.
  unsigned long ns_of(pid_t tid);
  // The namespaces of /proc's task `proc_tid`, its own first, up to the tracer's (the
  // kernel refuses the parent of that one); empty when unreadable.
  std::vector<unsigned long> ns_chain(int proc_tid);

  bool comm_, pidns_;
  unsigned long our_ns_ = 0;
  bool proc_ours_ = true;
  std::unordered_map<pid_t, std::string> comms_;              // per traced thread: its comm, escaped
  std::unordered_map<pid_t, unsigned long> ns_;               // per traced thread: its pid namespace
  std::map<std::tuple<unsigned long, int, int>, int> hints_;  // (ns, id, type) -> /proc task last found
};

/// Escapes a comm as strace prints it in `<...>`: C escapes and octal for other bytes, and
/// `<`, `>` in octal.
std::string escape_comm(std::string_view comm);

}  // namespace strace
