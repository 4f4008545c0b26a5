// Tests the KVM, TEE, socket and device-mapper ioctl decoders (decode/ioctl/kvm.hpp,
// tee.hpp, sock.hpp, dm.hpp), the names the generator takes from more headers, and the
// families' structures by address under -e verbose=none: request numbers and layouts from
// the kernel headers, lines as strace 6.1's tests (ioctl_kvm_run.c, ioctl_tee.c,
// ioctl_sock.c, ioctl_sock_gifconf.c, ioctl_dm.c, ioctl_loop-nv.c, ioctl.c) expect them.
#include <catch2/catch.hpp>

#include <linux/dm-ioctl.h>
#include <linux/hiddev.h>
#include <linux/kvm.h>
#include <linux/loop.h>
#include <linux/nbd.h>
#include <linux/sockios.h>
#include <linux/tee.h>
#include <net/if.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "fake_memory.hpp"
#include "ioctl_test_support.hpp"

using snare::test::call;
using snare::test::fake_memory;
namespace d = snare::format::detail;

namespace {
using snare::test::ebadf;
using snare::test::minus1;
using snare::test::v_option;

// The CPUID requests with C's sizeof(struct kvm_cpuid2), 8: C++ sizes the header's
// flexible-array wrapper (an empty struct) and gets 12.
constexpr std::uint32_t kvm_set_cpuid2 = _IOW(KVMIO, 0x90, std::uint64_t);
constexpr std::uint32_t kvm_get_supported_cpuid = _IOWR(KVMIO, 0x05, std::uint64_t);
constexpr std::uint32_t kvm_get_emulated_cpuid = _IOWR(KVMIO, 0x09, std::uint64_t);

}  // namespace

TEST_CASE("kvm, tee, socket and dm ioctl numbers and layouts are the kernel headers'", "[format][ioctl]") {
  auto code_of = [](auto& table, std::string_view name) { return snare::test::ioctl_code(table, name); };
  CHECK(code_of(d::kvm_ioctls, "KVM_CREATE_VCPU") == KVM_CREATE_VCPU);
  CHECK(code_of(d::kvm_ioctls, "KVM_CHECK_EXTENSION") == KVM_CHECK_EXTENSION);
  CHECK(code_of(d::kvm_ioctls, "KVM_SET_USER_MEMORY_REGION") == KVM_SET_USER_MEMORY_REGION);
  CHECK(code_of(d::kvm_ioctls, "KVM_GET_REGS") == KVM_GET_REGS);
  CHECK(code_of(d::kvm_ioctls, "KVM_SET_SREGS") == KVM_SET_SREGS);
  CHECK(code_of(d::kvm_ioctls, "KVM_SET_CPUID2") == kvm_set_cpuid2);
  CHECK(code_of(d::kvm_ioctls, "KVM_GET_SUPPORTED_CPUID") == kvm_get_supported_cpuid);
  CHECK(code_of(d::kvm_ioctls, "KVM_GET_EMULATED_CPUID") == kvm_get_emulated_cpuid);
  CHECK(code_of(d::kvm_ioctls, "KVM_RUN") == KVM_RUN);
  STATIC_REQUIRE(sizeof(kvm_regs) == 144);
  STATIC_REQUIRE(sizeof(kvm_sregs) == 312);
  STATIC_REQUIRE(offsetof(kvm_sregs, apic_base) == 272);
  STATIC_REQUIRE(sizeof(kvm_segment) == 24);
  STATIC_REQUIRE(sizeof(kvm_cpuid_entry2) == 40);
  CHECK(code_of(d::tee_ioctls, "TEE_IOC_VERSION") == TEE_IOC_VERSION);
  CHECK(code_of(d::tee_ioctls, "TEE_IOC_OPEN_SESSION") == TEE_IOC_OPEN_SESSION);
  CHECK(code_of(d::tee_ioctls, "TEE_IOC_SHM_REGISTER") == TEE_IOC_SHM_REGISTER);
  STATIC_REQUIRE(sizeof(tee_ioctl_open_session_arg) == 56);
  STATIC_REQUIRE(sizeof(tee_ioctl_invoke_arg) == 24);
  STATIC_REQUIRE(sizeof(tee_ioctl_param) == 32);
  CHECK(code_of(d::sock_ioctls, "SIOCGIFCONF") == SIOCGIFCONF);
  CHECK(code_of(d::sock_ioctls, "SIOCBRDELIF") == SIOCBRDELIF);
  CHECK(code_of(d::sock_ioctls, "SIOCGSTAMPNS_NEW") == SIOCGSTAMPNS_NEW);
  STATIC_REQUIRE(sizeof(ifreq) == d::ifreq_size);
  for (auto [name, code] : {std::pair<std::string_view, std::uint32_t>{"DM_VERSION", DM_VERSION},
                            {"DM_TABLE_LOAD", DM_TABLE_LOAD},
                            {"DM_TARGET_MSG", DM_TARGET_MSG},
                            {"DM_DEV_ARM_POLL", DM_DEV_ARM_POLL}}) {
    INFO(name);
    CHECK(code_of(d::dm_ioctls, name) == code);
  }
  STATIC_REQUIRE(offsetof(dm_ioctl, data) == d::dm_header::size);
  STATIC_REQUIRE(sizeof(dm_target_spec) == 40);
}

TEST_CASE("ioctl names come from kvm, hiddev, hidraw, mmtimer and OpenZFS as strace's", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, 0x5a00, 0x1000}, -9, mem) == "ioctl(-1, ZFS_IOC_POOL_CREATE, 0x1000)" + ebadf);
  CHECK(call("ioctl", {minus1, 0x4b01, 0x1000}, -9, mem) == "ioctl(-1, KSTAT_IOC_CHAIN_ID, 0x1000)" + ebadf);
  CHECK(call("ioctl", {minus1, HIDIOCGVERSION, 0x1000}, -9, mem) ==
        "ioctl(-1, HIDIOCGRDESCSIZE or HIDIOCGVERSION, 0x1000)" + ebadf);
  CHECK(call("ioctl", {minus1, 0x80086d01, 0x1000}, -9, mem) == "ioctl(-1, MMTIMER_GETRES, 0x1000)" + ebadf);
  CHECK(call("ioctl", {minus1, KVM_REGISTER_COALESCED_MMIO, 0x1000}, -9, mem) ==
        "ioctl(-1, KVM_REGISTER_COALESCED_MMIO, 0x1000)" + ebadf);
}

TEST_CASE("kvm ioctls: capabilities, memory regions, registers, fds returned", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {3, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY}, 1, mem) ==
        "ioctl(3, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) = 1");
  CHECK(call("ioctl", {3, KVM_CREATE_VM, 0}, 4, mem) == "ioctl(3, KVM_CREATE_VM, 0) = 4");
  CHECK(call("ioctl", {4, KVM_CREATE_VCPU, 0}, 5, mem) == "ioctl(4, KVM_CREATE_VCPU, 0) = 5");
  kvm_userspace_memory_region region{0, KVM_MEM_READONLY, 0x1000, 4096, 0x7f0000000000};
  mem.put(0x1000, region);
  CHECK(call("ioctl", {4, KVM_SET_USER_MEMORY_REGION, 0x1000}, 0, mem) ==
        "ioctl(4, KVM_SET_USER_MEMORY_REGION, {slot=0, flags=KVM_MEM_READONLY, guest_phys_addr=0x1000, "
        "memory_size=4096, userspace_addr=0x7f0000000000}) = 0");
  kvm_regs regs{};
  regs.rax = 2, regs.rbx = 2, regs.rip = 0x1000, regs.rflags = 2;
  mem.put(0x2000, regs);
  CHECK(call("ioctl", {5, KVM_SET_REGS, 0x2000}, 0, mem) ==
        "ioctl(5, KVM_SET_REGS, {rax=0x2, ..., rsp=0, rbp=0, ..., rip=0x1000, rflags=0x2}) = 0");
  CHECK(call("ioctl", {5, KVM_SET_REGS, 0x2000}, 0, mem, v_option) ==
        "ioctl(5, KVM_SET_REGS, {rax=0x2, rbx=0x2, rcx=0, rdx=0, rsi=0, rdi=0, rsp=0, rbp=0, r8=0, r9=0, "
        "r10=0, "
        "r11=0, r12=0, r13=0, r14=0, r15=0, rip=0x1000, rflags=0x2}) = 0");
  kvm_sregs sregs{};
  sregs.cs.limit = 65535, sregs.cs.type = 11, sregs.cs.present = 1, sregs.cs.s = 1;
  mem.put(0x3000, sregs);
  CHECK(call("ioctl", {5, KVM_GET_SREGS, 0x3000}, 0, mem) ==
        "ioctl(5, KVM_GET_SREGS, {cs={base=0, limit=65535, selector=0, type=11, present=1, dpl=0, db=0, s=1, "
        "l=0, g=0, avl=0}, ...}) = 0");
  CHECK(call("ioctl", {5, KVM_GET_SREGS, 0x3000}, -14, mem) ==
        "ioctl(5, KVM_GET_SREGS, 0x3000) = -1 EFAULT (Bad address)");
  struct {  // struct kvm_cpuid2 with one entry, laid out as in C
    std::uint32_t nent, padding;
    kvm_cpuid_entry2 e[1];
  } cpuid{};
  cpuid.nent = 1, cpuid.e[0].function = 4, cpuid.e[0].flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
  cpuid.e[0].eax = 0x1c;
  mem.put(0x4000, cpuid);
  CHECK(call("ioctl", {3, kvm_get_supported_cpuid, 0x4000}, 0, mem) ==
        "ioctl(3, KVM_GET_SUPPORTED_CPUID, {nent=1, entries=[...]}) = 0");
  CHECK(call("ioctl", {5, kvm_set_cpuid2, 0x4000}, 0, mem, v_option) ==
        "ioctl(5, KVM_SET_CPUID2, {nent=1, entries=[{function=0x4, index=0, "
        "flags=KVM_CPUID_FLAG_SIGNIFCANT_INDEX, eax=0x1c, ebx=0, ecx=0, edx=0}]}) = 0");
  CHECK(call("ioctl", {5, kvm_set_cpuid2, 0}, -14, mem) ==
        "ioctl(5, KVM_SET_CPUID2, NULL) = -1 EFAULT (Bad address)");
}

TEST_CASE("tee ioctls: buffers with parameters at entry and exit, shared memory", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, TEE_IOC_CANCEL, 0}, -9, mem) == "ioctl(-1, TEE_IOC_CANCEL, NULL)" + ebadf);
  tee_ioctl_cancel_arg cancel{3735928559u, 0xbadc0ded};
  mem.put(0x1000, cancel);
  CHECK(call("ioctl", {minus1, TEE_IOC_CANCEL, 0x1000}, -9, mem) ==
        "ioctl(-1, TEE_IOC_CANCEL, {cancel_id=3735928559, session=0xbadc0ded})" + ebadf);
  tee_ioctl_shm_alloc_data shm{0xcafef00ddeadbeefULL, 0x83, 5};
  mem.put(0x2000, shm);
  CHECK(call("ioctl", {minus1, TEE_IOC_SHM_ALLOC, 0x2000}, -9, mem) ==
        "ioctl(-1, TEE_IOC_SHM_ALLOC, {size=0xcafef00ddeadbeef, "
        "flags=TEE_IOCTL_SHM_MAPPED|TEE_IOCTL_SHM_DMA_BUF|0x80})" +
            ebadf);
  CHECK(call("ioctl", {3, TEE_IOC_SHM_ALLOC, 0x2000}, 0, mem) ==
        "ioctl(3, TEE_IOC_SHM_ALLOC, {size=0xcafef00ddeadbeef, "
        "flags=TEE_IOCTL_SHM_MAPPED|TEE_IOCTL_SHM_DMA_BUF|0x80} "
        "=> {size=0xcafef00ddeadbeef, flags=TEE_IOCTL_SHM_MAPPED|TEE_IOCTL_SHM_DMA_BUF|0x80, id=5}) = 0");

  struct {  // struct tee_ioctl_invoke_arg with two parameters (a flexible array)
    std::uint32_t func, session, cancel_id, ret, ret_origin, num_params;
    tee_ioctl_param params[2];
  } invoke{3735928559u, 0xbadc0ded, 4008754927u, 7, 3, 2, {}};
  STATIC_REQUIRE(offsetof(tee_ioctl_invoke_arg, params) == offsetof(decltype(invoke), params));
  invoke.params[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT | TEE_IOCTL_PARAM_ATTR_META;
  invoke.params[0].a = 1;
  invoke.params[1].attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT;
  invoke.params[1].a = 2, invoke.params[1].b = 3, invoke.params[1].c = 4;
  mem.put(0x3100, invoke);
  tee_ioctl_buf_data buf{0x3100, sizeof invoke};
  mem.put(0x3000, buf);
  const std::string params =
      "params=[{attr=TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT|TEE_IOCTL_PARAM_ATTR_META, a=0x1, b=0, c=0}, "
      "{attr=TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT, shm_offs=0x2, size=0x3, shm_id=4}]";
  CHECK(call("ioctl", {minus1, TEE_IOC_INVOKE, 0x3000}, -9, mem) ==
        "ioctl(-1, TEE_IOC_INVOKE, {buf_len=88, buf_ptr={func=3735928559, session=0xbadc0ded, "
        "cancel_id=4008754927, num_params=2, " +
            params + "}})" + ebadf);
  CHECK(call("ioctl", {3, TEE_IOC_INVOKE, 0x3000}, 0, mem) ==
        "ioctl(3, TEE_IOC_INVOKE, {buf_len=88, buf_ptr={func=3735928559, session=0xbadc0ded, "
        "cancel_id=4008754927, num_params=2, " +
            params + "} => {ret=7, ret_origin=TEEC_ORIGIN_TEE, " + params + "}}) = 0");
  buf.buf_len = 89;  // the parameters do not fill it: the buffer alone
  mem.put(0x3000, buf);
  CHECK(call("ioctl", {minus1, TEE_IOC_INVOKE, 0x3000}, -9, mem) ==
        "ioctl(-1, TEE_IOC_INVOKE, {buf_len=89, buf_ptr=0x3100})" + ebadf);
}

TEST_CASE("socket ioctls: ifreq fields, SIOCGIFCONF, bridge names, owners", "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, FIOSETOWN, 0}, -9, mem) == "ioctl(-1, FIOSETOWN, NULL)" + ebadf);
  CHECK(call("ioctl", {minus1, SIOCADDRT, 0}, -9, mem) == "ioctl(-1, SIOCADDRT, NULL)" + ebadf);
  CHECK(call("ioctl", {minus1, 0x8907, 0}, -9, mem) == "ioctl(-1, SIOCGSTAMPNS_OLD, NULL)" + ebadf);
  std::int32_t owner = 7934;
  mem.put(0x1000, owner);
  CHECK(call("ioctl", {3, FIOGETOWN, 0x1000}, 0, mem) == "ioctl(3, FIOGETOWN, [7934]) = 0");

  ifreq ifr{};
  std::memcpy(ifr.ifr_name, "0123456789012345", 16);
  ifr.ifr_flags = IFF_UP | IFF_LOOPBACK;
  mem.put(0x2000, ifr);
  CHECK(call("ioctl", {minus1, SIOCSIFFLAGS, 0x2000}, -9, mem) ==
        "ioctl(-1, SIOCSIFFLAGS, {ifr_name=\"012345678901234\"..., ifr_flags=IFF_UP|IFF_LOOPBACK})" + ebadf);
  std::memcpy(ifr.ifr_name, "lo\0", 3);
  ifr.ifr_ifindex = 1;
  mem.put(0x2000, ifr);
  CHECK(call("ioctl", {3, SIOCGIFINDEX, 0x2000}, 0, mem) ==
        "ioctl(3, SIOCGIFINDEX, {ifr_name=\"lo\", ifr_ifindex=1}) = 0");
  CHECK(call("ioctl", {3, SIOCGIFINDEX, 0x2000}, -9, mem) ==
        "ioctl(3, SIOCGIFINDEX, {ifr_name=\"lo\"})" + ebadf);
  CHECK(call("ioctl", {3, SIOCGIFNAME, 0x2000}, 0, mem) ==
        "ioctl(3, SIOCGIFNAME, {ifr_ifindex=1, ifr_name=\"lo\"}) = 0");
  ifr.ifr_hwaddr.sa_family = 1;  // ARPHRD_ETHER
  std::memcpy(ifr.ifr_hwaddr.sa_data, "\x92\x93\x94\x95\x96\x97", 6);
  mem.put(0x2000, ifr);
  CHECK(call("ioctl", {minus1, SIOCSIFHWADDR, 0x2000}, -9, mem) ==
        "ioctl(-1, SIOCSIFHWADDR, {ifr_name=\"lo\", ifr_hwaddr={sa_family=ARPHRD_ETHER, "
        "sa_data=92:93:94:95:96:97}})" +
            ebadf);
  mem.put(0x3000, "br0123456789012345");
  CHECK(call("ioctl", {minus1, SIOCBRADDBR, 0x3000}, -9, mem) ==
        "ioctl(-1, SIOCBRADDBR, \"br01234567890123\"...)" + ebadf);

  struct {
    std::int32_t len, pad;
    std::uint64_t buf;
  } ifc{80, 0, 0};
  mem.put(0x4000, ifc);
  CHECK(call("ioctl", {3, SIOCGIFCONF, 0x4000}, 0, mem) ==
        "ioctl(3, SIOCGIFCONF, {ifc_len=80 /* 2 * sizeof(struct ifreq) */, ifc_buf=NULL}) = 0");
  CHECK(call("ioctl", {3, SIOCGIFCONF, 0}, -14, mem) ==
        "ioctl(3, SIOCGIFCONF, NULL) = -1 EFAULT (Bad address)");
}

TEST_CASE("dm ioctls: the header, its ABI and size checks, payloads abbreviated unless verbose",
          "[format][ioctl]") {
  fake_memory mem;
  CHECK(call("ioctl", {minus1, DM_VERSION, 0x1000}, -9, mem) == "ioctl(-1, DM_VERSION, 0x1000)" + ebadf);
  struct {
    dm_ioctl ioc;
    dm_target_spec spec;
    char params[8];
  } s{};
  s.ioc.version[0] = 4, s.ioc.version[1] = 1, s.ioc.version[2] = 2;
  s.ioc.data_size = 14;
  mem.put(0x1000, s);
  CHECK(call("ioctl", {minus1, DM_VERSION, 0x1000}, -9, mem) ==
        "ioctl(-1, DM_VERSION, [{version=[4, 1, 2], data_size=14 /* data_size too small */}])" + ebadf);
  s.ioc.version[0] = 5;
  mem.put(0x1000, s);
  CHECK(call("ioctl", {minus1, DM_VERSION, 0x1000}, -9, mem) ==
        "ioctl(-1, DM_VERSION, [{version=[5, 1, 2] /* unsupported device mapper ABI version */}])" + ebadf);
  s.ioc.version[0] = 4;
  s.ioc.data_size = sizeof s;
  s.ioc.data_start = sizeof s.ioc;
  s.ioc.target_count = 1;
  s.ioc.dev = 0x1234;
  std::strcpy(s.ioc.name, "nnn");
  s.spec.sector_start = 16, s.spec.length = 32;
  std::strcpy(s.spec.target_type, "tgt");
  std::strcpy(s.params, "tparams");
  mem.put(0x1000, s);
  const std::string head =
      "[{version=[4, 1, 2], data_size=360, data_start=312, dev=makedev(0x12, 0x34), name=\"nnn\", "
      "target_count=1, "
      "flags=0}";
  CHECK(call("ioctl", {minus1, DM_TABLE_LOAD, 0x1000}, -9, mem) ==
        "ioctl(-1, DM_TABLE_LOAD, " + head + ", ...])" + ebadf);
  CHECK(call("ioctl", {minus1, DM_TABLE_LOAD, 0x1000}, -9, mem, v_option) ==
        "ioctl(-1, DM_TABLE_LOAD, " + head +
            ", {sector_start=16, length=32, target_type=\"tgt\", string=\"tparams\"}])" + ebadf);
  s.ioc.data_start = 4294967288u;
  mem.put(0x1000, s);
  CHECK(call("ioctl", {minus1, DM_TABLE_LOAD, 0x1000}, -9, mem, v_option)
            .ends_with("target_count=1, flags=0}, ??? /* misplaced struct dm_target_spec */])" + ebadf));
}

TEST_CASE("-e verbose=none: family decoders print a structure's address, values as ever", "[format][ioctl]") {
  fake_memory mem;
  loop_info info{};
  mem.put(0x1000, info);
  snare::format::options terse;
  terse.decode_structs = false;
  CHECK(call("ioctl", {minus1, LOOP_SET_STATUS, 0x1000}, -9, mem, terse) ==
        "ioctl(-1, LOOP_SET_STATUS, 0x1000)" + ebadf);
  CHECK(call("ioctl", {minus1, LOOP_GET_STATUS, 0x1000}, 0, mem, terse) ==
        "ioctl(-1, LOOP_GET_STATUS, 0x1000) = 0");
  CHECK(call("ioctl", {minus1, LOOP_SET_FD, 3}, -9, mem, terse) == "ioctl(-1, LOOP_SET_FD, 3)" + ebadf);
  CHECK(call("ioctl", {minus1, NBD_SET_SIZE, 4096}, -9, mem, terse) ==
        "ioctl(-1, NBD_SET_SIZE, 4096)" + ebadf);
  CHECK(call("ioctl", {minus1, LOOP_SET_STATUS, 0x1000}, -9, mem)
            .starts_with("ioctl(-1, LOOP_SET_STATUS, {lo_number=0"));
}
