#!/usr/bin/env bash
# Builds the dashboard (web/ → web/dist) when its sources changed since the last build; run by
# `npm start` and `npm test` (prestart/pretest). Force a build with: npm run build:web
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=web/dist/.build-stamp
# Inputs: the web sources, the server's sources (the web imports its event map, roles, problem
# types, response schemas and contracts, and those import more: all of src/ rather than a list that
# drifts), the lockfile and this script.
inputs=$(find web/src web/index.html web/vite.config.ts web/tsconfig.json src package-lock.json scripts/build-web.sh -type f -newer "$stamp" 2>/dev/null | head -1 || true)
if [[ "${1:-}" != --force && -f "$stamp" && -z "$inputs" ]]; then
  exit 0
fi
echo "Building the dashboard (web/)…"
# NODE_ENV from the caller (jest sets "test") would make Vite bundle React's development build.
NODE_ENV=production npx vite build web --logLevel warn
# Gzipped copies beside the assets, served to browsers that accept them (src/http/static.ts).
find web/dist/assets -type f \( -name '*.js' -o -name '*.css' \) -exec gzip -9 -k -f {} +
touch "$stamp"
