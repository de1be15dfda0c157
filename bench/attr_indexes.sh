#!/usr/bin/env bash
# Attribute filters with and without the attribute indexes (issue 22), one server,
# rounds alternated: wrk against each URL with the indexes amis made at serve start,
# then with them dropped by sqlite3 (the server's statements are prepared again on
# the schema change), then made again, ... Prints rps per round and the medians.
#   WORK=/tmp/amis-bench ROUNDS=3 DURATION=10 bench/attr_indexes.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AMIS_BIN=${AMIS_BIN:-$ROOT/build/release/bin/amis}
WORK=${WORK:-/tmp/amis-bench}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
PORT=${PORT:-18093}
SRC=$WORK/minerals.gpkg
STORE=$WORK/attr-indexes.gpkg
[ -s "$SRC" ] || /usr/bin/python3 "$ROOT/bench/make_data.py" "$SRC" 200000 20000
CONFIG=$WORK/attr-indexes.toml
printf '[features.collections.occurrences]\nindexes = ["status", ["commodity", "tonnage_mt"]]\n\n[editing]\ncountry_property = "country_iso3"\n' > "$CONFIG"
rm -f "$STORE" "$STORE-wal" "$STORE-shm"
"$AMIS_BIN" import "$SRC" --collection occurrences --layer occurrences --datetime updated --config "$CONFIG" --store "$STORE"
"$AMIS_BIN" serve --store "$STORE" --config "$CONFIG" --port "$PORT" >/dev/null 2>"$WORK/attr-indexes.log" &
PID=$!
trap 'kill $PID' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.2; done
INDEXES=$(sqlite3 "$STORE" "SELECT sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'amis_occurrences_%'")
echo "# $(date -u +%FT%TZ) $AMIS_BIN; indexes:"; echo "$INDEXES" | sed 's/^/#   /'
declare -A URLS=(
  [cql2_status]="/collections/occurrences/items?f=json&limit=100&filter=status%3D%27mine%27"
  [cql2_attr]="/collections/occurrences/items?f=json&limit=1000&filter=commodity%3D%27Cu%27%20AND%20tonnage_mt%20%3E%2010"
  [iso3_eq]="/collections/occurrences/items?f=json&limit=100&country_iso3=IDN"
)
declare -A RESULTS
rps() { wrk -t2 -c8 -d"${DURATION}s" "http://127.0.0.1:$PORT$1" | awk '/Requests\/sec/ { print $2 }'; }
for round in $(seq "$ROUNDS"); do
  for state in with without; do
    if [ "$state" = without ]; then
      sqlite3 "$STORE" "$(sqlite3 "$STORE" "SELECT 'DROP INDEX \"' || name || '\";' FROM sqlite_master WHERE type = 'index' AND name LIKE 'amis_occurrences_%'")"
    else
      sqlite3 "$STORE" "$(echo "$INDEXES" | sed 's/^CREATE INDEX/CREATE INDEX IF NOT EXISTS/; s/$/;/')"
    fi
    for name in "${!URLS[@]}"; do
      r=$(rps "${URLS[$name]}")
      RESULTS[$name.$state]="${RESULTS[$name.$state]:-} $r"
      echo "round $round $state indexes: $name $r rps"
    done
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for name in "${!URLS[@]}"; do
  w=$(median ${RESULTS[$name.with]}); wo=$(median ${RESULTS[$name.without]})
  echo "median $name: with ${w} rps, without ${wo} rps, $(awk -v a="$w" -v b="$wo" 'BEGIN { printf "%.1f", a / b }')x"
done
