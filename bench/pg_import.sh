#!/usr/bin/env bash
# `amis import --store postgresql://…` against `ogr2ogr -f PostgreSQL` of the same
# file into the same database: the 200,000-point layer of the bench data
# (bench/make_data.py, fixed seed). Runs alternate (amis, ogr2ogr, amis, ...);
# every run starts from a database without the table; both end with a GiST index
# on the geometry and the data committed. Prints every run, the medians and their
# ratio (ogr2ogr / amis: above 1 is amis faster). Counts are checked with psql.
# PostgreSQL: a private cluster from tests/pg/with_postgres.sh (fsync off there,
# the same for both tools).
#   bench/pg_import.sh            RUNS=5 bench/pg_import.sh
#   AMIS_BIN=build/ci/bin/amis WORK=/tmp/amis-bench LAYER=occurrences bench/pg_import.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z ${AMIS_TEST_PG_DIR:-} ]]; then exec "$ROOT/tests/pg/with_postgres.sh" "$0" "$@"; fi

AMIS_BIN=${AMIS_BIN:-$ROOT/build/release/bin/amis}
WORK=${WORK:-/tmp/amis-bench}
RUNS=${RUNS:-3}
LAYER=${LAYER:-occurrences}
SRC=$WORK/minerals.gpkg
OUT=$WORK/pg-import-bench
mkdir -p "$OUT"
. "$ROOT/bench/lib/timing.sh"
[ -s "$SRC" ] || /usr/bin/python3 "$ROOT/bench/make_data.py" "$SRC" 200000 20000
expected=$(sqlite3 "$SRC" "SELECT count(*) FROM \"$LAYER\"")
port=${AMIS_TEST_PG_URL##*port=}
psql() { runuser -u postgres -- /usr/bin/psql -X -q -At -h "$AMIS_TEST_PG_DIR" -p "$port" -d amis_test "$@"; }
echo "# $(date -u +%FT%TZ) $LAYER ($expected features) of $SRC into PostgreSQL $(psql -c 'SHOW server_version')"
echo "# amis: $AMIS_BIN ($(stat -c '%y' "$AMIS_BIN" | cut -c1-19), sha256 $(sha256sum "$AMIS_BIN" | cut -c1-12)), $(ogr2ogr --version)"

check() {  # qualified table
  local n
  n=$(psql -c "SELECT count(*) FROM $1")
  [ "$n" = "$expected" ] || { echo "FAIL $1 holds $n features, not $expected" >&2; exit 1; }
  psql -c "SELECT count(*) FROM pg_indexes WHERE schemaname || '.' || tablename = '$1' AND indexdef LIKE '%gist%'" |
    grep -qx 1 || { echo "FAIL $1 has no GiST index" >&2; exit 1; }
}
reset() {
  psql -c "DROP TABLE IF EXISTS public.ogr_$LAYER" -c "DELETE FROM amis_collections" \
       -c "DROP SCHEMA IF EXISTS amis_data CASCADE" -c "CREATE SCHEMA amis_data" -c "CHECKPOINT" 2>/dev/null || true
}

ogr_target="PG:host=$AMIS_TEST_PG_DIR port=$port dbname=amis_test user=postgres"
amis_times=() ogr_times=()
"$AMIS_BIN" collections --store "$AMIS_TEST_PG_URL" >/dev/null  # creates AMIS's tables once
for i in $(seq "$RUNS"); do
  reset
  a=$(seconds "$AMIS_BIN" import "$SRC" --collection "$LAYER" --layer "$LAYER" --datetime updated --store "$AMIS_TEST_PG_URL")
  check "amis_data.$LAYER"
  reset
  o=$(seconds ogr2ogr -f PostgreSQL "$ogr_target" "$SRC" "$LAYER" -nln "ogr_$LAYER" -lco GEOMETRY_NAME=geom)
  check "public.ogr_$LAYER"
  echo "run $i: amis ${a} s, ogr2ogr ${o} s"
  amis_times+=("$a") ogr_times+=("$o")
done
ma=$(median "${amis_times[@]}")
mo=$(median "${ogr_times[@]}")
echo "median of $RUNS: amis ${ma} s, ogr2ogr ${mo} s, ogr2ogr/amis $(awk -v a="$ma" -v o="$mo" 'BEGIN { printf "%.2f", o / a }')x"
