#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for SECONDS (default 60),
# starting from the checked-in seeds. Fails on any crash, leak, sanitizer report or timeout.
# Usage: tools/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
# -O1 with line tables: libFuzzer's usual setting, and half the compile time of -O2 -g.
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG" \
  -DVERITY_FUZZ=ON -DVERITY_BUILD_TESTS=OFF -DVERITY_BUILD_BENCH=OFF >/dev/null
# Every fuzz/NAME_fuzzer.cc is a target (fuzz/CMakeLists.txt declares each).
fuzzers=$(cd fuzz && ls -1 *_fuzzer.cc | sed "s/\.cc$//")
# shellcheck disable=SC2086
cmake --build build/fuzz --target $fuzzers
# One fuzzer per core at a time: each runs for SECONDS of wall time whatever the others do, so
# the whole takes SECONDS x fuzzers / cores (7 fuzzers, 30 s, 2 cores: under 2 minutes, not 3.5).
run_one() {
  local f=$1 work log max_len
  work=$(mktemp -d)
  # The seeds stay untouched: new inputs go to a scratch corpus; crashes go to build/fuzz.
  log="build/fuzz/$f.log"
  # Inputs up to 4 KiB, unless fuzz/NAME.options (libFuzzer's convention) says `max_len = N`.
  max_len=$(sed -nE 's/^max_len *= *([0-9]+)$/\1/p' "fuzz/$f.options" 2>/dev/null || true)
  local status=0
  (cd build/fuzz && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "./fuzz/$f" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="${max_len:-4096}" \
    -print_final_stats=1 "$work" "../../fuzz/seeds/${f%_fuzzer}" >"$f.log" 2>&1) || status=$?
  rm -rf "$work"
  echo "== $f: ${seconds} s"
  if [ "$status" -eq 0 ]; then
    grep -E '^(#[0-9]+.*DONE|Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  else
    cat "$log"
    echo "fuzz: $f failed; the input that failed is in build/fuzz (crash-*, leak-*, timeout-*)" >&2
  fi
  return "$status"
}
failed=0
pids=()
for f in $fuzzers; do
  run_one "$f" >"build/fuzz/$f.out" 2>&1 &
  pids+=("$!:$f")
  if [ "${#pids[@]}" -ge "$(nproc)" ]; then
    entry=${pids[0]}
    pids=("${pids[@]:1}")
    wait "${entry%%:*}" || failed=1
    cat "build/fuzz/${entry#*:}.out"
  fi
done
for entry in "${pids[@]}"; do
  wait "${entry%%:*}" || failed=1
  cat "build/fuzz/${entry#*:}.out"
done
exit "$failed"
