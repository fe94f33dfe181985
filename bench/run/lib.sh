# shellcheck shell=bash
# Shared by the runner benchmark (bench/run/chain3.sh) and the comparison with the Node.js tools
# (bench/compare/run.sh): the canned nginx server, the chain3 knowledge base, measuring a command,
# medians and the table. The caller sets PROG (its name in messages) and MEASURE (verity_measure)
# and calls bench_init first.

BENCH_RUN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NGINX_PID=""
BENCH_WORK=""
BENCH_KEEP=0

bench_fail() {
  echo "$PROG: $*" >&2
  exit 1
}

# Debian puts nginx in /usr/sbin, which is not on a normal user's PATH.
bench_find_nginx() {
  if command -v nginx; then return 0; fi
  if [ -x /usr/sbin/nginx ]; then echo /usr/sbin/nginx; return 0; fi
  return 1
}

# bench_require COMMAND...: nginx and the given commands, or the install line and exit 2. The
# benchmark never installs anything itself.
bench_require() {
  local missing=() tool
  NGINX=$(bench_find_nginx) || missing+=(nginx-light)
  for tool in "$@"; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "$PROG: missing ${missing[*]}. Install the benchmark's packages with" >&2
    echo "  tools/setup.sh --bench      (Debian: nginx-light wrk curl, and npm)" >&2
    exit 2
  fi
}

# bench_init: the work folder (removed on exit unless BENCH_KEEP=1) and the exit trap that stops
# the server. Sets BENCH_WORK.
bench_init() {
  BENCH_WORK=$(mktemp -d "${TMPDIR:-/tmp}/verity-$PROG.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  bench_stop_nginx
  if [ -n "$BENCH_WORK" ]; then
    if [ "$BENCH_KEEP" = 1 ]; then
      echo "$PROG: kept $BENCH_WORK" >&2
    else
      rm -rf "$BENCH_WORK"
    fi
  fi
}

# bench_start_nginx: the canned API on 127.0.0.1, a free port, as the current user, in the
# foreground of a background job so that its PID is ours to stop. Sets BENCH_URL.
bench_start_nginx() {
  local dir="$BENCH_WORK/nginx" port _try _wait
  mkdir -p "$dir/logs" "$dir/tmp"
  for _try in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    # Something answers there already: another port.
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
    sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" "$BENCH_RUN_DIR/nginx.conf.in" >"$dir/nginx.conf"
    "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" &
    NGINX_PID=$!
    for _wait in $(seq 50); do
      if curl -fsS -o /dev/null "http://127.0.0.1:$port/status" 2>/dev/null; then
        BENCH_URL="http://127.0.0.1:$port"
        return 0
      fi
      # Gone: the port was taken between the check and the bind.
      kill -0 "$NGINX_PID" 2>/dev/null || break
      sleep 0.1
    done
    bench_stop_nginx
  done
  cat "$dir/logs/error.log" >&2 || true
  bench_fail "nginx did not start"
}

bench_stop_nginx() {
  if [ -n "$NGINX_PID" ]; then
    kill "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=""
  fi
}

# "ACCEPTS REQUESTS": nginx's counters, this query included.
bench_server_counts() {
  curl -fsS "$BENCH_URL/status" | awk 'NR == 3 { print $1, $3 }'
}

# bench_make_kb DIR COUNT: COUNT chain3 documents, each its own endpoint (/t/NNNN/clients/{id}),
# so that the runner's plan sees COUNT resources and orders none after another.
bench_make_kb() {
  local dir=$1 count=$2 template n i
  template=$(<"$BENCH_RUN_DIR/chain3.md.in")
  mkdir -p "$dir"
  for ((i = 0; i < count; i++)); do
    printf -v n '%04d' "$i"
    printf '%s\n' "${template//@N@/$n}" >"$dir/get_t_${n}_clients_id.md"
  done
}

# bench_make_config FILE KB_DIR: the run configuration; the URL and the token come from the
# command line (--base-url, --token-env).
bench_make_config() {
  cat >"$1" <<EOF
environments:
  bench:
    base_url: http://127.0.0.1:9
    knowledge_base: $2
EOF
}

# bench_measure NAME EXPECTED CMD...: runs CMD once under verity_measure, its output in
# BENCH_WORK/NAME.out and .err, and appends "WALL USER SYS RSS_KB CONNECTIONS REQUESTS" to
# BENCH_WORK/NAME.runs. Connections and requests are what the server counted. A command that
# fails, or a server that saw other than EXPECTED requests ("-": any), stops the benchmark: a
# failed run must never be reported as a fast one.
bench_measure() {
  local name=$1 expected=$2 before after rc=0 a0 r0 a1 r1 conns reqs
  shift 2
  before=$(bench_server_counts)
  "$MEASURE" --out "$BENCH_WORK/measure.txt" -- "$@" >"$BENCH_WORK/$name.out" \
    2>"$BENCH_WORK/$name.err" || rc=$?
  after=$(bench_server_counts)
  if [ "$rc" -ne 0 ]; then
    tail -n 15 "$BENCH_WORK/$name.out" "$BENCH_WORK/$name.err" >&2
    bench_fail "$name exited with status $rc"
  fi
  read -r a0 r0 <<<"$before"
  read -r a1 r1 <<<"$after"
  # The second status query is one connection and one request of its own.
  conns=$((a1 - a0 - 1))
  reqs=$((r1 - r0 - 1))
  if [ "$expected" != - ] && [ "$reqs" -ne "$expected" ]; then
    bench_fail "$name: the server saw $reqs requests, expected $expected"
  fi
  echo "$(cat "$BENCH_WORK/measure.txt") $conns $reqs" >>"$BENCH_WORK/$name.runs"
}

# The median of a[1..n] (an insertion sort: a handful of runs), for the awk programs of the
# benchmarks' statistics.
BENCH_AWK_MEDIAN='
    function median(a, n,    i, j, t) {
      for (i = 2; i <= n; i++) {
        t = a[i]
        for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
        a[j + 1] = t
      }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }

'

# bench_stats NAME: "WALL CPU RSS_KB CONNECTIONS REQUESTS RUNS", each the median over the runs
# (CPU is user + system of each run).
bench_stats() {
  awk "$BENCH_AWK_MEDIAN"'
    { w[NR] = $1; c[NR] = $2 + $3; r[NR] = $4; k[NR] = $5; q[NR] = $6 }
    END {
      printf "%.6f %.6f %d %d %d %d\n", median(w, NR), median(c, NR), median(r, NR),
        median(k, NR), median(q, NR), NR
    }' "$BENCH_WORK/$1.runs"
}

bench_table_header() {
  printf '%-34s %5s %8s %8s %8s %9s %8s %6s %6s %9s\n' "tool" "conc" "requests" "wall s" \
    "CPU s" "RSS MB" "req/s" "µs/req" "conns" "$1"
}

# bench_table_row LABEL CONC NAME [REF_NAME]: one line from NAME's medians; the last column is
# NAME's time per request over REF_NAME's ("-" without one).
bench_table_row() {
  local label=$1 conc=$2 ref="-"
  local wall cpu rss conns reqs
  read -r wall cpu rss conns reqs _ <<<"$(bench_stats "$3")"
  if [ -n "${4:-}" ]; then
    ref=$(bench_stats "$4" | awk -v w="$wall" -v q="$reqs" '{ printf "%.2f", (w / q) / ($1 / $5) }')
  fi
  awk -v l="$label" -v c="$conc" -v q="$reqs" -v w="$wall" -v u="$cpu" -v r="$rss" -v k="$conns" \
    -v x="$ref" 'BEGIN {
      printf "%-34s %5s %8d %8.3f %8.3f %9.1f %8.0f %6.1f %6d %9s\n", l, c, q, w, u, r / 1024,
        q / w, w * 1e6 / q, k, x
    }'
}
