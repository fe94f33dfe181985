#!/usr/bin/env bash
# Builds one configuration: release (default), asan (AddressSanitizer + UBSan) or tsan
# (ThreadSanitizer).
# Usage: tools/build.sh [release|asan|tsan] [extra cmake --build args]
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
shift || true
# The sanitizer builds compile at -O1 with line tables only (-g1): reports still name file and
# line, and a translation unit compiles in less than half the time of -O2 -g under ASan+UBSan
# (cli/commands/run.cc: 58 s at -O2 -g, 26 s at -O1 -g1), which keeps tools/test.sh in CI's budget.
sanitized=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
  -DVERITY_BUILD_BENCH=OFF)
case "$kind" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan) flags=("${sanitized[@]}" -DVERITY_SANITIZE=ON) ;;
  tsan) flags=("${sanitized[@]}" -DVERITY_TSAN=ON) ;;
  *) echo "usage: tools/build.sh [release|asan|tsan]" >&2; exit 2 ;;
esac
cmake -S . -B "build/$kind" -G Ninja "${flags[@]}" >/dev/null
cmake --build "build/$kind" "$@"
