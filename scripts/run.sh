#!/usr/bin/env bash
# Installs what is missing, builds the server and the web portal, loads the demo
# data and serves it on http://localhost:8080 (the portal at /portal/; PORT=... to
# change). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
scripts/build.sh release
scripts/build-web.sh
STORE="${STORE:-data/amis.gpkg}"
if [ ! -s "$STORE" ] || [ -n "$(find data/demo -newer "$STORE" -print -quit)" ]; then
  scripts/load-demo.sh "$STORE"
  touch "$STORE"
fi
exec build/release/bin/amis serve --store "$STORE" --port "${PORT:-8080}" ${AMIS_CONFIG:+--config "$AMIS_CONFIG"}
