#!/usr/bin/env bash
# The runner benchmark "chain3": the seed's three-step shape (GET the list and take an id, POST a
# client and take its id, GET it by id) N times against Debian's nginx serving canned JSON on
# 127.0.0.1, with
#   - Verity: N documents, one chain each, at --concurrency 1 and 8;
#   - the libcurl floor: verity_curl_floor, the same calls through bare libcurl (one reused easy
#     handle; a multi handle with 8 chains for concurrency 8);
#   - the curl command line: the same 3 N requests from one --config file in one process (it cannot
#     take ids from answers, so the read uses a fixed id), serial and --parallel-max 8;
#   - wrk on one endpoint (GET /clients/1): the loopback limit.
# Every run is measured by verity_measure (wall, user + system CPU, peak RSS), repeated and
# reported as medians; each must succeed and make exactly its requests, counted by the server.
# Usually started by tools/bench.sh --run, which builds the binaries first.
#
# Usage: bench/run/chain3.sh --verity BIN --floor BIN --measure BIN
#          [--iterations N] [--repeat R] [--wrk-seconds S] [--keep]
set -euo pipefail
PROG=chain3
# shellcheck source=bench/run/lib.sh
. "$(dirname "$0")/lib.sh"

VERITY="" FLOOR="" MEASURE="" N=1000 REPEAT=5 WRK_SECONDS=5
usage() {
  sed -n '15,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --verity) VERITY=$2; shift 2 ;;
    --floor) FLOOR=$2; shift 2 ;;
    --measure) MEASURE=$2; shift 2 ;;
    --iterations) N=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --wrk-seconds) WRK_SECONDS=$2; shift 2 ;;
    --keep) BENCH_KEEP=1; shift ;;
    *) usage ;;
  esac
done
if [ ! -x "$VERITY" ] || [ ! -x "$FLOOR" ] || [ ! -x "$MEASURE" ]; then usage; fi
[ "$N" -ge 10 ] || bench_fail "--iterations must be at least 10"
VERITY=$(realpath "$VERITY") FLOOR=$(realpath "$FLOOR") MEASURE=$(realpath "$MEASURE")
bench_require wrk curl

# A dummy bearer token, read from the environment by every client and never printed.
export VERITY_BENCH_TOKEN=${VERITY_BENCH_TOKEN:-bench-dummy-token}
umask 077  # the curl config below holds the token
bench_init
bench_start_nginx
SMALL=$((N / 10))
REQUESTS=$((3 * N))

# ---- inputs ------------------------------------------------------------------------------------

bench_make_kb "$BENCH_WORK/kb" "$N"
bench_make_kb "$BENCH_WORK/kb_small" "$SMALL"
bench_make_config "$BENCH_WORK/verity.yaml" "$BENCH_WORK/kb"
bench_make_config "$BENCH_WORK/verity_small.yaml" "$BENCH_WORK/kb_small"
# The first SMALL documents of the big knowledge base, named as targets: a run that loads all N
# documents and executes SMALL of them.
subset=()
for ((i = 0; i < SMALL; i++)); do
  printf -v n '%04d' "$i"
  subset+=("$BENCH_WORK/kb/get_t_${n}_clients_id.md")
done

# The same requests for the curl command line; `next` starts a transfer with fresh options.
make_curl_config() {
  local file=$1 count=$2 i n auth
  auth="header = \"Authorization: Bearer $VERITY_BENCH_TOKEN\""
  for ((i = 0; i < count; i++)); do
    printf -v n '%04d' "$i"
    printf '%s\n' \
      "url = \"$BENCH_URL/t/$n/clients?per_page=1\"" "$auth" \
      'header = "Accept: application/json"' 'output = "/dev/null"' \
      'write-out = "%{http_code}\n"' next \
      "url = \"$BENCH_URL/t/$n/clients\"" "$auth" \
      'header = "Accept: application/json"' 'header = "Content-Type: application/json"' \
      'data = "{\"first_name\":\"Ada\",\"referrer_id\":\"c-1\"}"' 'output = "/dev/null"' \
      'write-out = "%{http_code}\n"' next \
      "url = \"$BENCH_URL/t/$n/clients/c-1\"" "$auth" \
      'header = "Accept: application/json"' 'output = "/dev/null"' \
      'write-out = "%{http_code}\n"'
    if [ "$i" -lt $((count - 1)) ]; then echo next; fi
  done >"$file"
}
make_curl_config "$BENCH_WORK/curl.conf" "$N"

# ---- runs --------------------------------------------------------------------------------------

verity_run() {  # NAME CONFIG COUNT CONCURRENCY TARGETS_AND_ARGS...
  local name=$1 config=$2 count=$3 conc=$4
  shift 4
  bench_measure "$name" $((3 * count)) "$VERITY" run "$@" --config "$BENCH_WORK/$config" \
    --base-url "$BENCH_URL" --token-env staff=VERITY_BENCH_TOKEN --rate-limit off \
    --no-write-back -q --concurrency "$conc"
  grep -q "^$count/$count passed" "$BENCH_WORK/$name.out" ||
    bench_fail "$name: $(tail -n 1 "$BENCH_WORK/$name.out")"
}

floor_run() {  # NAME COUNT CONCURRENCY
  bench_measure "$1" $((3 * $2)) "$FLOOR" --base-url "$BENCH_URL" \
    --token-env VERITY_BENCH_TOKEN --iterations "$2" --concurrency "$3"
}

curl_run() {  # NAME [ARGS...]
  local name=$1 counts
  shift
  bench_measure "$name" "$REQUESTS" curl -sS "$@" --config "$BENCH_WORK/curl.conf"
  counts=$(sort "$BENCH_WORK/$name.out" | uniq -c | awk '{ printf "%s:%s ", $2, $1 }')
  [ "$counts" = "200:$((2 * N)) 201:$N " ] || bench_fail "$name: statuses $counts"
}

# check_report: the JSON report must agree with the console: every document passed, every step
# sent one request that was answered 200 or 201.
check_report() {
  local passed answers
  passed=$("$VERITY" jsonpath '$.summary.passed' "$BENCH_WORK/report.json" | tr -dc '0-9')
  answers=$("$VERITY" jsonpath '$.results[*].steps[*].attempts[*].status' \
    "$BENCH_WORK/report.json" | grep -cE '^ *20[01],?$')
  if [ "$passed" != "$N" ] || [ "$answers" != "$REQUESTS" ]; then
    bench_fail "the JSON report says $passed passed and $answers answers, expected $N and $REQUESTS"
  fi
}

echo "chain3: $N iterations ($REQUESTS requests), $REPEAT repeats, nginx on $BENCH_URL" >&2
for ((r = 1; r <= REPEAT; r++)); do
  echo "chain3: repeat $r/$REPEAT" >&2
  # Interleaved, so that a slow moment of the machine spreads over every tool.
  verity_run verity_c1 verity.yaml "$N" 1 "$BENCH_WORK/kb"
  verity_run verity_c8 verity.yaml "$N" 8 "$BENCH_WORK/kb"
  verity_run verity_small_c1 verity_small.yaml "$SMALL" 1 "$BENCH_WORK/kb_small"
  verity_run verity_small_c8 verity_small.yaml "$SMALL" 8 "$BENCH_WORK/kb_small"
  verity_run verity_subset_c1 verity.yaml "$SMALL" 1 "${subset[@]}"
  verity_run verity_subset_c8 verity.yaml "$SMALL" 8 "${subset[@]}"
  verity_run verity_report_c1 verity.yaml "$N" 1 "$BENCH_WORK/kb" \
    --report-json "$BENCH_WORK/report.json"
  check_report
  floor_run floor_c1 "$N" 1
  floor_run floor_c8 "$N" 8
  floor_run floor_small_c1 "$SMALL" 1
  floor_run floor_small_c8 "$SMALL" 8
  curl_run curl_c1
  curl_run curl_c8 --parallel --parallel-max 8 --parallel-immediate
done

for conc in 1 8; do
  echo "chain3: wrk -c$conc for ${WRK_SECONDS}s" >&2
  bench_measure "wrk_c$conc" - wrk -t1 -c"$conc" -d"${WRK_SECONDS}s" --latency \
    "$BENCH_URL/clients/1"
  if grep -q 'Non-2xx' "$BENCH_WORK/wrk_c$conc.out"; then bench_fail "wrk_c$conc: non-2xx answers"; fi
done

# ---- the table ---------------------------------------------------------------------------------

marginal() {  # BIG SMALL: µs per extra request, from the two runs' median walls
  local big small
  big=$(bench_stats "$1" | cut -d' ' -f1)
  small=$(bench_stats "$2" | cut -d' ' -f1)
  awk -v b="$big" -v s="$small" -v n=$((REQUESTS - 3 * SMALL)) \
    'BEGIN { printf "%.1f", (b - s) * 1e6 / n }'
}

echo
echo "chain3: $N iterations x 3 requests, medians of $REPEAT runs (wrk: one run of ${WRK_SECONDS}s);"
echo "$(nproc) cores, $(uname -r), $("$NGINX" -v 2>&1 | sed 's/.*: //'), one worker; $(date -u +%F)"
echo
bench_table_header "× floor"
bench_table_row "verity run" 1 verity_c1 floor_c1
bench_table_row "verity run" 8 verity_c8 floor_c8
bench_table_row "verity run --report-json" 1 verity_report_c1 floor_c1
bench_table_row "libcurl floor (verity_curl_floor)" 1 floor_c1 floor_c1
bench_table_row "libcurl floor (verity_curl_floor)" 8 floor_c8 floor_c8
bench_table_row "curl --config (fixed id)" 1 curl_c1 floor_c1
bench_table_row "curl --parallel-max 8 (fixed id)" 8 curl_c8 floor_c8
bench_table_row "wrk GET /clients/1" 1 wrk_c1 floor_c1
bench_table_row "wrk GET /clients/1" 8 wrk_c8 floor_c8
echo
# Per request beyond start-up: what grows with the iterations. For Verity, once with each
# run loading its own documents (the N-document run minus the SMALL-document one), and once
# executing only (both load the same N documents; the second runs SMALL of them).
for conc in 1 8; do
  v=$(marginal "verity_c$conc" "verity_small_c$conc")
  x=$(marginal "verity_c$conc" "verity_subset_c$conc")
  f=$(marginal "floor_c$conc" "floor_small_c$conc")
  awk -v c="$conc" -v v="$v" -v x="$x" -v f="$f" -v n="$N" -v s="$SMALL" 'BEGIN {
    printf "per request beyond start-up, c%s (%d minus %d iterations): libcurl floor %.1f µs; " \
      "verity %.1f µs (%.2f×), executing only %.1f µs (%.2f×)\n", c, n, s, f, v, v / f, x, x / f }'
done
for conc in 1 8; do
  awk -v c="$conc" '
    /Latency/ && !avg { avg = $2 }
    / 50%/ { p50 = $2 } / 99%/ { p99 = $2 }
    /Requests\/sec/ { rps = $2 }
    END { printf "wrk -c%s: %s req/s, latency avg %s, p50 %s, p99 %s\n", c, rps, avg, p50, p99 }
  ' "$BENCH_WORK/wrk_c$conc.out"
done
