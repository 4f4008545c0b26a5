#!/usr/bin/env python3
"""One-off helper that drafted snare's syscall table; kept for transparency, not run by CI.

It writes the per-architecture number lists from the system's kernel headers and a draft
signature line per syscall name from the SYNOPSIS of its section 2 man page, with argument
kinds guessed from C types and names. The committed signatures.tsv was curated by hand
afterwards: do not re-run this over it.

Usage: bootstrap.py numbers           # rewrite x86_64.tsv / aarch64.tsv / i386.tsv
       bootstrap.py draft > draft.tsv  # print draft signature lines
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

X86_64_HEADER = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
I386_HEADER = "/usr/include/x86_64-linux-gnu/asm/unistd_32.h"
NOT_SYSCALLS = {"syscalls", "arch_specific_syscall"}


def simple_numbers(path):
    out = []
    with open(path) as f:
        for line in f:
            m = re.match(r"#define __NR_(\w+)\s+(\d+)", line)
            if m:
                out.append((int(m.group(2)), m.group(1)))
    return sorted(out)


def aarch64_numbers():
    txt = subprocess.run(["aarch64-linux-gnu-gcc", "-E", "-dM", "-"], input="#include <asm/unistd.h>\n",
                         capture_output=True, text=True, check=True).stdout
    defs = {}
    for line in txt.splitlines():
        m = re.match(r"#define (__NR\w+) (\S+)$", line)
        if m:
            defs[m.group(1)] = m.group(2)
    out = []
    for k, v in defs.items():
        if not k.startswith("__NR_") or k[5:] in NOT_SYSCALLS:
            continue
        while v in defs:
            v = defs[v]
        out.append((int(v), k[5:]))
    return sorted(out)


def write_numbers():
    for arch, nums in (("x86_64", simple_numbers(X86_64_HEADER)), ("aarch64", aarch64_numbers()),
                       ("i386", simple_numbers(I386_HEADER))):
        path = os.path.join(HERE, arch + ".tsv")
        variants = {}  # keep the curated signature variants (clone@backwards, ...)
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    cols = line.rstrip("\n").split("\t")
                    if not line.startswith("#") and len(cols) > 2:
                        variants[cols[1]] = cols[2]
        with open(path, "w") as f:
            f.write("# %s syscall numbers: number<TAB>name[<TAB>signature when it differs from name]\n" % arch)
            for nr, name in nums:
                f.write("%d\t%s%s\n" % (nr, name, "\t" + variants[name] if name in variants else ""))


def synopsis(page):
    env = dict(os.environ, MANWIDTH="400")
    r = subprocess.run("man 2 %s 2>/dev/null | col -b" % page, shell=True, capture_output=True, text=True, env=env)
    m = re.search(r"^SYNOPSIS\n(.*?)^\S", r.stdout, re.S | re.M)
    return re.sub(r"\s+", " ", m.group(1)) if m else ""


def find_proto(text, name):
    for pat in (r"SYS_%s\s*,([^;]*)\)\s*;" % name, r"\b%s\s*\(([^;]*)\)\s*;" % name):
        m = re.search(pat, text)
        if m:
            return m.group(1)
    return None


def guess(ctype, pname, call):
    t = ctype.replace("_Nullable", "").replace("restrict", "").replace("_Nonnull", "").strip()
    t = re.sub(r"\s+", " ", t)
    const = t.startswith("const ")
    out = "in" if const else "out"
    if pname in ("dirfd", "olddirfd", "newdirfd", "dfd"):
        return "dirfd"
    if "fd" in pname and "*" not in t and "[" not in t:
        return "fd"
    if "char *const" in t or "[]" in pname:
        return "string_array"
    if "char *" in t or "char*" in t:
        return "path" if any(k in pname for k in ("path", "file", "name")) and "host" not in pname else "cstr"
    m = re.match(r"(?:const )?struct (\w+) ?\*", t)
    if m:
        return "struct(%s),%s" % (m.group(1), out)
    if "*" in t:
        return "ptr"
    for ty, kind in (("pid_t", "pid"), ("uid_t", "uid"), ("gid_t", "gid"), ("mode_t", "mode"), ("ssize_t", "ssize"),
                     ("size_t", "size"), ("socklen_t", "uint"), ("loff_t", "offset"), ("off_t", "offset"),
                     ("clockid_t", "clockid")):
        if ty in t:
            return kind
    if pname in ("sig", "signum"):
        return "signo"
    if "flags" in pname:
        return "flags(%s)" % call
    if t.startswith("unsigned"):
        return "uint"
    return "int"


def draft():
    names = sorted({n for _, n in simple_numbers(X86_64_HEADER)} | {n for _, n in aarch64_numbers()}
                   | {n for _, n in simple_numbers(I386_HEADER)})
    for name in names:
        candidates = [name, re.sub(r"^rt_", "", name), re.sub(r"(64|32)$", "", name), re.sub(r"^new", "", name)]
        proto = None
        for page in candidates:
            text = synopsis(page)
            for fn in (name, page):
                proto = find_proto(text, fn)
                if proto is not None:
                    break
            if proto is not None:
                break
        if proto is None:
            print("%s\tint\t?\t# no synopsis" % name)
            continue
        args = []
        for part in [p.strip() for p in proto.split(",") if p.strip() and p.strip() not in ("void", "...")]:
            m = re.match(r"(.*?)(\w+)(\[\])?$", part)
            if not m:
                args.append("?:" + part)
                continue
            args.append("%s:%s" % (m.group(2), guess(m.group(1), m.group(2) + (m.group(3) or ""), name)))
        print("%s\tint\t-\t%s" % (name, "\t".join(args)))


if __name__ == "__main__":
    if sys.argv[1:] == ["numbers"]:
        write_numbers()
    elif sys.argv[1:] == ["draft"]:
        draft()
    else:
        sys.exit(__doc__)
