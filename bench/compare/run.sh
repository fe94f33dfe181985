#!/usr/bin/env bash
# Verity beside the Node.js tools that run API workflows — Step CI, Newman and Redocly Respect —
# on the runner benchmark's chain3 scenario (bench/run/chain3.sh): N iterations of GET the list and
# take an id, POST a client with it and take the new id, GET that client, against the same canned
# nginx on 127.0.0.1.
#   - The tools come from npm at the versions package-lock.json pins, installed with `npm ci` into a
#     temporary folder (or --install-dir, kept and reused while the lock is unchanged). npm is the
#     only network use; their telemetry and update checks are switched off.
#   - Each tool gets the scenario in its own format (scenario.mjs): Step CI one test per iteration
#     (run 1 and 8 at a time), Newman one collection run N times (-n, one data row per iteration;
#     it runs iterations one after another), Respect one Arazzo workflow per iteration (it runs
#     them one after another).
#   - Each run is measured like the benchmark's (verity_measure: wall, CPU, peak RSS; medians of
#     --repeat runs, interleaved), must exit 0, must report N passed where the tool reports counts,
#     and the server must count exactly 3 N requests.
#
# Usage: bench/compare/run.sh [--iterations N] [--repeat R] [--install-dir DIR] [--keep]
set -euo pipefail
PROG=compare
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=bench/run/lib.sh
. "$ROOT/bench/run/lib.sh"

N=1000 REPEAT=3 INSTALL_DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --iterations) N=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --install-dir) INSTALL_DIR=$2; shift 2 ;;
    --keep) BENCH_KEEP=1; shift ;;
    *) sed -n '18p' "$0" | sed 's/^# //' >&2; exit 2 ;;
  esac
done
bench_require node npm curl
# @redocly/cli 2.x needs Node.js 20.19 or later; Debian 12's nodejs is 18.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
              process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  bench_fail "Node.js $(node --version) is too old: @redocly/cli $(
    grep -o '"@redocly/cli": "[^"]*"' "$ROOT/bench/compare/package.json" | cut -d'"' -f4) needs 20.19+"
fi

(cd "$ROOT" && tools/build.sh release --target verity verity_measure >/dev/null)
VERITY="$ROOT/build/release/src/verity"
MEASURE="$ROOT/build/release/bench/verity_measure"

export VERITY_BENCH_TOKEN=${VERITY_BENCH_TOKEN:-bench-dummy-token}
# Nothing but 127.0.0.1 during the runs: no usage reports, no update checks.
export STEPCI_DISABLE_ANALYTICS=1 REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  DO_NOT_TRACK=1 NO_UPDATE_NOTIFIER=1
umask 077  # the scenario files hold the token
bench_init

# ---- the tools ---------------------------------------------------------------------------------

npm_dir=${INSTALL_DIR:-$BENCH_WORK/npm}
mkdir -p "$npm_dir"
npm_dir=$(cd "$npm_dir" && pwd)
if [ -d "$npm_dir/node_modules" ] && cmp -s "$ROOT/bench/compare/package-lock.json" \
  "$npm_dir/package-lock.json"; then
  echo "compare: reusing $npm_dir" >&2
else
  echo "compare: npm ci in $npm_dir" >&2
  cp "$ROOT/bench/compare/package.json" "$ROOT/bench/compare/package-lock.json" "$npm_dir/"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
bin="$npm_dir/node_modules/.bin"
version() {
  node -p "require('$npm_dir/node_modules/$1/package.json').version"
}

# ---- the scenario ------------------------------------------------------------------------------

bench_start_nginx
scenario="$BENCH_WORK/scenario"
mkdir -p "$scenario"
node "$ROOT/bench/compare/scenario.mjs" "$scenario" "$N" "$BENCH_URL"
bench_make_kb "$BENCH_WORK/kb" "$N"
bench_make_config "$BENCH_WORK/verity.yaml" "$BENCH_WORK/kb"
REQUESTS=$((3 * N))

# expect NAME PATTERN: the tool's own output must say it passed everything.
expect() {
  grep -qE "$2" "$BENCH_WORK/$1.out" "$BENCH_WORK/$1.err" ||
    bench_fail "$1: its output does not say \"$2\"; see --keep"
}

verity_run() {  # CONCURRENCY
  bench_measure "verity_c$1" "$REQUESTS" "$VERITY" run "$BENCH_WORK/kb" \
    --config "$BENCH_WORK/verity.yaml" --base-url "$BENCH_URL" \
    --token-env staff=VERITY_BENCH_TOKEN --rate-limit off --no-write-back -q --concurrency "$1"
  expect "verity_c$1" "^$N/$N passed"
}

stepci_run() {  # CONCURRENCY
  bench_measure "stepci_c$1" "$REQUESTS" "$bin/stepci" run "$scenario/stepci-c$1.yml"
  expect "stepci_c$1" "Tests: 0 failed, $N passed, $N total"
}

newman_run() {
  # --silent: no per-request console output, as Verity's -q. Newman exits 1 when an assertion
  # fails, and a read whose {{client_id}} was not filled in is answered 404.
  bench_measure newman_c1 "$REQUESTS" "$bin/newman" run "$scenario/newman.json" \
    -e "$scenario/newman-env.json" -d "$scenario/newman-data.json" -n "$N" --silent
}

respect_run() {
  # Arazzo runs stop after --max-steps (2 000 by default).
  bench_measure respect_c1 "$REQUESTS" "$bin/redocly" respect "$scenario/chain3.arazzo.yaml" \
    --max-steps $((REQUESTS + 1))
  expect respect_c1 "Workflows: $N passed, $N total"
  expect respect_c1 "Steps: $REQUESTS passed, $REQUESTS total"
}

echo "compare: $N iterations ($REQUESTS requests), $REPEAT repeats, nginx on $BENCH_URL" >&2
for ((r = 1; r <= REPEAT; r++)); do
  echo "compare: repeat $r/$REPEAT" >&2
  verity_run 1
  verity_run 8
  stepci_run 1
  stepci_run 8
  newman_run
  respect_run
done

echo
echo "compare: chain3, $N iterations x 3 requests, medians of $REPEAT runs; node $(node --version)"
echo "$(nproc) cores, $(uname -r), $("$NGINX" -v 2>&1 | sed 's/.*: //'), one worker; $(date -u +%F)"
echo
bench_table_header "× verity"
bench_table_row "verity run" 1 verity_c1 verity_c1
bench_table_row "verity run" 8 verity_c8 verity_c8
bench_table_row "Step CI $(version stepci)" 1 stepci_c1 verity_c1
bench_table_row "Step CI $(version stepci)" 8 stepci_c8 verity_c8
bench_table_row "Newman $(version newman)" 1 newman_c1 verity_c1
bench_table_row "Redocly Respect $(version @redocly/cli)" 1 respect_c1 verity_c1
