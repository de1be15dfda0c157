#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors and runs every test:
# GoogleTest unit tests, then the pytest integration tests against the real server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh --test
scripts/build.sh ci
ctest --preset ci -j "$(nproc)"
export AMIS_BIN="$PWD/build/ci/bin/amis"
/usr/bin/python3 -m pytest -q tests/integration "$@"
