// A tool with one typed handler template that takes every typed call (`on(auto call, g)`) on
// the ptrace backend: the worst case of dispatch's compile cost, one typed thunk per call of
// the table (benchmarks/compile/measure.py, docs/compile-time.md).
#include <snare/ptrace.hpp>

#include <cstdio>

struct every_call {
  long calls = 0, named = 0;
  void on(auto call, auto&) {
    ++calls;
    named += call.name().size();
  }
};

int main(int argc, char** argv) {
  every_call tool;
  int status = snare::run<snare::backend::ptrace>(tool, std::span(argv + 1, argc - 1));
  std::fprintf(stderr, "%ld calls\n", tool.calls);
  return status;
}
