/* Defines ref_kvm_exit: the cost of one KVM exit to user space, the mechanism under the
 * hypercall backend. A tiny real-mode guest loops on one instruction that exits: `out` to a
 * port (KVM_EXIT_IO) or a store to unmapped guest memory (KVM_EXIT_MMIO); the host calls
 * KVM_RUN N times and prints "kvm_exit <pio|mmio> <N> exits <ns> ns/exit".
 *
 *   ref_kvm_exit pio|mmio [N]      (N defaults to 20000)
 *
 * Exits with 0, with 1 on an unexpected exit reason, with 125 when /dev/kvm is unusable
 * (the reason goes to stderr). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static void die(const char* what) {
  fprintf(stderr, "ref_kvm_exit: %s: %s\n", what, strerror(errno));
  exit(125);
}

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int main(int argc, char** argv) {
  int mmio = argc > 1 && strcmp(argv[1], "mmio") == 0;
  if (argc < 2 || (!mmio && strcmp(argv[1], "pio") != 0)) {
    fprintf(stderr, "usage: %s pio|mmio [N]\n", argv[0]);
    return 125;
  }
  long n = argc > 2 ? strtol(argv[2], NULL, 10) : 20000;
  if (n <= 0) n = 20000;

  int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (kvm < 0) die("/dev/kvm");
  int vm = ioctl(kvm, KVM_CREATE_VM, 0);
  if (vm < 0) die("KVM_CREATE_VM");
  uint8_t* mem = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) die("mmap");
  /* pio:  1000: out 0x10, al ; jmp 1000        mmio: 1000: mov [0x8000], al ; jmp 1000 */
  static const uint8_t pio_code[] = {0xe6, 0x10, 0xeb, 0xfc};
  static const uint8_t mmio_code[] = {0xa2, 0x00, 0x80, 0xeb, 0xfb};
  if (mmio)
    memcpy(mem, mmio_code, sizeof mmio_code);
  else
    memcpy(mem, pio_code, sizeof pio_code);
  struct kvm_userspace_memory_region region = {0, 0, 0x1000, 0x1000, (uint64_t)(uintptr_t)mem};
  if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) != 0) die("KVM_SET_USER_MEMORY_REGION");
  int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
  if (vcpu < 0) die("KVM_CREATE_VCPU");
  int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
  if (run_size <= 0) die("KVM_GET_VCPU_MMAP_SIZE");
  struct kvm_run* run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
  if (run == MAP_FAILED) die("mmap kvm_run");
  struct kvm_sregs sregs;
  if (ioctl(vcpu, KVM_GET_SREGS, &sregs) != 0) die("KVM_GET_SREGS");
  sregs.cs.base = 0;
  sregs.cs.selector = 0;
  sregs.ds.base = 0;
  sregs.ds.selector = 0;
  if (ioctl(vcpu, KVM_SET_SREGS, &sregs) != 0) die("KVM_SET_SREGS");
  struct kvm_regs regs;
  memset(&regs, 0, sizeof regs);
  regs.rip = 0x1000;
  regs.rflags = 2;
  if (ioctl(vcpu, KVM_SET_REGS, &regs) != 0) die("KVM_SET_REGS");

  const uint32_t expected = mmio ? KVM_EXIT_MMIO : KVM_EXIT_IO;
  for (int i = 0; i < 100; ++i) /* warm up */
    if (ioctl(vcpu, KVM_RUN, 0) != 0 || run->exit_reason != expected) goto bad;
  uint64_t start = now_ns();
  for (long i = 0; i < n; ++i)
    if (ioctl(vcpu, KVM_RUN, 0) != 0 || run->exit_reason != expected) goto bad;
  uint64_t elapsed = now_ns() - start;
  printf("kvm_exit %s %ld exits %.1f ns/exit\n", mmio ? "mmio" : "pio", n, (double)elapsed / (double)n);
  return 0;
bad:
  fprintf(stderr, "ref_kvm_exit: unexpected exit reason %u (errno %d)\n", run->exit_reason, errno);
  return 1;
}
