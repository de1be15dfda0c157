#!/usr/bin/env bash
# gzip over a link of limited bandwidth, as users on slow links have it: amis serves the
# demo store inside a network namespace reached through a veth pair shaped by tc (tbf) to
# LINK_MBIT (default 100) megabit/s with LINK_DELAY_MS (default 20) ms of latency each way
# (bandwidth only where the kernel has no netem);
# wrk asks for 1,000 coal mines as GeoJSON and as GML, with and without gzip, alternated.
# Needs root (ip netns, tc). Usage: LINK_MBIT=20 bench/http_link.sh
set -euo pipefail
cd "$(dirname "$0")/.."
AMIS_BIN="$(realpath "${AMIS_BIN:-build/release/bin/amis}")"
DURATION="${DURATION:-10}"
MBIT="${LINK_MBIT:-100}"
DELAY="${LINK_DELAY_MS:-20}"
WORK=/tmp/amis-bench-http
NS=amisbench
mkdir -p "$WORK"
# shellcheck source=bench/lib/compression_cases.sh
source bench/lib/compression_cases.sh
STORE="$WORK/demo.gpkg"
[ -s "$STORE" ] || AMIS_BIN="$AMIS_BIN" scripts/load-demo.sh "$STORE" >/dev/null

cleanup() {
  [ -f "$WORK/link.pid" ] && kill "$(cat "$WORK/link.pid")" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  ip link del amisb0 2>/dev/null || true
}
trap cleanup EXIT
cleanup
ip netns add "$NS"
ip link add amisb0 type veth peer name amisb1
ip link set amisb1 netns "$NS"
ip addr add 10.231.0.1/24 dev amisb0 && ip link set amisb0 up
ip netns exec "$NS" ip addr add 10.231.0.2/24 dev amisb1
ip netns exec "$NS" ip link set amisb1 up
ip netns exec "$NS" ip link set lo up
for side in "" "ip netns exec $NS"; do
  dev=$([ -z "$side" ] && echo amisb0 || echo amisb1)
  if [ "$DELAY" -gt 0 ] && $side tc qdisc add dev "$dev" root handle 1: netem delay "${DELAY}ms" 2>/dev/null; then
    $side tc qdisc add dev "$dev" parent 1: handle 2: tbf rate "${MBIT}mbit" burst 64kb latency 400ms
  else  # a kernel without sch_netem: bandwidth only
    DELAY=0
    $side tc qdisc add dev "$dev" root tbf rate "${MBIT}mbit" burst 64kb latency 400ms
  fi
done
ip netns exec "$NS" "$AMIS_BIN" serve --store "$STORE" --port 8080 >/dev/null 2>"$WORK/link-serve.log" &
echo $! >"$WORK/link.pid"
B=http://10.231.0.2:8080
for _ in $(seq 100); do curl -sf "$B/" >/dev/null && break; sleep 0.1; done

echo "## gzip on a ${MBIT} Mbit/s link with ${DELAY} ms each way (${DURATION}s per run, wrk -t2 -c8, AMIS_BIN=$AMIS_BIN)"
compression_table "$B"
