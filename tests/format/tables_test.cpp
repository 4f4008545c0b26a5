// Tests the generated name tables against this machine's C headers, and their shape.
#include <catch2/catch.hpp>

#include <asm/prctl.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/falloc.h>
#include <linux/futex.h>
#include <linux/keyctl.h>
#include <linux/membarrier.h>
#include <linux/personality.h>
#include <linux/quota.h>
#include <linux/reboot.h>
#include <linux/rseq.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <set>

#include "fake_memory.hpp"

namespace d = snare::format::detail;

namespace {
std::uint64_t value_of(const d::xlat& x, std::string_view name) {
  for (const auto& e : x.field)
    if (e.name == name) return e.value;
  for (const auto& e : x.bits)
    if (e.name == name) return e.value;
  FAIL("no entry " << name);
  return 0;
}
}  // namespace

TEST_CASE("Generated tables hold the values of the host's headers", "[format][tables]") {
  CHECK(value_of(d::open_xlat, "O_CLOEXEC") == O_CLOEXEC);
  CHECK(value_of(d::open_xlat, "O_DIRECTORY") == O_DIRECTORY);
  CHECK(value_of(d::open_xlat, "O_TMPFILE") == O_TMPFILE);
  CHECK(value_of(d::open_xlat, "O_LARGEFILE") == 0x8000);  // the kernel's value; glibc's x86-64 macro is 0
  CHECK(value_of(d::at_xlat, "AT_EMPTY_PATH") == AT_EMPTY_PATH);
  CHECK(value_of(d::mmap_prot_xlat, "PROT_EXEC") == PROT_EXEC);
  CHECK(value_of(d::mmap_flags_xlat, "MAP_ANONYMOUS") == MAP_ANONYMOUS);
  CHECK(value_of(d::mmap_flags_xlat, "MAP_FIXED_NOREPLACE") == MAP_FIXED_NOREPLACE);
  CHECK(value_of(d::clone_flags_xlat, "CLONE_THREAD") == CLONE_THREAD);
  CHECK(value_of(d::clone_flags_xlat, "CLONE_NEWUSER") == CLONE_NEWUSER);
  CHECK(value_of(d::fcntl_cmd_xlat, "F_DUPFD_CLOEXEC") == F_DUPFD_CLOEXEC);
  CHECK(value_of(d::ioctl_request_xlat, "TCGETS") == TCGETS);
  CHECK(value_of(d::ioctl_request_xlat, "FIONREAD") == FIONREAD);
  CHECK(value_of(d::prctl_option_xlat, "PR_SET_NAME") == PR_SET_NAME);
  CHECK(value_of(d::arch_prctl_code_xlat, "ARCH_SET_FS") == ARCH_SET_FS);
  CHECK(value_of(d::futex_op_xlat, "FUTEX_WAIT_BITSET") == FUTEX_WAIT_BITSET);
  CHECK(value_of(d::seek_whence_xlat, "SEEK_HOLE") == SEEK_HOLE);
  CHECK(value_of(d::socket_family_xlat, "AF_NETLINK") == AF_NETLINK);
  CHECK(value_of(d::socket_type_xlat, "SOCK_SEQPACKET") == SOCK_SEQPACKET);
  CHECK(value_of(d::msg_flags_xlat, "MSG_NOSIGNAL") == MSG_NOSIGNAL);
  CHECK(value_of(d::sa_flags_xlat, "SA_RESTART") == SA_RESTART);
  CHECK(value_of(d::epoll_events_xlat, "EPOLLET") == EPOLLET);
  CHECK(value_of(d::poll_events_xlat, "POLLRDHUP") == POLLRDHUP);
  CHECK(value_of(d::rlimit_resource_xlat, "RLIMIT_NOFILE") == RLIMIT_NOFILE);
  CHECK(value_of(d::clock_id_xlat, "CLOCK_BOOTTIME") == CLOCK_BOOTTIME);
  CHECK(value_of(d::statx_mask_xlat, "STATX_BTIME") == STATX_BTIME);
  CHECK(value_of(d::getrandom_flags_xlat, "GRND_RANDOM") == GRND_RANDOM);
  CHECK(value_of(d::eventfd_flags_xlat, "EFD_SEMAPHORE") == EFD_SEMAPHORE);
  CHECK(value_of(d::wait_options_xlat, "__WALL") == __WALL);
  CHECK(value_of(d::ptrace_request_xlat, "PTRACE_SEIZE") == PTRACE_SEIZE);
  CHECK(value_of(d::mount_flags_xlat, "MS_BIND") == MS_BIND);
  CHECK(value_of(d::fallocate_mode_xlat, "FALLOC_FL_PUNCH_HOLE") == FALLOC_FL_PUNCH_HOLE);
  CHECK(value_of(d::splice_flags_xlat, "SPLICE_F_GIFT") == SPLICE_F_GIFT);
  CHECK(value_of(d::rseq_flags_xlat, "RSEQ_FLAG_UNREGISTER") == RSEQ_FLAG_UNREGISTER);
  CHECK(value_of(d::membarrier_cmd_xlat, "MEMBARRIER_CMD_PRIVATE_EXPEDITED") ==
        MEMBARRIER_CMD_PRIVATE_EXPEDITED);
  CHECK(value_of(d::personality_xlat, "PER_LINUX32") == PER_LINUX32);
  CHECK(value_of(d::personality_xlat, "PER_SVR4") == (PER_SVR4 & PER_MASK));
  CHECK(value_of(d::personality_xlat, "ADDR_NO_RANDOMIZE") == ADDR_NO_RANDOMIZE);
  CHECK(value_of(d::quotactl_cmd_xlat, "Q_GETQUOTA") == Q_GETQUOTA);
  CHECK(value_of(d::quota_type_xlat, "PRJQUOTA") == PRJQUOTA);
  CHECK(value_of(d::reboot_cmd_xlat, "LINUX_REBOOT_CMD_POWER_OFF") == LINUX_REBOOT_CMD_POWER_OFF);
  CHECK(value_of(d::reboot_magic_xlat, "LINUX_REBOOT_MAGIC2") == LINUX_REBOOT_MAGIC2);
  CHECK(value_of(d::bpf_cmd_xlat, "BPF_PROG_LOAD") == BPF_PROG_LOAD);
  CHECK(value_of(d::keyctl_op_xlat, "KEYCTL_READ") == KEYCTL_READ);
  CHECK(value_of(d::syslog_type_xlat, "SYSLOG_ACTION_SIZE_BUFFER") == 10);  // no exported header
}

TEST_CASE("Every table names each value once and has no zero bit", "[format][tables]") {
  const d::xlat* all[] = {&d::open_xlat,           &d::at_xlat,
                          &d::mmap_prot_xlat,      &d::mmap_flags_xlat,
                          &d::clone_flags_xlat,    &d::fcntl_cmd_xlat,
                          &d::ioctl_request_xlat,  &d::prctl_option_xlat,
                          &d::futex_op_xlat,       &d::socket_family_xlat,
                          &d::msg_flags_xlat,      &d::sa_flags_xlat,
                          &d::epoll_events_xlat,   &d::poll_events_xlat,
                          &d::statx_mask_xlat,     &d::wait_options_xlat,
                          &d::fallocate_mode_xlat, &d::splice_flags_xlat,
                          &d::membarrier_cmd_xlat, &d::personality_xlat,
                          &d::quotactl_cmd_xlat,   &d::reboot_cmd_xlat,
                          &d::bpf_cmd_xlat,        &d::keyctl_op_xlat,
                          &d::syslog_type_xlat};
  for (const d::xlat* x : all) {
    std::set<std::string_view> names;
    for (const auto& e : x->field) CHECK(names.insert(e.name).second);
    for (const auto& e : x->bits) {
      CHECK(names.insert(e.name).second);
      CHECK(e.value != 0);
    }
  }
}

TEST_CASE("Every flag set of the syscall table has a table", "[format][tables]") {
  using snare::sys::flag_set;
  // The generator refuses a flag_set without a table; this pins it on the built header.
  STATIC_REQUIRE(d::xlat_for(flag_set::none) == nullptr);
  STATIC_REQUIRE(d::xlat_by_set.size() == static_cast<std::size_t>(flag_set::rwf_flags) + 1);
  for (std::size_t s = 1; s < d::xlat_by_set.size(); ++s) {
    INFO("flag_set " << s);
    CHECK(d::xlat_by_set[s] != nullptr);
  }
  std::size_t named = 0;
  for (long nr = 0; nr < 512; ++nr) {
    const snare::sys::syscall_desc* desc = snare::sys::x86_64::descriptor(nr);
    if (desc == nullptr) continue;
    for (std::size_t i = 0; i < desc->nargs; ++i) {
      const auto& a = desc->args[i];
      if (a.kind != snare::sys::arg_kind::flags && a.kind != snare::sys::arg_kind::enumeration) continue;
      INFO(desc->name << " argument " << a.name);
      CHECK(d::xlat_for(a.flags) != nullptr);
      ++named;
    }
  }
  CHECK(named > 80);
}
