// Defines the decoders of System V IPC calls (strace's ipc_msg.c, ipc_msgctl.c, ipc_sem.c,
// ipc_semctl.c, ipc_shm.c, ipc_shmctl.c, print_msgbuf.c): the keys, the get flags with their
// permission bits, the ctl commands and the structures they read or fill in.
#pragma once

#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include <snare/format/detail/decode/signal.hpp>
#include <snare/format/detail/decode/time.hpp>
#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/xlat.hpp>

namespace snare::format::detail {

// Names from strace's xlat/{resource_flags,shm_resource_flags,ipc_msg_flags,shm_flags,
// semop_flags,msgctl_flags,semctl_flags,shmctl_flags}.in; values from <linux/ipc.h>,
// <linux/msg.h>, <linux/sem.h> and <linux/shm.h>.
inline constexpr xlat_entry ipc_resource_bits[] = {
    {0x200, "IPC_CREAT"},
    {0x400, "IPC_EXCL"},
    {0x800, "IPC_NOWAIT"},
};
inline constexpr xlat ipc_resource_xlat{{}, 0, ipc_resource_bits, {}, {}};

inline constexpr xlat_entry shm_resource_bits[] = {
    {0x200, "IPC_CREAT"},
    {0x400, "IPC_EXCL"},
    {0x800, "SHM_HUGETLB"},
    {0x1000, "SHM_NORESERVE"},
};
inline constexpr xlat shm_resource_xlat{{}, 0, shm_resource_bits, {}, {}};

inline constexpr xlat_entry ipc_msg_bits[] = {
    {0x1000, "MSG_NOERROR"},
    {0x2000, "MSG_EXCEPT"},
    {0x4000, "MSG_COPY"},
    {0x800, "IPC_NOWAIT"},
};
inline constexpr xlat ipc_msg_flags_xlat{{}, 0, ipc_msg_bits, "0", "MSG_???"};

inline constexpr xlat_entry shm_at_bits[] = {
    {0x1000, "SHM_RDONLY"},
    {0x2000, "SHM_RND"},
    {0x4000, "SHM_REMAP"},
    {0x8000, "SHM_EXEC"},
};
inline constexpr xlat shm_at_flags_xlat{{}, 0, shm_at_bits, "0", "SHM_???"};

inline constexpr xlat_entry semop_bits[] = {
    {0x1000, "SEM_UNDO"},
    {0x800, "IPC_NOWAIT"},
};
inline constexpr xlat semop_flags_xlat{{}, 0, semop_bits, "0", "SEM_???"};

inline constexpr xlat_entry msgctl_cmds[] = {
    {0, "IPC_RMID"},  {1, "IPC_SET"},   {2, "IPC_STAT"},      {3, "IPC_INFO"},
    {11, "MSG_STAT"}, {12, "MSG_INFO"}, {13, "MSG_STAT_ANY"},
};
inline constexpr xlat msgctl_xlat{msgctl_cmds, ~std::uint64_t{0}, {}, {}, "MSG_???"};

inline constexpr xlat_entry semctl_cmds[] = {
    {0, "IPC_RMID"}, {1, "IPC_SET"},   {2, "IPC_STAT"},  {3, "IPC_INFO"},      {11, "GETPID"},
    {12, "GETVAL"},  {13, "GETALL"},   {14, "GETNCNT"},  {15, "GETZCNT"},      {16, "SETVAL"},
    {17, "SETALL"},  {18, "SEM_STAT"}, {19, "SEM_INFO"}, {20, "SEM_STAT_ANY"},
};
inline constexpr xlat semctl_xlat{semctl_cmds, ~std::uint64_t{0}, {}, {}, "SEM_???"};

inline constexpr xlat_entry shmctl_cmds[] = {
    {0, "IPC_RMID"},    {1, "IPC_SET"},   {2, "IPC_STAT"},  {3, "IPC_INFO"},      {11, "SHM_LOCK"},
    {12, "SHM_UNLOCK"}, {13, "SHM_STAT"}, {14, "SHM_INFO"}, {15, "SHM_STAT_ANY"},
};
inline constexpr xlat shmctl_xlat{shmctl_cmds, ~std::uint64_t{0}, {}, {}, "SHM_???"};

inline constexpr std::uint32_t ipc_64_flag = 0x100;  // IPC_64, <linux/ipc.h>

/// Appends an IPC key: IPC_PRIVATE for 0, else the key in hex (strace's ipc_private xlat).
inline void put_ipc_key(std::string& out, std::uint64_t v) {
  auto key = static_cast<std::uint32_t>(v);
  put_named(out, key == 0 ? "IPC_PRIVATE" : "", [&] { put_hex(out, key); });
}

/// Appends a get call's flags: the named bits (nothing when none is set), then `|` and the
/// permission bits in octal: IPC_CREAT|IPC_EXCL|0600, 0600.
inline void put_ipc_get_flags(std::string& out, const xlat& x, std::uint64_t v) {
  auto flags = static_cast<std::uint32_t>(v) & ~0777u;
  if (flags != 0) {
    put_flags(out, x, flags);
    out.push_back('|');
  }
  put_octal(out, v & 0777);
}

/// Appends a ctl command: IPC_64| when set, then the command's name (strace's PRINTCTL).
inline void put_ipc_cmd(std::string& out, const xlat& x, std::uint64_t v) {
  auto cmd = static_cast<std::uint32_t>(v);
  if (cmd & ipc_64_flag) {
    put_named(out, "IPC_64", [&] { put_hex(out, ipc_64_flag); });
    out.push_back('|');
  }
  put_enum(out, x, cmd & ~ipc_64_flag);
}

/// Returns a ctl command without IPC_64.
inline std::uint32_t ipc_cmd(std::uint64_t v) noexcept {
  return static_cast<std::uint32_t>(v) & ~ipc_64_flag;
}

/// Appends struct ipc_perm: {uid=0, gid=0, mode=0600, key=0, cuid=0, cgid=0}, the first
/// three alone for IPC_SET (what the kernel reads).
inline void put_ipc_perm(std::string& out, const ipc_perm& perm, std::uint32_t cmd) {
  out.append("{uid=");
  put_id(out, perm.uid);
  out.append(", gid=");
  put_id(out, perm.gid);
  out.append(", mode=");
  put_octal(out, perm.mode);
  if (cmd != IPC_SET) {
    out.append(", key=");
    put_udec(out, static_cast<std::uint32_t>(perm.__key));
    out.append(", cuid=");
    put_id(out, perm.cuid);
    out.append(", cgid=");
    put_id(out, perm.cgid);
  }
  out.push_back('}');
}

/// Appends `, name=` and an unsigned value.
inline void put_ipc_field(field_sep& f, std::string_view name, std::uint64_t v) { put_udec(f(name), v); }
/// Appends `, name=` and a signed value.
inline void put_ipc_sfield(field_sep& f, std::string_view name, std::int64_t v) { put_dec(f(name), v); }

/// Reads one T at `addr` for a ctl call's buffer: NULL, the address when the call failed
/// or memory is unreadable (strace's umove_or_printaddr), else false to decode it.
template <class P, class T>
bool ipc_read(P& p, std::uint64_t addr, bool exit, T& v) {
  if (addr == 0) return p.out().append("NULL"), false;
  if ((exit && p.failed()) || !p.read_obj(addr, v)) return put_hex(p.out(), addr), false;
  return true;
}

/// Appends struct msqid_ds at `addr` (the IPC_SET subset for IPC_SET).
template <class P>
void put_msqid_ds(P& p, std::uint64_t addr, std::uint32_t cmd, bool exit) {
  struct msqid_ds ds {};
  if (!ipc_read(p, addr, exit, ds)) return;
  std::string& out = p.out();
  field_sep f{out};
  put_ipc_perm(f("{msg_perm"), ds.msg_perm, cmd);
  if (cmd != IPC_SET) {
    put_ipc_field(f, "msg_stime", static_cast<std::uint64_t>(ds.msg_stime));
    put_ipc_field(f, "msg_rtime", static_cast<std::uint64_t>(ds.msg_rtime));
    put_ipc_field(f, "msg_ctime", static_cast<std::uint64_t>(ds.msg_ctime));
    put_ipc_field(f, "msg_qnum", ds.msg_qnum);
  }
  put_ipc_field(f, "msg_qbytes", ds.msg_qbytes);
  if (cmd != IPC_SET) {
    put_ipc_sfield(f, "msg_lspid", ds.msg_lspid);
    put_ipc_sfield(f, "msg_lrpid", ds.msg_lrpid);
  }
  out.push_back('}');
}

/// Appends struct msginfo at `addr` (IPC_INFO, MSG_INFO).
template <class P>
void put_msginfo(P& p, std::uint64_t addr, bool exit) {
  struct msginfo mi {};
  if (!ipc_read(p, addr, exit, mi)) return;
  field_sep f{p.out()};
  p.out().push_back('{');
  put_ipc_sfield(f, "msgpool", mi.msgpool);
  put_ipc_sfield(f, "msgmap", mi.msgmap);
  put_ipc_sfield(f, "msgmax", mi.msgmax);
  put_ipc_sfield(f, "msgmnb", mi.msgmnb);
  put_ipc_sfield(f, "msgmni", mi.msgmni);
  put_ipc_sfield(f, "msgssz", mi.msgssz);
  put_ipc_sfield(f, "msgtql", mi.msgtql);
  put_ipc_field(f, "msgseg", mi.msgseg);
  p.out().push_back('}');
}

/// Appends struct semid_ds at `addr`.
template <class P>
void put_semid_ds(P& p, std::uint64_t addr, std::uint32_t cmd, bool exit) {
  struct semid_ds ds {};
  if (!ipc_read(p, addr, exit, ds)) return;
  std::string& out = p.out();
  field_sep f{out};
  put_ipc_perm(f("{sem_perm"), ds.sem_perm, cmd);
  if (cmd != IPC_SET) {
    put_ipc_field(f, "sem_otime", static_cast<std::uint64_t>(ds.sem_otime));
    put_ipc_field(f, "sem_ctime", static_cast<std::uint64_t>(ds.sem_ctime));
    put_ipc_field(f, "sem_nsems", ds.sem_nsems);
  }
  out.push_back('}');
}

/// Appends struct seminfo at `addr` (IPC_INFO, SEM_INFO).
template <class P>
void put_seminfo(P& p, std::uint64_t addr, bool exit) {
  struct seminfo si {};
  if (!ipc_read(p, addr, exit, si)) return;
  field_sep f{p.out()};
  p.out().push_back('{');
  put_ipc_sfield(f, "semmap", si.semmap);
  put_ipc_sfield(f, "semmni", si.semmni);
  put_ipc_sfield(f, "semmns", si.semmns);
  put_ipc_sfield(f, "semmnu", si.semmnu);
  put_ipc_sfield(f, "semmsl", si.semmsl);
  put_ipc_sfield(f, "semopm", si.semopm);
  put_ipc_sfield(f, "semume", si.semume);
  put_ipc_sfield(f, "semusz", si.semusz);
  put_ipc_sfield(f, "semvmx", si.semvmx);
  put_ipc_sfield(f, "semaem", si.semaem);
  p.out().push_back('}');
}

/// Appends struct shmid_ds at `addr`.
template <class P>
void put_shmid_ds(P& p, std::uint64_t addr, std::uint32_t cmd, bool exit) {
  struct shmid_ds ds {};
  if (!ipc_read(p, addr, exit, ds)) return;
  std::string& out = p.out();
  field_sep f{out};
  put_ipc_perm(f("{shm_perm"), ds.shm_perm, cmd);
  if (cmd != IPC_SET) {
    put_ipc_field(f, "shm_segsz", ds.shm_segsz);
    f("shm_cpid");
    p.put_pid(ds.shm_cpid, pid_type::tgid);
    f("shm_lpid");
    p.put_pid(ds.shm_lpid, pid_type::tgid);
    put_ipc_field(f, "shm_nattch", ds.shm_nattch);
    put_ipc_field(f, "shm_atime", static_cast<std::uint64_t>(ds.shm_atime));
    put_ipc_field(f, "shm_dtime", static_cast<std::uint64_t>(ds.shm_dtime));
    put_ipc_field(f, "shm_ctime", static_cast<std::uint64_t>(ds.shm_ctime));
  }
  out.push_back('}');
}

/// Appends struct shminfo at `addr` (IPC_INFO).
template <class P>
void put_shminfo(P& p, std::uint64_t addr, bool exit) {
  struct shminfo si {};
  if (!ipc_read(p, addr, exit, si)) return;
  field_sep f{p.out()};
  p.out().push_back('{');
  put_ipc_field(f, "shmmax", si.shmmax);
  put_ipc_field(f, "shmmin", si.shmmin);
  put_ipc_field(f, "shmmni", si.shmmni);
  put_ipc_field(f, "shmseg", si.shmseg);
  put_ipc_field(f, "shmall", si.shmall);
  p.out().push_back('}');
}

/// Appends struct shm_info at `addr` (SHM_INFO).
template <class P>
void put_shm_info(P& p, std::uint64_t addr, bool exit) {
  struct shm_info si {};
  if (!ipc_read(p, addr, exit, si)) return;
  field_sep f{p.out()};
  p.out().push_back('{');
  put_ipc_sfield(f, "used_ids", si.used_ids);
  put_ipc_field(f, "shm_tot", si.shm_tot);
  put_ipc_field(f, "shm_rss", si.shm_rss);
  put_ipc_field(f, "shm_swp", si.shm_swp);
  put_ipc_field(f, "swap_attempts", si.swap_attempts);
  put_ipc_field(f, "swap_successes", si.swap_successes);
  p.out().push_back('}');
}

/// Appends struct msgbuf at `addr`: {mtype=1, mtext="..."} with `count` bytes of text.
template <class P>
void put_msgbuf(P& p, std::uint64_t addr, std::uint64_t count, bool exit) {
  std::int64_t mtype = 0;
  if (!ipc_read(p, addr, exit, mtype)) return;
  p.out().append("{mtype=");
  put_dec(p.out(), mtype);
  p.out().append(", mtext=");
  p.put_buffer(addr + sizeof mtype, count);
  p.out().push_back('}');
}

/// msgget, semget: the key, and the flags with the permission bits.
template <>
struct decoder<sys::call_id::msgget> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 0) return put_ipc_key(p.out(), p.arg(0)), true;
    put_ipc_get_flags(p.out(), ipc_resource_xlat, p.arg(1));
    return true;
  }
};
template <>
struct decoder<sys::call_id::semget> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 0) return put_ipc_key(p.out(), p.arg(0)), true;
    if (i == 1) return put_dec(p.out(), static_cast<std::int32_t>(p.arg(1))), true;
    put_ipc_get_flags(p.out(), ipc_resource_xlat, p.arg(2));
    return true;
  }
};

/// shmget: the huge page size as 21<<SHM_HUGE_SHIFT between the flags and the mode.
template <>
struct decoder<sys::call_id::shmget> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    std::string& out = p.out();
    if (i == 0) return put_ipc_key(out, p.arg(0)), true;
    if (i == 1) return put_udec(out, p.arg(1)), true;
    constexpr std::uint32_t huge_mask = 0x3fu << 26;  // SHM_HUGE_MASK << SHM_HUGE_SHIFT
    auto v = static_cast<std::uint32_t>(p.arg(2));
    std::uint32_t flags = v & ~0777u & ~huge_mask, huge = v & huge_mask;
    if (flags != 0) put_flags(out, shm_resource_xlat, flags);
    if (huge != 0) {
      if (flags != 0) out.push_back('|');
      put_udec(out, huge >> 26);
      out.append("<<");
      put_named(out, "SHM_HUGE_SHIFT", [&] { out.append("26"); });
    }
    if (flags != 0 || huge != 0) out.push_back('|');
    put_octal(out, v & 0777);
    return true;
  }
};

/// msgctl: the buffer at entry for IPC_SET, at exit for the commands that fill it in, else
/// its address.
template <>
struct decoder<sys::call_id::msgctl> {
  static bool fills(std::uint32_t cmd) noexcept {
    return cmd == IPC_STAT || cmd == MSG_STAT || cmd == MSG_STAT_ANY || cmd == IPC_INFO || cmd == MSG_INFO;
  }
  template <class P>
  static bool at_exit(const P& p, std::size_t i) {
    return i == 2 && fills(ipc_cmd(p.arg(1)));
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    std::uint32_t cmd = ipc_cmd(p.arg(1));
    if (i == 0) return put_dec(p.out(), static_cast<std::int32_t>(p.arg(0))), true;
    if (i == 1) return put_ipc_cmd(p.out(), msgctl_xlat, p.arg(1)), true;
    if (cmd == IPC_SET || (cmd != IPC_INFO && cmd != MSG_INFO && fills(cmd)))
      put_msqid_ds(p, p.arg(2), cmd, exit);
    else if (fills(cmd))
      put_msginfo(p, p.arg(2), exit);
    else
      put_ptr(p.out(), p.arg(2));
    return true;
  }
};

/// semctl: the semun argument as msgctl's buffer.
template <>
struct decoder<sys::call_id::semctl> {
  static bool fills(std::uint32_t cmd) noexcept {
    return cmd == IPC_STAT || cmd == SEM_STAT || cmd == SEM_STAT_ANY || cmd == IPC_INFO || cmd == SEM_INFO;
  }
  template <class P>
  static bool at_exit(const P& p, std::size_t i) {
    return i == 3 && fills(ipc_cmd(p.arg(2)));
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    std::uint32_t cmd = ipc_cmd(p.arg(2));
    if (i < 2) return put_dec(p.out(), static_cast<std::int32_t>(p.arg(i))), true;
    if (i == 2) return put_ipc_cmd(p.out(), semctl_xlat, p.arg(2)), true;
    if (cmd == IPC_SET || (cmd != IPC_INFO && cmd != SEM_INFO && fills(cmd)))
      put_semid_ds(p, p.arg(3), cmd, exit);
    else if (fills(cmd))
      put_seminfo(p, p.arg(3), exit);
    else
      put_ptr(p.out(), p.arg(3));
    return true;
  }
};

/// shmctl: the buffer as msgctl's.
template <>
struct decoder<sys::call_id::shmctl> {
  static bool fills(std::uint32_t cmd) noexcept {
    return cmd == IPC_STAT || cmd == SHM_STAT || cmd == SHM_STAT_ANY || cmd == IPC_INFO || cmd == SHM_INFO;
  }
  template <class P>
  static bool at_exit(const P& p, std::size_t i) {
    return i == 2 && fills(ipc_cmd(p.arg(1)));
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    std::uint32_t cmd = ipc_cmd(p.arg(1));
    if (i == 0) return put_dec(p.out(), static_cast<std::int32_t>(p.arg(0))), true;
    if (i == 1) return put_ipc_cmd(p.out(), shmctl_xlat, p.arg(1)), true;
    if (cmd == IPC_INFO)
      put_shminfo(p, p.arg(2), exit);
    else if (cmd == SHM_INFO)
      put_shm_info(p, p.arg(2), exit);
    else if (cmd == IPC_SET || fills(cmd))
      put_shmid_ds(p, p.arg(2), cmd, exit);
    else
      put_ptr(p.out(), p.arg(2));
    return true;
  }
};

/// shmat: its flags.
template <>
struct decoder<sys::call_id::shmat> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i != 2) return false;
    put_flags(p.out(), shm_at_flags_xlat, static_cast<std::uint32_t>(p.arg(2)));
    return true;
  }
};

/// msgsnd: the message, its size and the flags.
template <>
struct decoder<sys::call_id::msgsnd> {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i == 1) return put_msgbuf(p, p.arg(1), p.arg(2), exit), true;
    if (i == 2) return put_udec(p.out(), p.arg(2)), true;
    if (i == 3) return put_flags(p.out(), ipc_msg_flags_xlat, static_cast<std::uint32_t>(p.arg(3))), true;
    return false;
  }
};

/// msgrcv: the message received, at exit, with the size asked for.
template <>
struct decoder<sys::call_id::msgrcv> {
  template <class P>
  static bool at_exit(const P&, std::size_t i) {
    return i >= 1;
  }
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool exit) {
    if (i == 1) return put_msgbuf(p, p.arg(1), p.arg(2), exit), true;
    if (i == 2) return put_udec(p.out(), p.arg(2)), true;
    if (i == 3) return put_dec(p.out(), static_cast<std::int64_t>(p.arg(3))), true;
    if (i == 4) return put_flags(p.out(), ipc_msg_flags_xlat, static_cast<std::uint32_t>(p.arg(4))), true;
    return false;
  }
};

/// Appends `count` struct sembuf at `addr`: [{sem_num=0, sem_op=1, sem_flg=SEM_UNDO}].
template <class P>
void put_sembufs(P& p, std::uint64_t addr, std::uint32_t count) {
  p.put_array(addr, count, sizeof(struct sembuf), [&](std::uint64_t v) {
    std::string& out = p.out();
    out.append("{sem_num=");
    put_udec(out, static_cast<std::uint16_t>(v));
    out.append(", sem_op=");
    put_dec(out, static_cast<std::int16_t>(v >> 16));
    out.append(", sem_flg=");
    put_flags(out, semop_flags_xlat, static_cast<std::uint16_t>(v >> 32));
    out.push_back('}');
  });
}

/// semop, semtimedop: the operations, their count as an unsigned int.
struct semop_decoder {
  template <class P>
  static bool put_arg(P& p, std::size_t i, bool) {
    if (i == 1) return put_sembufs(p, p.arg(1), static_cast<std::uint32_t>(p.arg(2))), true;
    if (i == 2) return put_udec(p.out(), static_cast<std::uint32_t>(p.arg(2))), true;
    return false;
  }
};
template <>
struct decoder<sys::call_id::semop> : semop_decoder {};
template <>
struct decoder<sys::call_id::semtimedop> : semop_decoder {};

}  // namespace snare::format::detail
