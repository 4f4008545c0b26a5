#!/usr/bin/env python3
"""Generates include/snare/format/detail/xlat_tables.hpp: the x86-64 values of the symbolic
names the formatter prints, and xlat_for(flag_set), the table of every flag set that
include/snare/sys/arg.hpp declares.

The values come from this machine's C and kernel headers (linux-libc-dev): a C program
built from the lists of xlat_sets.py prints them. A name written "X=v" uses the literal v where the
headers lack X; where they have X, the generator fails unless X == v (strace's #checkval).
A name that is not an identifier (`1<<TCP_LISTEN`) is a C expression printed as written.
A flag_set with no table here is an error, so no flag set silently prints in hex.

Usage: gen_xlat.py           write the header
       gen_xlat.py --check   exit 1 when the committed header is not what would be written
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from generated import INCLUDE, GeneratorError, read_enum, run  # noqa: E402  (scripts/generated.py)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xlat_sets import FS_MAGIC_EXTRA, IOCTL_HEADERS, IOCTL_LITERALS, IOCTL_NUMERIC, SETS  # noqa: E402  (the table lists)

OUTPUT = os.path.join(INCLUDE, "format", "detail", "xlat_tables.hpp")

HEADERS = """#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include <signal.h>
#include <poll.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <sys/random.h>
#include <sys/eventfd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/file.h>
#include <sys/timerfd.h>
#include <sys/signalfd.h>
#include <sys/inotify.h>
#include <termios.h>
#include <sched.h>
#include <sys/time.h>
#include <linux/futex.h>
#include <asm/prctl.h>
#include <sys/ptrace.h>
#include <elf.h>
#include <sys/mount.h>
#include <sys/xattr.h>
#include <linux/seccomp.h>
#include <linux/falloc.h>
#include <linux/keyctl.h>
#include <linux/membarrier.h>
#include <linux/personality.h>
#include <linux/quota.h>
#include <linux/dqblk_xfs.h>
#include <linux/reboot.h>
#include <linux/rseq.h>
#include <linux/bpf.h>
#include <linux/magic.h>
#include <linux/tty.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <linux/fs.h>
#include <linux/perf_event.h>
#include <linux/lirc.h>
#include <linux/counter.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/icmp.h>
#include <linux/socket.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/xfrm.h>
#include <linux/audit.h>
#include <linux/selinux_netlink.h>
#include <linux/if_ether.h>
#include <linux/unix_diag.h>
#include <linux/inet_diag.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/smc_diag.h>
#include <linux/io_uring.h>
#include <linux/fanotify.h>
#include <linux/if_arp.h>
#include <linux/neighbour.h>
#include <linux/fib_rules.h>
#include <linux/dcbnl.h>
#include <linux/if_addrlabel.h>
#include <linux/netconf.h>
#include <linux/net_namespace.h>
#include <linux/if_bridge.h>
#include <linux/if_bonding.h>
#include <linux/mpls.h>
#include <linux/ip.h>
#include <linux/if_tun.h>
#include <linux/tls.h>
#include <linux/mptcp.h>
#include <linux/nexthop.h>
#include <linux/mroute.h>
#include <linux/mroute6.h>
#include <linux/lwtunnel.h>
#include <linux/gen_stats.h>
#include <linux/tc_act/tc_gact.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <linux/netfilter/ipset/ip_set.h>
#include <linux/netfilter/nfnetlink_acct.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>
#include <linux/netfilter/nfnetlink_cthelper.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <linux/netfilter/nfnetlink_hook.h>
#include <linux/pkt_sched.h>
#include <linux/ipv6.h>
#include <linux/snmp.h>
#include <linux/pkt_cls.h>
#include <linux/sched.h>
#include <linux/input.h>
#include <linux/videodev2.h>
#include <linux/kvm.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <linux/kexec.h>
#include <linux/aio_abi.h>
#include <sys/timex.h>
#include <dirent.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <stdio.h>
"""


def header_names(spec):
    """Returns the names a 'header:REGEX' spec stands for: every `#define NAME <number>` of
    /usr/include/<header> whose NAME matches REGEX, in the header's order."""
    header, pattern = spec.split(':', 1)
    with open(os.path.join('/usr/include', header)) as f:
        text = f.read()
    return [m.group(1) for m in re.finditer(r'^#define\s+(\w+)\s+\(?(?:0x[0-9a-fA-F]+|\d+)\b', text, re.M)
            if re.fullmatch(pattern, m.group(1))]


# A field list given as 'header:REGEX' is read from that header (the names it defines).
SCANNED = {name: spec[3] for name, spec in SETS.items() if isinstance(spec[3], str)}
for _name, _spec in SCANNED.items():
    _extra = FS_MAGIC_EXTRA if _name == 'fs_magic' else []
    SETS[_name] = SETS[_name][:3] + (header_names(_spec) + _extra,) + SETS[_name][4:]


def ioctl_names():
    """Returns the ioctl request names IOCTL_HEADERS define, in header order, once each."""
    names = []
    for header, pattern in IOCTL_HEADERS:
        with open(os.path.join('/usr/include', header)) as f:
            text = f.read()
        # The value may follow a backslash-newline (linux/kvm.h's KVM_REGISTER_COALESCED_MMIO).
        for m in re.finditer(r'^#define\s+(\w+)\s+(?:\\\n\s*)?(_S?IO[RW]*\s*\(|0x[0-9a-fA-F]+\b|\d+\b)', text, re.M):
            name, value = m.group(1), m.group(2)
            if not re.fullmatch(pattern, name) or name in names:
                continue
            if not value.startswith(('_IO', '_SIO')) and (header not in IOCTL_NUMERIC or int(value, 0) < 0x100):
                continue  # a mode, flag or size of the header, not a request
            names.append(name)
    return names


def ioctl_values(d):
    """Returns [(value, name)] of ioctl_names() and the hand list of SETS['ioctl_request'],
    sorted by value, then name."""
    names = ioctl_names()
    headers = ['asm/termbits.h', 'linux/fiemap.h', 'linux/blktrace_api.h', 'linux/serial.h']  # the structs' types
    prog = ['#include <stdio.h>'] + ['#include <%s>' % h for h in headers + [h for h, _ in IOCTL_HEADERS]]
    prog.append('int main(void) {')
    # A name the headers define only in a comment or an #if 0 block is skipped.
    prog += [f'#ifdef {n}\n  printf("0x%llx {n}\\n", (unsigned long long)({n}));\n#endif' for n in names]
    prog.append('  return 0; }')
    r = compile_and_run(d, 'ioctl', '\n'.join(prog))
    pairs = set()
    for line in r.stdout.splitlines():
        v, n = line.split()
        pairs.add((int(v, 16) & 0xffffffff, n))
    return pairs


# Literals checked by a second program that includes only the kernel's headers: struct
# termios2 clashes with glibc's termios.h, and glibc defines O_LARGEFILE as 0 on 64-bit
# while the kernel (and strace) use the asm-generic value.
CHECK_APART = {n: ['asm/termbits.h', 'asm/ioctls.h'] for n in ('TCGETS2', 'TCSETS2', 'TCSETSW2', 'TCSETSF2')}
CHECK_APART['O_LARGEFILE'] = ['asm/fcntl.h']
CHECK_APART['__O_TMPFILE'] = ['asm/fcntl.h']  # glibc's adds O_DIRECTORY; strace uses the kernel's

# flag_set enumerators that share another set's table.
ALIASES = {'clock_flags': 'timer_flags'}


def split(n):
    return n.split('=', 1) if '=' in n else (n, None)


def checkval(prog, name, lit):
    """Appends the C lines that fail the program when the headers define `name` as another value."""
    prog.append(f'#ifdef {name}')
    prog.append(f'  if ((unsigned long long)({name}) != (unsigned long long)({lit})) {{')
    prog.append(f'    fprintf(stderr, "{name} is %#llx in the headers, {lit} in xlat_sets.py\\n",'
                f' (unsigned long long)({name}));')
    prog.append('    bad = 1;')
    prog.append('  }')
    prog.append('#endif')


def c_programs():
    """Returns the program that prints every value, and the one that checks CHECK_APART."""
    apart_headers = sorted({h for hs in CHECK_APART.values() for h in hs})
    apart = ['#include <stdio.h>'] + ['#include <%s>' % h for h in apart_headers]
    apart += ['static int bad;', 'int main(void) {']
    prog = [HEADERS, 'static int bad;', 'int main(void) {']
    for set_name, spec in SETS.items():
        mask = spec[2]
        for part, names in (('field', spec[3]), ('bits', spec[4])):
            prog.append(f'  printf("%s %s\\n", "{set_name}", "{part}");')
            for n in names:
                name, lit = split(n)
                val = lit if lit is not None else name
                if part == 'field' and mask not in (None, 'ENUM'):
                    val = f'({val}) & ({mask})'
                if lit is not None and name.isidentifier():
                    # #checkval: a literal must agree with the headers that define the name.
                    checkval(apart if name in CHECK_APART else prog, name, lit)
                prog.append(f'  printf("  0x%llx %s\\n", (unsigned long long)({val}), "{name}");')
        if mask not in (None, 'ENUM'):
            prog.append(f'  printf("%s mask 0x%llx\\n", "{set_name}", (unsigned long long)({mask}));')
    prog.append('  return bad; }')
    apart.append('  return bad; }')
    return '\n'.join(prog), '\n'.join(apart)


def compile_and_run(d, name, source):
    src = os.path.join(d, name + '.c')
    with open(src, 'w') as f:
        f.write(source)
    cc = subprocess.run(['gcc', '-o', os.path.join(d, name), src], capture_output=True, text=True)
    if cc.returncode != 0:
        raise GeneratorError('the C program does not compile:\n' + cc.stderr)
    r = subprocess.run([os.path.join(d, name)], capture_output=True, text=True)
    if r.returncode != 0:
        raise GeneratorError('values disagree with the headers:\n' + r.stderr)
    return r


def read_values():
    prog, apart = c_programs()
    with tempfile.TemporaryDirectory() as d:
        compile_and_run(d, 'apart', apart)
        r = compile_and_run(d, 'gen', prog)
        ioctls = ioctl_values(d)
    values, masks, cur = {}, {}, None
    for line in r.stdout.splitlines():
        if line.startswith('  '):
            v, n = line.split()
            values[cur].append((int(v, 16), n))
        elif ' mask ' in line:
            s, _, m = line.split()
            masks[s] = int(m, 16)
        else:
            s, part = line.split()
            cur = (s, part)
            values[cur] = []
    return values, masks, ioctls


def generate():
    with open(os.path.join(INCLUDE, 'sys', 'arg.hpp')) as f:
        flag_sets = read_enum(f.read(), 'flag_set')
    missing = [s for s in flag_sets[1:] if s not in SETS and ALIASES.get(s) not in SETS]
    if flag_sets[0] != 'none':
        raise GeneratorError('flag_set must start with none')
    if missing:
        raise GeneratorError('no table for flag_set %s: add it to SETS in scripts/format/xlat_sets.py'
                             % ', '.join(missing))
    values, masks, ioctls = read_values()
    o = ['// Defines the x86-64 values of the symbolic names the formatter prints and the table of',
         '// every flag set. Generated by scripts/format/gen_xlat.py from the C and kernel headers;',
         '// do not edit by hand.', '// clang-format off', '#pragma once', '', '#include <array>',
         '#include <cstddef>', '#include <cstdint>', '', '#include <snare/format/detail/xlat.hpp>',
         '#include <snare/sys/arg.hpp>', '', 'namespace snare::format::detail {', '']
    for set_name, spec in SETS.items():
        unknown, zero, mask, field, bits = spec[:5]
        style = spec[5] if len(spec) > 5 else None
        if set_name in SCANNED:  # names that share a value: the header's first one (or last)
            seen = set()
            entries = values[(set_name, 'field')]
            last = style == 'last_name'
            kept = [e for e in (reversed(entries) if last else entries) if e[0] not in seen and not seen.add(e[0])]
            values[(set_name, 'field')] = list(reversed(kept)) if last else kept
        for part in ('field', 'bits'):
            entries = values[(set_name, part)]
            if not entries:
                continue
            o.append(f'inline constexpr xlat_entry {set_name}_{part}[] = {{')
            for v, n in entries:
                o.append(f'    {{0x{v:x}, "{n}"}},')
            o.append('};')
        fld = f'{set_name}_field' if values[(set_name, 'field')] else '{}'
        bts = f'{set_name}_bits' if values[(set_name, 'bits')] else '{}'
        if mask == 'ENUM':
            m = '~std::uint64_t{0}'
        elif mask is None:
            m = '0'
        else:
            m = f'0x{masks[set_name]:x}'
        if unknown and re.search(r"\?\?[=(/)'<!>-]", unknown):
            unknown = unknown.replace('?', '\\?')  # not a trigraph (-Wtrigraphs)
        unk = f'"{unknown}"' if unknown else '{}'
        z = f'"{zero}"' if zero else '{}'
        dec = ', true' if style == 'decimal' else ''
        o.append(f'inline constexpr xlat {set_name}_xlat{{{fld}, {m}, {bts}, {z}, {unk}{dec}}};')
        o.append('')
    # Every ioctl request, the hand list's names included, sorted for a binary search.
    ioctls |= {(v & 0xffffffff, n) for v, n in values[('ioctl_request', 'field')]}
    # The requests no header here defines (OpenZFS's), at the values written in xlat_sets.
    ioctls |= {(int(v, 16), n) for n, v in (e.split('=') for e in IOCTL_LITERALS)}
    o.append('/// Names every ioctl request of the kernel headers, sorted by value, then name.')
    o.append('inline constexpr xlat_entry ioctl_names[] = {')
    for v, n in sorted(ioctls):
        o.append(f'    {{0x{v:x}, "{n}"}},')
    o.append('};')
    o.append('')
    o.append('/// Holds the table of each flag_set, indexed by its value (none has no table).')
    o.append(f'inline constexpr std::array<const xlat*, {len(flag_sets)}> xlat_by_set = {{{{')
    o.append('    nullptr,  // none')
    for s in flag_sets[1:]:
        o.append(f'    &{ALIASES.get(s, s)}_xlat,  // {s}')
    o.append('}};')
    o.append('')
    o.append('/// Returns the table of flag set `s`; nullptr only for flag_set::none.')
    o.append('constexpr const xlat* xlat_for(sys::flag_set s) noexcept {')
    o.append('  auto i = static_cast<std::size_t>(s);')
    o.append('  return i < xlat_by_set.size() ? xlat_by_set[i] : nullptr;')
    o.append('}')
    o.append('')
    o.append('}  // namespace snare::format::detail')
    return {OUTPUT: '\n'.join(o) + '\n'}


if __name__ == '__main__':
    sys.exit(run(__file__, __doc__, generate))
