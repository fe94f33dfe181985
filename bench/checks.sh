#!/usr/bin/env bash
# What 100 checks add to a step with a 10 MB response (bench/checks_bench.cc): builds the Release
# configuration and runs verity_checks_bench five times over, reporting medians. ARGS go to Google
# Benchmark (--benchmark_filter=Paired, --benchmark_repetitions=9, ...).
#   bench/checks.sh [ARGS]
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh release --target verity_checks_bench >/dev/null
exec build/release/bench/verity_checks_bench --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true "$@"
