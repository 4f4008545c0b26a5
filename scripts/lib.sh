#!/usr/bin/env bash
# Defines helpers shared by snare's scripts (sourced, not run): quiet steps that show their
# output only when they fail, and phase timing.

# quiet <what> <command...>: runs the command with its output kept in a log; prints the log
# and fails when the command fails.
quiet() {
  local what=$1
  shift
  local log
  log=$(mktemp)
  if "$@" >"$log" 2>&1; then
    rm -f "$log"
  else
    local rc=$?
    echo "== $what failed (exit $rc): $*" >&2
    cat "$log" >&2
    rm -f "$log"
    return "$rc"
  fi
}

# snare_jobs: the parallelism for builds and tests (SNARE_JOBS, else the core count).
snare_jobs() {
  echo "${SNARE_JOBS:-$(nproc)}"
}
