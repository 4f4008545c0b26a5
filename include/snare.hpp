// Includes every public header of snare: the one header a tool needs (the umbrella).
#pragma once

#include <snare/backend/common/options.hpp>
#include <snare/backend/concept.hpp>
#include <snare/config.hpp>
#include <snare/guest/handle.hpp>
#include <snare/guest/memory.hpp>
#include <snare/result.hpp>
#include <snare/sys/arg.hpp>
#include <snare/sys/call.hpp>
#include <snare/sys/types.hpp>
#include <snare/tool.hpp>
#include <snare/tracer.hpp>
#include <snare/version.hpp>
