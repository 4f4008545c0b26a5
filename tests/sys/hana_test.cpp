// Tests the Boost.Hana views of the tables: `all` and `in_class_types`.
#include <catch2/catch.hpp>

#include <boost/hana/contains.hpp>
#include <boost/hana/front.hpp>
#include <boost/hana/length.hpp>

#include <snare/sys/hana.hpp>

namespace hana = boost::hana;
namespace sys = snare::sys;

TEST_CASE("all lists every typed call of an architecture as a Hana type list") {
  STATIC_REQUIRE(hana::length(sys::x86_64::all) == hana::size_c<sys::x86_64::count>);
  STATIC_REQUIRE(hana::length(sys::aarch64::all) == hana::size_c<sys::aarch64::count>);
  STATIC_REQUIRE(hana::front(sys::x86_64::all) == hana::type_c<sys::x86_64::read>);
  STATIC_REQUIRE(hana::contains(sys::x86_64::all, hana::type_c<sys::x86_64::openat>));
  STATIC_REQUIRE(hana::contains(sys::aarch64::all, hana::type_c<sys::aarch64::openat>));
  STATIC_REQUIRE_FALSE(hana::contains(sys::aarch64::all, hana::type_c<sys::x86_64::openat>));
#if defined(__x86_64__)
  STATIC_REQUIRE(hana::contains(sys::all, hana::type_c<sys::openat>));
#endif
}

TEST_CASE("in_class_types lists the typed calls of a class as a Hana type list") {
  constexpr auto network = sys::x86_64::in_class_types<sys::class_network>;
  STATIC_REQUIRE(hana::contains(network, hana::type_c<sys::x86_64::socket>));
  STATIC_REQUIRE(hana::contains(network, hana::type_c<sys::x86_64::connect>));
  STATIC_REQUIRE_FALSE(hana::contains(network, hana::type_c<sys::x86_64::openat>));
  STATIC_REQUIRE(hana::length(network) == hana::size_c<sys::x86_64::in_class<sys::class_network>.size()>);
  constexpr auto signal = sys::aarch64::in_class_types<sys::class_signal>;
  STATIC_REQUIRE(hana::contains(signal, hana::type_c<sys::aarch64::rt_sigaction>));
}
