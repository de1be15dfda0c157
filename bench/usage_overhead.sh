#!/usr/bin/env bash
# What the usage statistics and /metrics cost on the request path (issue 18): two amis
# servers on the same store, one with [usage] and [metrics] enabled and one without both, loaded in turn with wrk,
# ROUNDS times alternated (on/off back to back, so a busy machine hurts both alike).
# Prints each run's requests/s and p99, then the medians and their ratio.
#
#   bench/usage_overhead.sh STORE [PATH...]
# env: AMIS_BIN (default build/ci/bin/amis), DURATION=10 ROUNDS=3 CONNS=16 THREADS=2
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=${1:?usage: bench/usage_overhead.sh STORE [PATH...]}
shift
PATHS=("$@")
[ ${#PATHS[@]} -eq 0 ] && PATHS=("/collections/coal_mines/items?limit=1" "/conformance")
AMIS_BIN=${AMIS_BIN:-build/ci/bin/amis}
DURATION=${DURATION:-10}; ROUNDS=${ROUNDS:-3}; CONNS=${CONNS:-16}; THREADS=${THREADS:-2}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start() {  # name port enabled
  printf '[server]\nlog_level = "warn"\n[usage]\nenabled = %s\nflush_seconds = 30\n[metrics]\nenabled = %s\n' "$3" "$3" > "$work/$1.toml"
  "$AMIS_BIN" serve --store "$STORE" --port "$2" --config "$work/$1.toml" > /dev/null 2> "$work/$1.err" &
  pids+=($!)
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$2/usage" > /dev/null && [ "$3" = true ] && return
    [ "$3" = false ] && curl -sf "http://127.0.0.1:$2/" > /dev/null && return
    sleep 0.1
  done
  cat "$work/$1.err"; exit 1
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ON_PORT=$(free_port); OFF_PORT=$(free_port)
start on "$ON_PORT" true
start off "$OFF_PORT" false

run() {  # port path -> "rps p99ms"
  wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:$1$2" |
    awk '/Non-2xx/ {print "non-2xx answers: " $0 > "/dev/stderr"} /Requests\/sec/ {rps=$2} /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; p99=v} END {printf "%s %.3f\n", rps, p99}'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for path in "${PATHS[@]}"; do
  echo "== $path (wrk -t$THREADS -c$CONNS -d${DURATION}s, $ROUNDS rounds alternated)"
  : > "$work/on"; : > "$work/off"
  for r in $(seq "$ROUNDS"); do
    for mode in on off; do
      port=$([ $mode = on ] && echo "$ON_PORT" || echo "$OFF_PORT")
      result=$(run "$port" "$path")
      echo "$result" >> "$work/$mode"
      echo "round $r usage $mode: $result (req/s p99-ms)"
    done
  done
  on_rps=$(cut -d' ' -f1 "$work/on" | median); off_rps=$(cut -d' ' -f1 "$work/off" | median)
  on_p99=$(cut -d' ' -f2 "$work/on" | median); off_p99=$(cut -d' ' -f2 "$work/off" | median)
  awk -v a="$on_rps" -v b="$off_rps" -v c="$on_p99" -v d="$off_p99" 'BEGIN {
    printf "median req/s: on %.0f off %.0f (throughput cost %.2f%%); median p99: on %.2f ms off %.2f ms (added %.2f ms)\n",
      a, b, 100 * (1 - a / b), c, d, c - d }'
done
echo "usage status after the runs: $(curl -s "http://127.0.0.1:$ON_PORT/usage" | python3 -c "import json, sys; print(json.load(sys.stdin)[\"status\"])")"
