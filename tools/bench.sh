#!/usr/bin/env bash
# Builds the Release configuration and runs a benchmark.
#   tools/bench.sh [ARGS]         the knowledge-base benchmark (verity_bench --help; --micro for
#                                 its Google Benchmark microbenchmarks)
#   tools/bench.sh --expr [ARGS]  the expression benchmark (JSONPath, templates); ARGS go to
#                                 Google Benchmark (--benchmark_filter=...)
set -euo pipefail
cd "$(dirname "$0")/.."
target=verity_bench
if [ "${1:-}" = "--expr" ]; then
  target=verity_expr_bench
  shift
fi
tools/build.sh release --target "$target" >/dev/null
exec "build/release/bench/$target" "$@"
