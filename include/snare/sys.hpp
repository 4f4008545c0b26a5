// Defines nothing itself: includes snare's typed syscall tables (x86-64, aarch64, i386),
// their lookups and the architecture tags. The native architecture's calls are also
// reachable without the architecture namespace: snare::sys::openat. The Boost.Hana views
// (snare::sys::all, in_class_types) are in <snare/sys/hana.hpp>, kept out for compile time.
#pragma once

#include <snare/arch/aarch64.hpp>
#include <snare/arch/i386.hpp>
#include <snare/arch/native.hpp>
#include <snare/arch/x86_64.hpp>
#include <snare/sys/aarch64.hpp>
#include <snare/sys/abi.hpp>
#include <snare/sys/arg.hpp>
#include <snare/sys/call.hpp>
#include <snare/sys/call_list.hpp>
#include <snare/sys/i386.hpp>
#include <snare/sys/lookup.hpp>
#include <snare/sys/syscall_set.hpp>
#include <snare/sys/types.hpp>
#include <snare/sys/x86_64.hpp>
