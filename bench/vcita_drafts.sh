#!/usr/bin/env bash
# Drafts on the vcita corpus: the share of operations without a recipe that end with a passing
# draft, which then passes `verity run` unchanged.
#
# A copy of the corpus's workflows is the knowledge base; `verity draft --allow-writes
# --include-delete` runs every operation of swagger/ that no recipe covers against `verity mock`
# (swagger/ and mcp_swagger/, seeded; loopback, a free port, stopped by its PID) and writes a
# draft for each that passed (with the body checks a second run confirmed). The drafts are then
# run as they were written against a fresh mock. Prints the outcomes of the requests built from
# the spec (status and reason), how many passed after a heal, how many drafts were written and
# how many carry checks, and the outcomes of the drafts' own run. Exit 1 when
# a draft does not pass its own run.
#
# With --empty-kb the knowledge base starts empty: every operation of swagger/ is built.
#
# Usage: bench/vcita_drafts.sh [--verity BIN] [--corpus DIR] [--seed-items N] [--empty-kb] [--keep]
# Without --verity it builds the Release configuration first (tools/build.sh release).
set -euo pipefail
cd "$(dirname "$0")/.."
PROG=vcita_drafts
VERITY="" CORPUS=../shared/corpus/vcita SEED_ITEMS=3 EMPTY_KB=0 KEEP=0
usage() {
  sed -n '15,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --verity) VERITY=$2; shift 2 ;;
    --corpus) CORPUS=$2; shift 2 ;;
    --seed-items) SEED_ITEMS=$2; shift 2 ;;
    --empty-kb) EMPTY_KB=1; shift ;;
    --keep) KEEP=1; shift ;;
    *) usage ;;
  esac
done
fail() {
  echo "$PROG: $*" >&2
  exit 1
}
if [ -z "$VERITY" ]; then
  tools/build.sh release --target verity >/dev/null
  VERITY=build/release/src/verity
fi
[ -x "$VERITY" ] || usage
for folder in swagger mcp_swagger workflows; do
  [ -d "$CORPUS/$folder" ] || fail "$CORPUS has no $folder/"
done
VERITY=$(realpath "$VERITY") CORPUS=$(realpath "$CORPUS")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/verity-$PROG.XXXXXX")
MOCK_PID=""
stop_mock() {
  if [ -n "$MOCK_PID" ]; then
    kill "$MOCK_PID" 2>/dev/null || true
    wait "$MOCK_PID" 2>/dev/null || true
    MOCK_PID=""
  fi
}
cleanup() {
  stop_mock
  if [ "$KEEP" = 1 ]; then echo "$PROG: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Any well-formed bearer token passes the mock's security checks. Never printed.
export VERITY_BENCH_TOKEN=${VERITY_BENCH_TOKEN:-bench-dummy-token}

# start_mock NAME: a fresh mock on 127.0.0.1 (--port 0 prints the URL it took first on stdout);
# writes WORK/verity.yaml for it. The corpus's recipes are written for vcita's habits, so the
# environment uses its conventions; the mock serves every path on one port, so it is the
# fallback too.
start_mock() {
  local out="$WORK/$1.mock.out" url="" token _wait
  "$VERITY" mock "$CORPUS/swagger" "$CORPUS/mcp_swagger" --port 0 --seed-items "$SEED_ITEMS" \
    >"$out" 2>"$WORK/$1.mock.log" &
  MOCK_PID=$!
  for _wait in $(seq 200); do
    url=$(head -n 1 "$out" 2>/dev/null || true)
    if [[ "$url" == http://127.0.0.1:* ]]; then break; fi
    kill -0 "$MOCK_PID" 2>/dev/null || fail "the mock did not start"
    sleep 0.05
  done
  [[ "$url" == http://127.0.0.1:* ]] || fail "the mock did not start"
  {
    echo "default_env: corpus"
    echo "environments:"
    echo "  corpus:"
    echo "    base_url: $url"
    echo "    fallback_url: $url"
    echo "    knowledge_base: $WORK/kb"
    echo "    spec_root: $CORPUS/swagger"
    echo "    params: {business_id: b1}"
    echo "    timeout: 5s"
    echo "    rate_limit: 'off'"
    echo "    max_retries: 0"
    echo "    conventions: [vcita]"
    echo "    default_token: staff"
    echo "    tokens:"
    for token in staff directory client admin app; do
      echo "      $token: {env: VERITY_BENCH_TOKEN}"
    done
  } >"$WORK/verity.yaml"
}

if [ "$EMPTY_KB" = 1 ]; then
  mkdir "$WORK/kb"
else
  cp -r "$CORPUS/workflows" "$WORK/kb"
  chmod -R u+w "$WORK/kb"
fi
cd "$WORK"
start_mock draft
rc=0
"$VERITY" draft --config verity.yaml --allow-writes --include-delete --no-history \
  --report-json draft.json >draft.out 2>draft.err || rc=$?
stop_mock
[ "$rc" -le 1 ] || { tail -n 5 draft.out draft.err >&2; fail "verity draft exited with $rc"; }
sed -n 's/^drafted \([^ ]*\).*/\1/p' draft.out >drafted.txt

echo "requests built from the spec, or left out, by outcome and reason:"
"$VERITY" jsonpath '$.results[?@.source == "spec"]' draft.json >spec.json
for status in PASS WARN FAIL ERROR SKIP; do
  "$VERITY" jsonpath "\$[?@.status == \"$status\"].details.reason" spec.json |
    sed -n 's/^ *\(null\|"\([A-Z_]*\)"\),\{0,1\}$/\2/p' | sort | uniq -c |
    sed "s/^ *\([0-9]*\) \(.*\)$/  $status \2: \1/; s/ : / (no reason): /"
done
healed=$("$VERITY" jsonpath '$[?(@.status == "PASS" || @.status == "WARN") && length(@.healAttempts) > 1].endpoint' spec.json | grep -c '^ *"' || true)
echo "passed after a heal: $healed"
echo "drafts written: $(wc -l <drafted.txt), $(grep -c '^drafted .* checks\{0,1\})$' draft.out || true) with body checks ($(grep -c 'is drafted without its checks' draft.err || true) whose checks did not hold twice)"

[ -s drafted.txt ] || exit 0
start_mock again
rc=0
# shellcheck disable=SC2046  # one argument per drafted file; their names have no spaces
"$VERITY" run --config verity.yaml --include-delete --no-write-back --no-history \
  --report-json again.json $(cat drafted.txt) >again.out 2>again.err || rc=$?
stop_mock
[ "$rc" -le 1 ] || { tail -n 5 again.out again.err >&2; fail "verity run exited with $rc"; }
echo "the drafts run as written, against a fresh mock:"
"$VERITY" jsonpath '$.results[*].status' again.json | sed -n 's/^ *"\([A-Z]*\)",\{0,1\}$/\1/p' |
  sort | uniq -c | sed 's/^ */  /'
[ "$rc" -eq 0 ] || fail "a draft did not pass its own run"
