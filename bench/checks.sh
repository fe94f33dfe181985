#!/usr/bin/env bash
# What 100 checks add to a step with a 10 MB response (bench/checks_bench.cc): builds the Release
# configuration and runs verity_checks_bench five times over, reporting medians (~2 min). ARGS go
# to Google Benchmark after the defaults, so they override them:
#   bench/checks.sh                                   the step with and without checks, the checks alone,
#                                                     the list-wide paths against a hand-written loop
#   bench/checks.sh --benchmark_filter=OneCheck/1     each passing check alone (OneCheck/2: failing)
#   bench/checks.sh --benchmark_filter=OneSelect      the JSONPath walk of each list check alone
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh release --target verity_checks_bench >/dev/null
exec build/release/bench/verity_checks_bench --benchmark_filter='BM_Step|BM_RunChecks|BM_ListPaths' \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true "$@"
