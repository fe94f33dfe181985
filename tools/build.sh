#!/usr/bin/env bash
# Builds one configuration: release (default), asan (AddressSanitizer + UBSan, debug info) or tsan
# (ThreadSanitizer, debug info).
# Usage: tools/build.sh [release|asan|tsan] [extra cmake --build args]
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
shift || true
case "$kind" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DVERITY_SANITIZE=ON -DVERITY_BUILD_BENCH=OFF) ;;
  tsan) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DVERITY_TSAN=ON -DVERITY_BUILD_BENCH=OFF) ;;
  *) echo "usage: tools/build.sh [release|asan|tsan]" >&2; exit 2 ;;
esac
cmake -S . -B "build/$kind" -G Ninja "${flags[@]}" >/dev/null
cmake --build "build/$kind" "$@"
