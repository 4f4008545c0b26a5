#!/usr/bin/env python3
"""Generates snare's typed syscall headers from the syscall table in this folder.

Inputs (the one source of truth):
  signatures.tsv   argument names and kinds, return kind and classes per syscall name
                   (shared by every architecture; "name@variant" lines are per-arch forms)
  <arch>.tsv       the architecture's numbers: number, name[, signature variant]
Outputs:
  include/snare/sys/x86_64.hpp, aarch64.hpp   descriptors + one C++ type per syscall
  include/snare/sys/i386.hpp                  descriptors (numbers, names, arguments)
  include/snare/sys/call_id.hpp               one call_id per syscall name of any table

Usage: generate.py            write the headers
       generate.py --check    exit 1 when a committed header differs from what would be written
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from generated import INCLUDE, GeneratorError, read_enum, run  # noqa: E402  (scripts/generated.py)

# (arch, C++ namespace and tag, whether to emit one C++ type per syscall)
ARCHES = [("x86_64", True), ("aarch64", True), ("i386", False)]

RET_KINDS = {"int": "int_", "fd": "fd", "ptr": "ptr", "pid": "pid", "hex": "hex", "none": "none"}
CLASSES = ["file", "process", "network", "signal", "ipc", "desc", "memory", "creds", "clock", "stat", "statfs"]
ARG_KINDS = {
    "int": "int_", "uint": "uint", "hex": "hex", "ptr": "ptr", "fd": "fd", "dirfd": "dirfd", "pid": "pid",
    "uid": "uid", "gid": "gid", "signo": "signo", "mode": "mode", "size": "size", "ssize": "ssize",
    "offset": "offset", "clockid": "clockid", "path": "path", "cstr": "cstr", "string_array": "string_array",
    "buffer": "buffer", "flags": "flags", "enumeration": "enumeration", "struct": "structure", "array": "array",
    "long": "long_", "ulong": "ulong", "xint": "xint",
}
# C++ type of an argument by kind (structure/array and flags are built from their parameter).
CXX_TYPES = {
    "int_": "int", "uint": "std::uint32_t", "hex": "std::uint64_t", "long_": "std::int64_t",
    "ulong": "std::uint64_t", "xint": "std::uint32_t", "ptr": "::snare::guest_ptr<std::byte>",
    "fd": "int", "dirfd": "int", "pid": "int", "uid": "std::uint32_t", "gid": "std::uint32_t", "signo": "int",
    "mode": "std::uint32_t", "size": "std::size_t", "ssize": "std::int64_t", "offset": "std::int64_t",
    "clockid": "int", "path": "::snare::guest_cstr", "cstr": "::snare::guest_cstr",
    "string_array": "::snare::guest_cstr_array", "buffer": "::snare::guest_buffer",
}
# struct_id -> pointee type. Layouts that differ between architectures live in abi::<arch>.
STRUCT_TYPES = {"int_": "int", "uint64": "std::uint64_t", "int64": "std::int64_t", "address": "std::uint64_t"}
PER_ARCH_STRUCTS = {"stat", "epoll_event", "sigaction"}

# Identifiers a generated accessor may not use: C++ keywords, macros of the C library and
# GNU mode, and the members every typed call inherits. They get a trailing underscore.
RESERVED = set("""
alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t char32_t class
compl concept const consteval constexpr constinit const_cast continue co_await co_return co_yield decltype
default delete do double dynamic_cast else enum explicit export extern false float for friend goto if inline
int long mutable namespace new noexcept not not_eq nullptr operator or or_eq private protected public register
reinterpret_cast requires return short signed sizeof static static_assert static_cast struct switch template
this thread_local throw true try typedef typeid typename union unsigned using virtual void volatile wchar_t
while xor xor_eq errno linux unix i386 stdin stdout stderr assert major minor makedev
sigmask isset isclr setbit clrbit howmany roundup powerof2 alloca htons htonl ntohs ntohl sa_handler
sa_sigaction si_pid si_uid si_status si_addr si_value si_int si_ptr si_band si_fd st_atime st_mtime st_ctime
call arg set_arg raw set_raw raw_args to_raw name number descriptor desc arg_types arch_type
""".split())


def load_signatures(flag_sets, struct_ids):
    sigs = {}
    path = os.path.join(HERE, "signatures.tsv")
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            where = "signatures.tsv:%d" % lineno
            cols = line.split("\t")
            if len(cols) < 3:
                raise GeneratorError("%s: expected name, return, classes" % where)
            name, ret, classes = cols[0], cols[1], cols[2]
            if name in sigs:
                raise GeneratorError("%s: duplicate signature %s" % (where, name))
            if ret not in RET_KINDS:
                raise GeneratorError("%s: unknown return kind %s" % (where, ret))
            cls = [] if classes == "-" else classes.split(",")
            for c in cls:
                if c not in CLASSES:
                    raise GeneratorError("%s: unknown class %s" % (where, c))
            args = [parse_arg(a, where, flag_sets, struct_ids) for a in cols[3:]]
            if len(args) > 6:
                raise GeneratorError("%s: more than six arguments" % where)
            names = [a["name"] for a in args]
            if len(set(names)) != len(names):
                raise GeneratorError("%s: duplicate argument names" % where)
            for a in args:
                if a["len"] not in (None, "ret"):
                    if a["len"] not in names:
                        raise GeneratorError("%s: len=%s names no argument" % (where, a["len"]))
                    a["len"] = names.index(a["len"])
            sigs[name] = {"ret": RET_KINDS[ret], "classes": cls, "args": args}
    return sigs


def parse_arg(text, where, flag_sets, struct_ids):
    m = re.fullmatch(r"(\w+):(\w+)(?:\(([^)]*)\))?", text)
    if not m:
        raise GeneratorError("%s: cannot read argument %r" % (where, text))
    name, kind, params = m.group(1), m.group(2), m.group(3)
    if kind not in ARG_KINDS:
        raise GeneratorError("%s: unknown kind %s" % (where, kind))
    arg = {"name": name, "kind": ARG_KINDS[kind], "dir": "in", "len": None, "flags": "none", "type": "none"}
    for i, p in enumerate(params.split(",") if params else []):
        if p in ("in", "out", "inout"):
            arg["dir"] = p
        elif p.startswith("len="):
            arg["len"] = p[4:]
        elif i == 0 and arg["kind"] in ("flags", "enumeration"):
            if p not in flag_sets:
                raise GeneratorError("%s: unknown flag_set %s" % (where, p))
            arg["flags"] = p
        elif i == 0 and arg["kind"] in ("structure", "array"):
            if p not in struct_ids:
                raise GeneratorError("%s: unknown struct_id %s" % (where, p))
            arg["type"] = p
        else:
            raise GeneratorError("%s: unexpected parameter %r of %s" % (where, p, name))
    if arg["kind"] in ("flags", "enumeration") and arg["flags"] == "none":
        raise GeneratorError("%s: %s needs a flag_set" % (where, name))
    if arg["kind"] in ("structure", "array") and arg["type"] == "none":
        raise GeneratorError("%s: %s needs a struct_id" % (where, name))
    return arg


def load_numbers(arch, sigs):
    rows = []
    with open(os.path.join(HERE, arch + ".tsv")) as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            nr, name = int(cols[0]), cols[1]
            sig = cols[2] if len(cols) > 2 else name
            if sig not in sigs:
                raise GeneratorError("%s.tsv:%d: no signature %s" % (arch, lineno, sig))
            rows.append((nr, name, sig))
    rows.sort()
    if len({r[0] for r in rows}) != len(rows) or len({r[1] for r in rows}) != len(rows):
        raise GeneratorError("%s.tsv: duplicate number or name" % arch)
    return rows


def ident(name, owner):
    return name + "_" if name in RESERVED or name == owner else name


def type_name(name):
    return name + "_" if name in RESERVED else name


def cxx_type(arg, arch):
    k = arg["kind"]
    if k in ("flags", "enumeration"):
        return "::snare::flags<::snare::sys::flag_set::%s>" % arg["flags"]
    if k in ("structure", "array"):
        t = arg["type"]
        if t in STRUCT_TYPES:
            pointee = STRUCT_TYPES[t]
        elif t in PER_ARCH_STRUCTS:
            pointee = "::snare::sys::abi::%s::%s" % (arch, t)
        else:
            pointee = "::snare::sys::abi::%s" % t
        return "::snare::guest_ptr<%s>" % pointee
    return CXX_TYPES[k]


def c_str(s):
    return '"%s"' % s


def desc_init(nr, name, sig):
    """Returns the initializer of one syscall_desc (its call_id is the syscall's name)."""
    args = []
    for a in sig["args"]:
        ln = "len_none" if a["len"] is None else ("len_from_return" if a["len"] == "ret" else str(a["len"]))
        fields = [c_str(a["name"]), "arg_kind::" + a["kind"], "direction::" + a["dir"], ln,
                  "flag_set::" + a["flags"], "struct_id::" + a["type"]]
        defaults = [None, None, "direction::in", "len_none", "flag_set::none", "struct_id::none"]
        while fields[-1] == defaults[len(fields) - 1]:  # arg_desc's member defaults
            fields.pop()
        args.append("{%s}" % ", ".join(fields))
    classes = " | ".join("class_" + c for c in sig["classes"]) or "class_none"
    return "{%d, %s, %d, {%s}, ret_kind::%s, static_cast<std::uint16_t>(%s), call_id::%s}" % (
        nr, c_str(name), len(sig["args"]), ", ".join(args), sig["ret"], classes, type_name(name))


BANNER = """\
// Generated by scripts/syscalls/generate.py from scripts/syscalls/signatures.tsv and
// scripts/syscalls/{arch}.tsv: do not edit. Change the table and run the generator.
"""


def generate(arch, typed, sigs):
    rows = load_numbers(arch, sigs)
    max_nr = rows[-1][0]
    by_name = sorted(rows, key=lambda r: r[1])
    out = [BANNER.format(arch=arch)]
    what = "descriptors and one typed call per syscall" if typed else "descriptors (numbers, names, arguments)"
    out.append("// Defines the %s syscall table: %s,\n// and lookups by number and name.\n" % (arch, what))
    out.append("// clang-format off\n#pragma once\n\n")
    out.append("#include <array>\n#include <cstddef>\n#include <cstdint>\n#include <string_view>\n")
    if typed:
        out.append("#include <tuple>\n")
    out.append("\n#include <snare/arch/%s.hpp>\n" % arch)
    if typed:
        out.append("#include <snare/sys/abi.hpp>\n#include <snare/sys/call.hpp>\n")
    out.append("#include <snare/sys/arg.hpp>\n")
    if typed:
        out.append("#include <snare/sys/detail/native.hpp>\n")
    out.append("#include <snare/sys/lookup.hpp>\n\n")

    out.append("namespace snare::sys::detail {\n\n")
    out.append("/// Holds the %s descriptors indexed by syscall number (number -1 marks a hole).\n" % arch)
    out.append("inline constexpr std::array<syscall_desc, %d> %s_descriptors = {{\n" % (max_nr + 1, arch))
    by_nr = {r[0]: r for r in rows}
    for nr in range(max_nr + 1):
        if nr in by_nr:
            _, name, sig = by_nr[nr]
            out.append("  %s,\n" % desc_init(nr, name, sigs[sig]))
        else:
            out.append("  {},\n")
    out.append("}};\n\n")
    out.append("/// Holds the numbers of the %s syscalls sorted by name, for name lookups.\n" % arch)
    out.append("inline constexpr std::array<std::uint16_t, %d> %s_by_name = {{\n" % (len(rows), arch))
    for i in range(0, len(by_name), 16):
        out.append("  " + ", ".join(str(r[0]) for r in by_name[i:i + 16]) + ",\n")
    out.append("}};\n\n}  // namespace snare::sys::detail\n\n")

    if typed:
        # The native architecture's namespace is inline: snare::sys::openat is its openat.
        out.append("namespace snare::sys {\n// Inline when %s is the native architecture: snare::sys::<name> is %s's.\n"
                   "SNARE_SYS_DETAIL_INLINE_%s namespace %s {\n\n" % (arch, arch, arch.upper(), arch))
    else:
        out.append("namespace snare::sys::%s {\n\n" % arch)
    out.append("static_assert(::snare::arch::%s::max_syscall_number == %d, "
               "\"arch/%s.hpp and the syscall table disagree on the highest number\");\n\n" % (arch, max_nr, arch))
    out.append("/// The number of %s syscalls in the table.\n" % arch)
    out.append("inline constexpr std::size_t count = %d;\n\n" % len(rows))
    if typed:
        for nr, name, sig in rows:
            out.append(typed_call(arch, nr, name, sigs[sig]))
        out.append("/// Names the typed call of syscall number Nr: by_number<257>::type is openat on x86-64.\n")
        out.append("/// Numbers without a syscall have no `type` member.\n")
        out.append("template <long Nr>\nstruct by_number {};\n")
        for nr, name, _ in rows:
            out.append("template <> struct by_number<%d> { using type = %s; };\n" % (nr, type_name(name)))
        out.append("\n/// The typed call of syscall number Nr.\ntemplate <long Nr>\n"
                   "using by_number_t = typename by_number<Nr>::type;\n\n")
        out.append("/// Lists every typed call, in number order (no Boost.Hana: see snare/sys/hana.hpp).\n")
        out.append("using all_types = ::snare::call_list<\n")
        for i in range(0, len(rows), 8):
            chunk = ", ".join(type_name(r[1]) for r in rows[i:i + 8])
            out.append("    %s%s\n" % (chunk, "," if i + 8 < len(rows) else ">;"))
        out.append("\n")
    out.append(LOOKUPS.format(arch=arch))
    if typed:
        out.append("}  // namespace %s\n}  // namespace snare::sys\n\n" % arch)
    else:
        out.append("}  // namespace snare::sys::%s\n\n" % arch)
    out.append("namespace snare::sys {\n\n/// Gathers the %s table for code written over any architecture.\n" % arch)
    out.append("template <>\nstruct table<::snare::arch::%s> {\n" % arch)
    out.append("  static constexpr const auto& descriptors = detail::%s_descriptors;\n" % arch)
    out.append("  static constexpr const auto& by_name = detail::%s_by_name;\n" % arch)
    if typed:
        out.append("  template <long Nr>\n  using by_number = %s::by_number<Nr>;\n" % arch)
        out.append("  using all_types = %s::all_types;\n" % arch)
    out.append("};\n\n}  // namespace snare::sys\n")
    return "".join(out)


LOOKUPS = """\
/// Returns the descriptor of syscall `nr`, or nullptr when {arch} has no such syscall.
constexpr const syscall_desc* descriptor(long nr) noexcept {{
  return ::snare::sys::detail::find_descriptor(::snare::sys::detail::{arch}_descriptors, nr);
}}

/// Returns the name of syscall `nr`, or an empty string_view when {arch} has no such syscall.
constexpr std::string_view name_of(long nr) noexcept {{
  return ::snare::sys::detail::find_name(::snare::sys::detail::{arch}_descriptors, nr);
}}

/// Returns the number of the syscall called `name` ("openat"), or -1 when {arch} has none.
constexpr long number_of(std::string_view name) noexcept {{
  return ::snare::sys::detail::find_number(::snare::sys::detail::{arch}_descriptors,
                                           ::snare::sys::detail::{arch}_by_name, name);
}}

/// The set of {arch} syscall numbers in every class of `Classes` (class_file | class_desc
/// means both), as a constexpr snare::syscall_set.
template <std::uint16_t Classes>
inline constexpr auto in_class = ::snare::sys::detail::numbers_in_class<Classes>(::snare::sys::detail::{arch}_descriptors);

"""


def typed_call(arch, nr, name, sig):
    t = type_name(name)
    o = []
    classes = ", ".join(sig["classes"]) or "no class"
    o.append("/// %s(2) [%s].%s\n" % (name, classes, " Named %s: %s is reserved in C++." % (t, name) if t != name else ""))
    o.append("struct %s : ::snare::sys::call<%s, ::snare::arch::%s, %d> {\n" % (t, t, arch, nr))
    o.append("  using call::call;\n")
    o.append("  static constexpr const syscall_desc& desc = ::snare::sys::detail::%s_descriptors[%d];\n" % (arch, nr))
    types = [cxx_type(a, arch) for a in sig["args"]]
    o.append("  using arg_types = std::tuple<%s>;\n" % ", ".join(types))
    for i, (a, ty) in enumerate(zip(sig["args"], types)):
        g = ident(a["name"], t)
        note = "" if g == a["name"] else "  // `%s` is reserved here" % a["name"]
        if ty in ("int", "std::uint32_t", "std::uint64_t", "std::size_t", "std::int64_t"):
            get = "static_cast<%s>(raw(%d))" % (ty, i)
            put = "static_cast<std::uint64_t>(v)"
        elif "flags<" in ty:
            get = "%s{raw(%d)}" % (ty, i)
            put = "v.value"
        else:
            get = "%s{raw(%d)}" % (ty, i)
            put = "v.address"
        o.append("  constexpr %s %s() const noexcept { return %s; }%s\n" % (ty, g, get, note))
        o.append("  constexpr void set_%s(%s v) noexcept { set_raw(%d, %s); }\n" % (g, ty, i, put))
    o.append("};\n\n")
    return "".join(o)


CALL_ID_BANNER = """\
// Generated by scripts/syscalls/generate.py from scripts/syscalls/<arch>.tsv: do not edit.
// Defines snare::sys::call_id, one enumerator per syscall name of every architecture's
// table: the identity of a call across architectures (x86-64's and aarch64's openat are
// both call_id::openat), which code keys on at compile time (the formatter's decoders).
// clang-format off
#pragma once

#include <cstddef>
#include <cstdint>

namespace snare::sys {

"""


def generate_call_ids(sigs):
    names = sorted({name for arch, _ in ARCHES for _, name, _ in load_numbers(arch, sigs)})
    out = [CALL_ID_BANNER]
    out.append("/// Names a syscall independently of the architecture; none for a descriptor without one.\n")
    out.append("enum class call_id : std::uint16_t {\n  none,\n")
    for name in names:
        out.append("  %s,\n" % type_name(name))
    out.append("};\n\n/// The number of call_id values, none included.\n")
    out.append("inline constexpr std::size_t call_id_count = %d;\n\n}  // namespace snare::sys\n" % (len(names) + 1))
    return "".join(out)


def outputs():
    with open(os.path.join(INCLUDE, "sys", "arg.hpp")) as f:
        arg_hpp = f.read()
    sigs = load_signatures(set(read_enum(arg_hpp, "flag_set")), set(read_enum(arg_hpp, "struct_id")))
    out = {os.path.join(INCLUDE, "sys", a + ".hpp"): generate(a, typed, sigs) for a, typed in ARCHES}
    out[os.path.join(INCLUDE, "sys", "call_id.hpp")] = generate_call_ids(sigs)
    return out


if __name__ == "__main__":
    sys.exit(run(__file__, __doc__, outputs))
