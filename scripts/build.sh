#!/usr/bin/env bash
# Configures and builds one CMake preset (release by default): build/<preset>/bin/amis.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache keys without this clone's own path (CI builds each run in a fresh clone elsewhere):
# paths under the repository are hashed relative to it, and the build directory is not hashed.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
PRESET="${1:-release}"
[ -f "build/$PRESET/build.ninja" ] || cmake --preset "$PRESET" >/dev/null
cmake --build "build/$PRESET" -j "$(nproc)"
