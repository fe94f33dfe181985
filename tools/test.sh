#!/usr/bin/env bash
# The whole test suite: the fuzzers for a bounded time (FUZZ_SECONDS, default 60 each), then the
# tests twice, a release build and an ASan+UBSan build. Ends with ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/check-format.sh
tools/check-deps.sh
tools/fuzz.sh "${FUZZ_SECONDS:-60}"
# GitHub's 13 MB description, for the test that validates a real-shaped response against it.
tools/fetch-bench-specs.sh >/dev/null
for kind in release asan; do
  echo "== $kind build"
  tools/build.sh "$kind"
  echo "== $kind tests"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "build/$kind" --output-on-failure -j "$(nproc)"
done
