#!/usr/bin/env bash
# Builds the Release configuration and runs the knowledge-base benchmark. Arguments go to
# verity_bench (try --help; --micro runs the Google Benchmark microbenchmarks).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh release --target verity_bench >/dev/null
exec build/release/bench/verity_bench "$@"
