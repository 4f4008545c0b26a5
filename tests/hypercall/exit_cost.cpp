// Defines hypercall_exit_cost: measures what each kind of VM exit costs on this machine's KVM
// (the guest's own clock around a loop of N exits; see guests/exit_cost.c) next to the same
// loop natively, and prints a table. It asserts nothing about time; run it by hand:
//   build/tests/hypercall/hypercall_exit_cost [N]
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "support.hpp"

namespace {

namespace hc = snare::backend::hypercall_detail;

// Resumes after every exit the guest causes on purpose, and counts them.
struct exit_sink {
  long exits = 0;
  bool on_mmio(hc::vm&, std::uint64_t address) {
    ++exits;
    return address == 0xF0001000;
  }
  bool on_exception(hc::vm&, std::uint64_t vector, std::uint64_t& rip) {
    ++exits;
    if (vector == 13) rip += 2;  // outb %al, $imm8
    if (vector == 6) rip += 3;   // vmmcall
    return vector == 13 || vector == 3 || vector == 6;
  }
};

}  // namespace

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 20000;
  if (const auto& kvm = snare::host_features().get(snare::host_feature::kvm); !kvm) {
    std::fprintf(stderr, "KVM is not usable: %s\n", kvm.reason.c_str());
    return 77;
  }
  std::string prog = snare::test::guest("hypercall_guest_exit_cost");
  std::printf("KVM flavour: %s\n",
              hc::kvm_is_pvm() ? "PVM (kvm_pvm, software, nested)" : "hardware (SVM/VMX)");
  std::printf("%-8s %12s %12s %10s\n", "method", "native ns", "in VM ns", "VM exits");
  for (const char* m : {"getppid", "probe", "mmio", "pio", "int3", "vmmcall", "cpuid", "rdtsc"}) {
    std::vector<std::string> argv_m{prog, m, std::to_string(n)};
    std::string native = "-";
    if (std::string(m) == "getppid" || std::string(m) == "probe" || std::string(m) == "cpuid" ||
        std::string(m) == "rdtsc") {
      auto r = snare::test::run_native(argv_m);
      char name[32];
      long count;
      double ns;
      if (std::sscanf(r.out.c_str(), "%31s %ld %lf", name, &count, &ns) == 3) native = std::to_string(ns);
    }
    exit_sink sink;
    auto r = snare::test::run_vm(argv_m, sink);
    char name[32];
    long count;
    double ns = -1;
    if (std::sscanf(r.out.c_str(), "%31s %ld %lf", name, &count, &ns) != 3 || r.code != 0) {
      std::printf("%-8s %12s %12s %10s  (%s)\n", m, native.c_str(), "fails", "-", r.diagnostic.c_str());
      continue;
    }
    std::printf("%-8s %12s %12.1f %10ld\n", m, native.c_str(), ns, sink.exits);
  }
  return 0;
}
