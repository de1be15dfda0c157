#!/usr/bin/env bash
# The HTTP layer under load, on the demo store (real data, fixed):
#  1. compression: bytes and requests/s of GeoJSON (1,000 coal mines) and GML (WFS,
#     1,000 features) with and without Accept-Encoding: gzip, interleaved in one run;
#  2. connections: wrk with 1,000 connections on one-feature requests: errors and
#     non-2xx answers, requests/s; with BASELINE_BIN (an older amis) the same against
#     it in the same run, for a ratio.
# Usage: bench/http.sh            (AMIS_BIN default build/release/bin/amis; DURATION=10)
#        BASELINE_BIN=/path/to/old/amis bench/http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
AMIS_BIN="${AMIS_BIN:-build/release/bin/amis}"
DURATION="${DURATION:-10}"
WORK=/tmp/amis-bench-http
mkdir -p "$WORK"
STORE="$WORK/demo.gpkg"
[ -s "$STORE" ] || AMIS_BIN="$AMIS_BIN" scripts/load-demo.sh "$STORE" >/dev/null
ulimit -n "$(ulimit -Hn)"
# shellcheck source=bench/lib/compression_cases.sh
source bench/lib/compression_cases.sh

start() {  # binary port
  "$1" serve --store "$STORE" --port "$2" >/dev/null 2>"$WORK/serve-$2.log" &
  echo $! >"$WORK/pid-$2"
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$2/" >/dev/null && return; sleep 0.1; done
  echo "server on $2 did not start"; exit 1
}
stop() { kill "$(cat "$WORK/pid-$1")" 2>/dev/null || true; wait "$(cat "$WORK/pid-$1")" 2>/dev/null || true; }
trap 'stop 8095; stop 8096' EXIT

# wrk's summary as "rps transfer_per_s errors non2xx"
wrk_line() {
  local out; out=$(wrk "$@" 2>&1)
  local rps tr errs non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  tr=$(awk '/Transfer\/sec/ {print $2}' <<<"$out")
  errs=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' <<<"$out"); errs=${errs:-0}
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out"); non2xx=${non2xx:-0}
  echo "$rps $tr $errs $non2xx"
}

start "$AMIS_BIN" 8095
B=http://127.0.0.1:8095
echo "## Compression (AMIS_BIN=$AMIS_BIN, ${DURATION}s per run, wrk -t2 -c8)"
compression_table "$B"

echo
echo "## 1,000 concurrent connections, one feature per request (${DURATION}s, wrk -t2 -c1000)"
printf '| server | req/s | socket errors | non-2xx |\n|---|---|---|---|\n'
one="/collections/coal_mines/items/1"
read -r rps _ errs non2xx <<<"$(wrk_line -t2 -c1000 -d"${DURATION}s" --timeout 30s "$B$one")"
echo "| amis ($AMIS_BIN) | $rps | $errs | $non2xx |"
stop 8095
if [ -n "${BASELINE_BIN:-}" ]; then
  start "$BASELINE_BIN" 8096
  read -r rps _ errs non2xx <<<"$(wrk_line -t2 -c1000 -d"${DURATION}s" --timeout 30s "http://127.0.0.1:8096$one")"
  echo "| baseline ($BASELINE_BIN) | $rps | $errs | $non2xx |"
  stop 8096
fi
