// Defines strace::pid_notes: pid namespace translation and comms through /proc.
#include "pids.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace strace {
namespace {

using snare::format::pid_type;

// The ids of /proc task `proc_tid` in the status line of type `t`, from /proc's namespace
// down to the task's own ("NSpid:\t9\t1"); empty when unreadable.
// `proc_tid` 0 reads /proc/self.
std::vector<int> ids_of(int proc_tid, pid_type t) {
  static constexpr const char* keys[] = {"NSpid:", "NStgid:", "NSpgid:", "NSsid:"};
  const char* key = keys[static_cast<int>(t)];
  char path[64];
  if (proc_tid == 0)
    std::snprintf(path, sizeof path, "/proc/self/status");
  else
    std::snprintf(path, sizeof path, "/proc/%d/status", proc_tid);
  std::vector<int> ids;
  std::FILE* f = std::fopen(path, "re");
  if (!f) return ids;
  char line[512];
  const std::size_t key_len = std::strlen(key);
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, key, key_len) != 0) continue;
    char* p = line + key_len;
    for (;;) {
      char* end = nullptr;
      long v = std::strtol(p, &end, 10);
      if (end == p) break;
      ids.push_back(static_cast<int>(v));
      p = end;
    }
    break;
  }
  std::fclose(f);
  return ids;
}

unsigned long inode_of(const char* path) {
  struct stat st {};
  return ::stat(path, &st) == 0 ? static_cast<unsigned long>(st.st_ino) : 0;
}

// The first line of /proc/PID/comm, without its newline; empty when unreadable.
std::string read_comm(int proc_pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/comm", proc_pid);
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  char buf[64];
  ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n <= 0) return {};
  std::string s(buf, static_cast<std::size_t>(n));
  if (auto nl = s.find('\n'); nl != std::string::npos) s.resize(nl);
  return s;
}

// Calls f(proc_tid) for every task under /proc until it returns true.
template <class F>
bool each_task(F f) {
  DIR* procs = ::opendir("/proc");
  if (!procs) return false;
  bool done = false;
  while (!done) {
    dirent* e = ::readdir(procs);
    if (!e) break;
    int pid = std::atoi(e->d_name);
    if (pid <= 0) continue;
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR* tasks = ::opendir(path);
    if (!tasks) continue;
    while (!done) {
      dirent* t = ::readdir(tasks);
      if (!t) break;
      int tid = std::atoi(t->d_name);
      if (tid > 0) done = f(tid);
    }
    ::closedir(tasks);
  }
  ::closedir(procs);
  return done;
}

}  // namespace

std::string escape_comm(std::string_view comm) {
  std::string out;
  for (std::size_t i = 0; i < comm.size(); ++i) {
    const auto c = static_cast<unsigned char>(comm[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\v':
        out += "\\v";
        continue;
      default:
        break;
    }
    if (c >= ' ' && c <= '~' && c != '<' && c != '>') {
      out += static_cast<char>(c);
      continue;
    }
    // Octal, three digits when an octal digit follows (it would read as part of it).
    const char next = i + 1 < comm.size() ? comm[i + 1] : '\0';
    char buf[8];
    if (next >= '0' && next <= '7')
      std::snprintf(buf, sizeof buf, "\\%03o", c);
    else
      std::snprintf(buf, sizeof buf, "\\%o", c);
    out += buf;
  }
  return out;
}

pid_notes::pid_notes(bool comm, bool pidns) : comm_(comm), pidns_(pidns) {
  our_ns_ = inode_of("/proc/self/ns/pid");
  // /proc/self/status lists one id per namespace from /proc's down to ours: more than one
  // when /proc was mounted in an ancestor namespace.
  proc_ours_ = ids_of(0, pid_type::tid).size() <= 1;
}

std::vector<unsigned long> pid_notes::ns_chain(int proc_tid) {
  std::vector<unsigned long> chain;
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/ns/pid", proc_tid);
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  while (fd >= 0 && chain.size() < 32) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) break;
    chain.push_back(static_cast<unsigned long>(st.st_ino));
    // EPERM: the parent is outside the tracer's namespace (ours is the last one).
    int parent = ::ioctl(fd, NS_GET_PARENT);
    ::close(fd);
    fd = parent;
  }
  if (fd >= 0) ::close(fd);
  return chain;
}

pid_notes::found pid_notes::match(int proc_tid, unsigned long ns, int id, pid_type t) {
  std::vector<unsigned long> chain = ns_chain(proc_tid);
  if (chain.empty() || chain.back() != our_ns_) return {};
  std::vector<int> ids = ids_of(proc_tid, t);
  if (ids.size() < chain.size()) return {};
  for (std::size_t level = 0; level < chain.size(); ++level) {
    if (chain[level] != ns) continue;
    if (ids[ids.size() - 1 - level] != id) return {};
    return {ids[ids.size() - chain.size()], proc_tid};
  }
  return {};
}

pid_notes::found pid_notes::translate(unsigned long ns, int id, pid_type t) {
  const auto key = std::make_tuple(ns, id, static_cast<int>(t));
  if (auto it = hints_.find(key); it != hints_.end()) {
    if (found f = match(it->second, ns, id, t); f.ours) return f;
    hints_.erase(it);
  }
  found f;
  each_task([&](int proc_tid) {
    f = match(proc_tid, ns, id, t);
    return f.ours != 0;
  });
  if (f.ours) hints_[key] = f.proc;
  return f;
}

unsigned long pid_notes::ns_of(pid_t tid) {
  if (auto it = ns_.find(tid); it != ns_.end()) return it->second;
  int p = proc_pid(tid);
  if (p <= 0) return 0;
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/ns/pid", p);
  unsigned long ns = inode_of(path);
  if (ns != 0) ns_[tid] = ns;
  return ns;
}

pid_notes::found pid_notes::lookup(pid_t tid, int pid, pid_type t) {
  if (pid <= 0) return {};
  const unsigned long ns = ns_of(tid);
  if (ns == 0) return {};
  return ns == our_ns_ && proc_ours_ ? found{pid, pid} : translate(ns, pid, t);
}

int pid_notes::to_proc(pid_t tid, int pid, pid_type t) { return lookup(tid, pid, t).proc; }

int pid_notes::proc_pid(pid_t tid) {
  if (proc_ours_) return tid;
  return translate(our_ns_, tid, pid_type::tid).proc;
}

void pid_notes::append_note(pid_t tid, int pid, pid_type t, std::string& out) {
  if (!active()) return;
  found f = lookup(tid, pid, t);
  if (f.ours == 0) return;
  if (comm_ && (t == pid_type::tid || t == pid_type::tgid)) {
    std::string c = read_comm(f.proc);
    if (!c.empty()) out += '<' + escape_comm(c) + '>';
  }
  if (pidns_ && f.ours != pid) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " /* %d in strace's PID NS */", f.ours);
    out += buf;
  }
}

void pid_notes::load_comm(pid_t tid) {
  if (!comm_) return;
  int p = proc_pid(tid);
  std::string c = p > 0 ? read_comm(p) : std::string();
  comms_[tid] = escape_comm(c);
}

bool pid_notes::append_comm(pid_t tid, std::string& out) {
  if (!comm_) return false;
  auto it = comms_.find(tid);
  if (it == comms_.end()) {
    load_comm(tid);
    it = comms_.find(tid);
  }
  if (it->second.empty()) return false;
  out += '<' + it->second + '>';
  return true;
}

void pid_notes::forget(pid_t tid) {
  comms_.erase(tid);
  ns_.erase(tid);
}

}  // namespace strace
