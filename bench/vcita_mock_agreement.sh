#!/usr/bin/env bash
# The vcita corpus's own recipes against `verity mock` of its specs: how many pass.
#
# A copy of the corpus's workflows (the corpus itself is never written) runs with `verity run
# --include-delete` against a fresh `verity mock` of swagger/ and mcp_swagger/ (seeded; loopback,
# a free port, stopped by its PID), one base URL for the primary and the fallback, every token
# type set to one dummy value. Prints the outcomes of all documents (PASS/WARN/FAIL/ERROR/SKIP, and
# the reasons of those that did not pass), then the same for the subset below, its pass share and
# each of its documents that did not pass, with its reason.
#
# The subset: the recipes that are `verified` and need no server-side fixture.
#   - verified: the frontmatter says `status: verified`, literally (not `pass` or `success`);
#   - needs no server-side fixture: every variable its steps use is a built-in (`{{now_timestamp}}`,
#     `{{random_email}}`, …), one with a `| default:`, the tenant's own id (`business_id`,
#     `business_uid`: the account the token belongs to, not data in it), or extracted by one of
#     the recipe's own steps. A recipe that takes any other id from the environment
#     (`{{staff_id}}`, `{{config.params.client_uid}}`, …) or from nowhere (`{{uid}}`) reads or
#     changes data that must already exist on the server, so a mock cannot stand for it.
#   Data a recipe's prerequisites find through a list (`$.data.services[0].id`) counts as its own:
#   the mock's seeded items stand for it.
#
# Usage: bench/vcita_mock_agreement.sh [--verity BIN] [--corpus DIR] [--seed-items N] [--keep]
#          [--mock-arg ARG]...   (an option of `verity mock`, e.g. --lenient, --no-security-check)
# Without --verity it builds the Release configuration first (tools/build.sh release). Needs jq.
set -euo pipefail
cd "$(dirname "$0")/.."
PROG=vcita_mock_agreement
VERITY="" CORPUS=../shared/corpus/vcita SEED_ITEMS=3 KEEP=0
MOCK_ARGS=()
usage() {
  sed -n '22,24p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --verity) VERITY=$2; shift 2 ;;
    --corpus) CORPUS=$2; shift 2 ;;
    --seed-items) SEED_ITEMS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --mock-arg) MOCK_ARGS+=("$2"); shift 2 ;;
    *) usage ;;
  esac
done
command -v jq >/dev/null || { echo "$PROG: needs jq (tools/setup.sh --bench)" >&2; exit 2; }
# shellcheck source=bench/lib/vcita_mock.sh
. bench/lib/vcita_mock.sh
vcita_init

cp -r "$CORPUS/workflows" "$WORK/kb"
chmod -R u+w "$WORK/kb"
cd "$WORK"

# The subset, one file a line relative to kb/, in subset.txt.
declare -A builtin=()
is_builtin() {
  if [ -z "${builtin[$1]:-}" ]; then
    if "$VERITY" render "{{$1}}" >/dev/null 2>&1; then builtin[$1]=1; else builtin[$1]=0; fi
  fi
  [ "${builtin[$1]}" = 1 ]
}
: >subset.txt
while IFS= read -r file; do
  shown=$("$VERITY" kb show "kb/$file" --json 2>/dev/null) || continue
  [ "$(jq -r '.frontmatter.rawStatus // ""' <<<"$shown")" = verified ] || continue
  fixture=0
  # The root names of the variables the steps use that none of its steps extracts.
  while IFS= read -r name; do
    case "$name" in business_id | business_uid) continue ;; esac
    is_builtin "$name" || { fixture=1; break; }
  done < <(jq -r '[.steps[]?.extract // {} | keys[]] as $extracted
    | .steps[]?.refs[]? | select(.filters | index("default") | not) | .name
    | (if startswith("config.params.") then .[14:] else . end) | split(".")[0]
    | select(. as $n | $extracted | index($n) | not)' <<<"$shown" | sort -u)
  [ "$fixture" = 1 ] || echo "$file" >>subset.txt
done < <(cd kb && find . -name '*.md' ! -name README.md ! -name TEMPLATE.md | sed 's|^\./||' | sort)

start_mock run
{
  echo "default_env: corpus"
  echo "environments:"
  # The tenant's id goes by both names in the recipes, and has the form the specs give it
  # (16 lower-case letters and digits).
  VCITA_BUSINESS=${VCITA_BUSINESS:-benchbusiness001} vcita_environment corpus "$MOCK_URL" "$WORK/kb" |
    sed 's/^\(    params: {business_id: \(.*\)\)}$/\1, business_uid: \2}/'
} >verity.yaml
rc=0
"$VERITY" run --config verity.yaml kb --include-delete --no-write-back --no-history \
  --report-json run.json >run.out 2>run.err || rc=$?
stop_mock
[ "$rc" -le 1 ] || { tail -n 5 run.out run.err >&2; fail "verity run exited with $rc"; }

# One line per document: file (relative to kb/), status, reason.
jq -r '.results[] | [(.file | sub("^.*?kb/"; "")), .status, (.details.reason // "-")] | @tsv' \
  run.json | sort >outcomes.tsv

in_subset() { awk -F'\t' 'NR == FNR { subset[$0] = 1; next } $1 in subset' subset.txt -; }

# summarize FILTER_FILE_OR_EMPTY TITLE: counts by outcome and the reasons of those not passing.
summarize() {
  local rows
  if [ -n "$1" ]; then rows=$(in_subset <outcomes.tsv); else rows=$(cat outcomes.tsv); fi
  local total pass testable
  total=$(grep -c . <<<"$rows" || true)
  pass=$(awk -F'\t' '$2 == "PASS" || $2 == "WARN"' <<<"$rows" | grep -c . || true)
  testable=$(awk -F'\t' '$2 != "SKIP"' <<<"$rows" | grep -c . || true)
  echo "$2: $total documents"
  cut -f2 <<<"$rows" | sort | uniq -c | sed 's/^ *\([0-9]*\) \(.*\)$/  \2: \1/'
  echo "  passed (PASS or WARN) of those run (not SKIP): $pass of $testable" \
    "($(awk -v p="$pass" -v t="$testable" 'BEGIN { printf "%.1f", t ? 100 * p / t : 0 }') %)"
  echo "  reasons of those run that did not pass:"
  awk -F'\t' '$2 == "FAIL" || $2 == "ERROR" { print $3 }' <<<"$rows" | sort | uniq -c | sort -rn |
    sed 's/^ *\([0-9]*\) \(.*\)$/    \2: \1/'
}
summarize "" "all documents"
summarize subset "verified, no server-side fixture"
echo "  its documents that did not pass:"
in_subset <outcomes.tsv |
  awk -F'\t' '$2 != "PASS" && $2 != "WARN" { printf "    %s %s %s\n", $2, $3, $1 }'
