#!/usr/bin/env python3
"""Measures what a tool costs to compile: CPU seconds (user + system) and peak memory of
`c++ -std=c++20 -fsyntax-only` (timed by GNU time, Debian package `time`) on the README's example tool and others, the best of N runs
(the least disturbed by whatever else the machine does). Prints a Markdown table.

Usage: benchmarks/compile/measure.py [--runs N] [--cxx c++]
The figures and the command are kept in docs/compile-time.md.
"""
import argparse
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent


def readme_tool() -> str:
    """Returns the README's first ```cpp block (the example tool the test suite builds)."""
    text = (ROOT / "README.md").read_text()
    m = re.search(r"```cpp\n(.*?)```", text, re.S)
    if not m:
        sys.exit("README.md has no ```cpp block")
    return m.group(1)


def measure(cxx: str, source: pathlib.Path, runs: int) -> tuple[float, float]:
    """Returns the least CPU seconds and the peak MiB of -fsyntax-only on `source` over
    `runs`, as GNU time (/usr/bin/time) reports them for the compiler alone."""
    best_cpu, peak = float("inf"), 0.0
    for _ in range(runs):
        done = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", cxx, "-std=c++20", "-fsyntax-only",
                               f"-I{ROOT / 'include'}", str(source)], check=True, capture_output=True, text=True)
        user, system, kib = done.stderr.strip().splitlines()[-1].split()
        best_cpu = min(best_cpu, float(user) + float(system))
        peak = max(peak, int(kib) / 1024)
    return best_cpu, peak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cxx", default="c++")
    args = ap.parse_args()
    tool = readme_tool()
    with tempfile.TemporaryDirectory() as tmp:
        t = pathlib.Path(tmp)
        cases = []
        entry = t / "readme_entry.cpp"
        entry.write_text(tool)
        cases.append(("the README tool, `<snare/ptrace.hpp>` (as the README has it)", entry))
        umbrella = t / "readme_umbrella.cpp"
        umbrella.write_text(re.sub(r"#include <snare/\w+\.hpp>", "#include <snare.hpp>", tool, count=1))
        cases.append(("the README tool, `<snare.hpp>` (the umbrella)", umbrella))
        cases.append(("ten typed handlers, `<snare/ptrace.hpp>` (benchmarks/compile/ten_handlers.cpp)",
                      HERE / "ten_handlers.cpp"))
        cases.append(("one handler for every typed call, `<snare/ptrace.hpp>` (benchmarks/compile/every_call.cpp)",
                      HERE / "every_call.cpp"))
        for header in ("snare.hpp", "snare/ptrace.hpp", "snare/format.hpp", "snare/host.hpp"):
            only = t / (header.replace("/", "_") + ".cpp")
            only.write_text(f"#include <{header}>\n")
            cases.append((f"`<{header}>` alone", only))
        print(f"| what ({args.cxx} -std=c++20 -fsyntax-only, best of {args.runs}) | CPU s | peak MiB |")
        print("|---|---:|---:|")
        for name, source in cases:
            cpu, mem = measure(args.cxx, source, args.runs)
            print(f"| {name} | {cpu:.2f} | {mem:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
