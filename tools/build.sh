#!/usr/bin/env bash
# Builds one configuration: release (default) or asan (AddressSanitizer + UBSan, debug info).
# Usage: tools/build.sh [release|asan] [extra cmake --build args]
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
shift || true
case "$kind" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DVERITY_SANITIZE=ON -DVERITY_BUILD_BENCH=OFF) ;;
  *) echo "usage: tools/build.sh [release|asan]" >&2; exit 2 ;;
esac
cmake -S . -B "build/$kind" -G Ninja "${flags[@]}" >/dev/null
cmake --build "build/$kind" "$@"
