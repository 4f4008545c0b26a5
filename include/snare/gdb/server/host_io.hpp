// Defines the gdbserver's host I/O (vFile): gdb reads the target's files through the server
// (the executable and the shared libraries, when its sysroot is `target:`). Read-only:
// open, pread, fstat, close, readlink, setfs.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include <snare/detail/posix.hpp>
#include <snare/detail/unique_fd.hpp>
#include <snare/gdb/protocol/packet.hpp>
#include <snare/gdb/protocol/reply.hpp>
#include <snare/gdb/protocol/request.hpp>

namespace snare::gdb::detail {

// Returns gdb's File-I/O errno for Linux errno `err` (the manual's "Errno Values": Linux's
// numbers but for ENAMETOOLONG; EUNKNOWN, 9999, for the rest).
inline int to_gdb_errno(int err) noexcept {
  switch (err) {
    case EPERM:
    case ENOENT:
    case EINTR:
    case EBADF:
    case EACCES:
    case EFAULT:
    case EBUSY:
    case EEXIST:
    case ENODEV:
    case ENOTDIR:
    case EISDIR:
    case EINVAL:
    case ENFILE:
    case EMFILE:
    case EFBIG:
    case ENOSPC:
    case ESPIPE:
    case EROFS:
      return err;
    case ENAMETOOLONG:
      return 91;
    default:
      return 9999;
  }
}

// Appends `v` as `size` big-endian bytes (gdb's File-I/O struct stat).
inline void append_big_endian(std::string& out, std::uint64_t v, unsigned size) {
  for (unsigned i = size; i-- > 0;) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

// The files gdb opened, by the numbers it was given (the server's own descriptors, kept).
class host_files {
 public:
  static constexpr std::size_t max_open = 64;

  // Answers one vFile request with its `F` reply. `guest` is the debugged process: setfs
  // takes 0 or it (its files are the server's: snare starts it in the server's mount
  // namespace); any other process is refused (ESRCH: EUNKNOWN to gdb).
  std::string answer(const request::file_io& r, pid_t guest) {
    using reply::file_result;
    auto failed = [](int err) { return file_result(-1, to_gdb_errno(err)); };
    if (r.op == "setfs") {
      if (r.args[0] != 0 && r.args[0] != guest) return failed(ESRCH);
      return file_result(0);
    }
    if (r.op == "open") {
      // Read-only: gdb's O_RDONLY is 0; any other flag (O_WRONLY 1, O_RDWR 2, O_CREAT...)
      // would write the server's files.
      if (r.args[0] != 0) return failed(EACCES);
      if (files_.size() >= max_open) return failed(EMFILE);
      snare::detail::unique_fd fd(::open(r.path.c_str(), O_RDONLY | O_CLOEXEC));
      if (!fd) return failed(errno);
      const int n = fd.get();
      files_[n] = std::move(fd);
      return file_result(n);
    }
    if (r.op == "readlink") {
      char target[4096];
      ssize_t n = ::readlink(r.path.c_str(), target, sizeof target);
      if (n < 0) return failed(errno);
      return file_result(n, 0, std::string_view(target, static_cast<std::size_t>(n)));
    }
    if (r.op == "unlink") return failed(EPERM);  // the server removes no file of its host for gdb
    auto it = files_.find(static_cast<int>(r.args.empty() ? -1 : r.args[0]));
    if (it == files_.end()) return failed(EBADF);
    const int fd = it->second.get();
    if (r.op == "close") {
      files_.erase(it);
      return file_result(0);
    }
    if (r.op == "pread") {
      if (r.args[1] < 0 || r.args[2] < 0) return failed(EINVAL);
      // Bounded by what one reply holds: the data's escapes may double it.
      std::string data(std::min<std::uint64_t>(static_cast<std::uint64_t>(r.args[1]), max_read_size / 2),
                       '\0');
      ssize_t n =
          snare::detail::retry_eintr([&] { return ::pread(fd, data.data(), data.size(), r.args[2]); });
      if (n < 0) return failed(errno);
      data.resize(static_cast<std::size_t>(n));
      return file_result(n, 0, data);
    }
    if (r.op == "fstat") {
      struct stat st {};
      if (::fstat(fd, &st) != 0) return failed(errno);
      std::string s;  // gdb's struct stat: 32-bit fields, 64-bit sizes, big-endian
      append_big_endian(s, st.st_dev, 4);
      append_big_endian(s, st.st_ino, 4);
      append_big_endian(s, st.st_mode, 4);
      append_big_endian(s, st.st_nlink, 4);
      append_big_endian(s, st.st_uid, 4);
      append_big_endian(s, st.st_gid, 4);
      append_big_endian(s, st.st_rdev, 4);
      append_big_endian(s, static_cast<std::uint64_t>(st.st_size), 8);
      append_big_endian(s, static_cast<std::uint64_t>(st.st_blksize), 8);
      append_big_endian(s, static_cast<std::uint64_t>(st.st_blocks), 8);
      append_big_endian(s, static_cast<std::uint64_t>(st.st_atime), 4);
      append_big_endian(s, static_cast<std::uint64_t>(st.st_mtime), 4);
      append_big_endian(s, static_cast<std::uint64_t>(st.st_ctime), 4);
      return file_result(static_cast<long>(s.size()), 0, s);
    }
    return failed(EPERM);  // pwrite: the server writes no file of its host for gdb
  }

 private:
  std::map<int, snare::detail::unique_fd> files_;
};

}  // namespace snare::gdb::detail
