#!/usr/bin/env bash
# The investor search's example question ("copper or nickel deposits with tonnage >= 10 Mt
# in IDN or PHL, not inside an active licence, within 50 km of a port") on the bench data
# of bench/make_invest_data.py (100,000 deposits, 20,000 licences, 500 ports, fixed seed),
# on both stores: a GeoPackage and PostgreSQL/PostGIS (a private cluster from
# tests/pg/with_postgres.sh). The goal: an answer within a second. bench/invest_search.py
# does the timing and checks the answer against SpatiaLite.
#   bench/invest_search.sh            RUNS=11 bench/invest_search.sh
#   AMIS_BIN=build/ci/bin/amis WORK=/tmp/amis-bench bench/invest_search.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z ${AMIS_TEST_PG_DIR:-} ]]; then exec "$ROOT/tests/pg/with_postgres.sh" "$0" "$@"; fi
AMIS_BIN=${AMIS_BIN:-$ROOT/build/release/bin/amis}
WORK=${WORK:-/tmp/amis-bench}
RUNS=${RUNS:-7}
SRC=$WORK/invest.gpkg
mkdir -p "$WORK"
[ -s "$SRC" ] || /usr/bin/python3 "$ROOT/bench/make_invest_data.py" "$SRC" 100000 20000 500
echo "# $(date -u +%FT%TZ) amis: $AMIS_BIN ($(stat -c '%y' "$AMIS_BIN" | cut -c1-19)), $(nproc) cores"
rm -f "$WORK/invest-store.gpkg"*
/usr/bin/python3 "$ROOT/bench/invest_search.py" "$WORK/invest-store.gpkg" "$AMIS_BIN" "$SRC" "$RUNS"
/usr/bin/python3 "$ROOT/bench/invest_search.py" "$AMIS_TEST_PG_URL" "$AMIS_BIN" "$SRC" "$RUNS"
