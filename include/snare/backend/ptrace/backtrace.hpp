// Defines the ptrace backend's backtraces: libunwind-ptrace unwinds a stopped guest thread
// and names each frame from the guest's symbols.
#pragma once

#include <libunwind-ptrace.h>
#include <sys/types.h>

#include <cstddef>
#include <new>
#include <vector>

#include <snare/guest/frame.hpp>
#include <snare/result.hpp>

namespace snare::backend::ptrace_detail {

/// Returns up to `max_frames` frames of thread `tid`, which must be in a ptrace stop.
/// Errors: not_enough_memory, or io_error when libunwind cannot start on the thread.
inline result<std::vector<frame>> unwind(pid_t tid, std::size_t max_frames) noexcept {
  unw_addr_space_t as = unw_create_addr_space(&_UPT_accessors, 0);
  if (!as) return std::errc::not_enough_memory;
  void* ui = _UPT_create(tid);
  if (!ui) {
    unw_destroy_addr_space(as);
    return std::errc::not_enough_memory;
  }
  result<std::vector<frame>> out = std::errc::io_error;
  unw_cursor_t cursor;
  if (unw_init_remote(&cursor, as, ui) == 0) {
    try {
      std::vector<frame> frames;
      do {
        unw_word_t ip = 0, off = 0;
        if (unw_get_reg(&cursor, UNW_REG_IP, &ip) != 0) break;
        frame f;
        f.ip = ip;
        char name[512];
        if (unw_get_proc_name(&cursor, name, sizeof name, &off) == 0) {
          f.symbol = name;
          f.offset = off;
        }
        frames.push_back(std::move(f));
      } while (frames.size() < max_frames && unw_step(&cursor) > 0);
      out = std::move(frames);
    } catch (const std::bad_alloc&) {
      out = std::errc::not_enough_memory;
    }
  }
  _UPT_destroy(ui);
  unw_destroy_addr_space(as);
  return out;
}

}  // namespace snare::backend::ptrace_detail
