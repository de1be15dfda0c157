#!/usr/bin/env bash
# Installs the Debian 12 packages AMIS needs (build, run and, with --test, test).
# PostgreSQL 15 + PostGIS 3 and HAProxy are the scale-out store and load balancer (run), and
# the second store backend the integration tests run against (test).
# Idempotent: installs only what is missing. Run as root or with sudo available.
set -euo pipefail
BUILD=(build-essential cmake ninja-build ccache pkg-config libgdal-dev gdal-bin libproj-dev
       libgeos-dev libsqlite3-dev sqlite3 libboost-dev nlohmann-json3-dev libtomlplusplus-dev
       libspdlog-dev libfmt-dev libcli11-dev libgtest-dev clang libclang-rt-14-dev libicu-dev
       libpugixml-dev libmapnik-dev libprotozero-dev libsodium-dev zlib1g-dev nodejs npm libpq-dev libxml2-dev libssl-dev)
RUN=(postgresql-15 postgresql-15-postgis-3 haproxy)
TEST=(python3 python3-pytest python3-pytest-xdist python3-qgis qgis-providers wrk python3-owslib python3-gdal python3-jsonschema python3-requests
      python3-yaml python3-lxml libxml2-utils zip unzip curl chromium python3-psycopg2)
want=("${BUILD[@]}" "${RUN[@]}")
[ "${1:-}" = "--test" ] && want+=("${TEST[@]}")
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm may come from elsewhere than Debian (nodesource, nvm): accept them on PATH.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=(); for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "installing: ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}"
