#!/usr/bin/env bash
# Installs what is missing, then builds snare with its tests and runs the whole suite twice:
# once optimised (preset "release": every test, consumer and packaging checks included) and
# once under AddressSanitizer + UndefinedBehaviorSanitizer (preset "sanitize").
#
# Usage: scripts/test.sh [release|sanitize]...   (default: both; SNARE_JOBS=N sets -j)
# Exit status: 0 when every phase built and passed; the failing tests' output is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bash scripts/install-deps.sh
# What this host provides decides which tests run and which skip: show it first.
echo "== host features (snare/host.hpp; tests that need an absent one skip with its reason)"
bash scripts/host-features.sh
jobs=$(snare_jobs)
phases=("$@")
[ ${#phases[@]} -eq 0 ] && phases=(release sanitize)

failed=()
for phase in "${phases[@]}"; do
  start=$SECONDS
  echo "== $phase: configure, build (-j$jobs), test"
  quiet "$phase configure" cmake --preset "$phase"
  # A build failure stops everything: the compiler's message is the useful output.
  if ! cmake --build --preset "$phase" -j "$jobs"; then
    echo "== $phase: build FAILED" >&2
    exit 1
  fi
  if ctest --preset "$phase" -j "$jobs" --progress; then
    echo "== $phase: passed in $((SECONDS - start)) s"
  else
    echo "== $phase: tests FAILED (above, with their output); took $((SECONDS - start)) s" >&2
    failed+=("$phase")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "== FAILED phases: ${failed[*]}" >&2
  exit 1
fi
echo "== all phases passed: ${phases[*]} (total $SECONDS s)"
