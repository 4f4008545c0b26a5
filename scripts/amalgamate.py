#!/usr/bin/env python3
"""Generates snare's single header and keeps the umbrella header honest.

Modes:
  amalgamate.py --include-dir include --output out/snare.hpp
      Writes one header with every snare header inlined once (starting from the umbrella
      include/snare.hpp, then any header it does not reach), system and Boost includes left
      as includes, and a "generated, do not edit" banner.
  amalgamate.py --include-dir include --root snare/ptrace.hpp --output out/snare/ptrace.hpp
      The same for one entry header: only what it reaches, under the same guard macros, so
      the single-header form of a per-backend entry compiles as fast as the entry itself.
  amalgamate.py --include-dir include --check-umbrella
      Exits 1 and names the headers when include/snare.hpp misses a public header
      (one under include/snare/ with no `detail` folder in its path) or includes one that
      does not exist.
  amalgamate.py --include-dir include --print-umbrella
      Prints an umbrella header that includes every public header (to regenerate it).

A public header that must stay out of the umbrella (e.g. one meant for guest code) says so
with a line `// snare: not-in-umbrella` among its first 10 lines.
"""

import argparse
import pathlib
import re
import sys

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
IF_RE = re.compile(r"^\s*#\s*if(n?def)?\b")
ENDIF_RE = re.compile(r"^\s*#\s*endif\b")
PRAGMA_ONCE_RE = re.compile(r"^\s*#\s*pragma\s+once\b")
GUARD_IFNDEF_RE = re.compile(r"^\s*#\s*ifndef\s+(\w+)")
NOT_IN_UMBRELLA = "// snare: not-in-umbrella"
UMBRELLA = "snare.hpp"


def public_headers(include_dir: pathlib.Path) -> list[str]:
    """Returns the public headers as include paths ("snare/sys/call.hpp"), sorted."""
    out = []
    for p in sorted((include_dir / "snare").rglob("*.hpp")):
        rel = p.relative_to(include_dir)
        if "detail" in rel.parts[:-1]:
            continue
        head = p.read_text(encoding="utf-8").splitlines()[:10]
        if any(NOT_IN_UMBRELLA in line for line in head):
            continue
        out.append(rel.as_posix())
    return out


def all_headers(include_dir: pathlib.Path) -> list[str]:
    return sorted(p.relative_to(include_dir).as_posix() for p in (include_dir / "snare").rglob("*.hpp"))


def umbrella_includes(include_dir: pathlib.Path) -> list[str]:
    text = (include_dir / UMBRELLA).read_text(encoding="utf-8")
    return [m.group(2) for line in text.splitlines() if (m := INCLUDE_RE.match(line)) and m.group(2).startswith("snare/")]


def check_umbrella(include_dir: pathlib.Path) -> int:
    wanted = set(public_headers(include_dir))
    have = umbrella_includes(include_dir)
    missing = sorted(wanted - set(have))
    dangling = sorted(h for h in have if not (include_dir / h).is_file())
    for h in missing:
        print(f"include/{UMBRELLA} does not include public header <{h}>", file=sys.stderr)
    for h in dangling:
        print(f"include/{UMBRELLA} includes <{h}>, which does not exist", file=sys.stderr)
    if missing or dangling:
        print("regenerate it with: python3 scripts/amalgamate.py --include-dir include --print-umbrella",
              file=sys.stderr)
        return 1
    print(f"include/{UMBRELLA} includes all {len(wanted)} public headers")
    return 0


# The umbrella lists headers layer by layer, bottom to top (docs/index.md), so that each
# layer's headers come before those that build on them.
LAYERS = ["config", "version", "result", "memory", "arch", "sys", "format", "subscription", "bpf", "dispatch",
          "fiber", "guest", "tool", "backend", "tracer"]


def layer_rank(header: str) -> tuple[int, str]:
    first = header.split("/")[1].removesuffix(".hpp")
    return (LAYERS.index(first) if first in LAYERS else len(LAYERS), header)


def print_umbrella(include_dir: pathlib.Path) -> int:
    print("// Includes every public header of snare, layer by layer from the bottom: the one header")
    print("// a tool needs (the umbrella). scripts/amalgamate.py --check-umbrella keeps it complete.")
    print("#pragma once")
    print()
    print("// The layer order is the point, not the alphabet.")
    print("// clang-format off")
    for h in sorted(public_headers(include_dir), key=layer_rank):
        print(f"#include <{h}>")
    print("// clang-format on")
    return 0


class Amalgamator:
    def __init__(self, include_dir: pathlib.Path, root: str = UMBRELLA):
        self.include_dir = include_dir.resolve()
        self.root = root
        self.done_unconditionally: set[str] = set()
        self.out: list[str] = []
        self.inlined: list[str] = []

    def resolve(self, kind: str, name: str, current: pathlib.Path) -> str | None:
        """Returns the include path of a snare header, or None for any other include."""
        if kind == '"':
            candidate = (current.parent / name).resolve()
            if candidate.is_file() and self.include_dir in candidate.parents:
                return candidate.relative_to(self.include_dir).as_posix()
        if name == UMBRELLA or name.startswith("snare/"):
            if (self.include_dir / name).is_file():
                return name
            raise SystemExit(f"amalgamate: {current}: includes <{name}>, which does not exist")
        return None

    def guard_macro(self, rel: str) -> str:
        return "SNARE_SINGLE_" + re.sub(r"[^A-Za-z0-9]", "_", rel).upper()

    def inline(self, rel: str, outer_depth: int) -> None:
        if rel in self.done_unconditionally:
            return
        if outer_depth == 0:
            self.done_unconditionally.add(rel)
        path = self.include_dir / rel
        lines = path.read_text(encoding="utf-8").splitlines()
        # A classic include guard (#ifndef X / #define X) does not make the body conditional.
        guard = None
        code = [i for i, line in enumerate(lines) if line.strip() and not line.strip().startswith("//")]
        if len(code) >= 2:
            m = GUARD_IFNDEF_RE.match(lines[code[0]])
            if m and re.match(rf"^\s*#\s*define\s+{m.group(1)}\b", lines[code[1]]):
                guard = code[0]
        macro = self.guard_macro(rel)
        self.inlined.append(rel)
        self.out.append(f"// ---- begin {rel}")
        self.out.append(f"#ifndef {macro}")
        self.out.append(f"#define {macro}")
        depth = 0
        for i, line in enumerate(lines):
            if PRAGMA_ONCE_RE.match(line):
                continue
            if IF_RE.match(line) and i != guard:
                depth += 1
            elif ENDIF_RE.match(line) and depth > 0:
                depth -= 1
            m = INCLUDE_RE.match(line)
            if m:
                target = self.resolve(m.group(1), m.group(2), path)
                if target is not None:
                    self.inline(target, outer_depth + depth)
                    continue
            self.out.append(line)
        self.out.append(f"#endif  // {macro}")
        self.out.append(f"// ---- end {rel}")

    def run(self) -> str:
        if (self.include_dir / self.root).is_file():
            self.inline(self.root, 0)
        elif self.root != UMBRELLA:
            raise SystemExit(f"amalgamate: no header {self.root} in {self.include_dir}")
        if self.root == UMBRELLA:
            for rel in all_headers(self.include_dir):
                self.inline(rel, 0)
        what = "every snare header" if self.root == UMBRELLA else f"<{self.root}> and every snare header it includes"
        banner = [
            f"// snare single header: {what} inlined into one file.",
            "// Generated by scripts/amalgamate.py from include/; do not edit.",
            "// System and Boost includes are kept as includes: link Boost.Context, libunwind-ptrace,",
            "// libunwind-generic and Threads as with the multi-header form.",
            "#pragma once",
            "",
        ]
        return "\n".join(banner + self.out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--include-dir", required=True, type=pathlib.Path)
    ap.add_argument("--output", type=pathlib.Path)
    ap.add_argument("--root", default=UMBRELLA, help="the header to start from (default: the umbrella)")
    ap.add_argument("--check-umbrella", action="store_true")
    ap.add_argument("--print-umbrella", action="store_true")
    args = ap.parse_args()
    if args.check_umbrella:
        return check_umbrella(args.include_dir)
    if args.print_umbrella:
        return print_umbrella(args.include_dir)
    if not args.output:
        ap.error("--output is required to amalgamate")
    text = Amalgamator(args.include_dir, args.root).run()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
