#!/usr/bin/env bash
# Vector tiles: AMIS's OGC API - Tiles MVT against MapServer's WMS GetMap with
# FORMAT=application/vnd.mapbox-vector-tile, on the peers' 64 Web Mercator tiles
# (z5..z8) of the same 200,000 points, interleaved rounds of wrk. AMIS runs with its
# tile cache off, so every request builds its tile.
#
#   bench/mvt.sh          (after bench/run.sh has built /tmp/amis-bench/store.gpkg and
#                          the peers' data; starts MapServer from ../shared/peers)
# env: DURATION=10 ROUNDS=2 PORT=8084 AMIS_BIN=build/release/bin/amis
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PEERS="$ROOT/../shared/peers"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-2}"
PORT="${PORT:-8084}"
AMIS_BIN="${AMIS_BIN:-$ROOT/build/release/bin/amis}"
TILES=/tmp/peers/cases/tiles.txt
STORE=/tmp/amis-bench/store.gpkg
WORK=/tmp/amis-bench/mvt
[ -s "$TILES" ] && [ -s "$STORE" ] || { echo "mvt.sh: run bench/run.sh first (needs $TILES and $STORE)" >&2; exit 2; }
mkdir -p "$WORK"
awk '{printf "/collections/occurrences/tiles/WebMercatorQuad/%s/%s/%s\n", $1, $3, $2}' "$TILES" > "$WORK/amis.urls"
awk '{printf "/mapserv?map=minerals&SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=occurrences&STYLES=&CRS=EPSG:3857&BBOX=%s,%s,%s,%s&WIDTH=256&HEIGHT=256&FORMAT=application/vnd.mapbox-vector-tile\n", $4, $5, $6, $7}' "$TILES" > "$WORK/mapserver.urls"
printf '[server]\nhost = "127.0.0.1"\nlog_level = "warn"\n[tiles]\ncache_max_mb = 0\n' > "$WORK/amis.toml"
"$AMIS_BIN" serve --config "$WORK/amis.toml" --store "$STORE" --port "$PORT" > /dev/null 2>&1 &
AMIS_PID=$!
trap 'kill $AMIS_PID 2>/dev/null || true' EXIT
curl -s -o /dev/null http://127.0.0.1:8081/ 2>/dev/null || "$PEERS/mapserver/start.sh" > "$WORK/mapserver-start.log" 2>&1
sleep 1
run() {  # name base urls
  local out
  out=$(WRK_URLS="$3" wrk -t2 -c8 -d"${DURATION}s" --timeout 30s -s "$ROOT/bench/lib/rotate.lua" "$2" 2>&1)
  echo "$1 $(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '/WRKRESULT/ {print}' | sed 's/.*p99_ms=\([0-9.]*\).*/\1/')"
}
for r in $(seq "$ROUNDS"); do
  run amis "http://127.0.0.1:$PORT" "$WORK/amis.urls"
  run mapserver http://127.0.0.1:8081 "$WORK/mapserver.urls"
done | tee "$WORK/results.txt"
awk '{s[$1] += $2; n[$1]++} END {a = s["amis"] / n["amis"]; m = s["mapserver"] / n["mapserver"];
  printf "MVT z5-z8, 64 tiles of 200k points: AMIS %.1f rps, MapServer %.1f rps: %.2fx\n", a, m, a / m}' "$WORK/results.txt"
