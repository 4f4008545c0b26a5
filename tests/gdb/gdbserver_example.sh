#!/bin/sh
# Tests the example snare-gdbserver with the real gdb: break at a function, print a global,
# continue to the end; the guest's output, its exit status and the tool's output: the count
# tool's table, or the strace tool's line for the guest's write.
# Usage: gdbserver_example.sh SNARE_GDBSERVER DEBUGGEE GDB [count|strace]   (exit 77: no gdb)
set -u
server_bin=$1 guest=$2 gdb=$3 tool=${4:-count}
if [ ! -x "$gdb" ]; then echo "SKIPPED: gdb is not installed ($gdb)" >&2; exit 77; fi
dir=$(mktemp -d /tmp/snare-gdbserver-XXXXXX)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAILED: $1"; echo "--- gdb:"; cat "$dir/gdb.out"; echo "--- server:"; cat "$dir/server.err"; echo "--- guest:"; cat "$dir/guest.out"; exit 1; }

timeout 60 "$server_bin" --tool="$tool" 127.0.0.1:0 -- "$guest" > "$dir/guest.out" 2> "$dir/server.err" &
server=$!
addr=
for _ in $(seq 100); do
  addr=$(sed -n 's/.*; listening on \(.*\)$/\1/p' "$dir/server.err")
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || fail "no 'listening on' line"
timeout 60 "$gdb" -nx -batch -ex 'set sysroot /' -ex "target remote $addr" -ex 'break add' -ex 'continue' \
  -ex 'print global_counter' -ex 'continue' "$guest" > "$dir/gdb.out" 2>&1
wait "$server"
code=$?
[ "$code" -eq 0 ] || fail "snare-gdbserver exited with $code"
grep -q 'Breakpoint 1, add (a=2, b=3)' "$dir/gdb.out" || fail "no breakpoint hit"
grep -q '^\$1 = 42$' "$dir/gdb.out" || fail "global_counter is not 42"
grep -q 'exited normally' "$dir/gdb.out" || fail "no normal exit"
[ "$(cat "$dir/guest.out")" = "result 5 global 42" ] || fail "the guest's output"
if [ "$tool" = strace ]; then
  grep -Eq '^\[pid [0-9]+\] write\(1, "result 5 global 42\\n", 19\) = 19$' "$dir/server.err" ||
    fail "no strace line for the guest's write"
else
  grep -Eq '^ +1  write$' "$dir/server.err" || fail "the count table has no single write"
fi
echo "snare-gdbserver served gdb on $addr; the $tool tool saw the guest's write"
