// Defines how an engine turns a guest's vDSO functions into real syscalls the tool sees
// (run_options::vdso_as_syscalls): each function that answers from memory (clock_gettime,
// gettimeofday, time, clock_getres, getcpu) gets `mov eax, NR; syscall; ret` over its
// first bytes, at every exec, so a tool that answers those calls (a virtual clock, a record
// tool) sees every one. vdso(7) lists the functions; the image is the kernel's, the same in
// every 64-bit process, so the tracer finds their offsets in its own copy.
#pragma once

#include <elf.h>
#include <sys/auxv.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <utility>
#include <vector>

namespace snare::detail {

/// One vDSO function to replace: its offset from the vDSO's start and the syscall it becomes.
struct vdso_patch {
  std::uint64_t offset = 0;
  long number = -1;
};

/// Returns the x86-64 vDSO functions of this kernel that answer without a syscall, with the
/// syscall each stands for (vdso(7): __vdso_clock_gettime 228, __vdso_gettimeofday 96,
/// __vdso_time 201, __vdso_clock_getres 229, __vdso_getcpu 309), read from the tracer's own
/// vDSO's dynamic symbols; empty when the tracer has no vDSO (booted with vdso=0).
inline std::vector<vdso_patch> vdso_patches() {
  static constexpr std::pair<const char*, long> functions[] = {{"__vdso_clock_gettime", 228},
                                                               {"__vdso_gettimeofday", 96},
                                                               {"__vdso_time", 201},
                                                               {"__vdso_clock_getres", 229},
                                                               {"__vdso_getcpu", 309}};
  std::vector<vdso_patch> out;
  auto base = reinterpret_cast<const unsigned char*>(::getauxval(AT_SYSINFO_EHDR));
  if (base == nullptr) return out;
  Elf64_Ehdr eh;
  std::memcpy(&eh, base, sizeof eh);
  std::uint64_t bias = 0;  // the address the first PT_LOAD was linked at
  for (int i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    std::memcpy(&ph, base + eh.e_phoff + static_cast<std::size_t>(i) * sizeof ph, sizeof ph);
    if (ph.p_type == PT_LOAD) {
      bias = ph.p_vaddr;
      break;
    }
  }
  for (int i = 0; i < eh.e_shnum; ++i) {
    Elf64_Shdr sh;
    std::memcpy(&sh, base + eh.e_shoff + static_cast<std::size_t>(i) * sizeof sh, sizeof sh);
    if (sh.sh_type != SHT_DYNSYM) continue;
    Elf64_Shdr strtab;
    std::memcpy(&strtab, base + eh.e_shoff + static_cast<std::size_t>(sh.sh_link) * sizeof strtab,
                sizeof strtab);
    const auto* names = reinterpret_cast<const char*>(base + strtab.sh_offset);
    for (std::size_t k = 0; k < sh.sh_size / sizeof(Elf64_Sym); ++k) {
      Elf64_Sym sym;
      std::memcpy(&sym, base + sh.sh_offset + k * sizeof sym, sizeof sym);
      for (auto [name, nr] : functions)
        if (std::strcmp(names + sym.st_name, name) == 0 && sym.st_value >= bias)
          out.push_back({sym.st_value - bias, nr});
    }
  }
  return out;
}

/// Returns the code a patched function gets: `mov eax, NR; syscall; ret` (8 bytes); the
/// arguments are already where the syscall ABI wants them but the fourth (rcx vs r10), which
/// none of these functions takes.
inline std::array<std::byte, 8> vdso_stub(long number) {
  std::array<std::byte, 8> code{std::byte{0xb8}, {}, {}, {}, {}, std::byte{0x0f}, std::byte{0x05},
                                std::byte{0xc3}};
  const auto nr = static_cast<std::uint32_t>(number);
  std::memcpy(code.data() + 1, &nr, 4);
  return code;
}

}  // namespace snare::detail
