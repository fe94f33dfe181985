#!/usr/bin/env bash
# The proxy's cost: wrk against `verity mock` directly, then through `verity mock --proxy` in front
# of it, then through the proxy with --record, all on 127.0.0.1 on free ports, started here and
# stopped by PID. The upstream is `verity mock SPEC -q --seed 1` (about the fastest API there is on
# this machine, so what is measured is the proxy's own work: route lookup, request check, the
# forward through the HTTP engine, the answer's validation; and with --record, masking and an
# atomic file write per exchange).
#   - One connection (`wrk -t1 -c1`): the latency one client sees; the proxy's overhead per request
#     is the difference of the medians.
#   - Eight connections (`wrk -t2 -c8`): requests/s when the two cores are shared by wrk, the proxy
#     and the upstream.
# Each measurement runs --seconds after a 1 s warm-up, --repeat times; the table has medians. A
# non-2xx answer or a socket error stops the benchmark.
#
# Usage: bench/mock/proxy.sh --verity BIN [--spec FILE] [--path PATH] [--seconds S] [--repeat R]
#   defaults: --spec examples/specs/swagger/clients/clients.yaml --path /platform/v1/clients
#             --seconds 5
#             --repeat 3
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VERITY="" SPEC="$ROOT/examples/specs/swagger/clients/clients.yaml" REQ_PATH=/platform/v1/clients
SECONDS_=5 REPEAT=3
usage() {
  sed -n '/^# Usage/,/^set -e/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --verity) VERITY=$2; shift 2 ;;
    --spec) SPEC=$2; shift 2 ;;
    --path) REQ_PATH=$2; shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    *) usage ;;
  esac
done
[ -x "$VERITY" ] || usage
command -v wrk >/dev/null || { echo "proxy.sh: wrk is missing (tools/setup.sh --bench)" >&2; exit 1; }

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# start NAME ARGS…: a mock in the background; prints its URL (the first line of its stdout).
start() {
  local name=$1
  shift
  "$VERITY" mock "$SPEC" -q --seed 1 "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  PIDS+=($!)
  for _ in $(seq 100); do
    if [ -s "$WORK/$name.out" ]; then head -1 "$WORK/$name.out"; return; fi
    sleep 0.05
  done
  echo "proxy.sh: $name did not start: $(cat "$WORK/$name.err")" >&2
  exit 1
}

UPSTREAM=$(start upstream)
PROXY=$(start proxy --proxy "$UPSTREAM")
RECORDER=$(start recorder --proxy "$UPSTREAM" --record "$WORK/recording")

# measure URL THREADS CONNECTIONS: "p50_ms p99_ms requests_per_s"
measure() {
  local out
  wrk -t"$2" -c"$3" -d1s "$1$REQ_PATH" >/dev/null
  out=$(wrk -t"$2" -c"$3" -d"${SECONDS_}s" --latency "$1$REQ_PATH")
  if grep -qE "Non-2xx|Socket errors" <<<"$out"; then
    echo "proxy.sh: errors against $1$REQ_PATH:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; return v * 1000 }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    $1 == "Requests/sec:" { rps = $2 }
    END { printf "%.3f %.3f %.0f\n", p50, p99, rps }' <<<"$out"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A RESULT
for _ in $(seq "$REPEAT"); do
  for mode in direct proxy record; do
    case $mode in direct) url=$UPSTREAM ;; proxy) url=$PROXY ;; record) url=$RECORDER ;; esac
      # Not inside $(…): a failed measurement must stop the script.
    measure "$url" 1 1 >"$WORK/c1"
    measure "$url" 2 8 >"$WORK/c8"
    echo "$(cat "$WORK/c1") $(cat "$WORK/c8")" >>"$WORK/$mode.txt"
  done
done
for mode in direct proxy record; do
  for column in 1 2 3 6; do
    RESULT[$mode,$column]=$(awk -v c="$column" '{ print $c }' "$WORK/$mode.txt" | median)
  done
done

printf '%s\n' "GET $REQ_PATH, $REPEAT × ${SECONDS_} s, medians"
printf '| %-24s | %12s | %12s | %14s | %16s |\n' "" "c1 p50 (ms)" "c1 p99 (ms)" "c1 requests/s" "c8 requests/s"
printf '|%s|%s|%s|%s|%s|\n' "--------------------------" "--------------" "--------------" "----------------" "------------------"
for mode in direct proxy record; do
  case $mode in direct) label="direct" ;; proxy) label="through --proxy" ;; record) label="--proxy --record" ;; esac
  printf '| %-24s | %12s | %12s | %14s | %16s |\n' "$label" "${RESULT[$mode,1]}" "${RESULT[$mode,2]}" \
    "${RESULT[$mode,3]}" "${RESULT[$mode,6]}"
done
for mode in proxy record; do
  awk -v a="${RESULT[$mode,1]}" -v b="${RESULT[direct,1]}" -v m="$mode" \
    'BEGIN { printf "overhead per request (%s, c1 p50): %.3f ms\n", m, a - b }'
done
echo "exchanges recorded: $(find "$WORK/recording" -name '*.json' | wc -l)"
