// Unit tests of the engine's kernel-free layers: the BPF builder, subscriptions derived from
// handlers, dispatch through a mock backend, fibers and their stack pool.
#include <linux/audit.h>
#include <linux/seccomp.h>

#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include <snare/arch/aarch64.hpp>
#include <snare/bpf/filter.hpp>
#include <snare/engine/records.hpp>
#include <snare/fiber/fiber.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tracer.hpp>

#include "mock_backend.hpp"

namespace {

constexpr std::uint32_t action_of(std::uint32_t r) { return r & SECCOMP_RET_ACTION_FULL; }

constexpr snare::syscall_set set_of(std::initializer_list<long> nrs) {
  snare::syscall_set s;
  for (long n : nrs) s.add(n);
  return s;
}

}  // namespace

TEST_CASE("the BPF filter traps exactly the subscribed numbers", "[engine][bpf]") {
  static constexpr auto set = set_of({0, 1, 2, 3, 39, 57, 58, 59, 110, 257, 435, 450});
  static constexpr auto prog = snare::bpf::build_filter(set, SECCOMP_RET_TRACE);
  STATIC_REQUIRE(snare::bpf::evaluate(prog, 257, AUDIT_ARCH_X86_64) == SECCOMP_RET_TRACE);
  STATIC_REQUIRE(snare::bpf::evaluate(prog, 4, AUDIT_ARCH_X86_64) == SECCOMP_RET_ALLOW);
  for (std::uint32_t nr = 0; nr < 1100; ++nr) {
    INFO("nr " << nr);
    CHECK(snare::bpf::evaluate(prog, nr, AUDIT_ARCH_X86_64) ==
          (set.contains(nr) ? SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW));
  }
}

TEST_CASE("the BPF filter refuses x32 and foreign-ABI calls", "[engine][bpf]") {
  static constexpr auto prog = snare::bpf::build_filter(set_of({257}), SECCOMP_RET_USER_NOTIF);
  CHECK(snare::bpf::evaluate(prog, 257, AUDIT_ARCH_X86_64) == SECCOMP_RET_USER_NOTIF);
  CHECK(action_of(snare::bpf::evaluate(prog,
                                       257 | static_cast<std::uint32_t>(snare::arch::x86_64::x32_syscall_bit),
                                       AUDIT_ARCH_X86_64)) == SECCOMP_RET_ERRNO);
  CHECK(action_of(snare::bpf::evaluate(prog, 5, AUDIT_ARCH_I386)) == SECCOMP_RET_ERRNO);
  CHECK((snare::bpf::evaluate(prog, 5, AUDIT_ARCH_I386) & SECCOMP_RET_DATA) == ENOSYS);
}

TEST_CASE("the BPF filter is built for the arch it is given", "[engine][bpf]") {
  // aarch64: its own audit arch, and no x32 bit to refuse (the number is just out of range).
  static constexpr auto prog =
      snare::bpf::build_filter<snare::arch::aarch64>(set_of({56}), SECCOMP_RET_TRACE);
  STATIC_REQUIRE(snare::bpf::evaluate(prog, 56, snare::arch::aarch64::audit_arch) == SECCOMP_RET_TRACE);
  STATIC_REQUIRE(snare::bpf::evaluate(prog, 57, snare::arch::aarch64::audit_arch) == SECCOMP_RET_ALLOW);
  CHECK(action_of(snare::bpf::evaluate(prog, 56, AUDIT_ARCH_X86_64)) == SECCOMP_RET_ERRNO);
  CHECK(prog.size + 2 == snare::bpf::build_filter<snare::arch::x86_64>(set_of({56}), SECCOMP_RET_TRACE).size);
}

TEST_CASE("the BPF filter stays correct for large and dense sets", "[engine][bpf]") {
  snare::syscall_set every_third;
  for (long n = 0; n < snare::max_syscall_number; n += 3) every_third.add(n);
  auto prog = snare::bpf::build_filter(every_third, SECCOMP_RET_TRACE);
  REQUIRE(prog.size < snare::bpf::max_program_size);
  for (std::uint32_t nr = 0; nr < 2 * snare::max_syscall_number; ++nr)
    REQUIRE(snare::bpf::evaluate(prog, nr, AUDIT_ARCH_X86_64) ==
            (every_third.contains(nr) ? SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW));
  auto all = snare::bpf::build_filter(snare::syscall_set::everything(), SECCOMP_RET_TRACE);
  CHECK(all.size == 7);
  CHECK(snare::bpf::evaluate(all, 1000, AUDIT_ARCH_X86_64) == SECCOMP_RET_TRACE);
  auto none = snare::bpf::build_filter(snare::syscall_set{}, SECCOMP_RET_TRACE);
  CHECK(snare::bpf::evaluate(none, 0, AUDIT_ARCH_X86_64) == SECCOMP_RET_ALLOW);
}

namespace {
using mock = snare::test::mock_backend<true, true>;

struct typed_tool {
  int openat = 0, read_exits = 0;
  void on(snare::sys::openat, auto&) { ++openat; }
  void on_exit(snare::sys::read, long, auto&) { ++read_exits; }
};
struct generic_tool {
  int calls = 0;
  void on(auto, auto&) { ++calls; }
};
struct explicit_tool {
  using subscription = snare::syscalls<snare::sys::getpid, snare::sys::close>;
  std::vector<long> seen;
  void on(auto call, auto&) { seen.push_back(call.to_raw().number); }
};
struct rewriting_tool {
  using thread_state = int;
  using global_state = long;
  snare::action on(snare::sys::write& call, auto& g) {
    call.set_count(5);
    ++g.thread_state();
    g.global().call([](long& n) { n += 10; });
    return snare::proceed();
  }
  void on(snare::sys::close, auto& g) { g.fail(EBADF); }
  void on(snare::sys::getpid, auto& g) {
    auto r = g.inject(snare::sys::gettid{});
    REQUIRE(r);
    CHECK(*r == 42);
    g.suppress(*r);
  }
};
}  // namespace

TEST_CASE("a subscription is derived from the handlers a tool defines", "[engine][subscription]") {
  using table = snare::sys::x86_64::all_types;
  constexpr auto typed = snare::subscription_of<typed_tool, snare::test::mock_guest<mock, typed_tool>, table>;
  STATIC_REQUIRE(typed.entry.contains(257));
  STATIC_REQUIRE(typed.entry.contains(0));  // an exit handler needs the entry stop too
  STATIC_REQUIRE(typed.entry.size() == 2);
  STATIC_REQUIRE(typed.exit.contains(0));
  STATIC_REQUIRE(!typed.exit.contains(257));
  constexpr auto generic =
      snare::subscription_of<generic_tool, snare::test::mock_guest<mock, generic_tool>, table>;
  STATIC_REQUIRE(generic.entry.is_everything());
  STATIC_REQUIRE(generic.exit.empty());
  constexpr auto expl =
      snare::subscription_of<explicit_tool, snare::test::mock_guest<mock, explicit_tool>, table>;
  STATIC_REQUIRE(expl.entry.size() == 2);
  STATIC_REQUIRE(expl.entry.contains(39));
  STATIC_REQUIRE(expl.entry.contains(3));
}

TEST_CASE("dispatch reaches typed and generic handlers without touching others", "[engine][dispatch]") {
  SECTION("typed") {
    typed_tool tool;
    REQUIRE(snare::run<mock>(tool, {"257", "0", "1", "257"}) == 0);
    CHECK(tool.openat == 2);
    CHECK(tool.read_exits == 1);
  }
  SECTION("generic sees known and unknown numbers") {
    generic_tool tool;
    REQUIRE(snare::run<mock>(tool, {"0", "1", "999", "5000"}) == 0);
    CHECK(tool.calls == 4);
  }
  SECTION("explicit subscription limits a generic handler") {
    explicit_tool tool;
    REQUIRE(snare::run<mock>(tool, {"0", "39", "3", "1"}) == 0);
    CHECK(tool.seen == std::vector<long>{39, 3});
  }
}

TEST_CASE("handlers change arguments, suppress, fail, inject and reach state", "[engine][dispatch]") {
  rewriting_tool tool;
  mock::engine<rewriting_tool> e(tool, {});
  const char* calls[] = {"1", "3", "39", "1"};
  CHECK(e.run(calls) == 2);  // close failed, getpid suppressed
  CHECK(e.last_args[2] == 5);
  CHECK(e.guest.thread_value == 2);
  CHECK(e.guest.global_value == 20);
  REQUIRE(e.guest.injected.size() == 1);
  CHECK(e.guest.injected[0].number == 186);
}

TEST_CASE("guest memory reads are typed and bounded", "[engine][guest]") {
  snare::test::mock_guest<mock, generic_tool> g;
  std::memcpy(g.memory.data(), "hello\0world", 11);
  auto s = g.read_cstr(snare::guest_cstr{g.base});
  REQUIRE(s);
  CHECK(*s == "hello");
  CHECK(g.read_cstr(snare::guest_cstr{8}).error() == std::errc::bad_address);
  REQUIRE(g.write(snare::guest_ptr<std::uint32_t>{g.base + 16}, 0xdeadbeefu));
  auto v = g.read(snare::guest_ptr<std::uint32_t>{g.base + 16});
  REQUIRE(v);
  CHECK(*v == 0xdeadbeefu);
  CHECK(!g.read(snare::guest_ptr<std::uint64_t>{g.base + 252}));
}

TEST_CASE("a fiber job suspends and resumes", "[engine][fiber]") {
  snare::fiber::stack_pool pool;
  std::vector<int> trace;
  struct ctx_t {
    snare::fiber::worker* w;
    std::vector<int>* trace;
  };
  {
    snare::fiber::worker w(pool);
    ctx_t ctx{&w, &trace};
    w.run(
        [](void* p) {
          auto& c = *static_cast<ctx_t*>(p);
          c.trace->push_back(1);
          c.w->suspend();
          c.trace->push_back(3);
        },
        &ctx);
    trace.push_back(2);
    CHECK(w.busy());
    w.resume();
    CHECK_FALSE(w.busy());
    CHECK(trace == std::vector<int>{1, 2, 3});
  }
}

TEST_CASE("a handler's exception reaches the caller of run", "[engine][fiber]") {
  snare::fiber::stack_pool pool;
  snare::fiber::worker w(pool);
  CHECK_THROWS_AS(w.run([](void*) { throw std::runtime_error("boom"); }, nullptr), std::runtime_error);
  CHECK_FALSE(w.busy());
  int n = 0;
  w.run([](void* p) { ++*static_cast<int*>(p); }, &n);  // the fiber survives
  CHECK(n == 1);
}

TEST_CASE("fiber stacks are pooled and reused", "[engine][fiber]") {
  snare::fiber::stack_pool pool;
  {
    snare::fiber::worker a(pool), b(pool);
    a.run([](void*) {}, nullptr);
    b.run([](void*) {}, nullptr);
    CHECK(pool.idle() == 0);
  }
  CHECK(pool.idle() == 2);
  {
    snare::fiber::worker c(pool);
    c.run([](void*) {}, nullptr);
    CHECK(pool.idle() == 1);
  }
  CHECK(pool.idle() == 2);
}

namespace {
struct counting_tool {
  struct process_state {
    int value = 0;
  };
  struct thread_state {
    int value = 0;
  };
};
// A backend's own thread record: the core's fields and one of its own, built with an argument.
struct extended_thread : snare::engine::thread_record<counting_tool> {
  explicit extended_thread(int* destroyed) : destroyed(destroyed) {}
  ~extended_thread() { ++*destroyed; }
  int* destroyed;
};
using table = snare::engine::records<extended_thread, snare::engine::process_record<counting_tool>>;
}  // namespace

TEST_CASE("engine records: a process record lives while one of its threads does", "[engine][records]") {
  int destroyed = 0, created = 0;
  table r;
  auto on_new = [&](auto& p) { created += p.pid == 10 ? 1 : 100; };
  auto& leader = r.add(10, 10, on_new, &destroyed);
  auto& worker = r.add(11, 10, on_new, &destroyed);
  CHECK(created == 1);  // one new process, told once
  REQUIRE(leader.proc == worker.proc);
  CHECK(leader.proc->threads == 2);
  leader.proc->state.value = 7;
  worker.state.value = 3;
  CHECK(r.find(11) == &worker);
  CHECK(r.find(12) == nullptr);

  r.erase(10);  // the leader ends first (pthread_exit in main): the process lives on
  CHECK(destroyed == 1);
  REQUIRE(r.find_process(10) != nullptr);
  CHECK(r.find_process(10)->state.value == 7);
  CHECK(r.find_process(10)->threads == 1);

  auto taken = r.take(11);  // out of the table; its process stays while it is held
  REQUIRE(taken);
  CHECK(r.find(11) == nullptr);
  CHECK(r.find_process(10) != nullptr);
  CHECK(taken->proc->state.value == 7);
  r.release(std::move(taken));
  CHECK(destroyed == 2);
  CHECK(r.find_process(10) == nullptr);
  CHECK(r.empty());
}

TEST_CASE("engine records: an exec from a non-leader thread moves it to the leader's id",
          "[engine][records]") {
  int destroyed = 0;
  table r;
  auto none = [](auto&) {};
  auto& leader = r.add(20, 20, none, &destroyed);
  auto& execing = r.add(21, 20, none, &destroyed);
  leader.state.value = 1;
  execing.state.value = 2;
  auto old_leader = r.move_to_leader(21, 20);
  REQUIRE(old_leader);
  CHECK(old_leader->state.value == 1);
  REQUIRE(r.find(20) != nullptr);
  CHECK(r.find(20)->state.value == 2);  // the exec'ing thread keeps its state under the new id
  CHECK(r.find(20)->tid == 20);
  CHECK(r.find(21) == nullptr);
  r.release(std::move(old_leader));
  REQUIRE(r.find_process(20) != nullptr);  // the exec'ing thread still holds it
  CHECK(r.find_process(20)->threads == 1);
  CHECK_FALSE(r.move_to_leader(99, 20));  // an unknown thread: nothing changes
  CHECK(r.find(20) != nullptr);

  // A new task reusing a recorded id replaces the stale record (told to the old process).
  r.add(20, 30, none, &destroyed);
  CHECK(r.find_process(20) == nullptr);
  REQUIRE(r.find(20) != nullptr);
  CHECK(r.find(20)->proc->pid == 30);
  r.clear();
  CHECK(r.empty());
}
