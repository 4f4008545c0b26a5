// Defines snare::test::mock_backend: a backend without a kernel, for unit tests of the tool
// model, dispatch and capability checks. Its engine "runs" argv as a list of syscall
// numbers, dispatching each entry and exit to the tool against a small fake memory.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <snare/backend/concept.hpp>
#include <snare/dispatch/default_table.hpp>
#include <snare/dispatch/dispatch.hpp>
#include <snare/engine/core.hpp>
#include <snare/guest/handle.hpp>
#include <snare/subscription/subscription.hpp>

namespace snare::test {

template <bool Inject, bool Exit>
struct mock_backend;

template <class Backend, class Tool>
class mock_guest : public guest_base<mock_guest<Backend, Tool>, Backend, Tool> {
 public:
  static constexpr std::uint64_t base = 0x10000;
  std::array<std::byte, 256> memory{};
  std::vector<sys::raw_call> injected;
  thread_state_t<Tool> thread_value{};
  process_state_t<Tool> process_value{};
  global_state_t<Tool> global_value{};

  pid_t pid() const noexcept { return 100; }
  pid_t tid() const noexcept { return 101; }
  result<std::size_t> do_read_bytes(std::uint64_t a, std::span<std::byte> out) noexcept {
    if (a < base || a >= base + memory.size()) return std::errc::bad_address;
    std::size_t n = std::min(out.size(), static_cast<std::size_t>(base + memory.size() - a));
    std::memcpy(out.data(), memory.data() + (a - base), n);
    return n;
  }
  result<std::size_t> do_write_bytes(std::uint64_t a, std::span<const std::byte> in) noexcept {
    if (a < base || a >= base + memory.size()) return std::errc::bad_address;
    std::size_t n = std::min(in.size(), static_cast<std::size_t>(base + memory.size() - a));
    std::memcpy(memory.data() + (a - base), in.data(), n);
    return n;
  }
  result<long> do_inject(const sys::raw_call& c) noexcept {
    injected.push_back(c);
    return 42L;
  }
  result<void> do_tail_inject(const sys::raw_call& c) noexcept {
    injected.push_back(c);
    return {};
  }
  thread_state_t<Tool>& do_thread_state() noexcept { return thread_value; }
  process_state_t<Tool>& do_process_state() noexcept { return process_value; }
  global_state_t<Tool>& do_global_state() noexcept { return global_value; }
};

/// A kernel-free backend whose inject and exit capabilities are chosen by the test.
template <bool Inject, bool Exit>
struct mock_backend {
  static constexpr std::string_view name = "mock";
  static constexpr bool can_modify_args = true, can_inject = Inject, can_read_memory = true,
                        can_write_memory = true, can_intercept_rdtsc = false, can_intercept_cpuid = false,
                        can_add_fd = false, can_observe_exit = Exit, can_observe_signals = false,
                        can_backtrace = false, can_follow_process_tree = true;
  static constexpr std::array<host_feature, 0> host_requirements{};
  static constexpr std::optional<host_feature> host_feature_for(capability) noexcept { return std::nullopt; }

  // Built on the engine core like every backend: it adds only its event source (argv).
  template <class Tool>
  class engine : public ::snare::engine::core<mock_backend, Tool, mock_guest<mock_backend, Tool>> {
    using core_type = ::snare::engine::core<mock_backend, Tool, mock_guest<mock_backend, Tool>>;

   public:
    using guest_type = mock_guest<mock_backend, Tool>;
    using table_type = syscall_table_t<Tool>;
    using core_type::subscription;
    static_assert(check_tool_capabilities<mock_backend, Tool, guest_type, table_type>());

    engine(Tool& t, const run_options& o, global_state_t<Tool>& g) : core_type(t, o, g) {}
    engine(Tool& t, const run_options& o) : core_type(t, o, own_global) {}
    /// Dispatches each argv entry (a syscall number) whose number is subscribed; returns
    /// the count of calls the tool suppressed.
    int run(std::span<const char* const> argv) {
      if (!this->host_allows(argv)) return this->refused();
      int suppressed = 0;
      for (const char* a : argv) {
        long nr = std::strtol(a, nullptr, 10);
        if (!subscription.entry.contains(nr)) continue;
        dispatch::raw_args args{1, 2, 3, 4, 5, 6};
        guest.reset_action();
        auto act = dispatch::table<Tool, guest_type, table_type>::on_entry(*this->tool_, guest, nr, args);
        last_args = args;
        if (act.what() == action::kind::suppress) {
          ++suppressed;
          continue;
        }
        if (subscription.exit.contains(nr))
          last_ret = dispatch::table<Tool, guest_type, table_type>::on_exit(*this->tool_, guest, nr, args, 0);
      }
      return this->finish(exit_status::exited(suppressed));
    }
    global_state_t<Tool> own_global{};
    guest_type guest;
    dispatch::raw_args last_args{};
    long last_ret = 0;
  };
};

}  // namespace snare::test
