#!/bin/sh
# Runs strace's own test suite (Debian's strace source package, tests/*.test) with another
# tracer in strace's place, and with the installed strace as the reference on the same host,
# and writes a table: pass/fail/skip per test and per category, with a reason per failure.
#
# Usage: scripts/strace-suite.sh [-j JOBS] [-r] [TRACER] [TEST...]
#   TRACER   the tracer to measure (default: build/release/examples/snare-strace)
#   TEST...  test names or shell globs (e.g. 'strace-*' 'qual_*' read): only those run;
#            default: every test of the suite
#   -j JOBS  tests run at once (default 1)
#   -r       run the reference (real strace) again instead of reusing its cached results
#
# The first run fetches the source (`apt-get source strace`, enabling deb-src if missing),
# configures it and builds its test programs into ${XDG_CACHE_HOME:-~/.cache}/snare/
# strace-suite (a few minutes); later runs reuse them. The reference's results are cached
# per strace version. Results: <cache>/results/<tracer>/{table.txt,summary.txt,logs/}.
# Not part of .ci/run: the whole suite takes tens of minutes.
set -eu
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

# Runs one test with tracer $1 in strace's place; prints "NAME pass|fail|skip REASON" and
# keeps its log under $2.
run_one() { # TRACER LOGDIR TREE TEST
	tree=$3
	t=$4
	log=$2/$t.log
	set +e
	# In a session of its own, killed whole afterwards: a test whose tracer failed can leave
	# its guest behind (attach-f-p's busy children), which would slow every later test.
	setsid -w sh -c 'echo $$ >"$0.sid" && cd "$1" && exec env STRACE="$2" STRACE_ARCH=x86_64 \
		STRACE_NATIVE_ARCH=x86_64 SIZEOF_KERNEL_LONG_T=8 SIZEOF_LONG=8 MIPS_ABI= \
		TIMEOUT_DURATION=120 srcdir=. ./run.sh "./$3.test"' "$log" "$tree" "$1" "$t" >"$log" 2>&1
	rc=$?
	[ -s "$log.sid" ] && pkill -KILL -s "$(cat "$log.sid")" 2>/dev/null
	rm -f "$log.sid"
	set -e
	name=$(basename "$1")
	if [ ! -f "$log" ]; then
		# Removed while the test ran: another run for a tracer of the same name started
		# (its rm -rf of the results); the lock below keeps that from happening.
		echo "$t fail exit $rc: no log (removed while the test ran)"
		return
	fi
	case $rc in
	0) echo "$t pass" ;;
	77) echo "$t skip $(grep -m1 -o 'SKIP.*\|skipped.*' "$log" | head -c 100)" ;;
	*)
		reason=$(grep -m1 -E "^([^ :]*/)?($name|snare-strace): " "$log" | head -c 140)
		[ -n "$reason" ] && reason="tracer: ${reason#*: }"
		[ -n "$reason" ] || { grep -q 'output mismatch' "$log" && reason="output differs"; } || true
		[ -n "$reason" ] || reason=$(grep -m1 -o 'failed with code [0-9]*\|time limit.*exceeded' "$log") || true
		[ -n "$reason" ] || reason=$(grep -v '^\s*$' "$log" | tail -n 1 | head -c 140)
		echo "$t fail exit $rc: $reason"
		;;
	esac
}

if [ "${1-}" = --run-one ]; then
	shift
	run_one "$@"
	exit 0
fi


jobs=1
fresh_reference=0
while getopts j:r opt; do
	case $opt in
	j) jobs=$OPTARG ;;
	r) fresh_reference=1 ;;
	*) sed -n '6,11p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

here=$(cd "$(dirname "$0")/.." && pwd)
tracer=$here/build/release/examples/snare-strace
if [ $# -gt 0 ] && [ -x "$1" ] && [ ! -d "$1" ]; then
	tracer=$1
	shift
fi
case $tracer in /*) ;; *) tracer=$(pwd)/$tracer ;; esac
[ -x "$tracer" ] || { echo "strace-suite: no tracer at $tracer (build snare-strace first)" >&2; exit 2; }
reference=$(command -v strace) || { echo "strace-suite: strace is not installed (the reference)" >&2; exit 2; }

cache=${XDG_CACHE_HOME:-$HOME/.cache}/snare/strace-suite
src=$cache/src
mkdir -p "$cache"

# 1. The source, from Debian's archive.
if [ ! -f "$src/tests/init.sh" ]; then
	if ! grep -qs '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources &&
		! grep -qs '^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/*.list; then
		echo "strace-suite: enabling deb-src (/etc/apt/sources.list.d/snare-deb-src.sources)" >&2
		# Written aside first: the glob would otherwise read the file being written.
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] || continue
			sed 's/^Types:.*/Types: deb-src/' "$f"
			echo
		done >"$cache/deb-src.sources"
		mv "$cache/deb-src.sources" /etc/apt/sources.list.d/snare-deb-src.sources
		if [ -f /etc/apt/sources.list ]; then
			sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >/etc/apt/sources.list.d/snare-deb-src.list
		fi
		apt-get update -qq
	fi
	(cd "$cache" && apt-get source --download-only strace >/dev/null)
	dsc=$(ls "$cache"/strace_*.dsc | tail -n 1)
	rm -rf "$src"
	dpkg-source -x "$dsc" "$src" >/dev/null
fi

# 2. The test programs, built once.
if [ ! -f "$src/tests/.built" ]; then
	echo "strace-suite: building strace's test programs in $src/tests (once)" >&2
	(cd "$src" && ./configure --enable-mpers=no --disable-gcc-Werror --without-libunwind \
		--without-libdw --without-libiberty >configure.log 2>&1)
	(cd "$src/tests" && make -j"$jobs" check TESTS= >build.log 2>&1) ||
		{ echo "strace-suite: building the tests failed, see $src/tests/build.log" >&2; exit 1; }
	touch "$src/tests/.built"
fi

# The suite's test lists, read from its Makefile.
list() { printf 'p:\n\t@echo $(%s)\n' "$1" | make -s -C "$src/tests" -f Makefile -f - p | tr ' ' '\n' | sed -n 's/\.test$//p'; }
all_tests=$(list TESTS)
decoder_tests=" $(list DECODER_TESTS | tr '\n' ' ') $(list GEN_TESTS | tr '\n' ' ') "
[ -n "$all_tests" ] || { echo "strace-suite: cannot read the suite's test list" >&2; exit 1; }

selected=$all_tests
if [ $# -gt 0 ]; then
	selected=$(for t in $all_tests; do
		for p in "$@"; do
			# shellcheck disable=SC2254
			case $t in $p) echo "$t"; break ;; esac
		done
	done)
fi
[ -n "$selected" ] || { echo "strace-suite: no test matches $*" >&2; exit 2; }

# Category: by what a test is about, read from its name (the suite has no such tags):
# process/signals by topic, options for the suite's option tests and the variants of a
# decoder test that add an option (NAME-y, NAME-Xraw, NAME--quiet=...), decoding for the
# rest of the generated per-syscall tests and the decoder tests.
category() {
	n=${1%.gen}
	case $n in
	qual_signal | qual_fault* | qual_inject* | strace-* | status-none* | status-successful* | \
		status-failed* | status-unfinished | status-all | silent* | options-syntax | filtering_* | \
		trace_* | count* | fflush | delay | localtime | pc | get_regs | tampering-notes | \
		filter* | printpath-umovestr-legacy | printstrn-umoven-legacy | umovestr_cached*)
		echo options ;;
	attach* | detach* | fork* | vfork* | clone* | threads* | exit* | kill* | sig* | *signal* | \
		restart_syscall | interactive_block | termsig | redirect* | first_exec_failure | \
		bexecve | looping_threads | status-*threads | status-detached | execve* | execveat* | \
		pidfd* | waitid* | wait4* | orphaned_process_group | zeroargc | tracer_ppid_pgid_sid | \
		*--pidns-translation | pidns-cache | leader* | inject-nf | opipe | poke* | \
		legacy_syscall_info | ptrace* | prctl-seccomp* | seccomp-strict | rt_tgsigqueueinfo | \
		tgkill* | tkill* | pause | nsyscalls* | gettid | getpid | getppid | set_tid_address)
		echo process/signals ;;
	*-y | *-yy | *-v | *-Xabbrev | *-Xraw | *-Xverbose | *-P | *-success* | *-failed | *-z | \
		*-Z | *--quiet* | *--decode-fd* | *-x | *-xx | *--trace-fds* | *-T | *-t | *-tt | \
		*-ttt | *-r | *--*timestamps* | *-e-* | *--secontext* | *-k | *--no-abbrev)
		echo options ;;
	*)
		case $decoder_tests in *" $1 "*) echo decoding ;; *) echo options ;; esac ;;
	esac
}

# The trees the two tracers run in: hard-linked copies, so that both can run at once.
tree_for() {
	d=$cache/trees/$1
	if [ ! -f "$d/.ready" ]; then
		rm -rf "$d"
		mkdir -p "$cache/trees"
		cp -al "$src" "$d"
		touch "$d/.ready"
	fi
	echo "$d/tests"
}

run_all() { # TRACER OUTDIR TREE TESTS...
	tr_=$1 out=$2 tree=$3
	shift 3
	mkdir -p "$out/logs"
	for t in "$@"; do echo "$t"; done |
		xargs -P "$jobs" -n 1 sh "$self" --run-one "$tr_" "$out/logs" "$tree" 9>&- # the lock: not the tests' fd
}

# 3. The reference: real strace, cached per version.
version=$("$reference" -V | sed -n '1s/.* //p')
refdir=$cache/results/reference-strace-$version
mkdir -p "$refdir"
[ "$fresh_reference" = 1 ] && rm -f "$refdir/results.txt"
touch "$refdir/results.txt"
missing=$(for t in $selected; do grep -q "^$t " "$refdir/results.txt" || echo "$t"; done)
if [ -n "$missing" ]; then
	echo "strace-suite: reference: $(echo "$missing" | wc -l) tests with $reference" >&2
	# shellcheck disable=SC2086
	run_all "$reference" "$refdir" "$(tree_for reference)" $missing >>"$refdir/results.txt"
fi

# 4. The tracer, run through a link named strace (<cache>/bin/<tracer>/strace), as a user who
# installs it in strace's place runs it: some tests expect the tracer's own comm to be
# "strace" (strace-Y-0123456789: the guest's parent shows as 123<strace>).
tname=$(basename "$tracer")
outdir=$cache/results/$tname
# One run per tracer name at a time: a second one would delete the first's logs while its
# tests still write them (grep then found no log to give a failure's reason).
mkdir -p "$cache/results"
exec 9>"$cache/results/$tname.lock"
flock -n 9 || { echo "strace-suite: a run for $tname is in progress (use a tracer of another name)" >&2; exit 2; }
rm -rf "$outdir"
mkdir -p "$outdir" "$cache/bin/$tname"
ln -sfn "$tracer" "$cache/bin/$tname/strace"
echo "strace-suite: $(echo "$selected" | wc -l) tests with $tracer (as $cache/bin/$tname/strace)" >&2
# shellcheck disable=SC2086
run_all "$cache/bin/$tname/strace" "$outdir" "$(tree_for "$tname")" $selected >"$outdir/results.txt"

# 5. The table.
{
	printf '%-44s %-16s %-9s %-9s %s\n' test category strace "$tname" reason
	for t in $selected; do
		ref=$(grep -m1 "^$t " "$refdir/results.txt" | cut -d' ' -f2)
		line=$(grep -m1 "^$t " "$outdir/results.txt")
		res=$(echo "$line" | cut -d' ' -f2)
		why=$(echo "$line" | cut -d' ' -f3-)
		[ "$res" = pass ] && why=
		printf '%-44s %-16s %-9s %-9s %s\n' "$t" "$(category "$t")" "$ref" "$res" "$why"
	done
} >"$outdir/table.txt"

awk -v tname="$tname" 'NR > 1 {
	c = $2; n[c]++; n["all"]++
	if ($3 == "pass") { r[c]++; r["all"]++; if ($4 == "pass") { b[c]++; b["all"]++ } }
	if ($4 == "pass") { p[c]++; p["all"]++ }
	if ($4 == "skip") { s[c]++; s["all"]++ }
} END {
	printf "%-16s %6s %14s %16s %9s %9s\n", "category", "tests", "strace passes", tname " passes", "of those", "skips"
	split("decoding options process/signals all", order, " ")
	for (i = 1; i <= 4; i++) {
		c = order[i]
		if (!n[c]) continue
		printf "%-16s %6d %14d %16d %8.1f%% %9d\n", c, n[c], r[c], b[c], r[c] ? 100 * b[c] / r[c] : 0, s[c]
	}
}' "$outdir/table.txt" >"$outdir/summary.txt"

cat "$outdir/table.txt"
echo
cat "$outdir/summary.txt"
echo
echo "strace-suite: table in $outdir/table.txt, logs in $outdir/logs" >&2
