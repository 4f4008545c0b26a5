// A guest program that fires probes with snare::probe and prints what each returned
// (0 under the VM, -ENOSYS natively).
#include <snare/guest_probe.hpp>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  unsigned long base = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 0;
  long r = 0;
  for (unsigned long i = 0; i < 3; ++i) r |= snare::probe(base + i, i, i * 10, 7, 8, 9);
  std::printf("probe returned %ld\n", r);
  return 0;
}
