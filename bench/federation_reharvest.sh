#!/usr/bin/env bash
# The incremental harvest's figures (issue 16): a national amis node with N catalogue records
# (default 10,000) harvested by a regional one over CSW and OGC API - Records, then harvested
# again unchanged. Prints the first harvest's records/s and the re-harvest's own work (the
# run's time less the time spent waiting for the national node), per backend.
#   AMIS_BIN=build/ci/bin/amis bench/federation_reharvest.sh [N] [gpkg|postgis]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"
BACKEND="${2:-gpkg}"
AMIS_REHARVEST_RECORDS="$N" AMIS_BIN="${AMIS_BIN:-$PWD/build/ci/bin/amis}" /usr/bin/python3 -m pytest -q -s \
  --store-backend "$BACKEND" tests/integration/federation/test_reharvest_speed.py
