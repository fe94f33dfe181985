#!/usr/bin/env bash
# The mock benchmark: wrk against `verity mock` on one small GET, beside Stoplight Prism serving the
# same spec, both on 127.0.0.1 and started by the script on free ports.
#   - Verity: `verity mock SPEC --host 127.0.0.1 --port 0 --seed 1`, once as it starts by default
#     (an access log line per request on stderr) and once with -q; the port comes from the first
#     line of its standard output. Prism: `prism mock SPEC -h 127.0.0.1 -p PORT`, at the version
#     bench/mock/package-lock.json pins (5.14.2, the last that runs on Node.js below 24), installed
#     with `npm ci` into a temporary folder (or --install-dir, kept and reused while the lock is
#     unchanged). Prism runs twice: as it starts by default (three log lines per request), and
#     with -v error (its fastest: no request log). The ratios are to Prism with the same logging.
#   - The same GET for every server: --path (a spec path, /clients by default), or the path with
#     the base path of the spec's first server URL added or removed when the server answers only
#     that. Each must answer 200 before it is measured; --header adds a header to every request
#     (an Authorization header for a spec with security).
#   - Each server is warmed up, then measured by `wrk -t2 -c8 -d S --latency`, interleaved with the
#     others, R times; the table has the medians of requests/s and of the 99th-percentile latency,
#     the server's CPU (user + system, share of one core) and peak RSS. A run with a non-2xx
#     answer, a socket error or no request at all stops the benchmark.
#   - With --idle ATTACK_BIN (tools/bench.sh --mock-idle) no wrk runs: instead ATTACK_BIN
#     (bench/idle_attack.cc) holds --idle-connections idle connections and a slowloris of --slow
#     connections on each server (reopening those the server closes, as an attacker would) and
#     measures --samples requests of a new client, each on a new connection, 20 ms apart (so they
#     span the servers' idle and head timeouts); the table has their median, p99 and max latency.
#     Goal: a p99 under 100 ms.
# Usually started by tools/bench.sh --mock, which builds verity first.
#
# Usage: bench/mock/wrk.sh --verity BIN [--spec FILE] [--path PATH] [--header 'NAME: VALUE']...
#          [--seconds S] [--warmup S] [--repeat R] [--connections C] [--install-dir DIR]
#          [--no-prism] [--keep]
#          [--idle ATTACK_BIN [--idle-connections N] [--slow N] [--samples N]]
#   defaults: --spec examples/specs/swagger/clients/clients.yaml --path /clients --seconds 10
#             --warmup 5 --repeat 3 --connections 8 (and --header none)
set -euo pipefail
PROG=mock
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=bench/run/lib.sh
. "$ROOT/bench/run/lib.sh"

VERITY="" SPEC="$ROOT/examples/specs/swagger/clients/clients.yaml" REQ_PATH=/clients
SECONDS_=10 WARMUP=5 REPEAT=3 CONNS=8 INSTALL_DIR="" PRISM=1
ATTACK="" IDLE_CONNS=2000 SLOW_CONNS=1000 SAMPLES=500
HEADERS=()
usage() {
  sed -n '/^# Usage/,/^set -e/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --verity) VERITY=$2; shift 2 ;;
    --spec) SPEC=$2; shift 2 ;;
    --path) REQ_PATH=$2; shift 2 ;;
    --header) HEADERS+=("$2"); shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --install-dir) INSTALL_DIR=$2; shift 2 ;;
    --no-prism) PRISM=0; shift ;;
    --idle) ATTACK=$2; shift 2 ;;
    --idle-connections) IDLE_CONNS=$2; shift 2 ;;
    --slow) SLOW_CONNS=$2; shift 2 ;;
    --samples) SAMPLES=$2; shift 2 ;;
    --keep) BENCH_KEEP=1; shift ;;
    *) usage ;;
  esac
done
if [ ! -x "$VERITY" ] || [ ! -f "$SPEC" ]; then usage; fi
case "$REQ_PATH" in /*) ;; *) bench_fail "--path must start with /" ;; esac
VERITY=$(realpath "$VERITY") SPEC=$(realpath "$SPEC")

# Like bench_require without nginx: the benchmark never installs anything itself.
missing=()
tools=(curl)
if [ -z "$ATTACK" ]; then tools+=(wrk); fi
if [ "$PRISM" = 1 ]; then tools+=(node npm); fi
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "$PROG: missing ${missing[*]}. Install the benchmark's packages with" >&2
  echo "  tools/setup.sh --bench      (Debian: nginx-light wrk curl, and npm)" >&2
  exit 2
fi

# Nothing but 127.0.0.1 during the runs: no usage reports, no update checks.
export DO_NOT_TRACK=1 NO_UPDATE_NOTIFIER=1
bench_init
SERVER_NAMES=()
declare -A SERVER_PID=() SERVER_URL=()
mock_cleanup() {
  local name
  for name in "${SERVER_NAMES[@]}"; do stop_server "$name"; done
  bench_cleanup
}
trap mock_cleanup EXIT

# ---- Prism -------------------------------------------------------------------------------------

if [ "$PRISM" = 1 ]; then
  npm_dir=${INSTALL_DIR:-$BENCH_WORK/npm}
  mkdir -p "$npm_dir"
  npm_dir=$(cd "$npm_dir" && pwd)
  if [ -d "$npm_dir/node_modules" ] && cmp -s "$ROOT/bench/mock/package-lock.json" \
    "$npm_dir/package-lock.json"; then
    echo "mock: reusing $npm_dir" >&2
  else
    echo "mock: npm ci in $npm_dir" >&2
    rm -rf "$npm_dir/node_modules"
    cp "$ROOT/bench/mock/package.json" "$ROOT/bench/mock/package-lock.json" "$npm_dir/"
    (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
  PRISM_BIN="$npm_dir/node_modules/.bin/prism"
  PRISM_VERSION=$(node -p "require('$npm_dir/node_modules/@stoplight/prism-cli/package.json').version")
fi

# ---- the servers -------------------------------------------------------------------------------

# free_port: a loopback port where nothing answers now (the server may still lose it to another
# process before it binds; start_prism then tries another).
free_port() {
  local port _try
  for _try in $(seq 20); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  bench_fail "no free port"
}

# status URL: the HTTP status of a GET with the benchmark's headers ("000": no answer).
status() {
  local args=() h
  for h in "${HEADERS[@]}"; do args+=(-H "$h"); done
  curl -sS -o "$BENCH_WORK/probe.body" -w '%{http_code}' "${args[@]}" "$1" 2>/dev/null || true
}

# wait_answers NAME URL SECONDS: until the server answers anything at URL; fails when it is gone.
wait_answers() {
  local name=$1 url=$2 _wait
  for _wait in $(seq $(($3 * 10))); do
    if [ "$(status "$url")" != 000 ]; then return 0; fi
    kill -0 "${SERVER_PID[$name]}" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# start_server NAME CMD...: CMD in the background, its output in BENCH_WORK/NAME.log (stdout) and
# .err, its PID ours to stop.
start_server() {
  local name=$1
  shift
  "$@" >"$BENCH_WORK/$name.log" 2>"$BENCH_WORK/$name.err" &
  SERVER_PID[$name]=$!
  SERVER_NAMES+=("$name")
}

stop_server() {
  local pid=${SERVER_PID[$1]:-}
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    SERVER_PID[$1]=""
  fi
}

server_failed() {  # NAME MESSAGE
  tail -n 15 "$BENCH_WORK/$1.log" "$BENCH_WORK/$1.err" >&2 || true
  bench_fail "$1: $2"
}

# start_verity NAME [ARGS...]: --port 0, and the port from the first line of its standard output
# ("http://127.0.0.1:PORT" or "PORT").
start_verity() {
  local name=$1 line="" port _wait
  shift
  start_server "$name" "$VERITY" mock "$SPEC" --host 127.0.0.1 --port 0 --seed 1 "$@"
  for _wait in $(seq 100); do
    line=$(head -n 1 "$BENCH_WORK/$name.log")
    if [ -n "$line" ] && [ "$(wc -l <"$BENCH_WORK/$name.log")" -ge 1 ]; then break; fi
    kill -0 "${SERVER_PID[$name]}" 2>/dev/null || server_failed "$name" "exited at start"
    sleep 0.1
  done
  port=$(printf '%s\n' "$line" | grep -oE '[0-9]+/?$' | tr -d /) ||
    server_failed "$name" "no port on the first line of its output: '$line'"
  SERVER_URL[$name]="http://127.0.0.1:$port"
  wait_answers "$name" "${SERVER_URL[$name]}/" 10 || server_failed "$name" "does not answer"
}

# start_prism NAME [ARGS...]: on a free port; Node.js takes a few seconds to load it.
start_prism() {
  local name=$1 port _try
  shift
  for _try in 1 2 3; do
    port=$(free_port)
    start_server "$name" "$PRISM_BIN" mock "$SPEC" -h 127.0.0.1 -p "$port" "$@"
    SERVER_URL[$name]="http://127.0.0.1:$port"
    if wait_answers "$name" "${SERVER_URL[$name]}/" 60; then return 0; fi
    # Gone: the port was taken between the check and the bind.
    kill -0 "${SERVER_PID[$name]}" 2>/dev/null && server_failed "$name" "does not answer"
    stop_server "$name"
  done
  server_failed "$name" "did not start"
}

# The base path of the spec's first server URL ("/platform/v1"), or nothing: some mocks serve the
# spec's paths under it, others without it. YAML's top-level servers: list, or JSON's "servers".
spec_base_path() {
  local url
  url=$(awk '/^servers:/ { s = 1; next } s && /^[^ -]/ { exit }
             s && /url:/ { sub(/.*url: */, ""); gsub(/["'\'' ]/, ""); print; exit }' "$SPEC")
  if [ -z "$url" ]; then
    url=$(tr -d '\n' <"$SPEC" | grep -oE '"servers" *: *\[ *\{[^}]*"url" *: *"[^"]*"' |
      head -n 1 | sed -E 's/.*"url" *: *"([^"]*)"/\1/') || true
  fi
  printf '%s\n' "$url" | sed -E 's|^[a-z]+://[^/]*||; s|/+$||'
}
BASE=$(spec_base_path)

# pick_url NAME: the URL that NAME answers 200 on, from --path, with the base path added, or with it
# removed; sets SERVER_GET[NAME]. Another status stops the benchmark.
declare -A SERVER_GET=()
pick_url() {
  local name=$1 candidates=("$REQ_PATH") path code tried=""
  if [ -n "$BASE" ]; then
    case "$REQ_PATH" in
      "$BASE"/*) candidates+=("${REQ_PATH#"$BASE"}") ;;
      *) candidates+=("$BASE$REQ_PATH") ;;
    esac
  fi
  for path in "${candidates[@]}"; do
    code=$(status "${SERVER_URL[$name]}$path")
    if [ "$code" = 200 ]; then
      SERVER_GET[$name]="${SERVER_URL[$name]}$path"
      echo "mock: $name answers 200 on GET $path ($(wc -c <"$BENCH_WORK/probe.body") bytes)" >&2
      cp "$BENCH_WORK/probe.body" "$BENCH_WORK/$name.body"
      return 0
    fi
    tried+="${tried:+, }GET $path: $code"
  done
  server_failed "$name" "no 200 ($tried)"
}

# ---- measuring ---------------------------------------------------------------------------------

cpu_ticks() {  # PID: user + system clock ticks of the process so far
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

wrk_args() {
  local h
  WRK_ARGS=(-t2 -c"$CONNS")
  for h in "${HEADERS[@]}"; do WRK_ARGS+=(-H "$h"); done
}
wrk_args

# measure NAME SECONDS RUN: one wrk run; its output in BENCH_WORK/NAME.RUN.wrk, and
# "REQ_PER_S P99_MS P50_MS CPU_SHARE" appended to BENCH_WORK/NAME.runs (RUN "warmup": nothing).
measure() {
  local name=$1 secs=$2 run=$3 pid=${SERVER_PID[$1]} out t0 t1 hz line
  out="$BENCH_WORK/$name.$run.wrk"
  t0=$(cpu_ticks "$pid")
  wrk "${WRK_ARGS[@]}" -d"${secs}s" --latency "${SERVER_GET[$name]}" >"$out" 2>&1 ||
    { cat "$out" >&2; bench_fail "$name: wrk failed"; }
  t1=$(cpu_ticks "$pid")
  kill -0 "$pid" 2>/dev/null || server_failed "$name" "exited during the run"
  if grep -qE 'Non-2xx|Socket errors' "$out"; then
    cat "$out" >&2
    bench_fail "$name ($run): non-2xx answers or socket errors"
  fi
  [ "$run" = warmup ] && return 0
  hz=$(getconf CLK_TCK)
  line=$(awk -v cpu=$((t1 - t0)) -v hz="$hz" -v secs="$secs" '
    function ms(v) {
      if (v ~ /us$/) return v / 1000
      if (v ~ /ms$/) return v + 0
      if (v ~ /m$/) return v * 60000
      if (v ~ /s$/) return v * 1000
      return -1
    }
    / 50%/ { p50 = ms($2) } / 99%/ { p99 = ms($2) }
    /Requests\/sec/ { rps = $2 }
    / requests in / { n = $1 }
    END {
      if (!n || !rps || p99 < 0) exit 1
      printf "%s %.3f %.3f %.3f\n", rps, p99, p50, cpu / hz / secs
    }' "$out") || { cat "$out" >&2; bench_fail "$name: cannot read wrk's output"; }
  echo "$line" >>"$BENCH_WORK/$name.runs"
  echo "mock:   $name: $(cut -d' ' -f1 <<<"$line") req/s, p99 $(cut -d' ' -f2 <<<"$line") ms" >&2
}

# stats NAME: "REQ_PER_S P99_MS P50_MS CPU_SHARE RUNS", each the median over the runs.
stats() {
  awk "$BENCH_AWK_MEDIAN"'
    { r[NR] = $1; p[NR] = $2; m[NR] = $3; c[NR] = $4 }
    END { printf "%.1f %.3f %.3f %.3f %d\n", median(r, NR), median(p, NR), median(m, NR),
            median(c, NR), NR }' "$BENCH_WORK/$1.runs"
}

peak_rss_mb() {  # NAME
  awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/${SERVER_PID[$1]}/status"
}

# ---- the runs ----------------------------------------------------------------------------------

if [ -n "$ATTACK" ]; then
  # shellcheck source=bench/mock/idle.sh
  . "$ROOT/bench/mock/idle.sh"
  exit 0
fi

names=(verity verity_quiet)
start_verity verity
start_verity verity_quiet -q
if [ "$PRISM" = 1 ]; then
  names+=(prism prism_quiet)
  start_prism prism
  start_prism prism_quiet -v error
fi
for name in "${names[@]}"; do pick_url "$name"; done

# What the servers log from here on is about the measured GET alone (the probes above asked for /).
declare -A LOG_FROM=() ERR_FROM=()
for name in "${names[@]}"; do
  LOG_FROM[$name]=$(wc -l <"$BENCH_WORK/$name.log")
  ERR_FROM[$name]=$(wc -l <"$BENCH_WORK/$name.err")
done
echo "mock: warming up, ${WARMUP}s each" >&2
for name in "${names[@]}"; do measure "$name" "$WARMUP" warmup; done
for ((r = 1; r <= REPEAT; r++)); do
  echo "mock: repeat $r/$REPEAT, wrk ${WRK_ARGS[*]} -d${SECONDS_}s" >&2
  # Interleaved, so that a slow moment of the machine spreads over every server.
  for name in "${names[@]}"; do measure "$name" "$SECONDS_" "$r"; done
done
declare -A RSS=()
for name in "${names[@]}"; do RSS[$name]=$(peak_rss_mb "$name"); done

# ---- the table ---------------------------------------------------------------------------------

row() {  # LABEL NAME [REF_NAME]: the last column is NAME's requests/s over REF_NAME's
  local rps p99 p50 cpu ref="-"
  read -r rps p99 p50 cpu _ <<<"$(stats "$2")"
  if [ -n "${3:-}" ]; then
    ref=$(stats "$3" | awk -v r="$rps" '{ printf "%.1f", r / $1 }')
  fi
  awk -v l="$1" -v r="$rps" -v p="$p99" -v m="$p50" -v c="$cpu" -v k="${RSS[$2]}" -v x="$ref" \
    'BEGIN { printf "%-34s %9.0f %8.2f %8.2f %7.0f%% %7.1f %9s\n", l, r, p, m, c * 100, k, x }'
}

get_path=${SERVER_GET[verity]#http://127.0.0.1:*/}
echo
echo "mock: GET /$get_path ($(wc -c <"$BENCH_WORK/verity.body") bytes) from $(basename "$SPEC"), wrk -t2 -c$CONNS," \
  "medians of $REPEAT runs of ${SECONDS_}s after ${WARMUP}s of warm-up"
echo "$(nproc) cores, $(uname -r), $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)," \
  "$( [ "$PRISM" = 1 ] && echo "node $(node --version), ")$(date -u +%F)"
echo
printf '%-34s %9s %8s %8s %8s %7s %9s\n' "server" "req/s" "p99 ms" "p50 ms" "CPU" "RSS MB" \
  "× prism"
if [ "$PRISM" = 1 ]; then
  row "verity mock -q" verity_quiet prism_quiet
  row "Prism $PRISM_VERSION -v error" prism_quiet prism_quiet
  row "verity mock (access log)" verity prism
  row "Prism $PRISM_VERSION (request log)" prism prism
else
  row "verity mock -q" verity_quiet
  row "verity mock (access log)" verity
fi
echo
for name in verity_quiet verity; do
  label="verity mock -q"
  [ "$name" = verity ] && label="verity mock (access log)"
  stats "$name" | awk -v l="$label" '{
    printf "%s: goal ≥ 20 000 req/s %s (%.0f)\n", l, ($1 >= 20000 ? "met" : "NOT met"), $1 }'
  if [ "$PRISM" = 1 ]; then
    ref=prism_quiet
    [ "$name" = verity ] && ref=prism
    paste -d' ' <(stats "$name") <(stats "$ref") | awk -v l="$label" '{
      printf "%s: goal ≥ 10× Prism %s (%.1f× Prism with the same logging)\n", l,
        ($1 >= 10 * $6 ? "met" : "NOT met"), $1 / $6 }'
  fi
done
for name in "${names[@]}"; do
  # Prism logs what it disliked about a request or its own answer as warnings or errors (✖, ⚠);
  # Verity writes warnings on stderr.
  if { tail -n +$((LOG_FROM[$name] + 1)) "$BENCH_WORK/$name.log"
       tail -n +$((ERR_FROM[$name] + 1)) "$BENCH_WORK/$name.err"; } | grep -qiE '✖|⚠|error|warn'; then
    echo "note: $name logged errors or warnings during the runs; see --keep ($BENCH_WORK/$name.*)"
  fi
done
