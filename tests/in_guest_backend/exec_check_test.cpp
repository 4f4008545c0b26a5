// Tests of the in_guest backend's exec check (in_guest/exec_check.hpp) on real files: which
// images would run on without the tool object (static, 32-bit, secure mode) and which load it.
#include <elf.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include <snare/backend/in_guest/exec_check.hpp>

#include "guests.hpp"
#include "skip.hpp"

namespace {

using snare::detail::in_guest::untraced_exec;
using snare::detail::in_guest::untraced_image;

// A scratch directory under /tmp, removed with its files at the end.
struct scratch_dir {
  std::string path;
  scratch_dir() {
    char t[] = "/tmp/snare-exec-check-XXXXXX";
    REQUIRE(::mkdtemp(t) != nullptr);
    REQUIRE(::chmod(t, 0755) == 0);  // other users run its files too
    path = t;
  }
  ~scratch_dir() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::string file(const std::string& name, const std::string& text, mode_t mode) const {
    const std::string p = path + "/" + name;
    FILE* f = std::fopen(p.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    REQUIRE(::chmod(p.c_str(), mode) == 0);
    return p;
  }
  std::string copy(const std::string& name, const char* from) const {
    const std::string p = path + "/" + name;
    REQUIRE(std::system(("cp '" + std::string(from) + "' '" + p + "'").c_str()) == 0);
    return p;
  }
};

std::optional<untraced_image> check(const std::string& path) { return untraced_exec(AT_FDCWD, path.c_str()); }

}  // namespace

TEST_CASE("exec check: dynamic executables and the loader itself load the tool object", "[in_guest][exec]") {
  CHECK_FALSE(check("/bin/sh").has_value());
  CHECK_FALSE(check("/usr/bin/ls").has_value());
  // `ld.so PROG` has no PT_INTERP but honours LD_PRELOAD.
  CHECK_FALSE(check("/lib64/ld-linux-x86-64.so.2").has_value());
  // What the check cannot read or does not know is left to the exec.
  CHECK_FALSE(check("/nonexistent/prog").has_value());
  scratch_dir d;
  CHECK_FALSE(check(d.file("text", "just text\n", 0755)).has_value());
}

TEST_CASE("exec check: a static executable, directly and as a script's interpreter", "[in_guest][exec]") {
  const std::string stat = snare::test::static_guest_path("write");
  REQUIRE(check(stat) == untraced_image::static_executable);
  scratch_dir d;
  CHECK(check(d.file("script", "#!" + stat + " arg\necho\n", 0755)) == untraced_image::static_executable);
  CHECK_FALSE(check(d.file("shell", "#! /bin/sh -e\necho\n", 0755)).has_value());
  // execveat(fd, "", AT_EMPTY_PATH), as fexecve does.
  const int fd = ::open(stat.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  CHECK(untraced_exec(fd, "", AT_EMPTY_PATH) == untraced_image::static_executable);
  ::close(fd);
  // Relative to a directory fd.
  const auto slash = stat.rfind('/');
  const int dir = ::open(stat.substr(0, slash).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(dir >= 0);
  CHECK(untraced_exec(dir, stat.substr(slash + 1).c_str()) == untraced_image::static_executable);
  ::close(dir);
}

TEST_CASE("exec check: a 32-bit ELF executable", "[in_guest][exec]") {
  // Only the identification is read before the class decides: a header is enough.
  std::string elf32(sizeof(Elf32_Ehdr), '\0');
  std::memcpy(elf32.data(), ELFMAG, SELFMAG);
  elf32[EI_CLASS] = ELFCLASS32;
  elf32[EI_DATA] = ELFDATA2LSB;
  elf32[EI_VERSION] = EV_CURRENT;
  scratch_dir d;
  CHECK(check(d.file("i386", elf32, 0755)) == untraced_image::foreign_class);
}

TEST_CASE("exec check: set-user-ID and set-group-ID executables run in secure mode", "[in_guest][exec]") {
  if (::geteuid() != 0) snare::test::skip("needs root: chown of a set-user-ID copy to another user");
  scratch_dir d;
  struct statvfs vfs {};
  REQUIRE(::statvfs(d.path.c_str(), &vfs) == 0);
  if ((vfs.f_flag & ST_NOSUID) != 0)
    snare::test::skip("/tmp is mounted nosuid: set-ID bits have no effect there");
  const std::string suid = d.copy("suid", "/usr/bin/true");
  REQUIRE(::chown(suid.c_str(), 65534, 0) == 0);
  REQUIRE(::chmod(suid.c_str(), 04755) == 0);
  // Root running a file set-user-ID to nobody: the effective uid would change.
  CHECK(check(suid) == untraced_image::secure_execution);
  const std::string sgid = d.copy("sgid", "/usr/bin/true");
  REQUIRE(::chown(sgid.c_str(), 0, 65534) == 0);
  REQUIRE(::chmod(sgid.c_str(), 02755) == 0);
  CHECK(check(sgid) == untraced_image::secure_execution);
  // Set-group-ID without group execute is mandatory locking, not set-group-ID.
  REQUIRE(::chmod(sgid.c_str(), 02745) == 0);
  CHECK_FALSE(check(sgid).has_value());
  // A set-user-ID-root file run by root changes nothing: not secure.
  REQUIRE(::chown(suid.c_str(), 0, 0) == 0);
  REQUIRE(::chmod(suid.c_str(), 04755) == 0);
  CHECK_FALSE(check(suid).has_value());
  // ... but run by another user it is (the case of sudo, ping, passwd), unless no_new_privs.
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    if (::setresgid(65534, 65534, 65534) != 0 || ::setresuid(65534, 65534, 65534) != 0) ::_exit(10);
    if (untraced_exec(AT_FDCWD, suid.c_str()) != untraced_image::secure_execution) ::_exit(11);
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) ::_exit(12);
    if (untraced_exec(AT_FDCWD, suid.c_str()).has_value()) ::_exit(13);
    ::_exit(0);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  // A script's own set-ID bits are ignored by Linux.
  const std::string script = d.file("script", "#!/bin/sh\ntrue\n", 04755);
  REQUIRE(::chown(script.c_str(), 65534, 0) == 0);
  REQUIRE(::chmod(script.c_str(), 04755) == 0);
  CHECK_FALSE(check(script).has_value());
}
