"""Shared by snare's code generators (scripts/syscalls/generate.py, scripts/format/gen_*.py):
where the tree is, how an enum of a hand-written header is read, and the write-or---check
step every generator ends with, so that a CTest test can tell when a committed file is stale.
"""
import argparse
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
INCLUDE = os.path.join(ROOT, "include", "snare")


class GeneratorError(Exception):
    """An input the generator refuses; main() prints it and exits 2."""


def read_enum(text, enum):
    """Returns the enumerators of `enum class <enum> : T { ... };` in `text`, in order."""
    m = re.search(r"enum class %s : [\w:]+ \{(.*?)\};" % enum, text, re.S)
    if not m:
        raise GeneratorError("cannot find enum %s" % enum)
    body = re.sub(r"//[^\n]*", "", m.group(1))
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    return [e.split("=")[0].strip() for e in body.split(",") if e.strip()]


def arg_parser(doc):
    """Returns the command line every generator takes: no option writes, --check compares."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail when a committed file is not current")
    return ap


def write_or_check(script, outputs, check):
    """Writes each {path: text} that changed, or with `check` lists the stale ones and returns 1."""
    stale = []
    for path, text in outputs.items():
        old = open(path).read() if os.path.exists(path) else None
        if old == text:
            continue
        if check:
            stale.append(os.path.relpath(path, ROOT))
        else:
            with open(path, "w") as f:
                f.write(text)
            print("wrote %s" % os.path.relpath(path, ROOT))
    if stale:
        print("%s --check: not current, run %s: %s" % (os.path.basename(script), os.path.relpath(script, ROOT),
                                                       " ".join(stale)), file=sys.stderr)
        return 1
    return 0


def run(script, doc, make_outputs):
    """The whole main() of a generator: parses --check, builds {path: text}, writes or checks."""
    opts = arg_parser(doc).parse_args()
    try:
        outputs = make_outputs()
    except GeneratorError as e:
        print("%s: %s" % (os.path.basename(script), e), file=sys.stderr)
        return 2
    return write_or_check(script, outputs, opts.check)
