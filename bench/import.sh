#!/usr/bin/env bash
# `amis import` against `ogr2ogr -f GPKG` on the 200,000-point layer of the bench
# data (bench/make_data.py, fixed seed), each into a new file, runs alternated
# (amis, ogr2ogr, amis, ...) so both see the same load on a shared machine.
# Prints every run, the medians and their ratio (ogr2ogr / amis: above 1 is
# amis faster). Each run's feature count is checked with sqlite3.
#   bench/import.sh                  RUNS=5 bench/import.sh
#   AMIS_BIN=... WORK=/tmp/amis-bench LAYER=occurrences bench/import.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AMIS_BIN=${AMIS_BIN:-$ROOT/build/release/bin/amis}
WORK=${WORK:-/tmp/amis-bench}
RUNS=${RUNS:-3}
LAYER=${LAYER:-occurrences}
SRC=$WORK/minerals.gpkg
OUT=$WORK/import-bench
mkdir -p "$OUT"
. "$ROOT/bench/lib/timing.sh"
[ -s "$SRC" ] || /usr/bin/python3 "$ROOT/bench/make_data.py" "$SRC" 200000 20000
expected=$(sqlite3 "$SRC" "SELECT count(*) FROM \"$LAYER\"")
echo "# $(date -u +%FT%TZ) $LAYER ($expected features) of $SRC"
echo "# amis: $AMIS_BIN ($(stat -c '%y' "$AMIS_BIN" | cut -c1-19), sha256 $(sha256sum "$AMIS_BIN" | cut -c1-12)), $(ogr2ogr --version)"

check() {  # file table
  local n
  n=$(sqlite3 "$1" "SELECT count(*) FROM \"$2\"")
  [ "$n" = "$expected" ] || { echo "FAIL $1 holds $n features, not $expected" >&2; exit 1; }
}

amis_times=() ogr_times=()
for i in $(seq "$RUNS"); do
  rm -f "$OUT"/amis.gpkg* "$OUT"/ogr.gpkg*
  a=$(seconds "$AMIS_BIN" import "$SRC" --collection "$LAYER" --layer "$LAYER" --datetime updated --store "$OUT/amis.gpkg")
  check "$OUT/amis.gpkg" "$LAYER"
  o=$(seconds ogr2ogr -f GPKG "$OUT/ogr.gpkg" "$SRC" "$LAYER")
  check "$OUT/ogr.gpkg" "$LAYER"
  echo "run $i: amis ${a} s, ogr2ogr ${o} s"
  amis_times+=("$a") ogr_times+=("$o")
done
ma=$(median "${amis_times[@]}")
mo=$(median "${ogr_times[@]}")
echo "median of $RUNS: amis ${ma} s, ogr2ogr ${mo} s, ogr2ogr/amis $(awk -v a="$ma" -v o="$mo" 'BEGIN { printf "%.2f", o / a }')x"
rm -f "$OUT"/amis.gpkg* "$OUT"/ogr.gpkg*
