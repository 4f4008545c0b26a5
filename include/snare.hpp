// Includes every public header of snare, layer by layer from the bottom: the one header
// a tool needs (the umbrella). scripts/amalgamate.py --check-umbrella keeps it complete.
#pragma once

// The layer order is the point, not the alphabet.
// clang-format off
#include <snare/config.hpp>
#include <snare/version.hpp>
#include <snare/result.hpp>
#include <snare/host.hpp>
#include <snare/host/feature.hpp>
#include <snare/memory.hpp>
#include <snare/arch/aarch64.hpp>
#include <snare/arch/i386.hpp>
#include <snare/arch/native.hpp>
#include <snare/arch/x86_64.hpp>
#include <snare/sys.hpp>
#include <snare/sys/aarch64.hpp>
#include <snare/sys/abi.hpp>
#include <snare/sys/arg.hpp>
#include <snare/sys/call.hpp>
#include <snare/sys/call_id.hpp>
#include <snare/sys/hana.hpp>
#include <snare/sys/i386.hpp>
#include <snare/sys/lookup.hpp>
#include <snare/sys/types.hpp>
#include <snare/sys/x86_64.hpp>
#include <snare/tool.hpp>
#include <snare/tool/action.hpp>
#include <snare/tool/capability.hpp>
#include <snare/tool/events.hpp>
#include <snare/tool/exit_status.hpp>
#include <snare/tool/handlers.hpp>
#include <snare/tool/state.hpp>
#include <snare/format.hpp>
#include <snare/format/fd_resolver.hpp>
#include <snare/format/format.hpp>
#include <snare/format/options.hpp>
#include <snare/format/process_memory.hpp>
#include <snare/subscription/subscription.hpp>
#include <snare/bpf/filter.hpp>
#include <snare/dispatch/default_table.hpp>
#include <snare/dispatch/dispatch.hpp>
#include <snare/fiber/fiber.hpp>
#include <snare/guest/frame.hpp>
#include <snare/guest/handle.hpp>
#include <snare/engine/core.hpp>
#include <snare/engine/host_check.hpp>
#include <snare/engine/notify.hpp>
#include <snare/engine/options.hpp>
#include <snare/engine/spawn.hpp>
#include <snare/engine/stop.hpp>
#include <snare/backend/concept.hpp>
#include <snare/backend/hypercall.hpp>
#include <snare/backend/hypercall/engine.hpp>
#include <snare/backend/ptrace.hpp>
#include <snare/backend/ptrace/backtrace.hpp>
#include <snare/backend/ptrace/engine.hpp>
#include <snare/backend/ptrace/memory.hpp>
#include <snare/backend/ptrace/regs.hpp>
#include <snare/backend/seccomp_notify.hpp>
#include <snare/backend/seccomp_notify/engine.hpp>
#include <snare/tracer.hpp>
#include <snare/hypercall.hpp>
#include <snare/ptrace.hpp>
#include <snare/seccomp_notify.hpp>
#include <snare/guest_probe.hpp>
// clang-format on
