// A tool with ten typed handlers on the ptrace backend: the second figure of
// benchmarks/compile/measure.py (docs/compile-time.md). Its handlers do what tools do:
// read a path, count, fail a call, change an argument, look at a result.
#include <snare/ptrace.hpp>

#include <cerrno>
#include <cstdio>

struct ten_handlers {
  long opens = 0, reads = 0, writes = 0, closes = 0, stats = 0, maps = 0, forks = 0, execs = 0;
  snare::action on(snare::sys::openat call, auto& g) {
    auto path = g.read_cstr(call.pathname());
    if (path && *path == "/etc/shadow") return snare::fail(EACCES);
    ++opens;
    return snare::proceed();
  }
  void on(snare::sys::read, auto&) { ++reads; }
  void on(snare::sys::write& call, auto&) {
    ++writes;
    if (call.count() > 4096) call.set_count(4096);
  }
  void on(snare::sys::close, auto&) { ++closes; }
  void on(snare::sys::newfstatat, auto&) { ++stats; }
  void on(snare::sys::mmap, auto&) { ++maps; }
  void on(snare::sys::clone, auto&) { ++forks; }
  void on(snare::sys::clone3, auto&) { ++forks; }
  void on(snare::sys::execve, auto&) { ++execs; }
  long on_exit(snare::sys::getpid, long ret, auto&) { return ret; }
};

int main(int argc, char** argv) {
  ten_handlers tool;
  int status = snare::run<snare::backend::ptrace>(tool, std::span(argv + 1, argc - 1));
  std::fprintf(stderr, "%ld opens, %ld reads, %ld writes\n", tool.opens, tool.reads, tool.writes);
  return status;
}
