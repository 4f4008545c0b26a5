// Defines snare::format::detail::printer, which renders one syscall's arguments and result
// from its descriptor, raw registers and guest memory, the way strace does: the
// table-driven part (argument kinds, flag sets, structs) and the hooks of the syscall's
// decoder<call_id> (decoder.hpp), which topic headers under decode/ specialise.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <snare/format/detail/decoder.hpp>
#include <snare/format/detail/entry_state.hpp>
#include <snare/format/detail/errno_table.hpp>
#include <snare/format/detail/out.hpp>
#include <snare/format/detail/scratch.hpp>
#include <snare/format/detail/signals.hpp>
#include <snare/format/detail/structs.hpp>
#include <snare/format/detail/xlat.hpp>
#include <snare/format/detail/xlat_tables.hpp>
#include <snare/format/fd_resolver.hpp>
#include <snare/format/options.hpp>
#include <snare/memory.hpp>
#include <snare/sys/abi.hpp>
#include <snare/sys/arg.hpp>
#include <snare/sys/call.hpp>

namespace snare::format::detail {

using sys::arg_desc;
using sys::arg_kind;
using sys::direction;
using sys::flag_set;
using sys::struct_id;
using sys::syscall_desc;

inline constexpr int at_fdcwd = -100;

/// Renders one call; built per format_entry/format_exit call, holding only references. Its
/// public members are what decoders build on.
template <guest_memory M, fd_resolver R>
class printer {
 public:
  using hooks_type = detail::hooks<printer>;

  /// Uses the hooks of `d`'s decoder, or `h` when given (a typed call's, found at compile time).
  /// `saved`, when given, holds the in-out values entry() saved (exit() shows `[110 => 16]`).
  printer(std::string& out, const syscall_desc& d, const sys::raw_args& args, M& mem, const options& opts,
          R& resolver, const hooks_type* h = nullptr, const entry_state* saved = nullptr) noexcept
      : out_(out),
        d_(d),
        a_(args),
        mem_(mem),
        o_(opts),
        r_(resolver),
        h_(h ? *h : hooks_for<printer>(d.id)),
        st_(saved) {}

  /// Appends `name(` and the arguments known at entry; a trailing ", " when out-arguments
  /// follow. With `save`, records the in-out values for the exit's `[110 => 16]`.
  void entry(entry_state* save = nullptr) {
    save_ = save;
    if (save) save_inout(*save);
    out_.append(d_.name);
    out_.push_back('(');
    if (h_.put_args) return h_.put_args(*this, false);
    std::size_t n = shown_args(), k = std::min(first_exit_arg(), n);
    for (std::size_t i = 0; i < k; ++i) {
      if (i) out_.append(", ");
      put_arg(i, false);
    }
    if (k < n && k > 0) out_.append(", ");
  }

  /// Appends the arguments not shown at entry, `)`, and ` = ` with the result.
  void exit(std::int64_t ret, std::size_t line_start) {
    ret_ = ret;
    if (h_.put_args) {
      h_.put_args(*this, true);
    } else {
      std::size_t n = shown_args(), k = std::min(first_exit_arg(), n);
      for (std::size_t i = k; i < n; ++i) {
        if (i > k) out_.append(", ");
        put_arg(i, true);
      }
    }
    out_.push_back(')');
    // strace's tabto(): pad to the column, or one space when the line is already past it.
    std::size_t col = out_.size() - line_start;
    auto nl = out_.find_last_of('\n');
    if (nl != std::string::npos && nl >= line_start) col = out_.size() - nl - 1;
    if (o_.align_column != 0 && col < o_.align_column)
      out_.append(o_.align_column - col, ' ');
    else
      out_.push_back(' ');
    out_.append("= ");
    put_return();
  }

  // ---- what decoders read ----------------------------------------------------------
  std::string& out() noexcept { return out_; }
  const syscall_desc& desc() const noexcept { return d_; }
  std::uint64_t arg(std::size_t i) const noexcept { return a_[i]; }
  std::int64_t ret() const noexcept { return ret_; }
  bool failed() const noexcept { return !o_.result_succeeded && ret_ < 0 && ret_ >= -4095; }
  const options& opts() const noexcept { return o_; }
  /// Returns the netlink protocol of socket `fd` from the fd resolver, or -1 (not a netlink
  /// socket, or a resolver that cannot tell: see fd_resolver).
  int netlink_protocol(int fd) const noexcept {
    if constexpr (requires(const R& r) { r.netlink_protocol(fd); })
      return r_.netlink_protocol(fd);
    else
      return -1;
  }
  /// Returns the pid pidfd `fd` refers to, from the fd resolver, or -1 (not a pidfd, or a
  /// resolver that cannot tell).
  long pidfd_pid(int fd) const noexcept {
    if constexpr (requires(const R& r) { r.pidfd_pid(fd); })
      return r_.pidfd_pid(fd);
    else
      return -1;
  }
  /// Returns where the traced process maps the file fd `fd` refers to when its path starts
  /// with `prefix` (a KVM vcpu's kvm_run), from the fd resolver; 0 when not mapped, another
  /// file, or a resolver that cannot tell.
  std::uint64_t fd_mapping(int fd, std::string_view prefix) const {
    if constexpr (requires(const R& r) { r.mapping_start(std::string_view{}); }) {
      std::string path;
      if (!r_.append_fd_path(fd, path) || !path.starts_with(prefix)) return 0;
      return r_.mapping_start(path);
    } else {
      return 0;
    }
  }
  const hooks_type& hooks() const noexcept { return h_; }
  /// Returns whether iovecs print their buffers' addresses, not their bytes (a failed read).
  bool addresses_only() const noexcept { return addresses_only_; }

  /// Returns whether argument i is read after the call (out-arguments and value-result
  /// pointers): strace prints everything from the first of them on at exit.
  bool default_at_exit(std::size_t i) const noexcept {
    const arg_desc& a = d_.args[i];
    if (a.dir == direction::out) return true;
    if (a.dir == direction::inout)
      return a.kind == arg_kind::structure && (a.type == struct_id::int_ || a.type == struct_id::uint64 ||
                                               a.type == struct_id::sockaddr || a.type == struct_id::msghdr);
    return false;
  }

  // ---- memory ----------------------------------------------------------------------
  /// While `on`, read_exact and read_obj fail, so a decoder prints the address where it
  /// would read a structure: strace's umove_or_printaddr in a call -e verbose= leaves out.
  /// Returns the previous setting.
  bool set_reads_hidden(bool on) noexcept { return std::exchange(reads_hidden_, on); }
  /// Reads exactly `n` bytes into the thread's scratch buffer; false when not all readable.
  bool read_exact(std::uint64_t addr, std::size_t n) {
    if (reads_hidden_) return false;
    std::string& s = scratch();
    s.resize(n);
    std::size_t done = 0;
    while (done < n) {
      auto got = mem_.read_bytes(
          addr + done, std::span<std::byte>(reinterpret_cast<std::byte*>(s.data()) + done, n - done));
      if (!got || *got == 0) return false;
      done += *got;
    }
    return true;
  }
  /// Reads one T at `addr`; false when not all of it is readable.
  template <class T>
  bool read_obj(std::uint64_t addr, T& v) {
    if (reads_hidden_) return false;
    std::byte raw[sizeof(T)];
    std::size_t done = 0;
    while (done < sizeof(T)) {
      auto got = mem_.read_bytes(addr + done, std::span<std::byte>(raw + done, sizeof(T) - done));
      if (!got || *got == 0) return false;
      done += *got;
    }
    std::memcpy(&v, raw, sizeof(T));
    return true;
  }

  // ---- printing blocks -------------------------------------------------------------
  /// Appends an fd (AT_FDCWD by name), with its path under options::show_fd_paths.
  void put_fd(std::int64_t fd) { put_fd_with(r_, fd); }

  /// Appends fd `fd` as put_fd, named by resolver `r`.
  template <class R2>
  void put_fd_with(const R2& r, std::int64_t fd) {
    if (fd == at_fdcwd)
      put_named(out_, "AT_FDCWD", [&] { put_dec(out_, fd); });
    else
      put_dec(out_, fd);
    bool details = o_.show_socket_details || o_.show_device_numbers || o_.show_pidfd_pids;
    if (fd == at_fdcwd ? !o_.show_fd_paths : (fd < 0 || (!o_.show_fd_paths && !details))) return;
    std::size_t mark = out_.size();
    if (!r.append_fd_path(static_cast<int>(fd), out_)) return out_.resize(mark);
    std::string path(out_, mark);
    out_.resize(mark);
    if constexpr (requires(const R2& rr, std::string& s) {
                    rr.append_fd_details(0, std::string_view{}, o_, s);
                  }) {
      // strace's printfd: a socket, device or pidfd by its details, else the path (-y).
      if (details && fd != at_fdcwd && r.append_fd_details(static_cast<int>(fd), path, o_, out_)) return;
    }
    if (!o_.show_fd_paths) return;
    // The kernel marks an unlinked file's path with " (deleted)": strace prints the mark
    // after the brackets when the path no longer names that file.
    constexpr std::string_view deleted_mark = " (deleted)";
    bool deleted = false;
    if constexpr (requires(const R2& rr) { rr.fd_path_deleted(0, std::string_view{}); }) {
      if (fd != at_fdcwd && path.size() > deleted_mark.size() && path.ends_with(deleted_mark) &&
          r.fd_path_deleted(static_cast<int>(fd), path)) {
        path.resize(path.size() - deleted_mark.size());
        deleted = true;
      }
    }
    put_angle_path(out_, path);
    if (deleted) out_.append("(deleted)");
  }

  /// Appends `<path>` with the path escaped as strace's print_quoted_string_in_angle_brackets
  /// (no quotes; `<` and `>` in octal).
  static void put_angle_path(std::string& out, std::string_view path) {
    out.push_back('<');
    put_quoted(
        out, std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(path.data()), path.size()),
        false, 0, "<>", false);
    out.push_back('>');
  }

  /// Appends pid `pid` in decimal and what the resolver adds after it (append_pid_note:
  /// strace's printpid); for kill and wait4, a negative pid other than -1 is a group's.
  void put_pid(std::int64_t pid, pid_type t) {
    std::int32_t v = static_cast<std::int32_t>(pid);
    put_dec(out_, v);
    if (v > 0)
      append_pid_note(v, t);
    else if (v < -1 && (d_.id == sys::call_id::kill || d_.id == sys::call_id::wait4))
      append_pid_note(-v, pid_type::pgid);
  }
  /// Appends what the resolver adds after pid `pid` of type `t` (nothing for pids <= 0).
  void append_pid_note(std::int32_t pid, pid_type t) {
    if constexpr (requires(std::string & s) { r_.append_pid_note(pid, t, s); })
      if (pid > 0) r_.append_pid_note(pid, t, out_);
  }

  /// Appends fd `fd` of process `pid` (kcmp's): with its path only when the resolver reads
  /// that process's fds (strace's printfd_pid_tracee_ns), or cannot say which it reads.
  /// `pid` is in the traced thread's pid namespace: the resolver's translate_pid, when it
  /// has one, gives its number in the resolver's.
  void put_fd_of(std::int64_t pid, std::int64_t fd) {
    if constexpr (requires(const R& r) { r.pid(); }) {
      if constexpr (requires { r_.translate_pid(std::int32_t{}); })
        pid = r_.translate_pid(static_cast<std::int32_t>(pid));
      if (pid != static_cast<std::int64_t>(r_.pid())) return put_dec(out_, fd);
    }
    put_fd(fd);
  }

  /// Appends fd `fd` of process `pid` (pidfd_getfd's target) with its path, through a
  /// resolver for that process when one can be built from its pid (proc_fd_resolver), as
  /// strace's printfd_pid; else as put_fd_of.
  void put_fd_in(std::int64_t pid, std::int64_t fd) {
    // A resolver that makes one for another process (of_pid) names that process's fds.
    if constexpr (requires(const R& r) {
                    r.of_pid(pid_t{});
                    r.pid();
                  }) {
      if (pid != static_cast<std::int64_t>(r_.pid()))
        return put_fd_with(r_.of_pid(static_cast<pid_t>(pid)), fd);
    } else if constexpr (std::is_constructible_v<R, pid_t> && requires(const R& r) { r.pid(); }) {
      if (pid != static_cast<std::int64_t>(r_.pid())) return put_fd_with(R(static_cast<pid_t>(pid)), fd);
    }
    put_fd_of(pid, fd);
  }

  /// Appends a NUL-terminated string of at most `limit` bytes, `...` after when cut.
  void put_cstring(std::uint64_t addr, std::size_t limit) {
    if (addr == 0) return out_.append("NULL"), void();
    int r = read_string(addr, limit, limit + 1);
    if (r < 0) return put_hex(out_, addr);
    put_quoted(out_, scratch(), false, o_.hex_strings);  // -x, -xx: paths too, as strace
    if (r == 1) out_.append("...");
  }

  /// Appends a NUL-terminated string kept in a field of `n` bytes (a task's comm): cut at
  /// the string limit, `...` after when the field holds no NUL (strace's printstr_ex).
  void put_cstring_n(std::uint64_t addr, std::size_t n) {
    if (addr == 0) return out_.append("NULL"), void();
    std::size_t fetch = std::min(n, o_.string_limit + 1);
    int r = read_string(addr, std::min(fetch, o_.string_limit), fetch);
    if (r < 0) return put_hex(out_, addr);
    put_quoted(out_, scratch(), false, o_.hex_strings);
    if (r == 1) out_.append("...");
  }

  /// Appends a buffer of `len` bytes: the first string_limit of them, `...` after when longer.
  /// As strace's printstr, it reads one byte more than it shows (when there is one) and
  /// prints the address when memory ends before that byte.
  /// With `omit_trailing_nul`, a NUL that ends the whole buffer is not shown (an xattr value).
  void put_buffer(std::uint64_t addr, std::uint64_t len, bool omit_trailing_nul = false) {
    if (addr == 0) return out_.append("NULL"), void();
    std::size_t shown = static_cast<std::size_t>(std::min<std::uint64_t>(len, o_.string_limit));
    std::size_t fetch = static_cast<std::size_t>(
        std::min<std::uint64_t>(len, static_cast<std::uint64_t>(o_.string_limit) + 1));
    if (!read_exact(addr, fetch)) return put_hex(out_, addr);
    scratch().resize(shown);
    if (omit_trailing_nul && shown == len && shown > 0 && scratch().back() == '\0') scratch().pop_back();
    put_quoted(out_, scratch(), h_.hex_buffers, o_.hex_strings);
    if (len > shown) out_.append("...");
  }

  /// Appends what follows the elements of an array read up to `at`, where memory ends:
  /// `... /* 0x7f0000001000 */` (strace's print_array).
  void put_unreadable_tail(std::uint64_t at) {
    out_.append("... /* ");
    put_hex(out_, at);
    out_.append(" */");
  }

  /// Appends `count` elements of `size` bytes at `addr` as strace's print_array does: NULL,
  /// `[]`, `[a, b, ...]` cut at the string limit, `[a, ... /* 0x... */]` where memory ends,
  /// or the address when the first element cannot be read. `put(bytes)` prints one element
  /// from its bytes (at most 8).
  template <class Put>
  void put_array(std::uint64_t addr, std::uint64_t count, std::size_t size, Put put) {
    if (addr == 0) return out_.append("NULL"), void();
    std::size_t mark = out_.size();
    out_.push_back('[');
    for (std::uint64_t k = 0; k < count; ++k) {
      if (k) out_.append(", ");
      std::uint64_t v = 0;
      if (size > sizeof v || !read_exact(addr + k * size, size)) {
        if (k == 0) return out_.resize(mark), put_hex(out_, addr);
        put_unreadable_tail(addr + k * size);
        break;
      }
      if (!o_.verbose && k == o_.string_limit) {  // strace reads the element, then abbreviates (not with -v)
        out_.append("...");
        break;
      }
      std::memcpy(&v, scratch().data(), size);
      put(v);
    }
    out_.push_back(']');
  }

  /// Prints a pointer argument that has nothing to show: NULL, or its address when the call
  /// failed before filling it in. Returns whether it printed.
  bool put_unfilled_pointer(std::size_t i, bool exit) {
    if (a_[i] == 0) return out_.append("NULL"), true;
    if (exit && d_.args[i].dir != direction::in && failed()) return put_hex(out_, a_[i]), true;
    return false;
  }

  /// Returns the length that `a` (argument i) names: another argument, the value a
  /// socklen_t* points to (the smaller of its values at entry and exit, as strace), or the
  /// return value.
  std::uint64_t length_of(std::size_t i, bool exit) {
    const arg_desc& a = d_.args[i];
    if (a.len == sys::len_from_return) return exit && ret_ > 0 ? static_cast<std::uint64_t>(ret_) : 0;
    if (a.len < 0 || a.len > 5) return a.type == struct_id::sigset ? 8 : 0;
    auto li = static_cast<std::size_t>(a.len);
    std::uint64_t v = a_[li];
    const arg_desc& la = d_.args[li];
    if (la.kind == arg_kind::structure || la.kind == arg_kind::ptr) {  // socklen_t* and the like
      std::uint32_t n = 0;
      if (!read_obj(v, n)) return 0;
      if (std::int32_t before; exit && saved(li, before) && static_cast<std::uint32_t>(before) < n)
        n = static_cast<std::uint32_t>(before);
      return n;
    }
    if (la.kind == arg_kind::int_ || la.kind == arg_kind::uint || la.kind == arg_kind::xint)
      return static_cast<std::uint32_t>(v);  // a C int length: the low 32 bits
    return v;
  }

  /// Keeps `v` in argument i's slot of the entry_state, for the exit to read with saved():
  /// a decoder's own note of what its entry printed (strace's tcb private data). Use a slot
  /// no in-out int argument fills. False when the tracer keeps no entry_state.
  bool keep(std::size_t i, std::int32_t v) noexcept {
    if (!save_ || i >= save_->value.size()) return false;
    save_->value[i] = v;
    save_->held = static_cast<std::uint8_t>(save_->held | 1u << i);
    return true;
  }

  /// Keeps `bytes` in the entry_state for the exit to read with saved_bytes() (bpf's info
  /// struct as it was at entry). False when the tracer keeps no entry_state.
  bool keep_bytes(std::string_view bytes) {
    if (!save_) return false;
    save_->bytes.assign(bytes);
    return true;
  }

  /// Returns the bytes keep_bytes() kept at entry (empty without an entry state).
  std::string_view saved_bytes() const noexcept {
    return st_ ? std::string_view(st_->bytes) : std::string_view();
  }

  /// Appends the path of fd `fd` as the fd resolver gives it (`anon_inode:bpf-map`), whatever
  /// -y says; false when it cannot tell.
  bool append_fd_path(int fd, std::string& path) const { return fd >= 0 && r_.append_fd_path(fd, path); }

  /// Returns whether argument i's in-out value was saved at entry, and sets `v` to it.
  bool saved(std::size_t i, std::int32_t& v) const noexcept {
    if (!st_ || !(st_->held >> i & 1)) return false;
    v = st_->value[i];
    return true;
  }

  /// Returns whether the call's timespec argument was saved at entry (recvmmsg's timeout),
  /// and sets `ts` to it.
  bool saved_timespec(sys::abi::timespec& ts) const noexcept {
    if (!st_ || !st_->timespec_held) return false;
    ts.tv_sec = st_->timespec[0];
    ts.tv_nsec = st_->timespec[1];
    return true;
  }

  /// Returns the thread's stack pointer at entry that the tracer put in the entry state, or
  /// 0 when it gave none (see entry_state::stack_pointer).
  std::uint64_t stack_pointer() const noexcept {
    if (save_) return save_->stack_pointer;
    return st_ ? st_->stack_pointer : 0;
  }
  /// Returns recvmmsg's msg_namelen of each message at entry (null without an entry state).
  const std::vector<std::int32_t>* saved_namelens() const noexcept { return st_ ? &st_->namelens : nullptr; }

  /// Appends a successful result as its return kind says: 3, 0x7f..., an fd.
  void put_return_value() {
    switch (d_.ret) {
      case sys::ret_kind::ptr:
      case sys::ret_kind::hex:
        return put_hex(out_, static_cast<std::uint64_t>(ret_));
      case sys::ret_kind::fd:
        return put_fd(ret_);
      case sys::ret_kind::pid:
        // strace prints setsid's and set_tid_address's results as plain numbers (printargs).
        if (d_.id == sys::call_id::setsid || d_.id == sys::call_id::set_tid_address)
          return put_dec(out_, ret_);
        return put_pid(ret_, returned_pid_type());
      default:
        // strace's default RVAL_UDECIMAL: a result that is not an error prints unsigned
        // (an injected retval=0x8000000000000000 is 9223372036854775808; inject-nf.test).
        return put_udec(out_, static_cast<std::uint64_t>(ret_));
    }
  }

 private:
  // Remembers what each in-out int pointer (socklen_t *addrlen) holds before the call.
  void save_inout(entry_state& st) {
    st.held = 0;
    st.timespec_held = d_.id == sys::call_id::recvmmsg && a_[4] != 0 && read_obj(a_[4], st.timespec);
    st.namelens.clear();
    st.bytes.clear();
    if (d_.id == sys::call_id::recvmmsg)
      for (std::uint64_t k = 0, n = std::min<std::uint64_t>(static_cast<std::uint32_t>(a_[2]), 1024); k < n;
           ++k) {
        sys::abi::mmsghdr m;
        if (!read_obj(a_[1] + k * sizeof m, m)) break;
        st.namelens.push_back(m.msg_hdr.msg_namelen);
      }
    for (std::size_t i = 0; i < std::min<std::size_t>(d_.nargs, 6); ++i) {
      const arg_desc& a = d_.args[i];
      if (a.kind != arg_kind::structure || a.dir != direction::inout) continue;
      // recvmsg's struct msghdr: its msg_namelen (`msg_namelen=110 => 16`).
      std::uint64_t at =
          a.type == struct_id::msghdr ? a_[i] + offsetof(sys::abi::msghdr, msg_namelen) : a_[i];
      if (a.type != struct_id::int_ && a.type != struct_id::msghdr) continue;
      if (a_[i] != 0 && read_obj(at, st.value[i])) st.held = static_cast<std::uint8_t>(st.held | 1u << i);
    }
  }

  // Which id a call returns (strace's RVAL_TID, RVAL_TGID, RVAL_PGID, RVAL_SID).
  pid_type returned_pid_type() const noexcept {
    switch (d_.id) {
      case sys::call_id::gettid:
      case sys::call_id::clone:
      case sys::call_id::clone3:
        return pid_type::tid;
      case sys::call_id::getpgrp:
      case sys::call_id::getpgid:
        return pid_type::pgid;
      case sys::call_id::getsid:
        return pid_type::sid;
      default:
        return pid_type::tgid;
    }
  }

  // How many arguments strace shows: the decoder may show fewer than the descriptor has.
  std::size_t shown_args() const noexcept {
    std::size_t n = std::min<std::size_t>(d_.nargs, 6);
    return h_.shown_args ? h_.shown_args(*this, n) : n;
  }
  bool at_exit(std::size_t i) const noexcept {
    return h_.at_exit ? h_.at_exit(*this, i) : default_at_exit(i);
  }
  std::size_t first_exit_arg() const noexcept {
    std::size_t n = std::min<std::size_t>(d_.nargs, 6);
    for (std::size_t i = 0; i < n; ++i)
      if (at_exit(i)) return i;
    return n;
  }

  // Reads a NUL-terminated string into scratch, fetching at most `fetch` bytes and keeping
  // at most `max`: returns 0 when it ends in a NUL, 1 when `fetch` bytes hold none, and -1
  // when memory ends before either (strace's umovestr then fails and the address is
  // printed, not the bytes read).
  int read_string(std::uint64_t addr, std::size_t max, std::size_t fetch) {
    std::string& s = scratch();
    s.clear();
    std::byte chunk[256];
    for (std::size_t done = 0;;) {
      if (done == fetch) return 1;
      std::uint64_t at = addr + done;
      std::size_t page_left = 4096 - (at & 4095);
      std::size_t want = std::min<std::size_t>({sizeof chunk, page_left, fetch - done});
      auto got = mem_.read_bytes(at, std::span<std::byte>(chunk, want));
      if (!got || *got == 0) {
        if (done > 0 && o_.on_short_string != nullptr)
          o_.on_short_string(addr, done, fetch, got ? std::errc::bad_address : got.error());
        return -1;
      }
      for (std::size_t i = 0; i < *got; ++i) {
        if (chunk[i] == std::byte{0}) return 0;
        if (s.size() < max) s.push_back(static_cast<char>(chunk[i]));
      }
      done += *got;
    }
  }

  void put_scalar(const arg_desc& a, std::uint64_t v) {
    switch (a.kind) {
      // The kernel reads an int argument from the low 32 bits of its register, and strace
      // prints what the kernel sees: alarm(0xffffffff0000002a) is alarm(42).
      case arg_kind::int_:
        return put_dec(out_, static_cast<std::int32_t>(v));
      case arg_kind::uint:
        return put_udec(out_, static_cast<std::uint32_t>(v));
      case arg_kind::xint:
        return put_hex(out_, static_cast<std::uint32_t>(v));
      case arg_kind::long_:
      case arg_kind::ssize:
      case arg_kind::offset:
        return put_dec(out_, static_cast<std::int64_t>(v));
      case arg_kind::ulong:
      case arg_kind::size:
        return put_udec(out_, v);
      case arg_kind::hex:
        return put_hex(out_, v);
      case arg_kind::ptr:
        return put_ptr(out_, v);
      case arg_kind::fd:  // AT_FDCWD is a name for *at calls only: readahead(-100, ...)
        if (static_cast<std::int32_t>(v) == at_fdcwd) return put_dec(out_, at_fdcwd);
        return put_fd(static_cast<std::int32_t>(v));
      case arg_kind::dirfd:
        return put_fd(static_cast<std::int32_t>(v));
      case arg_kind::pid:  // perf_event_open's pid is a plain int to strace (perf.c)
        if (d_.id == sys::call_id::perf_event_open) return put_dec(out_, static_cast<std::int32_t>(v));
        return put_pid(v, a.name == "tid" || d_.id == sys::call_id::get_robust_list ? pid_type::tid
                          : a.name == "pgid"                                        ? pid_type::pgid
                                                                                    : pid_type::tgid);
      case arg_kind::uid:
      case arg_kind::gid:
        if (static_cast<std::uint32_t>(v) == 0xffffffffu) return out_.append("-1"), void();
        return put_udec(out_, static_cast<std::uint32_t>(v));
      case arg_kind::signo:
        return put_signal(out_, static_cast<std::int32_t>(v));
      case arg_kind::mode:
        return put_octal(out_, v & 0xffffu);  // strace's print_numeric_umode_t: a umode_t in octal
      case arg_kind::clockid:
        return put_enum(out_, clock_id_xlat, v & 0xffffffffu);
      case arg_kind::flags:
      case arg_kind::enumeration:
        return put_symbolic(out_, a.flags, v);
      default:
        return put_ptr(out_, v);
    }
  }

  // int pointers that strace shows in brackets: pipe fds (two ints), socklen_t, ...
  void put_ints(std::size_t i, bool exit) {
    const arg_desc& a = d_.args[i];
    std::uint64_t addr = a_[i];
    std::size_t count = 1;
    if (a.kind == arg_kind::array) count = a.len == sys::len_none ? 2 : length_of(i, exit);
    bool fds = count == 2 && a.kind == arg_kind::array;
    std::size_t mark = out_.size();
    out_.push_back('[');
    for (std::size_t k = 0; k < count && k < o_.string_limit; ++k) {
      if (k) out_.append(", ");
      std::uint64_t v = 0;
      std::size_t sz = a.type == struct_id::int_ ? 4 : 8;
      if (!read_exact(addr + k * sz, sz)) {
        out_.resize(mark);
        return put_hex(out_, addr);
      }
      std::memcpy(&v, scratch().data(), sz);
      if (fds)
        put_fd(static_cast<std::int32_t>(v));
      else if (sz == 4)
        put_dec(out_, static_cast<std::int32_t>(v));
      else if (a.type == struct_id::int64)
        put_dec(out_, static_cast<std::int64_t>(v));
      else if (a.type == struct_id::address)
        put_ptr(out_, v);
      else
        put_udec(out_, v);
    }
    out_.push_back(']');
  }

  // An in-out int saved at entry: `[110]` after a failure, `[110 => 16]` when the call
  // changed it, `[16]` when it did not (strace's decode_sockname).
  bool put_value_result(std::size_t i) {
    std::int32_t before, after;
    if (d_.args[i].type != struct_id::int_ || !saved(i, before)) return false;
    out_.push_back('[');
    put_dec(out_, before);
    if (!failed() && read_obj(a_[i], after) && after != before) {
      out_.append(" => ");
      put_dec(out_, after);
    }
    out_.push_back(']');
    return true;
  }

  void put_struct_arg(std::size_t i, bool exit) {
    const arg_desc& a = d_.args[i];
    std::uint64_t addr = a_[i];
    if (exit && a.dir == direction::inout && a.kind == arg_kind::structure && put_value_result(i)) return;
    // A failed readv still shows its vectors, with the buffers' addresses (strace's io.c).
    bool iov_failed = a.type == struct_id::iovec && exit && a.dir != direction::in && failed() && addr != 0;
    if (!iov_failed && put_unfilled_pointer(i, exit)) return;
    addresses_only_ = iov_failed;
    if (a.type == struct_id::int_ || a.type == struct_id::uint64 || a.type == struct_id::int64 ||
        a.type == struct_id::address)
      return put_ints(i, exit);
    if (a.type == struct_id::linux_dirent64 || a.type == struct_id::linux_dirent)
      return put_dirents(*this, addr, exit);

    std::uint64_t budget = ~std::uint64_t{0};
    if ((a.type == struct_id::iovec || a.type == struct_id::msghdr) && exit && a.dir != direction::in)
      budget = ret_ > 0 ? static_cast<std::uint64_t>(ret_) : 0;
    if (a.kind == arg_kind::array) {
      std::uint64_t count = length_of(i, exit);
      std::size_t elem = struct_size(a.type);
      if (elem == 0) return put_hex(out_, addr);
      std::size_t mark = out_.size();
      out_.push_back('[');
      for (std::uint64_t k = 0; k < count; ++k) {
        if (k) out_.append(", ");
        if (!o_.verbose && k == o_.string_limit) {  // read first, abbreviated unless verbose (-v)
          if (read_exact(addr + k * elem, elem))
            out_.append("...");
          else if (k == 0)
            return out_.resize(mark), put_hex(out_, addr);
          else
            put_unreadable_tail(addr + k * elem);
          break;
        }
        if (!put_struct(*this, a.type, addr + k * elem, i, exit, budget)) {
          if (k == 0) {
            out_.resize(mark);
            return put_hex(out_, addr);
          }
          put_unreadable_tail(addr + k * elem);
          break;
        }
      }
      out_.push_back(']');
      return;
    }
    std::size_t mark = out_.size();
    if (!put_struct(*this, a.type, addr, i, exit, budget)) {
      out_.resize(mark);
      put_hex(out_, addr);
    }
  }

  // Whether strace prints argument `a` as its address for a call -e verbose= leaves out:
  // a structure (its umove_or_printaddr checks verbose), and the arrays whose decoders
  // check it (mmsghdr.c, xgetdents.c); other arrays go through print_array, which does not.
  static bool addressed_when_not_verbose(const arg_desc& a) noexcept {
    if (a.kind == arg_kind::structure) return true;
    return a.kind == arg_kind::array && (a.type == struct_id::mmsghdr || a.type == struct_id::linux_dirent ||
                                         a.type == struct_id::linux_dirent64);
  }

  void put_arg(std::size_t i, bool exit) {
    const arg_desc& a = d_.args[i];
    std::uint64_t v = a_[i];
    if (!o_.decode_structs && addressed_when_not_verbose(a)) return put_ptr(out_, v);
    if (h_.put_arg && h_.put_arg(*this, i, exit)) return;
    switch (a.kind) {
      case arg_kind::path:
        // path_limit is PATH_MAX, the size of strace's buffer with its NUL: 4095 bytes show.
        return put_cstring(v, o_.path_limit > 0 ? o_.path_limit - 1 : 0);
      case arg_kind::cstr:
        return put_cstring(v, o_.string_limit);
      case arg_kind::string_array:
        // The second string array (execve's envp) is abbreviated unless verbose.
        return detail::put_string_array(
            *this, v, i > 0 && d_.args[i - 1].kind == arg_kind::string_array && !o_.verbose);
      case arg_kind::buffer:
        if (exit && a.dir != direction::in) {
          if (failed()) return put_ptr(out_, v);
          return put_buffer(v, ret_ > 0 ? static_cast<std::uint64_t>(ret_) : 0);
        }
        return put_buffer(v, length_of(i, exit));
      case arg_kind::structure:
      case arg_kind::array:
        return put_struct_arg(i, exit);
      default:
        return put_scalar(a, v);
    }
  }

  void put_return() {
    if (d_.ret == sys::ret_kind::none) return out_.push_back('?');
    if (failed()) {
      int err = static_cast<int>(-ret_);
      errno_entry e = errno_info(err);
      bool restart = err == 512 || err == 513 || err == 514 || err == 516;
      out_.append(restart ? "?" : "-1");
      if (e.name.empty()) {
        out_.append(" (errno ");
        put_dec(out_, err);
        out_.push_back(')');
        return;
      }
      out_.push_back(' ');
      out_.append(e.name);
      out_.append(" (");
      out_.append(e.message);
      out_.push_back(')');
      return;
    }
    if (h_.put_return) return h_.put_return(*this);
    put_return_value();
  }

  std::string& out_;
  const syscall_desc& d_;
  const sys::raw_args& a_;
  M& mem_;
  const options& o_;
  R& r_;
  const hooks_type& h_;
  const entry_state* st_;
  entry_state* save_ = nullptr;  // entry()'s, for keep()
  std::int64_t ret_ = 0;
  bool addresses_only_ = false;
  bool reads_hidden_ = false;  // set_reads_hidden
};

}  // namespace snare::format::detail
