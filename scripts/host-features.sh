#!/usr/bin/env bash
# Prints what this host provides to snare (snare/host.hpp's probes: feature, yes/no, the
# reason, what needs it), from the headers alone, so it runs before any build. The same
# table as `snare-strace --host`. Exit status 0 when it printed the table.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '#include <snare/host.hpp>\nint main() { snare::host_features().print(stdout); }\n' >"$out/host.cpp"
"${CXX:-c++}" -std=c++20 -O1 -Iinclude "$out/host.cpp" -o "$out/host"
"$out/host"
