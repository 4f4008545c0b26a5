// Defines the check the in_guest backend makes before an exec: will the new image load the
// tool object? It will not for a static executable (no dynamic loader to honour LD_PRELOAD),
// a 32-bit one (the loader refuses a 64-bit object), or an exec the kernel runs in secure
// mode (setuid, setgid, file capabilities: the loader ignores LD_PRELOAD paths with slashes).
// Such a process runs on untraced; the backend refuses it as the root and reports it below.
#pragma once

#include <elf.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <string>

#include <snare/detail/unique_fd.hpp>

namespace snare::detail::in_guest {

/// Why an exec would leave the in_guest backend behind.
enum class untraced_image {
  static_executable,  ///< an ELF executable without PT_INTERP (static, static-pie)
  foreign_class,      ///< a 32-bit ELF executable (i386, x32): the 64-bit object cannot load
  secure_execution,   ///< AT_SECURE: setuid, setgid or file capabilities change the credentials
};

/// The reason in words, for messages: "a static executable", ...
inline const char* describe(untraced_image why) noexcept {
  switch (why) {
    case untraced_image::static_executable:
      return "a static executable (no dynamic loader to preload the tool object)";
    case untraced_image::foreign_class:
      return "a 32-bit executable (the 64-bit tool object cannot be preloaded)";
    case untraced_image::secure_execution:
      return "a set-user-ID, set-group-ID or file-capability executable (the loader runs in secure "
             "mode and ignores LD_PRELOAD; ld.so(8))";
  }
  return "untraced";
}

/// Whether an exec of the file open at `fd` runs in secure mode for the calling process. The
/// kernel's rule (security/commoncap.c, cap_bprm_creds_from_file): AT_SECURE when the new
/// effective uid differs from the real uid, the new effective gid from the real gid, or a
/// non-root process gains file capabilities. Set-ID bits count unless no_new_privs is set or
/// the file's mount is nosuid. LSM transitions (SELinux, AppArmor) are not seen.
inline bool secure_exec(int fd) noexcept {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  uid_t ruid = 0, euid = 0, suid = 0;
  gid_t rgid = 0, egid = 0, sgid = 0;
  if (::getresuid(&ruid, &euid, &suid) != 0 || ::getresgid(&rgid, &egid, &sgid) != 0) return false;
  struct statvfs vfs {};
  const bool nosuid = ::fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_NOSUID) != 0;
  const bool ids_apply = !nosuid && ::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1;
  uid_t new_euid = euid;
  gid_t new_egid = egid;
  if (ids_apply && (st.st_mode & S_ISUID) != 0) new_euid = st.st_uid;
  if (ids_apply && (st.st_mode & S_ISGID) != 0 && (st.st_mode & S_IXGRP) != 0) new_egid = st.st_gid;
  if (new_euid != ruid || new_egid != rgid) return true;
  // File capabilities raise a non-root process's permitted set (root already holds them all).
  return !nosuid && new_euid != 0 && ::fgetxattr(fd, "security.capability", nullptr, 0) > 0;
}

/// Fills `out` with the status of the dynamic loader named by this process's executable
/// (its PT_INTERP); false when it has none or it cannot be read.
inline bool own_loader(struct stat& out) noexcept {
  unique_fd exe(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!exe) return false;
  Elf64_Ehdr eh;
  if (::pread(exe.get(), &eh, sizeof eh, 0) != static_cast<ssize_t>(sizeof eh) ||
      std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_phentsize < sizeof(Elf64_Phdr))
    return false;
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    if (::pread(exe.get(), &ph, sizeof ph, static_cast<off_t>(eh.e_phoff + i * eh.e_phentsize)) !=
        static_cast<ssize_t>(sizeof ph))
      return false;
    if (ph.p_type != PT_INTERP) continue;
    char interp[256] = {};
    if (ph.p_filesz == 0 || ph.p_filesz >= sizeof interp ||
        ::pread(exe.get(), interp, ph.p_filesz, static_cast<off_t>(ph.p_offset)) !=
            static_cast<ssize_t>(ph.p_filesz))
      return false;
    return ::stat(interp, &out) == 0;
  }
  return false;
}

/// Why the image `path` (relative to `dirfd` as execveat(2) reads it; AT_EMPTY_PATH in
/// `flags` takes `dirfd` itself) would not load the tool object, or nullopt when it would, or
/// when the file cannot be read or is not a format the check knows (the exec says why, or a
/// binfmt_misc handler runs it). A `#!` script is judged by its interpreter (one level, as
/// the kernel allows interpreters that are not scripts). Never throws; allocates only for
/// the interpreter's path.
inline std::optional<untraced_image> untraced_exec(int dirfd, const char* path, int flags = 0,
                                                   int depth = 0) noexcept {
  if (path == nullptr) return std::nullopt;
  unique_fd fd;
  if (path[0] == '\0' && (flags & AT_EMPTY_PATH) != 0) {
    // No snprintf: this runs in the guest's SIGSYS path (async-signal context).
    char self[32] = "/proc/self/fd/";
    char digits[12];
    int n = 0;
    for (unsigned v = static_cast<unsigned>(dirfd); n == 0 || v != 0; v /= 10)
      digits[n++] = static_cast<char>('0' + v % 10);
    std::size_t at = std::strlen(self);
    while (n > 0) self[at++] = digits[--n];
    self[at] = '\0';
    fd = unique_fd(::open(self, O_RDONLY | O_CLOEXEC));
  } else {
    fd = unique_fd(::openat(dirfd, path, O_RDONLY | O_CLOEXEC));
  }
  if (!fd) return std::nullopt;
  unsigned char head[256] = {};
  const ssize_t n = ::pread(fd.get(), head, sizeof head, 0);
  if (n >= 2 && head[0] == '#' && head[1] == '!') {
    if (depth > 0) return std::nullopt;  // the kernel's own ENOEXEC
    try {
      std::string line(reinterpret_cast<const char*>(head) + 2, static_cast<std::size_t>(n) - 2);
      line = line.substr(0, line.find('\n'));
      const auto b = line.find_first_not_of(" \t");
      if (b == std::string::npos) return std::nullopt;
      line = line.substr(b, line.find_first_of(" \t", b) - b);
      return untraced_exec(AT_FDCWD, line.c_str(), 0, depth + 1);
    } catch (...) {
      return std::nullopt;
    }
  }
  if (n < static_cast<ssize_t>(EI_NIDENT) || std::memcmp(head, ELFMAG, SELFMAG) != 0) return std::nullopt;
  // Secure mode follows the image that runs: an interpreter's set-ID bits count, a script's
  // do not (Linux ignores them), so it is judged on ELF images only.
  if (secure_exec(fd.get())) return untraced_image::secure_execution;
  if (head[EI_CLASS] == ELFCLASS32) return untraced_image::foreign_class;
  if (head[EI_CLASS] != ELFCLASS64 || n < static_cast<ssize_t>(sizeof(Elf64_Ehdr))) return std::nullopt;
  Elf64_Ehdr eh;
  std::memcpy(&eh, head, sizeof eh);
  if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) return std::nullopt;
  if (eh.e_phentsize < sizeof(Elf64_Phdr)) return std::nullopt;
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    if (::pread(fd.get(), &ph, sizeof ph, static_cast<off_t>(eh.e_phoff + i * eh.e_phentsize)) !=
        static_cast<ssize_t>(sizeof ph))
      return std::nullopt;
    if (ph.p_type == PT_INTERP) return std::nullopt;
  }
  // The dynamic loader itself has no PT_INTERP either, and run as a program (`ld.so PROG`) it
  // honours LD_PRELOAD: it is the loader this process was started by (it is dynamic: the tool
  // object or the tracer is loaded).
  struct stat st {
  }, loader{};
  if (::fstat(fd.get(), &st) == 0 && own_loader(loader) && st.st_dev == loader.st_dev &&
      st.st_ino == loader.st_ino)
    return std::nullopt;
  return untraced_image::static_executable;
}

}  // namespace snare::detail::in_guest
