#!/usr/bin/env bash
# Builds the Release configuration and runs a benchmark.
#   tools/bench.sh [ARGS]         the knowledge-base benchmark (verity_bench --help; --micro for
#                                 its Google Benchmark microbenchmarks)
#   tools/bench.sh --expr [ARGS]  the expression benchmark (JSONPath, templates); ARGS go to
#                                 Google Benchmark (--benchmark_filter=...)
#   tools/bench.sh --redact [ARGS]  the masking benchmark (secrets in 1 MB bodies); ARGS go to
#                                 Google Benchmark
#   tools/bench.sh --spec [ARGS]  the spec benchmark (verity_spec_bench --help): loading the vcita
#                                 specs and GitHub's description (installed from npm first by
#                                 tools/fetch-bench-specs.sh), validating a 5 MB response
#   tools/bench.sh --derive [ARGS]  planning `verity run --all-operations` on GitHub's description
#                                 (installed from npm first) and the vcita specs; ARGS go to
#                                 Google Benchmark (the run against the mock: bench/derive.sh)
#   tools/bench.sh --run [ARGS]   the runner benchmark "chain3" (bench/run/chain3.sh: Verity,
#                                 the libcurl floor, curl and wrk against a local nginx; needs
#                                 tools/setup.sh --bench); ARGS: --iterations N --repeat R ...
#   tools/bench.sh --doc-memory [SHAPE...]  peak memory of hostile documents just under the size
#                                 limit in kb show/lint/ls (bench/doc/memory.sh)
#   tools/bench.sh --mock [ARGS]  the mock benchmark (bench/mock/wrk.sh): wrk -t2 -c8 on one GET
#                                 of `verity mock` beside Stoplight Prism (npm ci into
#                                 build/npm-mock) on the same spec; needs wrk, curl and npm;
#                                 ARGS: --spec FILE --path PATH --seconds S --repeat R ...
#   tools/bench.sh --mock-idle [ARGS]  a new client's latency while 2 000 idle connections and a
#                                 slowloris of 1 000 are held, on `verity mock` and on Prism
#                                 (bench/mock/wrk.sh --idle); ARGS: --idle-connections N --slow N
#                                 --samples N --spec FILE --path PATH --no-prism ...
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--doc-memory" ]; then
  shift
  tools/build.sh release --target verity >/dev/null
  exec bench/doc/memory.sh build/release/src/verity "$@"
fi
if [ "${1:-}" = "--mock" ]; then
  shift
  tools/build.sh release --target verity >/dev/null
  exec bench/mock/wrk.sh --verity build/release/src/verity --install-dir build/npm-mock "$@"
fi
if [ "${1:-}" = "--mock-idle" ]; then
  shift
  tools/build.sh release --target verity verity_idle_attack >/dev/null
  exec bench/mock/wrk.sh --verity build/release/src/verity --install-dir build/npm-mock \
    --idle build/release/bench/verity_idle_attack "$@"
fi
if [ "${1:-}" = "--run" ]; then
  shift
  tools/build.sh release --target verity verity_curl_floor verity_measure >/dev/null
  exec bench/run/chain3.sh --verity build/release/src/verity \
    --floor build/release/bench/verity_curl_floor --measure build/release/bench/verity_measure "$@"
fi
target=verity_bench
args=()
if [ "${1:-}" = "--expr" ]; then
  target=verity_expr_bench
  shift
elif [ "${1:-}" = "--redact" ]; then
  target=verity_redact_bench
  shift
elif [ "${1:-}" = "--derive" ]; then
  target=verity_derive_bench
  shift
  args=(--github "$(tools/fetch-bench-specs.sh)")
elif [ "${1:-}" = "--spec" ]; then
  target=verity_spec_bench
  shift
  args=(--github "$(tools/fetch-bench-specs.sh)")
fi
tools/build.sh release --target "$target" >/dev/null
exec "build/release/bench/$target" "${args[@]}" "$@"
