#!/usr/bin/env bash
# Installs the Debian packages snare's build, tests and examples need, when missing.
# Idempotent and quiet when nothing is missing.
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config python3
          libboost-dev libboost-context-dev libunwind-dev catch2 libbenchmark-dev libseccomp-dev
          strace busybox-static musl-tools manpages-dev g++-aarch64-linux-gnu tar findutils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
