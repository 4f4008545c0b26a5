// Defines the static ELF reader of the hypercall backend: it checks that a file is a static
// or static-pie x86-64 executable and describes its loadable segments.
#pragma once

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <snare/backend/hypercall/detail/kvm.hpp>
#include <snare/result.hpp>

namespace snare::backend::hypercall_detail {

/// One PT_LOAD segment: where it goes (relative to the load bias) and what the file holds.
struct elf_segment {
  std::uint64_t vaddr = 0;
  std::uint64_t memsz = 0;
  std::uint64_t offset = 0;
  std::uint64_t filesz = 0;
};

/// A parsed static executable: its bytes and what the loader needs from the headers.
struct elf_image {
  std::vector<std::uint8_t> bytes;
  bool pie = false;         ///< ET_DYN (static-pie): loaded at a bias the VM picks
  std::uint64_t entry = 0;  ///< e_entry, before the bias
  std::uint64_t phdr = 0;   ///< address of the program headers in memory, before the bias
  std::uint16_t phnum = 0;
  std::uint64_t lo = 0;  ///< lowest page of all segments, before the bias
  std::uint64_t hi = 0;  ///< end of the highest segment, page-rounded, before the bias
  std::vector<elf_segment> segments;
};

/// Reads and checks the executable at `path`. Errors: the open/read errno, or
/// std::errc::executable_format_error for anything that is not a static x86-64 ELF
/// (with `why` saying what, e.g. "dynamically linked (PT_INTERP)").
inline result<elf_image> read_static_elf(const std::string& path, std::string& why) {
  elf_image img;
  {
    int raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (raw < 0) {
      why = "cannot open " + path + ": " + std::strerror(errno);
      return result<elf_image>::from_errno(errno);
    }
    unique_fd fd(raw);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return result<elf_image>::from_errno(errno);
    img.bytes.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < img.bytes.size()) {
      auto n = snare::detail::retry_eintr(
          [&] { return ::read(fd.get(), img.bytes.data() + got, img.bytes.size() - got); });
      if (n <= 0) {
        why = "cannot read " + path;
        return n < 0 ? result<elf_image>::from_errno(errno) : std::errc::io_error;
      }
      got += static_cast<std::size_t>(n);
    }
  }
  auto bad = [&why](const char* what) {
    why = what;
    return result<elf_image>(std::errc::executable_format_error);
  };
  if (img.bytes.size() < sizeof(Elf64_Ehdr)) return bad("file too small for an ELF header");
  Elf64_Ehdr eh;
  std::memcpy(&eh, img.bytes.data(), sizeof eh);
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) return bad("not an ELF file");
  if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64) return bad("not an x86-64 ELF file");
  if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) return bad("not an executable");
  if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff + eh.e_phnum * sizeof(Elf64_Phdr) > img.bytes.size())
    return bad("truncated program headers");
  img.pie = eh.e_type == ET_DYN;
  img.entry = eh.e_entry;
  img.phnum = eh.e_phnum;
  img.lo = ~std::uint64_t{0};
  bool have_phdr = false;
  for (std::uint16_t i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    std::memcpy(&ph, img.bytes.data() + eh.e_phoff + i * sizeof ph, sizeof ph);
    if (ph.p_type == PT_INTERP)
      return bad("dynamically linked (PT_INTERP): only static executables run in the VM");
    if (ph.p_type == PT_PHDR) {
      img.phdr = ph.p_vaddr;
      have_phdr = true;
    }
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    if (ph.p_offset + ph.p_filesz > img.bytes.size() || ph.p_filesz > ph.p_memsz)
      return bad("segment out of file");
    img.segments.push_back({ph.p_vaddr, ph.p_memsz, ph.p_offset, ph.p_filesz});
    img.lo = std::min(img.lo, ph.p_vaddr & ~std::uint64_t{0xFFF});
    img.hi = std::max(img.hi, (ph.p_vaddr + ph.p_memsz + 0xFFF) & ~std::uint64_t{0xFFF});
    // Without PT_PHDR the headers are found in the segment that maps file offset e_phoff.
    if (!have_phdr && eh.e_phoff >= ph.p_offset && eh.e_phoff < ph.p_offset + ph.p_filesz)
      img.phdr = ph.p_vaddr + (eh.e_phoff - ph.p_offset);
  }
  if (img.segments.empty()) return bad("no loadable segment");
  return img;
}

}  // namespace snare::backend::hypercall_detail
