#!/usr/bin/env bash
# Proves that snare's syscall tables compile for aarch64: compiles a translation unit that
# includes <snare/sys.hpp> with the aarch64 cross compiler (-fsyntax-only) and checks
# aarch64 facts with static_assert (native alias, numbers, no legacy calls).
# Exits 77 (CTest: skipped) when aarch64-linux-gnu-g++ is not installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cxx="${SNARE_AARCH64_CXX:-aarch64-linux-gnu-g++}"
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "SKIPPED: $cxx is not installed"
  exit 77
fi
tu="$(mktemp --suffix=.cpp)"
trap 'rm -f "$tu"' EXIT
cat >"$tu" <<'CPP'
#include <snare/sys.hpp>
#include <type_traits>
#if !defined(__aarch64__)
#error "not compiling for aarch64"
#endif
namespace sys = snare::sys;
static_assert(std::is_same_v<snare::arch::native, snare::arch::aarch64>);
static_assert(std::is_same_v<sys::openat, sys::aarch64::openat>, "the native alias is aarch64");
static_assert(sys::openat::number == 56);
static_assert(sys::number_of("openat") == 56);
static_assert(sys::number_of("open") == -1, "aarch64 has no open");
static_assert(sys::number_of("stat") == -1, "aarch64 has no stat");
static_assert(sys::number_of("fork") == -1, "aarch64 has no fork");
static_assert(sys::name_of(221) == "execve");
static_assert(sys::name_of(93) == "exit");
static_assert(std::is_same_v<sys::by_number_t<63>, sys::read>);
static_assert(sys::clone::desc.args[3].name == "tls", "aarch64 clone passes tls fourth");
static_assert(sys::descriptor(244) == nullptr);
static_assert(sizeof(sys::abi::aarch64::stat) == 128);
static_assert(sys::x86_64::openat::number == 257, "the other tables stay reachable");
int main() {}
CPP
"$cxx" -std=c++20 -fsyntax-only -Wall -Wextra -Wpedantic -Werror -I"$root/include" "$tu"
echo "aarch64 compile check passed"
