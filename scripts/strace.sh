#!/usr/bin/env bash
# Installs what is missing, builds the snare-strace example and runs it on a command
# (default: ls /): every syscall of the command printed strace-style.
#
# Usage: scripts/strace.sh [command args...]   (SNARE_JOBS=N sets -j)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bash scripts/install-deps.sh
quiet "configure" cmake --preset release
if ! cmake --build --preset release -j "$(snare_jobs)" --target snare-strace >build/strace-build.log 2>&1; then
  cat build/strace-build.log >&2
  echo "== building snare-strace failed (log above)" >&2
  exit 1
fi
path_file=build/release/snare-strace.path
if [ ! -f "$path_file" ]; then
  echo "== the build has no snare-strace target (examples/ does not define it)" >&2
  exit 1
fi
tool=$(cat "$path_file")
[ $# -eq 0 ] && set -- ls /
exec "$tool" "$@"
