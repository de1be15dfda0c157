#!/usr/bin/env bash
# `amis store copy` throughput, both ways, on a collection of 1,000,000 points (the
# occurrences layer of bench/make_data.py, fixed seed; 1,000 licence polygons beside
# it): GeoPackage -> PostGIS, then PostGIS -> GeoPackage. Runs alternate; every PostGIS
# copy replaces the database's store (--replace), every GeoPackage copy writes a new
# file. Prints each run, the medians and the features per second; the counts of the
# copies are checked with sqlite3 and psql, the fids' checksum too.
# PostgreSQL: a private cluster from tests/pg/with_postgres.sh (fsync off there).
#   bench/store_copy.sh          RUNS=5 N=1000000 AMIS_BIN=build/ci/bin/amis bench/store_copy.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z ${AMIS_TEST_PG_DIR:-} ]]; then exec "$ROOT/tests/pg/with_postgres.sh" "$0" "$@"; fi

AMIS_BIN=${AMIS_BIN:-$ROOT/build/release/bin/amis}
WORK=${WORK:-/tmp/amis-bench}
RUNS=${RUNS:-3}
N=${N:-1000000}
SRC=$WORK/points-$N.gpkg
STORE=$WORK/store-copy-$N.gpkg
BACK=$WORK/store-copy-$N-back.gpkg
OUT=$WORK/store-copy-bench
mkdir -p "$OUT"
. "$ROOT/bench/lib/timing.sh"
[ -s "$SRC" ] || /usr/bin/python3 "$ROOT/bench/make_data.py" "$SRC" "$N" 1000
if [ ! -s "$STORE" ]; then
  "$AMIS_BIN" import "$SRC" --collection occurrences --layer occurrences --datetime updated --store "$STORE" >/dev/null
  "$AMIS_BIN" import "$SRC" --collection licences --layer licences --store "$STORE" >/dev/null
fi
port=${AMIS_TEST_PG_URL##*port=}
psql() { runuser -u postgres -- /usr/bin/psql -X -q -At -h "$AMIS_TEST_PG_DIR" -p "$port" -d amis_test "$@"; }
expected=$(sqlite3 "$STORE" "SELECT count(*), sum(fid) FROM occurrences")
mb=$(du -m "$STORE" | cut -f1)
echo "# $(date -u +%FT%TZ) store copy of $STORE ($mb MB; occurrences: count, sum(fid) = $expected) with PostgreSQL $(psql -c 'SHOW server_version')"
echo "# amis: $AMIS_BIN ($(stat -c '%y' "$AMIS_BIN" | cut -c1-19), sha256 $(sha256sum "$AMIS_BIN" | cut -c1-12))"

to_pg=() to_gpkg=()
for i in $(seq "$RUNS"); do
  a=$(seconds "$AMIS_BIN" store copy "$STORE" "$AMIS_TEST_PG_URL" --replace)
  got=$(psql -c "SELECT count(*) || '|' || sum(fid) FROM amis_data.occurrences")
  [ "$got" = "$expected" ] || { echo "FAIL PostGIS holds $got, not $expected" >&2; exit 1; }
  rm -f "$BACK" "$BACK-wal" "$BACK-shm"
  b=$(seconds "$AMIS_BIN" store copy "$AMIS_TEST_PG_URL" "$BACK")
  got=$(sqlite3 "$BACK" "SELECT count(*), sum(fid) FROM occurrences")
  [ "$got" = "$expected" ] || { echo "FAIL the GeoPackage copy holds $got, not $expected" >&2; exit 1; }
  echo "run $i: GeoPackage -> PostGIS ${a} s, PostGIS -> GeoPackage ${b} s"
  to_pg+=("$a") to_gpkg+=("$b")
done
ma=$(median "${to_pg[@]}")
mb2=$(median "${to_gpkg[@]}")
n=$(echo "$expected" | cut -d'|' -f1)
echo "median of $RUNS: GeoPackage -> PostGIS ${ma} s ($(awk -v n="$n" -v t="$ma" 'BEGIN { printf "%.0f", n / t }') features/s)," \
     "PostGIS -> GeoPackage ${mb2} s ($(awk -v n="$n" -v t="$mb2" 'BEGIN { printf "%.0f", n / t }') features/s)"
