#!/usr/bin/env bash
# Builds the web UI: ui/ (TypeScript, Vite) into ui/dist, which the daemon
# serves at / (api.ui_dir). The npm packages are those package-lock.json
# names, installed again only when it changed.
set -euo pipefail
cd "$(dirname "$0")/../ui"
if [ ! -f node_modules/.package-lock.json ] ||
   [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
