// Tests System V IPC calls, the mount calls, memfd_create and mmap's flags as strace prints
// them. Expected lines are strace 6.1's, from its tests (ipc_msg.c, ipc_sem.c, ipc_shm.c,
// ipc_msgbuf.c, semop.c, shmxt.c, mount.c, move_mount.c, fsmount.c, fsconfig.c,
// mount_setattr.c, memfd_create.c, remap_file_pages.c).
#include <catch2/catch.hpp>

#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "fake_memory.hpp"

using snare::test::call;
using snare::test::fake_memory;

namespace {
using snare::test::raw;
using snare::test::verbose;
constexpr std::int64_t enoent = -2, einval = -22, efault = -14;
}  // namespace

TEST_CASE("msgget, semget and shmget print the key, the flags and the permission bits", "[format][ipc]") {
  fake_memory mem;
  CHECK(call("msgget", {0xfdb9f531, 0xface1c55}, enoent, mem) ==
        "msgget(0xfdb9f531, IPC_EXCL|IPC_NOWAIT|0xface1000|0125) = -1 ENOENT (No such file or directory)");
  CHECK(call("msgget", {0xffffffff00000000, 0600}, 294961, mem) == "msgget(IPC_PRIVATE, 0600) = 294961");
  CHECK(call("msgget", {0, 01700}, 5, mem, raw) == "msgget(0, 0x200|0700) = 5");
  CHECK(call("msgget", {0, 01700}, 5, mem, verbose) ==
        "msgget(0 /* IPC_PRIVATE */, 0x200 /* IPC_CREAT */|0700) = 5");
  CHECK(call("semget", {0xfdb97531, 0xdeadbeefdec0ded1, 0xface1e55}, einval, mem) ==
        "semget(0xfdb97531, -557785391, IPC_CREAT|IPC_EXCL|IPC_NOWAIT|0xface1000|0125) = -1 EINVAL (Invalid "
        "argument)");
  CHECK(call("shmget", {0xfdb97531, 16051074064915160786u, 0}, 0, mem) ==
        "shmget(0xfdb97531, 16051074064915160786, 000) = 0");
  CHECK(call("shmget", {0xfdb97531, 1, 0x54000000}, 0, mem) ==
        "shmget(0xfdb97531, 1, 21<<SHM_HUGE_SHIFT|000) = 0");
  CHECK(call("shmget", {0xfdb97531, 1, 0x54000000}, 0, mem, raw) == "shmget(0xfdb97531, 1, 21<<26|000) = 0");
  CHECK(call("shmget", {0xfdb97531, 1, 0x56ce1e55}, -17, mem) ==
        "shmget(0xfdb97531, 1, "
        "IPC_CREAT|IPC_EXCL|SHM_HUGETLB|SHM_NORESERVE|0x2ce0000|21<<SHM_HUGE_SHIFT|0125) = "
        "-1 EEXIST (File exists)");
}

TEST_CASE("msgctl, semctl and shmctl print the command and the buffer it reads or fills in",
          "[format][ipc]") {
  fake_memory mem;
  struct msqid_ds ds {};
  ds.msg_perm.mode = 0600;
  ds.msg_ctime = 1796153989;
  ds.msg_qbytes = 16384;
  mem.put(0x1000, ds);
  CHECK(call("msgctl", {294961, IPC_STAT, 0x1000}, 0, mem) ==
        "msgctl(294961, IPC_STAT, {msg_perm={uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0}, msg_stime=0, "
        "msg_rtime=0, msg_ctime=1796153989, msg_qnum=0, msg_qbytes=16384, msg_lspid=0, msg_lrpid=0}) = 0");
  CHECK(call("msgctl", {294961, IPC_SET | 0x100, 0x1000}, 0, mem) ==
        "msgctl(294961, IPC_64|IPC_SET, {msg_perm={uid=0, gid=0, mode=0600}, msg_qbytes=16384}) = 0");
  CHECK(call("msgctl", {0xfdb97531, IPC_SET, ~std::uint64_t{0}}, einval, mem) ==
        "msgctl(-38177487, IPC_SET, 0xffffffffffffffff) = -1 EINVAL (Invalid argument)");
  // A failed IPC_STAT filled nothing in: the address.
  CHECK(call("msgctl", {1, IPC_STAT, 0x1000}, einval, mem) ==
        "msgctl(1, IPC_STAT, 0x1000) = -1 EINVAL (Invalid argument)");
  CHECK(call("msgctl", {1, 0xdeadbeef, 0}, einval, mem) ==
        "msgctl(1, 0xdeadbeef /* MSG_??? */, NULL) = -1 EINVAL (Invalid argument)");
  CHECK(call("msgctl", {294961, IPC_RMID, 0}, 0, mem, verbose) ==
        "msgctl(294961, 0 /* IPC_RMID */, NULL) = 0");
  CHECK(call("semctl", {131133, 0, IPC_RMID, 0}, 0, mem) == "semctl(131133, 0, IPC_RMID, NULL) = 0");
  CHECK(call("semctl", {131133, 0, SEM_STAT, 0}, 0, mem, raw) == "semctl(131133, 0, 0x12, NULL) = 0");
  struct shminfo si {};
  si.shmmax = 18446744073692774399u;
  si.shmmin = 1;
  si.shmmni = 4096;
  si.shmseg = 4096;
  si.shmall = 18446744073692774399u;
  mem.put(0x2000, si);
  CHECK(call("shmctl", {163843, IPC_INFO, 0x2000}, 3, mem) ==
        "shmctl(163843, IPC_INFO, {shmmax=18446744073692774399, shmmin=1, shmmni=4096, shmseg=4096, "
        "shmall=18446744073692774399}) = 3");
}

TEST_CASE("semop, shmat, msgsnd and msgrcv print operations, flags and messages", "[format][ipc]") {
  fake_memory mem;
  struct sembuf sb {
    0, -1, SEM_UNDO
  };
  mem.put(0x1000, sb);
  CHECK(call("semop", {163861, 0x1000, 0xffffffff00000001}, 0, mem) ==
        "semop(163861, [{sem_num=0, sem_op=-1, sem_flg=SEM_UNDO}], 1) = 0");
  CHECK(call("semop", {0xfdb97531, 0, 0xdeadbeef}, -7, mem) ==
        "semop(-38177487, NULL, 3735928559) = -1 E2BIG (Argument list too long)");
  CHECK(call("shmat", {163865, 0, 0x9000}, 0x7faaff529000, mem) ==
        "shmat(163865, NULL, SHM_RDONLY|SHM_EXEC) = 0x7faaff529000");
  CHECK(call("shmat", {0xfdb97531, 0xdec0ded1dec0ded2, 0xffffface}, einval, mem) ==
        "shmat(-38177487, 0xdec0ded1dec0ded2, SHM_RDONLY|SHM_RND|SHM_REMAP|SHM_EXEC|0xffff0ace) = -1 EINVAL "
        "(Invalid argument)");
  std::int64_t mtype = 9199991941521739245;
  mem.put(0x3000, mtype);
  mem.put_string(0x3008, "STRACE_STRING");
  CHECK(call("msgsnd", {294968, 0x3000, 14, 0}, 0, mem) ==
        "msgsnd(294968, {mtype=9199991941521739245, mtext=\"STRACE_STRING\\0\"}, 14, 0) = 0");
  CHECK(call("msgrcv", {294968, 0x3000, 14, static_cast<std::uint64_t>(-mtype), 0}, 14, mem) ==
        "msgrcv(294968, {mtype=9199991941521739245, mtext=\"STRACE_STRING\\0\"}, 14, -9199991941521739245, "
        "0) = "
        "14");
}

TEST_CASE("mount prints only the arguments its flags make the kernel read", "[format][mount]") {
  fake_memory mem;
  mem.put_string(0x100, "mount_source");
  mem.put_string(0x200, "mount_target");
  mem.put_string(0x300, "mount_fstype");
  mem.put_string(0x400, "mount_data");
  CHECK(call("mount", {0x100, 0x200, 0x300, 0xc0ed0000, 0x400}, enoent, mem) ==
        "mount(\"mount_source\", \"mount_target\", \"mount_fstype\", MS_MGC_VAL, \"mount_data\") = -1 ENOENT "
        "(No "
        "such file or directory)");
  CHECK(call("mount", {0x100, 0x200, 0x300, 0xc0ed000f, 0x400}, enoent, mem) ==
        "mount(\"mount_source\", \"mount_target\", \"mount_fstype\", MS_MGC_VAL|MS_RDONLY|MS_NOSUID|MS_NODEV|"
        "MS_NOEXEC, \"mount_data\") = -1 ENOENT (No such file or directory)");
  CHECK(call("mount", {0x100, 0x200, 0x300, 0x20, 0x400}, enoent, mem) ==
        "mount(\"mount_source\", \"mount_target\", 0x300, MS_REMOUNT, \"mount_data\") = -1 ENOENT (No such "
        "file "
        "or directory)");
  CHECK(call("mount", {0x100, 0x200, 0x300, 0x1000, 0}, enoent, mem) ==
        "mount(\"mount_source\", \"mount_target\", 0x300, MS_BIND, NULL) = -1 ENOENT (No such file or "
        "directory)");
  CHECK(call("mount", {0x1000, 0x1000, 0x1000, 0x4000200, 0x1000}, efault, mem) ==
        "mount(0x1000, 0x1000, 0x1000, MS_SUBMOUNT|0x200, 0x1000) = -1 EFAULT (Bad address)");
}

TEST_CASE("the new mount API prints its flags, commands and struct mount_attr", "[format][mount]") {
  fake_memory mem;
  mem.put_string(0x100, "/dev/full");
  mem.put_string(0x200, "");
  CHECK(call("move_mount", {0xffffffff, 0x100, 0xffffff9c, 0x200, 0x7}, enoent, mem) ==
        "move_mount(-1, \"/dev/full\", AT_FDCWD, \"\", MOVE_MOUNT_F_SYMLINKS|MOVE_MOUNT_F_AUTOMOUNTS|"
        "MOVE_MOUNT_F_EMPTY_PATH) = -1 ENOENT (No such file or directory)");
  CHECK(call("fsmount", {0xffffffff, 0, 1}, -9, mem) ==
        "fsmount(-1, 0, MOUNT_ATTR_RDONLY) = -1 EBADF (Bad file descriptor)");
  CHECK(call("fsmount", {0xffffffff, 0, 0x40}, einval, mem) ==
        "fsmount(-1, 0, 0x40 /* MOUNT_ATTR_??? */) = -1 EINVAL (Invalid argument)");
  CHECK(call("fsconfig", {3, 8, 0x100, 0x200, 0xffffff9c}, einval, mem) ==
        "fsconfig(3, 0x8 /* FSCONFIG_??? */, 0x100, 0x200, -100) = -1 EINVAL (Invalid argument)");
  CHECK(call("fsconfig", {0xffffffff, 3, 0, 0x100, 0xffffff9c}, einval, mem) ==
        "fsconfig(-1, FSCONFIG_SET_PATH, NULL, \"/dev/full\", AT_FDCWD) = -1 EINVAL (Invalid argument)");
  CHECK(call("fsconfig", {0xffffffff, 2, 0x100, 0x100, 3}, einval, mem) ==
        "fsconfig(-1, FSCONFIG_SET_BINARY, \"/dev/full\", \"\\x2f\\x64\\x65\", 3) = -1 EINVAL (Invalid "
        "argument)");
  snare::sys::abi::mount_attr a{0xffffffff00000000, 0, 1u << 17, 9};
  mem.put(0x1000, a);
  CHECK(call("mount_setattr", {0xffffffff, 0x100, 0, 0x1000, 32}, einval, mem) ==
        "mount_setattr(-1, \"/dev/full\", 0, {attr_set=0xffffffff00000000 /* MOUNT_ATTR_??? */, attr_clr=0, "
        "propagation=MS_UNBINDABLE, userns_fd=9}, 32) = -1 EINVAL (Invalid argument)");
  CHECK(call("mount_setattr", {0xffffffff, 0x200, 0xffffffff, 0, 32}, einval, mem) ==
        "mount_setattr(-1, \"\", AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT|AT_EMPTY_PATH|AT_RECURSIVE|0xffff66ff, "
        "NULL, "
        "32) = -1 EINVAL (Invalid argument)");
  CHECK(call("mount_setattr", {0xffffffff, 0x200, 0xffff66ff, 0, 32}, einval, mem) ==
        "mount_setattr(-1, \"\", 0xffff66ff /* AT_??? */, NULL, 32) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("memfd_create and remap_file_pages print huge page sizes and 64-bit protections",
          "[format][memory]") {
  fake_memory mem;
  CHECK(call("memfd_create", {0, 0xffffffff}, einval, mem) ==
        "memfd_create(NULL, MFD_CLOEXEC|MFD_ALLOW_SEALING|MFD_HUGETLB|0x3fffff8|63<<MFD_HUGE_SHIFT) = -1 "
        "EINVAL "
        "(Invalid argument)");
  CHECK(call("memfd_create", {0, 0x78000000}, einval, mem, verbose) ==
        "memfd_create(NULL, 0x78000000 /* 30<<MFD_HUGE_SHIFT */) = -1 EINVAL (Invalid argument)");
  CHECK(call("memfd_create", {0, 0}, einval, mem) == "memfd_create(NULL, 0) = -1 EINVAL (Invalid argument)");
  const snare::sys::raw_args rfp{0xfacefeeddeadf00d, 16067382020775526127u, 0xdefaced00000000,
                                 14624237743343197933u, 0x5404401f};
  CHECK(
      call("remap_file_pages", rfp, einval, mem) ==
      "remap_file_pages(0xfacefeeddeadf00d, 16067382020775526127, 0xdefaced00000000 /* PROT_??? */, "
      "14624237743343197933, 0xf /* MAP_??? */|MAP_FIXED|MAP_NORESERVE|MAP_HUGETLB|21<<MAP_HUGE_SHIFT) = -1 "
      "EINVAL (Invalid argument)");
  CHECK(call("remap_file_pages", rfp, einval, mem, verbose) ==
        "remap_file_pages(0xfacefeeddeadf00d, 16067382020775526127, 0xdefaced00000000 /* PROT_??? */, "
        "14624237743343197933, 0x5404401f /* 0xf /* MAP_??? "
        "*/|MAP_FIXED|MAP_NORESERVE|MAP_HUGETLB|21<<MAP_HUGE_"
        "SHIFT */) = -1 EINVAL (Invalid argument)");
  CHECK(call("remap_file_pages", rfp, einval, mem, raw) ==
        "remap_file_pages(0xfacefeeddeadf00d, 16067382020775526127, 0xdefaced00000000, 14624237743343197933, "
        "0x5404401f) = -1 EINVAL (Invalid argument)");
}

TEST_CASE("the memory policy calls print modes, node masks and page statuses", "[format][numa]") {
  fake_memory mem;
  CHECK(call("set_mempolicy", {0x8000, 0, 0}, 0, mem) ==
        "set_mempolicy(MPOL_DEFAULT|MPOL_F_STATIC_NODES, NULL, 0) = 0");
  const std::uint64_t words[3] = {0, 0, 0};
  mem.put(0x1000, words);
  CHECK(call("set_mempolicy", {0, 0x1000, 2}, 0, mem) ==
        "set_mempolicy(MPOL_DEFAULT, [0000000000000000], 2) = 0");
  CHECK(call("set_mempolicy", {0, 0x1000, 0}, einval, mem) ==
        "set_mempolicy(MPOL_DEFAULT, [], 0) = -1 EINVAL (Invalid argument)");
  CHECK(call("mbind", {0x1000, 4096, 1, 0, 0, 0xffffffff}, einval, mem, verbose) ==
        "mbind(0x1000, 4096, 0x1 /* MPOL_PREFERRED */, NULL, 0, 0xffffffff /* MPOL_MF_STRICT|MPOL_MF_MOVE|"
        "MPOL_MF_MOVE_ALL|0xfffffff8 */) = -1 EINVAL (Invalid argument)");
  const std::int32_t status[2] = {-14, 0};
  mem.put(0x2000, status);
  const std::uint64_t pages[2] = {0x7f4a3dfd0000, 0x7f4a3dfcf000};
  mem.put(0x3000, pages);
  CHECK(call("move_pages", {21580, 2, 0x3000, 0, 0x2000, 2}, 0, mem) ==
        "move_pages(21580, 2, [0x7f4a3dfd0000, 0x7f4a3dfcf000], NULL, [-EFAULT, 0], MPOL_MF_MOVE) = 0");
  mem.put(0x4000, std::int32_t{0});
  CHECK(call("get_mempolicy", {0x4000, 0, 0, 0x5000, 2}, 0, mem) ==
        "get_mempolicy([MPOL_DEFAULT], NULL, 0, 0x5000, MPOL_F_ADDR) = 0");
}

TEST_CASE("struct stat prints in full with -v, devices and modes in each -X style", "[format][stat]") {
  fake_memory mem;
  snare::sys::abi::x86_64::stat s{};
  s.st_dev = 0xfe00;
  s.st_ino = 11199338;
  s.st_mode = 0100640;
  s.st_nlink = 1;
  s.st_blksize = 4096;
  s.st_size = 43147718418;
  s.st_mtime_nsec = 246;  // a time of 0 seconds and some nanoseconds has a date; the epoch has none
  mem.put(0x1000, s);
  snare::format::options o;
  o.verbose = true;
  std::string line = call("fstat", {0, 0x1000}, 0, mem, o);
  CHECK(line.starts_with(
      "fstat(0, {st_dev=makedev(0xfe, 0), st_ino=11199338, st_mode=S_IFREG|0640, st_nlink=1, st_uid=0, "
      "st_gid=0, "
      "st_blksize=4096, st_blocks=0, st_size=43147718418, st_atime=0, st_atime_nsec=0, st_mtime=0 /* "));
  CHECK(line.ends_with(" */, st_mtime_nsec=246, st_ctime=0, st_ctime_nsec=0}) = 0"));
  o.xlat = snare::format::xlat_style::verbose;
  CHECK(
      call("fstat", {0, 0x1000}, 0, mem, o)
          .starts_with("fstat(0, {st_dev=0xfe00 /* makedev(0xfe, 0) */, st_ino=11199338, st_mode=0100640 /* "
                       "S_IFREG|0640 */, st_nlink=1"));
  CHECK(call("fstat", {0, 0x1000}, 0, mem) ==
        "fstat(0, {st_mode=S_IFREG|0640, st_size=43147718418, ...}) = 0");
  CHECK(call("fstat", {0, 0x1000}, 0, mem, raw) ==
        "fstat(0, {st_mode=0100640, st_size=43147718418, ...}) = 0");
}
