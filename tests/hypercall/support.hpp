// Defines the helpers the hypercall tests share: run a command natively or in the VM with
// its stdout captured, and skip when KVM is not usable here.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <snare/backend/hypercall/detail/vm.hpp>

#include "skip.hpp"

namespace snare::test {

namespace hc = snare::backend::hypercall_detail;

/// What a run printed on stdout and how it ended (shell-style code: 128+signal if killed).
struct run_output {
  std::string out;
  int code = -1;
  std::string diagnostic;
};

/// Skips the test case unless KVM can run a micro-VM here.
inline void require_kvm() { snare::test::require_host(snare::host_feature::kvm); }

/// Returns the path of a guest built by tests/hypercall/CMakeLists.txt.
inline std::string guest(const char* name) { return std::string(SNARE_TEST_GUEST_DIR) + "/" + name; }

/// Returns the path of a musl guest, or skips when musl-gcc was not found at configure time.
inline std::string musl_guest(const char* name) {
  std::string dir = SNARE_TEST_MUSL_DIR;
  if (dir.empty()) skip("musl-gcc (musl-tools) is not installed");
  return dir + "/" + name;
}

/// Reads everything from `fd` from offset 0.
inline std::string slurp(int fd) {
  std::string s;
  char buf[4096];
  ::lseek(fd, 0, SEEK_SET);
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) s.append(buf, static_cast<std::size_t>(n));
  return s;
}

/// Runs `argv` natively with `envp`, stdout captured.
inline run_output run_native(const std::vector<std::string>& argv,
                             const std::vector<std::string>& envp = {}) {
  int out = ::memfd_create("native-out", MFD_CLOEXEC);
  // O_APPEND: a memfd has no atomic file position, so two guests writing at once could
  // land at the same offset (seen natively too); appends never overwrite each other.
  ::fcntl(out, F_SETFL, O_APPEND);
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out, 1);
    std::vector<char*> a, e;
    for (auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    for (auto& s : envp) e.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    e.push_back(nullptr);
    ::execve(a[0], a.data(), e.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  run_output r;
  r.out = slurp(out);
  ::close(out);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

/// Runs `argv` in a micro-VM with `hooks`, its stdout (host fd 1) captured in a memfd.
template <class Hooks>
run_output run_vm(const std::vector<std::string>& argv, Hooks& hooks, hc::vm_options opts = {},
                  const std::vector<std::string>& envp = {}) {
  run_output r;
  std::string why;
  auto vm = hc::vm::create(argv, envp, opts, why);
  if (vm->error() != std::errc{}) {
    r.diagnostic = "create failed: " + why;
    return r;
  }
  int out = ::memfd_create("vm-out", MFD_CLOEXEC);
  // O_APPEND: a memfd has no atomic file position, so two guests writing at once could
  // land at the same offset (seen natively too); appends never overwrite each other.
  ::fcntl(out, F_SETFL, O_APPEND);
  std::fflush(nullptr);
  int saved = ::dup(1);
  ::dup2(out, 1);
  auto status = vm->run(hooks);
  ::dup2(saved, 1);
  ::close(saved);
  r.out = slurp(out);
  ::close(out);
  if (!status) {
    r.diagnostic = "run failed: " + vm->why();
    return r;
  }
  r.code = status->shell_code();
  r.diagnostic = vm->diagnostic();
  return r;
}

/// Hooks that only forward (the VM's default behaviour).
struct no_hooks {};

}  // namespace snare::test
