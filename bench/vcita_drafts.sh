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
  sed -n '16,17p' "$0" | sed 's/^# \{0,1\}//' >&2
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
# shellcheck source=bench/lib/vcita_mock.sh
. bench/lib/vcita_mock.sh
vcita_init

# start_mock_with_config NAME: a fresh mock, and WORK/verity.yaml for it, the knowledge base
# WORK/kb and the spec swagger/ alone (mcp_swagger/ repeats its operations).
start_mock_with_config() {
  start_mock "$1"
  {
    echo "default_env: corpus"
    echo "environments:"
    VCITA_BUSINESS=b1 vcita_environment corpus "$MOCK_URL" "$WORK/kb" "$CORPUS/swagger"
  } >"$WORK/verity.yaml"
}

if [ "$EMPTY_KB" = 1 ]; then
  mkdir "$WORK/kb"
else
  cp -r "$CORPUS/workflows" "$WORK/kb"
  chmod -R u+w "$WORK/kb"
fi
cd "$WORK"
start_mock_with_config draft
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
start_mock_with_config again
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
