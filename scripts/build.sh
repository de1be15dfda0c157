#!/usr/bin/env bash
# Configures and builds one CMake preset (release by default): build/<preset>/bin/amis.
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET="${1:-release}"
[ -f "build/$PRESET/build.ninja" ] || cmake --preset "$PRESET" >/dev/null
cmake --build "build/$PRESET" -j "$(nproc)"
