#!/usr/bin/env bash
# Every vcita operation against `verity mock`: inference + exploration with an empty knowledge base
# (`verity run --all-operations --allow-writes --include-delete`, recipes built from the spec for
# every operation), beside the corpus's own recipes (plain `verity run`, the corpus's workflows as
# the knowledge base) against the same mock, interleaved. Goal: the first at most 10 s wall on
# the project's 2-core machine.
#
# Each run gets a fresh mock of the corpus's swagger/ and mcp_swagger/ (seeded with --seed-items;
# loopback, a free port, stopped by its PID), so every run starts from the same data. Wall time
# is that of the whole `verity run` process (loading the specs, planning, running, writing its
# JSON report), median of --repeat runs. Requests are counted twice: from the report's steps
# (every attempt, steps of `use:` documents included, by `verity jsonpath`) and from the mock's
# access log; the two must agree. Outcome counts come from the report's summary. A run that exits
# with anything but 0 (all passed) or 1 (something failed) stops the benchmark.
#
# Usage: bench/derive.sh [--verity BIN] [--corpus DIR] [--repeat N] [--seed-items N]
#                        [--concurrency N] [--keep]
# Without --verity it builds the Release configuration first (tools/build.sh release).
set -euo pipefail
cd "$(dirname "$0")/.."
PROG=derive
VERITY="" CORPUS=../shared/corpus/vcita REPEAT=3 SEED_ITEMS=2 CONCURRENCY=8 KEEP=0
usage() {
  sed -n '16,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --verity) VERITY=$2; shift 2 ;;
    --corpus) CORPUS=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --seed-items) SEED_ITEMS=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) usage ;;
  esac
done
# shellcheck source=bench/lib/vcita_mock.sh
. bench/lib/vcita_mock.sh
vcita_init

# write_config URL: two environments on the same mock that differ only in their knowledge base:
# `derived` an empty folder, `corpus` the corpus's workflows.
write_config() {
  mkdir -p "$WORK/kb-empty"
  {
    echo "default_env: derived"
    echo "environments:"
    vcita_environment derived "$1" "$WORK/kb-empty"
    vcita_environment corpus "$1" "$CORPUS/workflows"
  } >"$WORK/verity.yaml"
}

# measure NAME ENV [ARGS...]: one run against a fresh mock. Appends "WALL CPU BUILT REQUESTS
# RUN_MS TOTAL PASSED WARNED FAILED ERRORED SKIPPED" to WORK/NAME.runs (CPU: user + system of the
# process; RUN_MS: the report's durationMs, the executor's part: planned documents run).
measure() {
  local name=$1 env=$2 i rc=0 report served from_report summary built times
  shift 2
  i=1
  if [ -f "$WORK/$name.runs" ]; then i=$(($(wc -l <"$WORK/$name.runs") + 1)); fi
  report="$WORK/$name-$i.json"
  start_mock "$name-$i"
  write_config "$MOCK_URL"
  local TIMEFORMAT='%R %U %S'
  { time "$VERITY" run --config "$WORK/verity.yaml" --env "$env" --no-write-back --no-history \
    --concurrency "$CONCURRENCY" --report-json "$report" -q "$@" \
    >"$WORK/$name-$i.out" 2>"$WORK/$name-$i.err" || rc=$?; } 2>"$WORK/$name-$i.time"
  stop_mock
  if [ "$rc" -gt 1 ] || [ ! -f "$report" ]; then
    tail -n 15 "$WORK/$name-$i.out" "$WORK/$name-$i.err" >&2
    fail "$name exited with status $rc"
  fi
  # One normalized path a line ("$['results'][0]['steps'][0]['attempts'][0]") inside [ ]: the
  # steps of each result's last try. A healed result's earlier tries count their own requests.
  from_report=$("$VERITY" jsonpath --paths '$..attempts[*]' "$report" | grep -c '^ *"\$' || true)
  earlier=$("$VERITY" jsonpath '$.results[*].healAttempts[:-1].requests' "$report" |
    tr -cs '0-9' '\n' | awk '{n += $1} END {print n + 0}')
  from_report=$((from_report + earlier))
  # One access-log line per request ("GET /path 200 0.3 ms ...").
  served=$(grep -cE '^[A-Z]+ /' "$WORK/$name-$i.mock.log" || true)
  if [ "$from_report" -ne "$served" ]; then
    fail "$name: the report shows $from_report requests, the mock served $served"
  fi
  summary=$("$VERITY" jsonpath \
    '$.summary["durationMs","total","passed","warned","failed","errored","skipped"]' \
    "$report" | tr -d '[],' | tr -s ' \n' ' ')
  built=$(sed -nE 's/^verity: ([0-9]+) operations? without a recipe.*/\1/p' "$WORK/$name-$i.err")
  times=$(awk '{ printf "%.3f %.3f", $1, $2 + $3 }' "$WORK/$name-$i.time")
  echo "$times ${built:-0} $from_report $summary" >>"$WORK/$name.runs"
}

# median NAME: the median wall and CPU time of the runs, then the first run's counts (the runs
# are deterministic: the same seed and requests give the same answers), then every wall time.
median() {
  awk '
    function median(a, n,    i, j, t) {
      for (i = 2; i <= n; i++) {
        t = a[i]
        for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
        a[j + 1] = t
      }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { w[NR] = $1; c[NR] = $2; walls = walls (NR > 1 ? "," : "") $1; if (NR == 1) first = $0 }
    END {
      split(first, r, " ")
      printf "%.3f %.3f", median(w, NR), median(c, NR)
      for (i = 3; i <= 11; i++) printf " %s", r[i]
      printf " %s\n", walls
    }' "$WORK/$1.runs"
}

# reasons NAME: how many results failed or errored for each reason, in the first run.
reasons() {
  "$VERITY" jsonpath '$.results[?@.status == "FAIL" || @.status == "ERROR"].details.reason' \
    "$WORK/$1-1.json" | tr -d '[],"' | awk 'NF { n[$1]++ } END { for (r in n) print n[r], r }' |
    sort -rn | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 } END { print "" }'
}

# The operations the two folders hold, as the mock loads them (the first of two that share a
# method and path serves it), and what planning makes of them.
start_mock count
write_config "$MOCK_URL"
stop_mock
grep -m1 -E '^verity mock: [0-9]+ operations' "$WORK/count.mock.log" | sed "s/^verity mock: /$PROG: the mock serves /"
"$VERITY" run --config "$WORK/verity.yaml" --env derived --all-operations --allow-writes \
  --include-delete --no-write-back --no-history --dry-run -q >/dev/null 2>"$WORK/plan.err" || true
grep -m1 -E 'operations? without a recipe' "$WORK/plan.err" | sed "s/^verity: /$PROG: /" || true
echo "$PROG: NO_PRODUCER: $(grep -c 'NO_PRODUCER' "$WORK/plan.err" || true) operations"

for ((r = 0; r < REPEAT; r++)); do
  measure derived derived --all-operations --allow-writes --include-delete
  measure corpus corpus
done

echo "$PROG: load average $(cut -d' ' -f1-3 /proc/loadavg) after the runs"
read -r dw dc dbuilt dreq dms dtotal dpass dwarn dfail derr dskip dwalls <<<"$(median derived)"
read -r cw cc _ creq cms ctotal cpass cwarn cfail cerr cskip cwalls <<<"$(median corpus)"
row() {
  printf '%-48s %7s %7s %7s %6s %9s %5s %5s %5s %5s %5s %5s\n' "$@"
}
echo
row "run (median of $REPEAT: walls)" "wall s" "CPU s" "run ms" "built" "requests" "docs" "pass" \
  "warn" "fail" "error" "skip"
row "--all-operations, empty kb ($dwalls)" "$dw" "$dc" "$dms" "$dbuilt" "$dreq" "$dtotal" \
  "$dpass" "$dwarn" "$dfail" "$derr" "$dskip"
row "corpus recipes ($cwalls)" "$cw" "$cc" "$cms" "-" "$creq" "$ctotal" "$cpass" "$cwarn" \
  "$cfail" "$cerr" "$cskip"
echo "failed or errored, by reason: --all-operations: $(reasons derived)"
echo "                                corpus recipes: $(reasons corpus)"
awk -v d="$dw" -v c="$cw" -v dq="$dreq" -v cq="$creq" 'BEGIN {
  printf "ratio --all-operations / corpus recipes: wall %.2f, requests %.2f, wall per request %.2f\n",
    d / c, dq / cq, (d / dq) / (c / cq)
  printf "goal: --all-operations <= 10 s wall: %s (%.2f s)\n", d <= 10 ? "PASS" : "MISS", d
}'
