// Defines the decoders of quotactl and quotactl_fd (strace's quota.c): the command as
// QCMD(Q_GETQUOTA, USRQUOTA), then the id and the data pointer as each command uses them
// (a quota format, a path, struct if_dqblk, if_nextdqblk, if_dqinfo, fs_disk_quota, XFS
// flags), the structures the call fills in printed at exit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/sys/call_id.hpp>

namespace snare::format::detail {

/// quotactl's commands (linux/quota.h, linux/dqblk_xfs.h): QCMD_CMD of the cmd argument.
namespace qc {
inline constexpr std::uint32_t sync = 0x800001, quotaon = 0x800002, quotaoff = 0x800003, getfmt = 0x800004,
                               getinfo = 0x800005, setinfo = 0x800006, getquota = 0x800007,
                               setquota = 0x800008, getnextquota = 0x800009, xquotaon = 0x5801,
                               xquotaoff = 0x5802, xgetquota = 0x5803, xsetqlim = 0x5804, xgetqstat = 0x5805,
                               xquotarm = 0x5806, xquotasync = 0x5807, xgetqstatv = 0x5808,
                               xgetnextquota = 0x5809;
}  // namespace qc

/// The kernel's struct if_dqblk, and if_nextdqblk with dqb_id after it (linux/quota.h).
struct abi_if_dqblk {
  std::uint64_t bhardlimit, bsoftlimit, curspace, ihardlimit, isoftlimit, curinodes, btime, itime;
  std::uint32_t valid, id;  // id: if_nextdqblk only
};

/// The kernel's struct if_dqinfo (linux/quota.h).
struct abi_if_dqinfo {
  std::uint64_t bgrace, igrace;
  std::uint32_t flags, valid;
};

/// The kernel's struct fs_disk_quota (linux/dqblk_xfs.h), 112 bytes.
struct abi_fs_disk_quota {
  std::int8_t version, flags;
  std::uint16_t fieldmask;
  std::uint32_t id;
  std::uint64_t blk_hardlimit, blk_softlimit, ino_hardlimit, ino_softlimit, bcount, icount;
  std::int32_t itimer, btimer;
  std::uint16_t iwarns, bwarns;
  std::int8_t itimer_hi, btimer_hi, rtbtimer_hi, padding2;
  std::uint64_t rtb_hardlimit, rtb_softlimit, rtbcount;
  std::int32_t rtbtimer;
  std::uint16_t rtbwarns;
  std::int16_t padding3;
  char padding4[8];
};
static_assert(sizeof(abi_fs_disk_quota) == 112, "struct fs_disk_quota is 112 bytes");

/// Appends quotactl's cmd: QCMD(Q_GETQUOTA, USRQUOTA); with -X raw the number in decimal,
/// with -X verbose the number and QCMD(...) in a comment (strace's print_qcmd).
inline void put_qcmd(std::string& out, std::uint32_t qcmd) {
  if (!xlat_abbrev()) put_udec(out, qcmd);
  if (xlat_raw()) return;
  if (xlat_verbose()) out.append(" /* ");
  {
    xlat_style_scope names(xlat_style::abbrev);
    out.append("QCMD(");
    put_enum(out, quotactl_cmd_xlat, qcmd >> 8);
    out.append(", ");
    put_enum(out, quota_type_xlat, qcmd & 0xff);
    out.push_back(')');
  }
  if (xlat_verbose()) out.append(" */");
}

/// Appends a quota id as strace's printuid: -1 for (uid_t)-1, else unsigned.
inline void put_quota_id(std::string& out, std::uint32_t id) {
  if (id == 0xffffffffu)
    out.append("-1");
  else
    put_udec(out, id);
}

/// Shared by quotactl and quotactl_fd: the arguments after cmd (and special).
struct quotactl_data {
  template <class P>
  static void put_u64_field(P& p, const char* sep_name, std::uint64_t v) {
    p.out().append(sep_name);
    put_udec(p.out(), v);
  }

  // struct if_dqblk (and if_nextdqblk's id when `next`); false when unreadable.
  template <class P>
  static bool put_dqblk(P& p, std::uint64_t addr, bool next) {
    abi_if_dqblk d;
    if (!p.read_obj(addr, d)) return false;
    std::string& out = p.out();
    put_u64_field(p, "{dqb_bhardlimit=", d.bhardlimit);
    put_u64_field(p, ", dqb_bsoftlimit=", d.bsoftlimit);
    put_u64_field(p, ", dqb_curspace=", d.curspace);
    put_u64_field(p, ", dqb_ihardlimit=", d.ihardlimit);
    put_u64_field(p, ", dqb_isoftlimit=", d.isoftlimit);
    put_u64_field(p, ", dqb_curinodes=", d.curinodes);
    if (p.opts().verbose) {
      put_u64_field(p, ", dqb_btime=", d.btime);
      put_u64_field(p, ", dqb_itime=", d.itime);
      out.append(", dqb_valid=");
      put_flags(out, if_dqblk_valid_xlat, d.valid);
      if (next) put_u64_field(p, ", dqb_id=", d.id);
    } else {
      if (next) put_u64_field(p, ", dqb_id=", d.id);
      out.append(", ...");
    }
    out.push_back('}');
    return true;
  }

  // struct if_dqinfo; false when unreadable.
  template <class P>
  static bool put_dqinfo(P& p, std::uint64_t addr) {
    abi_if_dqinfo d;
    if (!p.read_obj(addr, d)) return false;
    std::string& out = p.out();
    put_u64_field(p, "{dqi_bgrace=", d.bgrace);
    put_u64_field(p, ", dqi_igrace=", d.igrace);
    out.append(", dqi_flags=");
    put_flags(out, if_dqinfo_flags_xlat, d.flags);
    out.append(", dqi_valid=");
    put_flags(out, if_dqinfo_valid_xlat, d.valid);
    out.push_back('}');
    return true;
  }

  // struct fs_disk_quota (XFS); false when unreadable.
  template <class P>
  static bool put_fs_disk_quota(P& p, std::uint64_t addr) {
    abi_fs_disk_quota d;
    if (!p.read_obj(addr, d)) return false;
    std::string& out = p.out();
    out.append("{d_version=");
    put_dec(out, d.version);
    out.append(", d_flags=");
    put_flags(out, xfs_dqblk_flags_xlat, static_cast<std::uint8_t>(d.flags));
    out.append(", d_fieldmask=");
    put_hex(out, d.fieldmask);
    put_u64_field(p, ", d_id=", d.id);
    put_u64_field(p, ", d_blk_hardlimit=", d.blk_hardlimit);
    put_u64_field(p, ", d_blk_softlimit=", d.blk_softlimit);
    put_u64_field(p, ", d_ino_hardlimit=", d.ino_hardlimit);
    put_u64_field(p, ", d_ino_softlimit=", d.ino_softlimit);
    put_u64_field(p, ", d_bcount=", d.bcount);
    put_u64_field(p, ", d_icount=", d.icount);
    if (!p.opts().verbose) return out.append(", ...}"), true;
    out.append(", d_itimer=");
    put_dec(out, d.itimer);
    out.append(", d_btimer=");
    put_dec(out, d.btimer);
    put_u64_field(p, ", d_iwarns=", d.iwarns);
    put_u64_field(p, ", d_bwarns=", d.bwarns);
    put_u64_field(p, ", d_rtb_hardlimit=", d.rtb_hardlimit);
    put_u64_field(p, ", d_rtb_softlimit=", d.rtb_softlimit);
    put_u64_field(p, ", d_rtbcount=", d.rtbcount);
    out.append(", d_rtbtimer=");
    put_dec(out, d.rtbtimer);
    put_u64_field(p, ", d_rtbwarns=", d.rtbwarns);
    out.push_back('}');
    return true;
  }

  // struct fs_quota_stat (Q_XGETQSTAT, 80 bytes) or, with `v`, fs_quota_statv
  // (Q_XGETQSTATV, 160 bytes): read as bytes, the offsets of linux/dqblk_xfs.h.
  template <class P>
  static bool put_quota_stat(P& p, std::uint64_t addr, bool v) {
    unsigned char b[160];
    std::size_t size = v ? 160 : 80;
    if (!p.read_exact(addr, size)) return false;
    std::memcpy(b, scratch().data(), size);
    auto at = [&](std::size_t off, auto zero) {
      decltype(zero) x;
      std::memcpy(&x, b + off, sizeof x);
      return x;
    };
    std::string& out = p.out();
    out.append("{qs_version=");
    put_dec(out, at(0, std::int8_t{}));
    if (!p.opts().verbose) return out.append(", ...}"), true;
    out.append(", qs_flags=");
    put_flags(out, xfs_quota_flags_xlat, at(2, std::uint16_t{}));
    auto filestat = [&](const char* name, std::size_t off) {
      out.append(name);
      put_u64_field(p, "={qfs_ino=", at(off, std::uint64_t{}));
      put_u64_field(p, ", qfs_nblks=", at(off + 8, std::uint64_t{}));
      put_u64_field(p, ", qfs_nextents=", at(off + 16, std::uint32_t{}));
      out.push_back('}');
    };
    std::size_t limits = v ? 80 : 60;  // qs_btimelimit
    if (v) put_u64_field(p, ", qs_incoredqs=", at(4, std::uint32_t{}));
    filestat(", qs_uquota", 8);
    filestat(", qs_gquota", 32);
    if (v) filestat(", qs_pquota", 56);
    if (!v) put_u64_field(p, ", qs_incoredqs=", at(56, std::uint32_t{}));
    out.append(", qs_btimelimit=");
    put_dec(out, at(limits, std::int32_t{}));
    out.append(", qs_itimelimit=");
    put_dec(out, at(limits + 4, std::int32_t{}));
    out.append(", qs_rtbtimelimit=");
    put_dec(out, at(limits + 8, std::int32_t{}));
    put_u64_field(p, ", qs_bwarnlimit=", at(limits + 12, std::uint16_t{}));
    put_u64_field(p, ", qs_iwarnlimit=", at(limits + 14, std::uint16_t{}));
    out.push_back('}');
    return true;
  }

  // `[FLAGS]` of the u32 at `addr`; false when unreadable.
  template <class P>
  static bool put_u32_flags(P& p, std::uint64_t addr, const xlat& x, bool as_enum = false) {
    std::uint32_t v;
    if (!p.read_obj(addr, v)) return false;
    p.out().push_back('[');
    if (as_enum)
      put_enum(p.out(), x, v);
    else
      put_flags(p.out(), x, v);
    p.out().push_back(']');
    return true;
  }

  /// Appends what follows the cmd (and the path or fd) of command `cmd`: at entry
  /// (`exit` false) the inputs and `, ` before an output, at exit the output.
  template <class P>
  static void put(P& p, std::uint32_t cmd, std::uint32_t id, std::uint64_t data, bool exit) {
    std::string& out = p.out();
    // An output the call fills in: its address when the call failed or it is unreadable.
    auto output = [&](auto put_it) {
      if (!exit) return;
      if (p.failed() || !put_it()) put_ptr(out, data);
    };
    auto input = [&](auto put_it) {
      if (exit) return;
      if (!put_it()) put_ptr(out, data);
    };
    switch (cmd) {
      case qc::quotaoff:
      case qc::sync:
      case qc::xquotasync:
        return;
      case qc::quotaon:
        if (exit) return;
        out.append(", ");
        put_enum(out, quota_format_xlat, id);
        out.append(", ");
        return p.put_cstring(data, p.opts().path_limit > 0 ? p.opts().path_limit - 1 : 0);
      case qc::getquota:
      case qc::getnextquota:
      case qc::xgetquota:
      case qc::xgetnextquota:
        if (!exit) {
          out.append(", ");
          put_quota_id(out, id);
          return out.append(", "), void();
        }
        if (cmd == qc::xgetquota || cmd == qc::xgetnextquota)
          return output([&] { return put_fs_disk_quota(p, data); });
        return output([&] { return put_dqblk(p, data, cmd == qc::getnextquota); });
      case qc::setquota:
      case qc::xsetqlim:
        if (exit) return;
        out.append(", ");
        put_quota_id(out, id);
        out.append(", ");
        if (cmd == qc::xsetqlim) return input([&] { return put_fs_disk_quota(p, data); });
        return input([&] { return put_dqblk(p, data, false); });
      case qc::getfmt:
        if (!exit) return out.append(", "), void();
        return output([&] { return put_u32_flags(p, data, quota_format_xlat, true); });
      case qc::xgetqstat:
      case qc::xgetqstatv:
        if (!exit) return out.append(", "), void();
        return output([&] { return put_quota_stat(p, data, cmd == qc::xgetqstatv); });
      case qc::getinfo:
        if (!exit) return out.append(", "), void();
        return output([&] { return put_dqinfo(p, data); });
      case qc::setinfo:
        if (exit) return;
        out.append(", ");
        return input([&] { return put_dqinfo(p, data); });
      case qc::xquotaon:
      case qc::xquotaoff:
      case qc::xquotarm:
        if (exit) return;
        out.append(", ");
        return input([&] {
          return put_u32_flags(p, data, cmd == qc::xquotarm ? xfs_dqblk_flags_xlat : xfs_quota_flags_xlat);
        });
      default:
        if (exit) return;
        out.append(", ");
        put_quota_id(out, id);
        out.append(", ");
        return put_ptr(out, data);
    }
  }
};

/// quotactl(cmd, special, id, addr).
template <>
struct decoder<sys::call_id::quotactl> {
  template <class P>
  static void put_args(P& p, bool exit) {
    auto qcmd = static_cast<std::uint32_t>(p.arg(0));
    if (!exit) {
      put_qcmd(p.out(), qcmd);
      p.out().append(", ");
      p.put_cstring(p.arg(1), p.opts().path_limit > 0 ? p.opts().path_limit - 1 : 0);
    }
    quotactl_data::put(p, qcmd >> 8, static_cast<std::uint32_t>(p.arg(2)), p.arg(3), exit);
  }
};

/// quotactl_fd(fd, cmd, id, addr).
template <>
struct decoder<sys::call_id::quotactl_fd> {
  template <class P>
  static void put_args(P& p, bool exit) {
    auto qcmd = static_cast<std::uint32_t>(p.arg(1));
    if (!exit) {
      p.put_fd(static_cast<std::int32_t>(p.arg(0)));
      p.out().append(", ");
      put_qcmd(p.out(), qcmd);
    }
    quotactl_data::put(p, qcmd >> 8, static_cast<std::uint32_t>(p.arg(2)), p.arg(3), exit);
  }
};

}  // namespace snare::format::detail
