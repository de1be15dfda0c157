#!/usr/bin/env bash
# Approval latency against collection size (issue 14: an approval must not rescan the
# collection): the occurrences of bench/make_data.py (fixed seed) at 10,000 and at
# 1,000,000 points, in a GeoPackage store and in a PostGIS store (a private cluster of
# tests/pg/with_postgres.sh). bench/approvals.py approves N change sets of three changes
# each (a third delete the westernmost point) and times each approval. After the run the
# extent served is checked against ST_Extent (PostGIS) and min/max over the R-tree's
# exact geometries (ogrinfo SQL on the GeoPackage).
#   bench/approvals.sh            N=60 SIZES="10000 1000000" bench/approvals.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z ${AMIS_TEST_PG_DIR:-} ]]; then exec "$ROOT/tests/pg/with_postgres.sh" "$0" "$@"; fi
AMIS_BIN=${AMIS_BIN:-$ROOT/build/release/bin/amis}
WORK=${WORK:-/tmp/amis-bench}
N=${N:-60}
SIZES=${SIZES:-10000 1000000}
mkdir -p "$WORK"
port=${AMIS_TEST_PG_URL##*port=}
psql() { runuser -u postgres -- /usr/bin/psql -X -q -At -h "$AMIS_TEST_PG_DIR" -p "$port" -d amis_test "$@"; }
echo "# $(date -u +%FT%TZ) approvals, amis $AMIS_BIN ($(stat -c '%y' "$AMIS_BIN" | cut -c1-19)), PostgreSQL $(psql -c 'SHOW server_version')"
for size in $SIZES; do
  src=$WORK/points-$size.gpkg
  [ -s "$src" ] || /usr/bin/python3 "$ROOT/bench/make_data.py" "$src" "$size" 1000
  gpkg=$WORK/approvals-$size.gpkg
  rm -f "$gpkg"
  "$AMIS_BIN" import "$src" --collection occurrences --layer occurrences --datetime updated --store "$gpkg" >/dev/null
  psql -c "DELETE FROM amis_collections" -c "DROP SCHEMA IF EXISTS amis_data CASCADE" -c "CREATE SCHEMA amis_data" 2>/dev/null || true
  "$AMIS_BIN" import "$src" --collection occurrences --layer occurrences --datetime updated \
    --store "$AMIS_TEST_PG_URL" >/dev/null
  for store in "$gpkg" "$AMIS_TEST_PG_URL"; do
    kind=gpkg; [[ $store == postgresql* ]] && kind=postgis
    result=$(/usr/bin/python3 "$ROOT/bench/approvals.py" "$AMIS_BIN" "$store" occurrences "$N")
    if [ "$kind" = postgis ]; then
      truth=$(psql -c "SELECT concat_ws(',', ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)) FROM (SELECT ST_Extent(geom) e FROM amis_data.occurrences) s")
    else
      truth=$(ogrinfo -q -ro -dialect SQLITE -sql "SELECT min(ST_MinX(geom)) || ',' || min(ST_MinY(geom)) || ',' || max(ST_MaxX(geom)) || ',' || max(ST_MaxY(geom)) AS e FROM occurrences" "$gpkg" | sed -n 's/.*e (String) = //p')
    fi
    served=$(echo "$result" | /usr/bin/python3 -c 'import json,sys; print(",".join(repr(v) for v in json.load(sys.stdin)["bbox"]))')
    same=$(/usr/bin/python3 -c "import sys; a=[float(v) for v in '$served'.split(',')]; b=[float(v) for v in '$truth'.split(',')]; print('exact' if a==b else 'DIFFERENT')")
    echo "$kind $size points: $result extent $same (served $served, recomputed $truth)"
  done
done
