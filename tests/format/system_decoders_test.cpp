// Tests the decoders of decode/system.hpp, mq.hpp, aio.hpp and ldt.hpp, sendfile's offset,
// reboot's string and -v directory listings (ustat, _sysctl, kexec_load, kexec_file_load,
// adjtimex, mq_*, io_*, modify_ldt, [gs]et_thread_area, getdents). Expected lines are strace
// 6.1's, from its tests of the same names (ustat.c, sysctl.c, kexec_load.c, adjtimex.c, mq.c,
// mq_sendrecv.c, aio.c, aio_pgetevents.c, modify_ldt.c, xet_thread_area_x86.c, sendfile.c,
// reboot.c, getdents-v.c).
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <string>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

TEST_CASE("ustat prints its device as makedev", "[format][system]") {
  fake_memory mem;
  CHECK(call("ustat", {0xffffffff, 0}, -22, mem) ==
        "ustat(makedev(0xfff, 0xfffff), NULL) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("_sysctl prints its struct __sysctl_args, the address when unreadable", "[format][system]") {
  fake_memory mem;
  const std::uint64_t args[10] = {0x1000, 0x6c6b6a69, 0x7877767574737271, 0, 0x6e6d6c6b6a696867, 42};
  mem.put(0x200, args);
  CHECK(call("_sysctl", {0x200}, -38, mem) ==
        "_sysctl({name=0x1000, nlen=1818978921, oldval=0x7877767574737271, oldlenp=NULL, "
        "newval=0x6e6d6c6b6a696867, newlen=42}) = -1 ENOSYS (Function not implemented)");
  CHECK(call("_sysctl", {0x208}, -38, mem) == "_sysctl(0x208) = -1 ENOSYS (Function not implemented)");
}

TEST_CASE("kexec_load prints its segments and its architecture and flags", "[format][system]") {
  fake_memory mem;
  CHECK(call("kexec_load", {0, 0, 0, 0xbadc0dedda7a1054}, -38, mem) ==
        "kexec_load(NULL, 0, NULL, 0xda7a0000 /* KEXEC_ARCH_??? */|0xbadc0ded00001054 /* KEXEC_??? */) = -1 "
        "ENOSYS (Function not implemented)");
  const std::uint64_t segs[8] = {0, 1, 0x2000, 2, 0x3000, 3, 0, 4};
  mem.put(0x100, segs);
  CHECK(call("kexec_load", {0x1234, 2, 0x100, 0x2a0003}, -38, mem) ==
        "kexec_load(0x1234, 2, [{buf=NULL, bufsz=1, mem=0x2000, memsz=2}, {buf=0x3000, bufsz=3, mem=NULL, "
        "memsz=4}], KEXEC_ARCH_SH|KEXEC_ON_CRASH|KEXEC_PRESERVE_CONTEXT) = -1 ENOSYS (Function not "
        "implemented)");
  // A third segment past the mapping ends the array; more than 16 print the address.
  CHECK(call("kexec_load", {0x1234, 3, 0x100, 0}, -38, mem) ==
        "kexec_load(0x1234, 3, [{buf=NULL, bufsz=1, mem=0x2000, memsz=2}, {buf=0x3000, bufsz=3, mem=NULL, "
        "memsz=4}, ... /* 0x140 */], KEXEC_ARCH_DEFAULT) = -1 ENOSYS (Function not implemented)");
  CHECK(call("kexec_load", {0x1234, 17, 0x100, 0}, -38, mem) ==
        "kexec_load(0x1234, 17, 0x100, KEXEC_ARCH_DEFAULT) = -1 ENOSYS (Function not implemented)");
}

TEST_CASE("kexec_file_load prints cmdline_len bytes of its command line", "[format][system]") {
  fake_memory mem;
  mem.put_string(0x100, "abcdef", true);
  CHECK(call("kexec_file_load", {3, 4, 7, 0x100, 6}, -38, mem) ==
        "kexec_file_load(3, 4, 7, \"abcdef\\0\", KEXEC_FILE_ON_CRASH|KEXEC_FILE_NO_INITRAMFS) = -1 ENOSYS "
        "(Function not implemented)");
  CHECK(call("kexec_file_load", {3, 4, 8, 0x100, 8}, -38, mem) ==
        "kexec_file_load(3, 4, 8, 0x100, 0x8 /* KEXEC_FILE_??? */) = -1 ENOSYS (Function not implemented)");
}

TEST_CASE("adjtimex prints its struct timex at exit and the clock state it returns", "[format][system]") {
  fake_memory mem;
  snare::format::detail::kernel_timex t{};
  t.maxerror = 16000000;
  t.status = 0x40;
  t.constant = 2;
  t.tv_sec = 1796159378;
  t.tv_usec = 880635;
  t.tick = 10000;
  mem.put(0x1000, t);
  CHECK(
      call("adjtimex", {0x1000}, 5, mem) ==
      "adjtimex({modes=0, offset=0, freq=0, maxerror=16000000, esterror=0, status=STA_UNSYNC, constant=2, "
      "precision=0, tolerance=0, time={tv_sec=1796159378, tv_usec=880635}, tick=10000, ppsfreq=0, jitter=0, "
      "shift=0, stabil=0, jitcnt=0, calcnt=0, errcnt=0, stbcnt=0, tai=0}) = 5 (TIME_ERROR)");
  CHECK(call("adjtimex", {0x1008}, 5, mem) == "adjtimex(0x1008) = 5");
  CHECK(call("adjtimex", {0}, -14, mem) == "adjtimex(NULL) = -1 EFAULT (Bad address)");
}

TEST_CASE("reboot's RESTART2 string is at most 255 bytes", "[format][system]") {
  fake_memory mem;
  std::string s(256, 'A');
  mem.put_string(0x1000, s, false);
  snare::format::options o;
  o.string_limit = 256;
  CHECK(call("reboot", {0xfee1dead, 0x28121969, 0xa1b2c3d4, 0x1000}, -22, mem, o) ==
        "reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_RESTART2, \"" + s.substr(0, 255) +
            "\"...) = -1 EINVAL (Invalid argument)");
  // 254 readable bytes: the kernel's copy of 255 would fault, so the address.
  CHECK(call("reboot", {0xfee1dead, 0x28121969, 0xa1b2c3d4, 0x1002}, -22, mem, o) ==
        "reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_RESTART2, 0x1002) = -1 EINVAL "
        "(Invalid argument)");
}

TEST_CASE("sendfile prints the offset before and after the call", "[format][io]") {
  fake_memory mem;
  const std::uint64_t off = 35499;
  mem.put(0x100, off);
  CHECK(call("sendfile", {4, 5, 0x100, 35499}, 35499, mem) ==
        "sendfile(4, 5, [35499] => [35499], 35499) = 35499");
  CHECK(call("sendfile", {4, 5, 0x100, 1}, 0, mem) == "sendfile(4, 5, [35499], 1) = 0");
  CHECK(call("sendfile", {4, 5, 0x100, 1}, -22, mem) ==
        "sendfile(4, 5, [35499], 1) = -1 EINVAL (Invalid argument)");
  CHECK(call("sendfile", {4, 5, 0x104, 1}, -14, mem) == "sendfile(4, 5, 0x104, 1) = -1 EFAULT (Bad address)");
  CHECK(call("sendfile", {4, 5, 0, 4096}, -9, mem) ==
        "sendfile(4, 5, NULL, 4096) = -1 EBADF (Bad file descriptor)");
}

TEST_CASE("mq_open shows its mode and attributes with O_CREAT only, mq_getsetattr its flags",
          "[format][mq]") {
  fake_memory mem;
  mem.put_string(0x100, "strace-mq.sample");
  CHECK(call("mq_open", {0x100, 0, 0177355, 0}, -2, mem) ==
        "mq_open(\"strace-mq.sample\", O_RDONLY) = -1 ENOENT (No such file or directory)");
  const std::int64_t attr[8] = {static_cast<std::int64_t>(0xc2c1c0bfbebdbcbbULL), 2, 64, -1};
  mem.put(0x200, attr);
  CHECK(call("mq_open", {0x100, 0x842, 0700, 0x200}, 3, mem) ==
        "mq_open(\"strace-mq.sample\", O_RDWR|O_CREAT|O_NONBLOCK, 0700, {mq_flags=0xc2c1c0bfbebdbcbb, "
        "mq_maxmsg=2, mq_msgsize=64, mq_curmsgs=-1}) = 3");
  CHECK(call("mq_open", {0x100, 0x42, 0700, 0x208}, -14, mem) ==
        "mq_open(\"strace-mq.sample\", O_RDWR|O_CREAT, 0700, 0x208) = -1 EFAULT (Bad address)");
  const std::int64_t nb[8] = {0x800, 10, 8192, 0};
  mem.put(0x300, nb);
  CHECK(call("mq_getsetattr", {0, 0x300, 0}, 0, mem) ==
        "mq_getsetattr(0, {mq_flags=O_NONBLOCK, mq_maxmsg=10, mq_msgsize=8192, mq_curmsgs=0}, NULL) = 0");
  CHECK(call("mq_unlink", {0x100}, 0, mem) == "mq_unlink(\"strace-mq.sample\") = 0");
}

TEST_CASE("io_submit prints each iocb as its opcode uses it", "[format][aio]") {
  fake_memory mem;
  snare::format::detail::aio_iocb a{};
  a.aio_data = 0xfeedface11111111;
  a.aio_reqprio = 11;
  a.aio_buf = 0x5000;
  a.aio_nbytes = 4096;
  a.aio_offset = 42;
  mem.put(0x1000, a);
  snare::format::detail::aio_iocb b{};
  b.aio_key = 3740978896;
  b.aio_lio_opcode = 1;  // IOCB_CMD_PWRITE
  b.aio_reqprio = static_cast<std::int16_t>(0xbeef);
  b.aio_fildes = 0xdefaced1;
  b.aio_buf = 0x6000;
  b.aio_nbytes = 3;
  b.aio_flags = 3;  // IOCB_FLAG_RESFD|IOCB_FLAG_IOPRIO
  b.aio_resfd = 5;
  mem.put(0x1100, b);
  mem.put_string(0x6000, "abc", false);
  const std::uint64_t ptrs[3] = {0x1000, 0x1100, 0};
  mem.put(0x2000, ptrs);
  CHECK(call("io_submit", {0x7000, 3, 0x2000}, 2, mem) ==
        "io_submit(0x7000, 3, [{aio_data=0xfeedface11111111, aio_lio_opcode=IOCB_CMD_PREAD, aio_reqprio=11, "
        "aio_fildes=0, aio_buf=0x5000, aio_nbytes=4096, aio_offset=42}, {aio_data=0, aio_key=3740978896, "
        "aio_lio_opcode=IOCB_CMD_PWRITE, aio_reqprio=IOPRIO_PRIO_VALUE(0x5 /* IOPRIO_CLASS_??? */, 7919), "
        "aio_fildes=-553988399, aio_buf=\"abc\", aio_nbytes=3, aio_offset=0, aio_flags=IOCB_FLAG_RESFD|"
        "IOCB_FLAG_IOPRIO, aio_resfd=5}, NULL]) = 2");
  CHECK(call("io_submit", {0x7000, static_cast<std::uint64_t>(-1), 0x2000}, -22, mem) ==
        "io_submit(0x7000, -1, 0x2000) = -1 EINVAL (Invalid argument)");
  a.aio_lio_opcode = 61453;
  mem.put(0x1000, a);
  CHECK(call("io_cancel", {0x7000, 0x1000, 0x3000}, -22, mem) ==
        "io_cancel(0x7000, {aio_data=0xfeedface11111111, aio_lio_opcode=61453 /* IOCB_CMD_??? */, "
        "aio_reqprio=11, aio_fildes=0}, 0x3000) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("io_getevents prints the events at exit, io_pgetevents its signal mask", "[format][aio]") {
  fake_memory mem;
  const std::int64_t ev[4] = {0x11, 0x1000, 4096, 0};
  mem.put(0x100, ev);
  const std::int64_t ts[2] = {0, 123456789};
  mem.put(0x200, ts);
  CHECK(call("io_getevents", {0x7000, 1, 3, 0x100, 0x200}, 1, mem) ==
        "io_getevents(0x7000, 1, 3, [{data=0x11, obj=0x1000, res=4096, res2=0}], {tv_sec=0, "
        "tv_nsec=123456789}) = 1");
  CHECK(call("io_getevents", {0x7000, 1, 3, 0x100, 0}, -22, mem) ==
        "io_getevents(0x7000, 1, 3, 0x100, NULL) = -1 EINVAL (Invalid argument)");
  const std::uint64_t mask = 1ULL << 30;  // SIGSYS
  mem.put(0x300, mask);
  const std::uint64_t sas[2] = {0x300, 8};
  mem.put(0x400, sas);
  CHECK(
      call("io_pgetevents", {0x7000, 0, 0, 0, 0x200, 0x400}, -22, mem) ==
      "io_pgetevents(0x7000, 0, 0, NULL, {tv_sec=0, tv_nsec=123456789}, {sigmask=[SYS], sigsetsize=8}) = -1 "
      "EINVAL (Invalid argument)");
}

TEST_CASE("modify_ldt and the thread area calls print struct user_desc", "[format][ldt]") {
  fake_memory mem;
  const snare::format::detail::user_desc d{0xffffffff, 0, 0, 0x61};  // seg_32bit, seg_not_present, useable
  mem.put(0x100, d);
  CHECK(
      call("modify_ldt", {0xda7a1057, 0x100, 16}, 0xffffffda, mem) ==
      "modify_ldt(-629534633, {entry_number=-1, base_addr=00000000, limit=00000000, seg_32bit=1, contents=0, "
      "read_exec_only=0, limit_in_pages=0, seg_not_present=1, useable=1, lm=0}, 16) = 4294967258 ENOSYS "
      "(Function not implemented)");
  CHECK(call("modify_ldt", {1, 0x100, 15}, 0, mem) == "modify_ldt(1, 0x100, 15) = 0");
  CHECK(call("get_thread_area", {0x100}, -38, mem) ==
        "get_thread_area({entry_number=-1, ...}) = -1 ENOSYS (Function not implemented)");
  const snare::format::detail::user_desc t{12, 0x87868584, 0xfffff, 0x51};
  mem.put(0x200, t);
  CHECK(call("set_thread_area", {0x200}, 0, mem) ==
        "set_thread_area({entry_number=12, base_addr=0x87868584, limit=0x0fffff, seg_32bit=1, contents=0, "
        "read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1, lm=0}) = 0 (entry_number=12)");
  CHECK(call("get_thread_area", {0x200}, 0, mem) ==
        "get_thread_area({entry_number=12, base_addr=0x87868584, limit=0x0fffff, seg_32bit=1, contents=0, "
        "read_exec_only=0, limit_in_pages=1, seg_not_present=0, useable=1, lm=0}) = 0");
}

TEST_CASE("getdents and getdents64 list their entries with -v", "[format][fs]") {
  fake_memory mem;
  // linux_dirent64: ino, off, reclen, type, name; 24-byte records.
  unsigned char buf[48] = {};
  auto rec64 = [&](std::size_t at, std::uint64_t ino, std::uint64_t off, unsigned char type,
                   const char* name) {
    std::uint16_t reclen = 24;
    std::memcpy(buf + at, &ino, 8);
    std::memcpy(buf + at + 8, &off, 8);
    std::memcpy(buf + at + 16, &reclen, 2);
    buf[at + 18] = type;
    std::memcpy(buf + at + 19, name, std::strlen(name));
  };
  rec64(0, 11, 1, 4, ".");
  rec64(24, 12, 2, 8, "a\nb");
  mem.put(0x1000, buf);
  snare::format::options v;
  v.verbose = true;
  CHECK(call("getdents64", {3, 0x1000, 8192}, 48, mem, v) ==
        "getdents64(3, [{d_ino=11, d_off=1, d_reclen=24, d_type=DT_DIR, d_name=\".\"}, {d_ino=12, d_off=2, "
        "d_reclen=24, d_type=DT_REG, d_name=\"a\\nb\"}], 8192) = 48");
  CHECK(call("getdents64", {3, 0x1000, 8192}, 0, mem, v) == "getdents64(3, [], 8192) = 0");
  CHECK(call("getdents64", {3, 0x1000, 8192}, 48, mem) == "getdents64(3, 0x1000 /* 2 entries */, 8192) = 48");
  // linux_dirent: ino, off, reclen, name, NUL padding, then the type in the last byte.
  unsigned char old[24] = {};
  std::uint64_t ino = 11, off = 1;
  std::uint16_t reclen = 24;
  std::memcpy(old, &ino, 8);
  std::memcpy(old + 8, &off, 8);
  std::memcpy(old + 16, &reclen, 2);
  old[18] = '.';
  old[23] = 4;  // DT_DIR
  mem.put(0x2000, old);
  CHECK(call("getdents", {3, 0x2000, 8192}, 24, mem, v) ==
        "getdents(3, [{d_ino=11, d_off=1, d_reclen=24, d_name=\".\", d_type=DT_DIR}], 8192) = 24");
}

TEST_CASE("without decode_structs (-e verbose= leaving the call out) structures print as addresses",
          "[format][options]") {
  fake_memory mem;
  const std::int64_t ts[2] = {0, 12345678};
  mem.put(0x200, ts);
  snare::format::options o;
  o.decode_structs = false;
  CHECK(call("nanosleep", {0x200, 0}, 0, mem, o) == "nanosleep(0x200, NULL) = 0");
  CHECK(call("nanosleep", {0x200, 0}, 0, mem) == "nanosleep({tv_sec=0, tv_nsec=12345678}, NULL) = 0");
  const std::int64_t attr[8] = {0x800, 10, 8192, 0};
  mem.put(0x300, attr);
  CHECK(call("mq_getsetattr", {0, 0x300, 0}, 0, mem, o) == "mq_getsetattr(0, 0x300, NULL) = 0");
  // An iovec array goes through strace's print_array, which decodes whatever -e verbose= says.
  const std::uint64_t iov[2] = {0x400, 3};
  mem.put(0x500, iov);
  mem.put_string(0x400, "abc", false);
  CHECK(call("writev", {1, 0x500, 1}, 3, mem, o) == "writev(1, [{iov_base=\"abc\", iov_len=3}], 1) = 3");
}
