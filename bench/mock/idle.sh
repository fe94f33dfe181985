# Sourced by bench/mock/wrk.sh --idle: a new client's latency on each server while idle and
# slow clients are held (bench/idle_attack.cc). The servers, their URLs and the helpers are
# wrk.sh's.
ATTACK=$(realpath "$ATTACK")
names=(verity_quiet)
start_verity verity_quiet -q
if [ "$PRISM" = 1 ]; then
  names+=(prism_quiet)
  start_prism prism_quiet -v error
fi
for name in "${names[@]}"; do pick_url "$name"; done

# The attacker holds twice as many descriptors as it connects; the servers raise their own.
ulimit -n "$(ulimit -Hn)"
declare -A ATTACK_LINE=()
for name in "${names[@]}"; do
  url=${SERVER_GET[$name]}
  port=${url#http://127.0.0.1:}
  port=${port%%/*}
  path=/${url#http://127.0.0.1:*/}
  args=(--port "$port" --path "$path" --idle "$IDLE_CONNS" --slow "$SLOW_CONNS"
    --samples "$SAMPLES")
  for h in "${HEADERS[@]}"; do args+=(--header "$h"); done
  echo "mock: $name: $IDLE_CONNS idle + $SLOW_CONNS slowloris connections, $SAMPLES new clients" >&2
  ATTACK_LINE[$name]=$("$ATTACK" "${args[@]}") || true
  echo "mock:   $name: ${ATTACK_LINE[$name]}" >&2
  kill -0 "${SERVER_PID[$name]}" 2>/dev/null || server_failed "$name" "exited during the attack"
done

get_path=${SERVER_GET[verity_quiet]#http://127.0.0.1:*/}
echo
echo "mock: a new client's GET /$get_path (a new connection each) while $IDLE_CONNS idle" \
  "connections and a slowloris of $SLOW_CONNS are held, $SAMPLES samples"
echo "$(nproc) cores, $(uname -r), $( [ "$PRISM" = 1 ] && echo "node $(node --version), ")$(date -u +%F)"
echo
printf '%-30s %9s %9s %9s %7s %9s %7s\n' server "median ms" "p99 ms" "max ms" failed reopened \
  "RSS MB"
for name in "${names[@]}"; do
  label="verity mock -q"
  [ "$name" = prism_quiet ] && label="Prism $PRISM_VERSION -v error"
  read -r _ n _ median _ p99 _ max _ failed _ reopened <<<"${ATTACK_LINE[$name]:-x 0 x - x - x - x - x -}"
  printf '%-30s %9s %9s %9s %7s %9s %7s\n' "$label" "$median" "$p99" "$max" "$failed" \
    "$reopened" "$(peak_rss_mb "$name")"
done
echo
read -r _ _ _ _ _ p99 _ <<<"${ATTACK_LINE[verity_quiet]:-x x x x x -1 x}"
awk -v p="$p99" 'BEGIN { printf "verity mock -q: goal p99 < 100 ms %s (%s ms)\n",
  (p >= 0 && p < 100 ? "met" : "NOT met"), p }'
