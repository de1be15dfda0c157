#!/usr/bin/env bash
# Installs what is missing, builds and runs every test:
#  1. the `ci` build (gcc, warnings as errors) and the web portal (type-checked):
#     GoogleTest unit tests, the portal's Vitest unit tests, then the pytest
#     integration tests against the real server with real clients, the portal's in
#     Debian's Chromium among them (screenshots in tests/integration/artefacts/), once per
#     store backend: GeoPackage, then PostGIS (each pytest worker starts a private
#     PostgreSQL 15 cluster and stops it at the end; STORE_BACKENDS="gpkg" runs one);
#  2. the `fuzz` build (clang, ASan + UBSan, warnings as errors): the unit tests again
#     under the sanitizers, and each libFuzzer target for FUZZ_SECONDS (default 10).
#     It is compiled during the integration tests at the lowest CPU priority (nice 19),
#     from the time they leave idle (browsers, servers and clients waiting on each other):
#     on CI's 2 cores this takes it off the critical path. FUZZ_BUILD_ALONGSIDE=0 builds it after.
# Extra arguments go to pytest (for example -k paging).
set -euo pipefail
cd "$(dirname "$0")/.."
steps=()
step() { steps+=("$(date -u +%T) ($SECONDS s) $*"); echo "== ${steps[-1]}"; }  # where a CI run's time goes
# Printed again at the end, where a CI log's tail shows it, with what the builds got from ccache.
time_summary() {
  echo "== where the time went:"
  printf '   %s\n' "${steps[@]}" "$(date -u +%T) ($SECONDS s) end"
  local results=build/ccache-results.log
  if [ -f "$results" ]; then
    local dir writable=read-only
    dir="$(ccache -k cache_dir)"
    { : >"$dir/.amis-writable"; } 2>/dev/null && writable=writable
    echo "   ccache, this run's compilations:$(grep -xE '(direct_cache_hit|preprocessed_cache_hit|cache_miss)' \
      "$results" | sort | uniq -c | tr -s ' \n' ' ')(cache $dir, $writable)"
  else
    echo "   ccache: no compilation of this run went through it ($(env | grep -o '^CCACHE_[A-Z_]*=[^ ]*' | tr '\n' ' '))"
  fi
}
trap time_summary EXIT
rm -f build/ccache-results.log
step "setup ($(nproc) cores)"
scripts/setup-debian.sh --test
ccache_stats() { ccache --print-stats 2>/dev/null | grep -E '^(direct_cache_hit|preprocessed_cache_hit|cache_miss)\s' | tr '\n' ' '; }
step "ci build"
scripts/build.sh ci
scripts/build-web.sh
step "unit tests (ccache so far: $(ccache_stats))"
ctest --preset ci -j "$(nproc)"
(cd web && npm test --silent)
fuzz_build=""
if [ "${FUZZ_BUILD_ALONGSIDE:-1}" = 1 ]; then
  step "fuzz build started alongside the integration tests (log: build/fuzz-build.log)"
  mkdir -p build
  nice -n 19 scripts/build.sh fuzz >build/fuzz-build.log 2>&1 &
  fuzz_build=$!
fi
failed=()
# The portal was just built: its browser tests must run, not be skipped.
# Both backends run even when the first fails, so that one CI run shows both results.
for backend in ${STORE_BACKENDS:-gpkg postgis}; do
  step "integration tests on the $backend store"
  AMIS_REQUIRE_PORTAL=1 AMIS_BIN="$PWD/build/ci/bin/amis" /usr/bin/python3 -m pytest -q -n "${PYTEST_WORKERS:-3}" \
    --dist loadfile --durations=15 --store-backend "$backend" tests/integration "$@" || failed+=("$backend")
done
if [ -n "$fuzz_build" ]; then
  status=0
  wait "$fuzz_build" || status=$?
  step "fuzz build finished (exit $status; ccache so far: $(ccache_stats))"
  [ "$status" -eq 0 ] || { tail -60 build/fuzz-build.log; echo "the fuzz build failed"; exit 1; }
fi
[ ${#failed[@]} -eq 0 ] || { echo "integration tests failed on: ${failed[*]}"; exit 1; }
step "fuzz build and fuzzing"
scripts/fuzz.sh "${FUZZ_SECONDS:-10}"
step "unit tests under the sanitizers"
ctest --preset fuzz -j "$(nproc)"
step done
