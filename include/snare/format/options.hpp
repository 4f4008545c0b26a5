// Defines snare::format::options: the knobs of the strace-like formatter (-s, -y, -yy, -a, -v,
// -x, -X).
#pragma once

#include <cstddef>
#include <cstdint>
#include <system_error>

namespace snare::format {

/// Says how a named constant prints (strace -X, src/xlat.c): `abbrev` by name (O_RDWR,
/// `0x63 /* AF_??? */` when unnamed), `raw` as the number only (0x2), `verbose` as the
/// number with its names in a comment (`0x2 /* O_RDWR */`).
enum class xlat_style : unsigned char { abbrev, raw, verbose };

/// Says how calls are rendered; the defaults print what `strace` prints with no options
/// except the column alignment, which is off unless `align_column` is set.
struct options {
  /// Longest string or buffer shown, in bytes, before `...` (strace -s); also the most
  /// elements shown of an array (argv, iovec).
  std::size_t string_limit = 32;
  /// Prints fd arguments and fd results with their path, `3</etc/passwd>` (strace -y),
  /// through the resolver given to the format functions.
  bool show_fd_paths = false;
  /// Prints sockets by protocol and addresses instead of their path,
  /// `3<TCP:[127.0.0.1:8080->127.0.0.1:41234]>`, `4<UNIX:[5678->5679,"/run/x"]>` (strace -yy,
  /// -e decode-fds=socket): the resolver asks the kernel (NETLINK_SOCK_DIAG), as strace does.
  bool show_socket_details = false;
  /// Prints character and block devices with their numbers, `0</dev/null<char 1:3>>` (strace
  /// -yy, -e decode-fds=dev).
  bool show_device_numbers = false;
  /// Prints a pidfd as the process it refers to, `3<pid:1234>` (strace -yy,
  /// -e decode-fds=pidfd).
  bool show_pidfd_pids = false;
  /// Pads a completed line with spaces so " = " starts at this column (strace -a, whose
  /// default is 40); 0 turns padding off.
  std::size_t align_column = 0;
  /// Prints environment arrays in full instead of `0x... /* N vars */` (strace -v).
  bool verbose = false;
  /// Decodes the structures that arguments point to; false prints their addresses instead,
  /// as strace does for the calls -e verbose= leaves out (its umove_or_printaddr).
  bool decode_structs = true;
  /// Prints strings in hex escapes: 0 never (strace's default), 1 a string holding a byte
  /// that is neither printable nor a space wholly as `\xNN` (strace -x), 2 every string
  /// (strace -xx), 3 only such bytes (strace --strings-in-hex=non-ascii-chars).
  int hex_strings = 0;
  /// Longest path shown before `...` (strace uses PATH_MAX).
  std::size_t path_limit = 4096;
  /// How flags, enumerations, signals and ioctl requests print (strace -X).
  xlat_style xlat = xlat_style::abbrev;
  /// Prints the result as a success even when it lies in -4095..-1 (then as an unsigned
  /// number): a result injected with strace's `-e inject=...:retval=` (its set_success).
  bool result_succeeded = false;
  /// Called (when set) for a string that runs into unreadable memory after `nread` of the
  /// `wanted` bytes at `address` were read without a NUL, as strace reports it on stderr
  /// (its umovestr's "short read (N < M) @ADDR: Bad address"); `error` is the failed read's.
  void (*on_short_string)(std::uint64_t address, std::size_t nread, std::size_t wanted,
                          std::errc error) noexcept = nullptr;
  /// Appends to a successful KVM_RUN the exit reason the vcpu's kvm_run holds, `= 0
  /// (KVM_EXIT_HLT)` (strace -e kvm=vcpu); needs a resolver that finds the vcpu's mapping.
  bool kvm_vcpu_exit = false;
};

}  // namespace snare::format
