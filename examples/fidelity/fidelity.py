#!/usr/bin/env python3
"""Measures how closely snare-strace's output matches strace's on a corpus of real commands.

Each command runs three times: `strace -f -o A`, `strace -f -o B` and `snare-strace -f -o C`.
Lines are normalised (pid prefixes, addresses, pids, random bytes, CPU times; an
<unfinished ...> line is joined with its <... resumed> line) and compared order-free per
command: the agreement of two traces is the size of the multiset intersection of their
lines (or of their syscall names) over the size of the larger trace. strace's agreement
with its own earlier run (A vs B) is the reference; snare's is C against A.

With --check, exits 1 unless snare is within 2 points of strace's self-agreement on names
and within 6 points on whole lines (over the whole corpus); exits 77 (skip) when strace is
not installed.
"""
import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

PREFIX = re.compile(r"^(\d+) +")
UNFINISHED = " <unfinished ...>"
RESUMED = re.compile(r"^<\.\.\. ([a-z_0-9]+) resumed>")
CALL_NAME = re.compile(r"^([a-z_0-9]+)\(")


def corpus(fixture):
    """Returns (name, argv) pairs: the commands of the fidelity corpus."""
    py = shutil.which("python3") and "/usr/bin/python3"
    cmds = [
        ("ls -la", ["ls", "-la", fixture]),
        ("cat", ["cat", os.path.join(fixture, "a.txt")]),
        ("sh pipe", ["sh", "-c", "echo hi | cat"]),
        ("tar", ["tar", "-cf", os.path.join(fixture + ".out", "x.tar"), "-C", fixture, "."]),
        ("find", ["find", fixture]),
    ]
    if py and os.access(py, os.X_OK):
        cmds.insert(3, ("python3 -c", [py, "-c", "import os; print(len(os.listdir('/')) > 0)"]))
    return cmds


def make_fixture():
    root = tempfile.mkdtemp(prefix="snare-fidelity-")
    fixture = os.path.join(root, "tree")
    os.makedirs(os.path.join(fixture, "sub", "deeper"))
    with open(os.path.join(fixture, "a.txt"), "w") as f:
        f.write("alpha\nbeta\ngamma\n" * 10)
    with open(os.path.join(fixture, "sub", "b.bin"), "wb") as f:
        f.write(bytes(range(256)) * 4)
    with open(os.path.join(fixture, "sub", "deeper", "c.txt"), "w") as f:
        f.write("c\n")
    os.symlink("a.txt", os.path.join(fixture, "link"))
    os.makedirs(fixture + ".out")
    return root, fixture


def run_traced(tracer, argv, out_path, fixture):
    tar_out = os.path.join(fixture + ".out", "x.tar")
    if os.path.exists(tar_out):
        os.remove(tar_out)
    cmd = tracer + ["-f", "-o", out_path] + argv
    subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={"PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C", "HOME": "/root"}, timeout=120)
    with open(out_path, errors="replace") as f:
        return f.read().splitlines()


def join_unfinished(lines):
    """Strips pid prefixes and joins each <unfinished ...> line with its <... resumed> line;
    returns (pids seen, joined lines)."""
    pids = set()
    pending = {}
    joined = []
    for line in lines:
        pid = None
        m = PREFIX.match(line)
        if m:
            pid = m.group(1)
            pids.add(pid)
            line = line[m.end():]
        if line.endswith(UNFINISHED):
            pending[pid] = line[: -len(UNFINISHED)]
            continue
        r = RESUMED.match(line)
        if r and pid in pending:
            line = pending.pop(pid) + line[r.end():]
        joined.append(line)
    joined.extend(pending.values())
    return pids, joined


def normalise(lines):
    pids, joined = join_unfinished(lines)
    out = []
    for line in joined:
        line = re.sub(r"0x[0-9a-f]+", "0xADDR", line)
        line = re.sub(r"si_utime=\d+( /\* [0-9.]+ s \*/)?", "si_utime=T", line)
        line = re.sub(r"si_stime=\d+( /\* [0-9.]+ s \*/)?", "si_stime=T", line)
        # The root's parent is the tracer itself: a different process under each tracer.
        line = re.sub(r"^getppid\(\) = \d+$", "getppid() = PPID", line)
        if line.startswith("getrandom("):
            line = re.sub(r'"(\\x[0-9a-f]{2})+"', '"RANDOM"', line)
        # Alignment padding before " = " is strace's column 40: compare the content only.
        line = re.sub(r"\) +=", ") =", line)
        if pids:
            line = re.sub(r"\b(" + "|".join(sorted(pids, key=len, reverse=True)) + r")\b", "PID", line)
        out.append(line)
    return out


def names(lines):
    result = []
    for line in lines:
        m = CALL_NAME.match(line)
        if m:
            result.append(m.group(1))
    return result


def agreement(a, b):
    """Returns the multiset overlap of a and b over the larger of the two, in percent."""
    if not a and not b:
        return 100.0, 0, 0
    ca, cb = collections.Counter(a), collections.Counter(b)
    common = sum((ca & cb).values())
    return 100.0 * common / max(len(a), len(b)), common, max(len(a), len(b))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--snare", required=True, help="path of the snare-strace binary")
    ap.add_argument("--snare-arg", action="append", default=[],
                    help="an extra argument for snare-strace (the negative control drops calls with it)")
    ap.add_argument("--strace", default=shutil.which("strace") or "", help="path of strace")
    ap.add_argument("--check", action="store_true", help="exit 1 when the thresholds are missed")
    ap.add_argument("--names-margin", type=float, default=2.0)
    ap.add_argument("--lines-margin", type=float, default=6.0)
    ap.add_argument("--keep", help="keep the raw traces in this directory")
    args = ap.parse_args()
    if not args.strace or not os.access(args.strace, os.X_OK):
        print("SKIPPED: strace is not installed: nothing to compare with")
        return 77

    root, fixture = make_fixture()
    work = tempfile.mkdtemp(prefix="snare-fidelity-traces-")
    totals = {k: [0, 0] for k in ("self_names", "self_lines", "snare_names", "snare_lines")}
    rows = []
    try:
        for name, argv in corpus(fixture):
            slug = re.sub(r"[^a-z0-9]+", "_", name)
            a = normalise(run_traced([args.strace], argv, os.path.join(work, slug + ".strace1"), fixture))
            b = normalise(run_traced([args.strace], argv, os.path.join(work, slug + ".strace2"), fixture))
            c = normalise(run_traced([args.snare] + args.snare_arg, argv, os.path.join(work, slug + ".snare"), fixture))
            row = {"name": name, "lines": len(a)}
            for key, x, y in (("self", a, b), ("snare", c, a)):
                pn, cn, tn = agreement(names(x), names(y))
                pl, cl, tl = agreement(x, y)
                row[key + "_names"], row[key + "_lines"] = pn, pl
                totals[key + "_names"][0] += cn
                totals[key + "_names"][1] += tn
                totals[key + "_lines"][0] += cl
                totals[key + "_lines"][1] += tl
            rows.append(row)
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            for f in os.listdir(work):
                shutil.copy(os.path.join(work, f), args.keep)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)

    def pct(key):
        n, d = totals[key]
        return 100.0 * n / d if d else 100.0

    print("| command | strace lines | strace vs strace: names | lines | snare vs strace: names | lines |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print("| {name} | {lines} | {self_names:.1f}% | {self_lines:.1f}% | {snare_names:.1f}% | {snare_lines:.1f}% |"
              .format(**r))
    print("| **all** | {} | {:.1f}% | {:.1f}% | {:.1f}% | {:.1f}% |".format(
        sum(r["lines"] for r in rows), pct("self_names"), pct("self_lines"), pct("snare_names"), pct("snare_lines")))
    gap_names = pct("self_names") - pct("snare_names")
    gap_lines = pct("self_lines") - pct("snare_lines")
    print("\nsnare is {:.1f} points below strace's self-agreement on names (allowed {:.0f}), "
          "{:.1f} on whole lines (allowed {:.0f})".format(gap_names, args.names_margin, gap_lines, args.lines_margin))
    if args.check and (gap_names > args.names_margin or gap_lines > args.lines_margin):
        print("FAILED: snare-strace is further from strace than the thresholds allow")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
