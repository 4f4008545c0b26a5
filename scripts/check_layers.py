#!/usr/bin/env python3
"""Checks that snare's headers include one way: nothing below a layer includes anything
above it (../shared/DESIGN.md, docs/architecture.md).

Usage: check_layers.py [--include-dir include]   (first checks itself on a tree with a fault)
Prints each include that goes up ("snare/format/x.hpp (layer 2) includes snare/guest/y.hpp
(layer 6)") and every header no layer claims; exits 1 when there is any, 0 otherwise.
"""
import argparse
import pathlib
import re
import sys

# Layer of each header, by path prefix under include/ (the longest matching prefix wins).
LAYERS = {
    "snare/config.hpp": 0, "snare/version.hpp": 0, "snare/result.hpp": 0, "snare/detail/": 0,
    "snare/host.hpp": 0, "snare/host/": 0, "snare/guest_probe.hpp": 0,
    "snare/arch/": 0, "snare/sys.hpp": 1, "snare/sys/": 1, "snare/memory.hpp": 1,
    "snare/tool.hpp": 1, "snare/tool/": 1,
    # The GDB remote protocol: bytes in, typed requests and replies out; no engine below it.
    "snare/gdb/protocol.hpp": 1, "snare/gdb/protocol/": 1,
    "snare/format.hpp": 2, "snare/format/": 2,
    "snare/subscription/": 3, "snare/bpf/": 3,
    "snare/dispatch/": 4,
    "snare/fiber/": 5,
    "snare/guest/": 6,
    "snare/engine/": 7, "snare/backend/": 7,
    "snare/tracer.hpp": 8,
    "snare/aggregate.hpp": 9, "snare/aggregate/": 9,  # services on top (tool-side state)
    "snare/gdb/": 9,  # the gdbserver, on the ptrace engine
    "snare.hpp": 9, "snare/ptrace.hpp": 9, "snare/seccomp_notify.hpp": 9, "snare/hypercall.hpp": 9,
}
NAMES = ["host, arch tags, core", "arch, sys, tool vocabulary, gdb protocol", "format", "subscription, bpf", "dispatch", "fiber",
         "guest", "engine, backends", "tracer", "umbrella, entry headers, services"]
INCLUDE = re.compile(r'^\s*#\s*include\s*<((?:snare/|snare\.hpp)[^>]*)>', re.M)


def layer_of(path):
    best = None
    for prefix, layer in LAYERS.items():
        if (path == prefix or (prefix.endswith("/") and path.startswith(prefix))) and (
                best is None or len(prefix) > len(best[0])):
            best = (prefix, layer)
    return None if best is None else best[1]


def check(include_dir):
    problems = []
    for header in sorted(include_dir.rglob("*.hpp")):
        name = header.relative_to(include_dir).as_posix()
        mine = layer_of(name)
        if mine is None:
            problems.append(f"{name}: no layer claims it (add it to LAYERS in {sys.argv[0]})")
            continue
        for included in INCLUDE.findall(header.read_text()):
            theirs = layer_of(included)
            if theirs is not None and theirs > mine:
                problems.append(f"{name} (layer {mine}, {NAMES[mine]}) includes {included} "
                                f"(layer {theirs}, {NAMES[theirs]})")
    return problems


def self_test():
    """Returns the problems the checker finds in a small tree with one include going up:
    exactly that one, or the checker itself is broken."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        (root / "snare/format").mkdir(parents=True)
        (root / "snare/guest").mkdir(parents=True)
        (root / "snare/format/bad.hpp").write_text("#include <snare/guest/handle.hpp>\n#include <snare/sys/call.hpp>\n")
        (root / "snare/guest/handle.hpp").write_text("#include <snare/format/bad.hpp>\n")
        found = check(root)
    expected = ["snare/format/bad.hpp (layer 2, format) includes snare/guest/handle.hpp (layer 6, guest)"]
    return [] if found == expected else [f"self-test: expected {expected}, found {found}"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--include-dir", default=pathlib.Path(__file__).resolve().parent.parent / "include",
                        type=pathlib.Path)
    problems = self_test() + check(parser.parse_args().include_dir)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) against the layers")
        return 1
    print("every include goes down or across a layer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
