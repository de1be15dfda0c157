#!/usr/bin/env bash
# Builds the web portal (web/ -> web/dist, served by `amis serve` at /portal/):
# installs the npm packages of web/package-lock.json when they changed, type-checks
# and bundles with Vite. Safe to run again: it rebuilds only when a source changed.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f dist/index.html ] || [ -n "$(find src index.html usage.html workplan.html country.html vite.config.ts package-lock.json -newer dist/index.html -print -quit)" ]; then
  npm run --silent build
fi
