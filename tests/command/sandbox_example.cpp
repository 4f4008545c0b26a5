// The sandbox example of docs/command.md, built and run by the suite (keep them the same).
#include <snare/seccomp_notify.hpp>

#include <algorithm>
#include <cstdio>

// Counts the files a command opens; runs it as root of its own user namespace, pid 1 of its
// own pid namespace, with no network, its own host name, /tmp and /proc, and its output kept.
struct open_counter {
  int opened = 0;
  snare::action on(snare::sys::openat, auto&) { return ++opened, snare::proceed(); }
};

int main(int argc, char** argv) {
  open_counter tool;
  auto cmd = snare::command(argc > 1 ? argv[1] : "sh")
                 .args(std::span(argv + std::min(argc, 2), argv + argc))
                 .map_root()
                 .unshare(snare::ns::pid | snare::ns::net | snare::ns::ipc)
                 .hostname("sandbox")
                 .tmpfs("/tmp")
                 .proc("/proc")
                 .env("HOME", "/tmp")
                 .current_dir("/tmp");
  auto out = snare::output<snare::backend::seccomp_notify>(tool, cmd);
  std::printf("%s-- %d files opened, exit code %d\n", out.out.c_str(), tool.opened, out.code);
  return out.code;
}
