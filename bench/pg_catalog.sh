#!/usr/bin/env bash
# The catalogue on both stores with the same 100,000 ISO 19139 records:
#   bench/pg_catalog.sh [N]     (run from the worktree root, after the ci build)
# ingest records/s through `amis catalog import` into a GeoPackage and into a
# private PostgreSQL (tests/pg/with_postgres.sh), then p50 of q+bbox+datetime.
set -euo pipefail
n=${1:-100000}
amis=$PWD/build/ci/bin/amis
records=/tmp/amis-bench-iso-$n
[[ -d $records/records ]] || /usr/bin/python3 /work/shared/bench/make_iso_records.py --no-load -n "$n" --out "$records" >/dev/null
gpkg=$(mktemp -u /tmp/amis-bench-catalog.XXXXXX.gpkg)
trap 'rm -f "$gpkg" "$gpkg"-wal "$gpkg"-shm' EXIT
echo "GeoPackage:"; "$amis" catalog import "$records/records" --store "$gpkg"
export AMIS_BIN=$amis BENCH_RECORDS=$records BENCH_GPKG=$gpkg
tests/pg/with_postgres.sh bash -c '
  echo "PostGIS:"; "$AMIS_BIN" catalog import "$BENCH_RECORDS/records" --store "$AMIS_TEST_PG_URL"
  /usr/bin/psql -X -q "$AMIS_TEST_PG_URL" -c "VACUUM ANALYZE amis_records" -c "VACUUM ANALYZE amis_record_terms"
  /usr/bin/python3 bench/catalog_search_p50.py "$BENCH_GPKG" "$AMIS_TEST_PG_URL" 200'
