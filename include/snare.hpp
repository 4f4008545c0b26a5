// Includes every public header of snare: the one header a tool needs (the umbrella).
#pragma once

#include <snare/arch/aarch64.hpp>
#include <snare/arch/i386.hpp>
#include <snare/arch/native.hpp>
#include <snare/arch/x86_64.hpp>
#include <snare/backend/common/options.hpp>
#include <snare/backend/concept.hpp>
#include <snare/config.hpp>
#include <snare/guest/handle.hpp>
#include <snare/guest/memory.hpp>
#include <snare/result.hpp>
#include <snare/sys/aarch64.hpp>
#include <snare/sys/abi.hpp>
#include <snare/sys/arg.hpp>
#include <snare/sys/call.hpp>
#include <snare/sys/i386.hpp>
#include <snare/sys/lookup.hpp>
#include <snare/sys/types.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/sys.hpp>
#include <snare/tool.hpp>
#include <snare/tracer.hpp>
#include <snare/version.hpp>
