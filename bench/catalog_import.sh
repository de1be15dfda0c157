#!/usr/bin/env bash
# `amis catalog import` of N generated ISO 19139 documents (../shared/bench/make_iso_records.py,
# deterministic: uuid5 ids, fixed seed): each document parsed without a DTD, validated against
# the ISO 19139 schemas and written into a new catalogue, RUNS times. Prints every run's
# records/s and the median; checks the record count with sqlite3 each time.
#   bench/catalog_import.sh                 N=100000 RUNS=3 bench/catalog_import.sh
#   AMIS_BIN=... WORK=/tmp/amis-catalog-bench THREADS=2 bench/catalog_import.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AMIS_BIN=${AMIS_BIN:-$ROOT/build/release/bin/amis}
WORK=${WORK:-/tmp/amis-catalog-bench}
N=${N:-100000}
RUNS=${RUNS:-3}
THREADS=${THREADS:-0}
GENERATOR=${GENERATOR:-$ROOT/../shared/bench/make_iso_records.py}
SRC=$WORK/iso-$N
mkdir -p "$WORK"
if [ "$(find "$SRC/records" -name '*.xml' 2>/dev/null | wc -l)" != "$N" ]; then
  rm -rf "$SRC"
  python3 "$GENERATOR" --no-load -n "$N" --out "$SRC" >/dev/null
fi
echo "# $(date -u +%FT%TZ) $N ISO 19139 documents ($(du -sh "$SRC/records" | cut -f1)) from $GENERATOR"
echo "# amis: $AMIS_BIN ($(stat -c '%y' "$AMIS_BIN" | cut -c1-19)), $(nproc) processors, threads=${THREADS/#0/all}"
rates=()
for i in $(seq "$RUNS"); do
  rm -f "$WORK"/catalog.gpkg*
  sync
  t0=$(date +%s.%N)
  "$AMIS_BIN" catalog import "$SRC/records" --threads "$THREADS" --store "$WORK/catalog.gpkg" >/dev/null
  t1=$(date +%s.%N)
  n=$(sqlite3 "$WORK/catalog.gpkg" "SELECT count(*) FROM amis_records")
  [ "$n" = "$N" ] || { echo "FAIL the catalogue holds $n records, not $N" >&2; exit 1; }
  rate=$(awk -v a="$t0" -v b="$t1" -v n="$N" 'BEGIN { printf "%.0f", n / (b - a) }')
  echo "run $i: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s, $rate records/s (wall, whole command)"
  rates+=("$rate")
done
median=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
echo "median: $median records/s (goal: >= 2000)"
