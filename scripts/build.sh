#!/usr/bin/env bash
# Configures and builds one CMake preset (release by default): build/<preset>/bin/amis.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache keys without this clone's own path (CI builds each run in a fresh clone elsewhere):
# paths under the repository are hashed relative to it, and the build directory is not hashed.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
# What each compilation got from the cache, whether or not the cache can count it (a cache
# on a read-only file system hits but updates no statistics): scripts/test.sh sums it up.
mkdir -p build
export CCACHE_STATSLOG="${CCACHE_STATSLOG:-$PWD/build/ccache-results.log}"
if command -v ccache >/dev/null; then
  cache_dir="$(ccache -k cache_dir)"
  if [ -d "$cache_dir" ] && ! { : >"$cache_dir/.amis-writable"; } 2>/dev/null; then
    # read it, write nothing (no failing locks), and keep temporary files elsewhere
    export CCACHE_READONLY=1 CCACHE_TEMPDIR="${TMPDIR:-/tmp}/amis-ccache-tmp"
  fi
fi
PRESET="${1:-release}"
[ -f "build/$PRESET/build.ninja" ] || cmake --preset "$PRESET" >/dev/null
cmake --build "build/$PRESET" -j "$(nproc)"
