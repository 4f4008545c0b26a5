#!/usr/bin/env bash
# Installs the Debian packages snare's build, tests, examples and benchmarks need, when
# missing (Debian bookworm; root or sudo). Idempotent, and silent when nothing is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

packages=(
  # build
  cmake ninja-build g++ pkg-config python3
  # library dependencies (Boost.Hana is in libboost-dev) and the test framework
  libboost-dev libboost-context-dev libunwind-dev catch2 libbenchmark-dev libseccomp-dev
  # guests and peers the tests and benchmarks run: static busybox and musl guests for the
  # KVM backend, strace as the benchmark peer, gdb for the gdbserver service
  busybox-static musl-tools strace gdb
  # syscall tables: man pages (argument names) and an aarch64 cross compiler (numbers)
  manpages-dev g++-aarch64-linux-gnu
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
quiet "apt-get update" "${sudo_cmd[@]}" apt-get update -q
quiet "apt-get install" "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
