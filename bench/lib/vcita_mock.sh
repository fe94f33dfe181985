# shellcheck shell=bash
# Shared by the benchmarks that run Verity against `verity mock` serving the vcita corpus
# (bench/derive.sh, bench/vcita_drafts.sh): the checks of VERITY and CORPUS, the work folder and
# its removal, and the mock, fresh for each run (loopback, a free port, stopped by its PID). The
# caller sets PROG, VERITY (empty: build the Release configuration), CORPUS, SEED_ITEMS and KEEP,
# defines `usage`, and calls vcita_init.

fail() {
  echo "$PROG: $*" >&2
  exit 1
}

MOCK_PID=""
MOCK_ARGS=("${MOCK_ARGS[@]+"${MOCK_ARGS[@]}"}")
stop_mock() {
  if [ -n "$MOCK_PID" ]; then
    kill "$MOCK_PID" 2>/dev/null || true
    wait "$MOCK_PID" 2>/dev/null || true
    MOCK_PID=""
  fi
}

vcita_cleanup() {
  stop_mock
  if [ "$KEEP" = 1 ]; then echo "$PROG: kept $WORK" >&2; else rm -rf "$WORK"; fi
}

# vcita_init: resolves VERITY and CORPUS to absolute paths, makes WORK, removes it (and stops the
# mock) on exit.
vcita_init() {
  if [ -z "$VERITY" ]; then
    tools/build.sh release --target verity >/dev/null
    VERITY=build/release/src/verity
  fi
  [ -x "$VERITY" ] || usage
  local folder
  for folder in swagger mcp_swagger workflows; do
    [ -d "$CORPUS/$folder" ] || fail "$CORPUS has no $folder/"
  done
  VERITY=$(realpath "$VERITY") CORPUS=$(realpath "$CORPUS")
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/verity-$PROG.XXXXXX")
  trap vcita_cleanup EXIT
  trap 'exit 130' INT TERM
  # Any well-formed bearer token passes the mock's security checks; one dummy value for every
  # token type the corpus's recipes name. Read from the environment, never printed.
  export VERITY_BENCH_TOKEN=${VERITY_BENCH_TOKEN:-bench-dummy-token}
}

# start_mock NAME: a fresh mock (with the options in the MOCK_ARGS array, when the caller sets it) of the corpus's swagger/ and mcp_swagger/ on 127.0.0.1 (--port 0:
# it picks a free port and prints it first on stdout), its access log in WORK/NAME.mock.log.
# Sets MOCK_URL.
start_mock() {
  local out="$WORK/$1.mock.out" _wait
  "$VERITY" mock "$CORPUS/swagger" "$CORPUS/mcp_swagger" --port 0 --seed-items "$SEED_ITEMS" \
    "${MOCK_ARGS[@]}" >"$out" 2>"$WORK/$1.mock.log" &
  MOCK_PID=$!
  for _wait in $(seq 200); do
    MOCK_URL=$(head -n 1 "$out" 2>/dev/null || true)
    if [[ "$MOCK_URL" == http://127.0.0.1:* ]]; then return 0; fi
    kill -0 "$MOCK_PID" 2>/dev/null || break
    sleep 0.05
  done
  tail -n 5 "$WORK/$1.mock.log" >&2 || true
  fail "the mock did not start"
}

# vcita_environment NAME URL KB [SPEC_ROOT]: one environment of a verity.yaml for the corpus on
# the mock at URL, printed. The corpus's recipes are written for vcita's habits (token types in
# prose, the fallback base), so it uses its conventions; the mock serves every path on one port,
# so it is the fallback too. No rate limit: a local mock.
vcita_environment() {
  local token
  echo "  $1:"
  echo "    base_url: $2"
  echo "    fallback_url: $2"
  echo "    knowledge_base: $3"
  echo "    spec_root: ${4:-$CORPUS}"
  echo "    params: {business_id: ${VCITA_BUSINESS:-bench-business}}"
  echo "    timeout: 5s"
  echo "    rate_limit: 'off'"
  echo "    max_retries: 0"
  echo "    conventions: [vcita]"
  echo "    default_token: staff"
  echo "    tokens:"
  for token in staff directory client admin app; do
    echo "      $token: {env: VERITY_BENCH_TOKEN}"
  done
}
