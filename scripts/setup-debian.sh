#!/usr/bin/env bash
# Installs the Debian 12 packages AMIS needs (build, run and, with --test, test).
# PostgreSQL 15 + PostGIS 3 and HAProxy are the scale-out store and load balancer (run), and
# the second store backend the integration tests run against (test). fonts-noto-cjk: the
# profiles' PDF in Chinese, Japanese and Korean (pango finds it through fontconfig).
# casacore-data-igrf, python3-casacore, python3-gdal, python3-numpy: the demo's generated
# coverages (scripts/make_demo_coverages.py, run by load-demo.sh): the IGRF-12 coefficients as a
# casacore table, read with casacore.tables; the GeoTIFFs written with GDAL.
# cgi-mapserver (test): MapServer 8 as a foreign WMS/WFS node of the federation tests (the cascade
# tests skip without it).
# Idempotent: installs only what is missing. Run as root or with sudo available.
set -euo pipefail
BUILD=(build-essential cmake ninja-build ccache pkg-config libgdal-dev gdal-bin libproj-dev
       libgeos-dev libsqlite3-dev sqlite3 libboost-dev nlohmann-json3-dev libsimdjson-dev libtomlplusplus-dev
       libspdlog-dev libfmt-dev libcli11-dev libgtest-dev clang libclang-rt-14-dev libicu-dev
       libpugixml-dev libmapnik-dev libprotozero-dev libsodium-dev zlib1g-dev nodejs npm libpq-dev libxml2-dev libyaml-dev
       libmaxminddb-dev libssl-dev libpango1.0-dev libcairo2-dev)
RUN=(postgresql-15 postgresql-15-postgis-3 haproxy iso-codes fonts-noto-cjk
     casacore-data-igrf python3-casacore python3-gdal python3-numpy)
TEST=(python3 python3-pytest python3-pytest-xdist python3-qgis qgis-providers wrk python3-owslib python3-gdal python3-jsonschema python3-requests
      python3-yaml python3-lxml libxml2-utils poppler-utils zip unzip curl chromium python3-psycopg2
      python3-maxminddb prometheus nginx-light cgi-mapserver)
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
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}"
fi
# The usage statistics' country database ([usage] country_database): the CC0
# geo-whois-asn-country MaxMind DB of the ip-location-db project, from its npm package
# (Debian's geoip-database is the retired legacy format, last updated 2019). The tests
# do not need it (they write a small database of their own); a server without it
# counts countries by address as "unknown". Skipped quietly when npm cannot reach
# its registry; AMIS_SKIP_COUNTRY_DB=1 skips it.
GEO_DIR=/usr/local/share/amis
GEO_DB=$GEO_DIR/geo-whois-asn-country.mmdb
if [ ! -s "$GEO_DB" ] && [ "${AMIS_SKIP_COUNTRY_DB:-}" != 1 ] && command -v npm >/dev/null; then
  work=$(mktemp -d)
  if (cd "$work" && npm pack --silent @ip-location-db/geo-whois-asn-country-mmdb >/dev/null 2>&1); then
    tar -xzf "$work"/*.tgz -C "$work" package/geo-whois-asn-country.mmdb
    $SUDO mkdir -p "$GEO_DIR"
    $SUDO install -m 0644 "$work/package/geo-whois-asn-country.mmdb" "$GEO_DB"
    echo "country database: $GEO_DB"
  else
    echo "country database: npm could not fetch @ip-location-db/geo-whois-asn-country-mmdb; countries by address will be unknown"
  fi
  rm -rf "$work"
fi
