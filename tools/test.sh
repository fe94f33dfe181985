#!/usr/bin/env bash
# The whole test suite: the fuzzers for a bounded time (FUZZ_SECONDS, default 30 each), then the
# tests three times: a release build, an ASan+UBSan build, and a ThreadSanitizer build over the
# tests that use threads. Ends with ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/check-format.sh
tools/check-deps.sh
tools/fuzz.sh "${FUZZ_SECONDS:-30}"
# GitHub's 13 MB description, for the test that validates a real-shaped response against it.
tools/fetch-bench-specs.sh >/dev/null
# The real OAuth2 server of the token-lifecycle test (tests/e2e/oauth_lifecycle_test.cc).
tools/setup-oauth.sh
for kind in release asan; do
  echo "== $kind build"
  tools/build.sh "$kind"
  echo "== $kind tests"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "build/$kind" --output-on-failure -j "$(nproc)"
done
# ThreadSanitizer slows everything ~10×, so it runs only where threads meet: the executor and the
# transport, both servers and their connection loops, the dashboard and its event stream, the
# history recorder, parallel loading, and the hostile table (whose servers run TSan-built too).
echo "== tsan build"
tools/build.sh tsan --target verity_tests verity
echo "== tsan tests"
TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tools/tsan.supp" \
  ctest --test-dir build/tsan --output-on-failure -j "$(nproc)" -R "$(tools/thread-tests.sh)"
