// Tests that every descriptor of every table is well formed (lengths name real arguments,
// flag sets and struct ids go with their kinds) and that each typed call's descriptor,
// argument list and accessor count agree.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>

#include <snare/sys.hpp>

namespace sys = snare::sys;

namespace {

template <class Arch>
void require_well_formed() {
  std::size_t n = 0;
  for (const sys::syscall_desc& d : sys::table<Arch>::descriptors) {
    if (d.number < 0) {
      CHECK(d.name.empty());
      continue;
    }
    ++n;
    INFO(Arch::name << " " << d.name);
    CHECK(&d == &sys::table<Arch>::descriptors[static_cast<std::size_t>(d.number)]);
    CHECK(!d.name.empty());
    REQUIRE(d.nargs <= 6);
    for (std::size_t i = 0; i < 6; ++i) {
      const sys::arg_desc& a = d.args[i];
      if (i >= d.nargs) {
        CHECK(a.name.empty());
        continue;
      }
      INFO("argument " << i << " " << a.name);
      CHECK(!a.name.empty());
      bool symbolic = a.kind == sys::arg_kind::flags || a.kind == sys::arg_kind::enumeration;
      bool pointee = a.kind == sys::arg_kind::structure || a.kind == sys::arg_kind::array;
      CHECK(symbolic == (a.flags != sys::flag_set::none));
      CHECK(pointee == (a.type != sys::struct_id::none));
      if (a.len != sys::len_none) {
        CHECK((a.kind == sys::arg_kind::buffer || pointee));
        CHECK((a.len == sys::len_from_return ||
               (a.len >= 0 && a.len < d.nargs && a.len != static_cast<int>(i))));
      }
      if (a.dir != sys::direction::in) CHECK((a.kind == sys::arg_kind::buffer || pointee));
      for (std::size_t j = 0; j < i; ++j) CHECK(d.args[j].name != a.name);
    }
  }
  CHECK(n == sys::table<Arch>::by_name.size());
  // by_name is sorted by name and holds every number once.
  for (std::size_t i = 1; i < sys::table<Arch>::by_name.size(); ++i) {
    auto prev = sys::table<Arch>::descriptors[sys::table<Arch>::by_name[i - 1]].name;
    auto here = sys::table<Arch>::descriptors[sys::table<Arch>::by_name[i]].name;
    CHECK(prev < here);
  }
}

template <class Call>
constexpr bool typed_call_agrees() {
  return std::tuple_size_v<typename Call::arg_types> == Call::desc.nargs &&
         Call::desc.number == Call::number && &Call::descriptor() == &Call::desc &&
         sys::descriptor<typename Call::arch_type>(Call::number) == &Call::desc;
}

// An array rather than a fold: a fold over ~360 calls exceeds clang's nesting limit.
template <class... Calls>
constexpr bool typed_calls_agree(snare::call_list<Calls...>) {
  constexpr bool agree[] = {typed_call_agrees<Calls>()...};
  for (bool ok : agree)
    if (!ok) return false;
  return true;
}

}  // namespace

TEST_CASE("Every descriptor of every table is well formed") {
  SECTION("x86-64") { require_well_formed<snare::arch::x86_64>(); }
  SECTION("aarch64") { require_well_formed<snare::arch::aarch64>(); }
  SECTION("i386") { require_well_formed<snare::arch::i386>(); }
}

TEST_CASE("Every typed call's argument types, number and descriptor agree") {
  STATIC_REQUIRE(typed_calls_agree(sys::x86_64::all_types{}));
  STATIC_REQUIRE(typed_calls_agree(sys::aarch64::all_types{}));
  STATIC_REQUIRE(sys::x86_64::all_types::size == sys::x86_64::count);
  STATIC_REQUIRE(sys::aarch64::all_types::size == sys::aarch64::count);
}

TEST_CASE("The common calls are described as strace shows them") {
  constexpr const sys::syscall_desc& openat = *sys::x86_64::descriptor(257);
  STATIC_REQUIRE(openat.nargs == 4);
  STATIC_REQUIRE(openat.ret == sys::ret_kind::fd);
  STATIC_REQUIRE(openat.args[0].kind == sys::arg_kind::dirfd);
  STATIC_REQUIRE(openat.args[1].kind == sys::arg_kind::path);
  STATIC_REQUIRE(openat.args[2].flags == sys::flag_set::open);
  STATIC_REQUIRE(openat.args[3].kind == sys::arg_kind::mode);

  constexpr const sys::syscall_desc& read = sys::x86_64::read::desc;
  STATIC_REQUIRE(read.args[1].kind == sys::arg_kind::buffer);
  STATIC_REQUIRE(read.args[1].dir == sys::direction::out);
  STATIC_REQUIRE(read.args[1].len == sys::len_from_return);
  STATIC_REQUIRE(sys::x86_64::write::desc.args[1].len == 2);
  STATIC_REQUIRE(sys::x86_64::write::desc.args[1].dir == sys::direction::in);

  constexpr const sys::syscall_desc& mmap = sys::x86_64::mmap::desc;
  STATIC_REQUIRE(mmap.ret == sys::ret_kind::ptr);
  STATIC_REQUIRE(mmap.args[2].flags == sys::flag_set::mmap_prot);
  STATIC_REQUIRE(mmap.args[3].flags == sys::flag_set::mmap_flags);
  STATIC_REQUIRE(mmap.args[4].kind == sys::arg_kind::fd);
  STATIC_REQUIRE(mmap.args[5].kind == sys::arg_kind::offset);

  STATIC_REQUIRE(sys::x86_64::exit_group::desc.ret == sys::ret_kind::none);
  STATIC_REQUIRE(sys::x86_64::clone::desc.ret == sys::ret_kind::pid);
  STATIC_REQUIRE(sys::x86_64::brk::desc.ret == sys::ret_kind::ptr);
  STATIC_REQUIRE(sys::x86_64::rt_sigaction::desc.args[0].kind == sys::arg_kind::signo);
  STATIC_REQUIRE(sys::x86_64::rt_sigaction::desc.args[1].type == sys::struct_id::sigaction);
  STATIC_REQUIRE(sys::x86_64::rt_sigprocmask::desc.args[0].flags == sys::flag_set::sigprocmask_how);
  STATIC_REQUIRE(sys::x86_64::fcntl::desc.args[1].kind == sys::arg_kind::enumeration);
  STATIC_REQUIRE(sys::x86_64::ioctl::desc.args[1].flags == sys::flag_set::ioctl_request);
  STATIC_REQUIRE(sys::x86_64::poll::desc.args[0].kind == sys::arg_kind::array);
  STATIC_REQUIRE(sys::x86_64::poll::desc.args[0].len == 1);
  STATIC_REQUIRE(sys::x86_64::getdents64::desc.args[1].type == sys::struct_id::linux_dirent64);
  STATIC_REQUIRE(sys::x86_64::prlimit64::desc.args[1].flags == sys::flag_set::rlimit_resource);
  STATIC_REQUIRE(sys::x86_64::arch_prctl::desc.args[0].flags == sys::flag_set::arch_prctl_code);
  STATIC_REQUIRE(sys::x86_64::getrandom::desc.args[2].flags == sys::flag_set::getrandom_flags);
  STATIC_REQUIRE(sys::x86_64::futex::desc.args[1].flags == sys::flag_set::futex_op);
  STATIC_REQUIRE(sys::x86_64::readlinkat::desc.args[2].len == sys::len_from_return);
  STATIC_REQUIRE(sys::x86_64::connect::desc.args[1].type == sys::struct_id::sockaddr);
  STATIC_REQUIRE(sys::x86_64::connect::desc.args[1].len == 2);
  STATIC_REQUIRE(sys::x86_64::execve::desc.args[1].kind == sys::arg_kind::string_array);
  STATIC_REQUIRE(sys::x86_64::wait4::desc.args[2].flags == sys::flag_set::wait_options);
  STATIC_REQUIRE(sys::x86_64::statx::desc.args[3].flags == sys::flag_set::statx_mask);
}

TEST_CASE("i386 forms differ where the i386 ABI differs") {
  // mmap on i386 takes one pointer to its six arguments; pread64 splits the offset.
  STATIC_REQUIRE(sys::i386::descriptor(90)->name == "mmap");
  STATIC_REQUIRE(sys::i386::descriptor(90)->nargs == 1);
  STATIC_REQUIRE(sys::i386::descriptor(192)->name == "mmap2");
  STATIC_REQUIRE(sys::i386::descriptor(192)->nargs == 6);
  STATIC_REQUIRE(sys::i386::descriptor(180)->name == "pread64");
  STATIC_REQUIRE(sys::i386::descriptor(180)->nargs == 5);
  STATIC_REQUIRE(sys::i386::descriptor(120)->args[3].name == "tls");  // CLONE_BACKWARDS
}
