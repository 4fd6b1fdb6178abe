#!/usr/bin/env bash
# Builds the dashboard (web/ → web/dist) when its sources changed since the last build; run by
# `npm start` and `npm test` (prestart/pretest). Force a build with: npm run build:web
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=web/dist/.build-stamp
# Inputs: the web sources, every server file the web imports (the event map, roles, problem types,
# response schemas; keep this list in step with web/src's imports of ../../src), the lockfile and
# this script.
server=(
  src/realtime/events.ts src/realtime/access.ts src/shared/roles.ts src/shared/problem-types.ts
  src/shared/responses.ts src/errors.ts src/auth/auth.responses.ts src/fleet/fleet.responses.ts
  src/fleet/lifecycle.ts src/people/people.responses.ts src/people/qualifications.ts
  src/assignments/assignments.responses.ts src/firmware/artifacts.responses.ts
  src/firmware/campaigns.responses.ts src/firmware/compliance.service.ts
  src/firmware/versions.responses.ts src/firmware/windows.responses.ts
)
inputs=$(find web/src web/index.html web/vite.config.ts web/tsconfig.json "${server[@]}" package-lock.json scripts/build-web.sh -type f -newer "$stamp" 2>/dev/null | head -1 || true)
if [[ "${1:-}" != --force && -f "$stamp" && -z "$inputs" ]]; then
  exit 0
fi
echo "Building the dashboard (web/)…"
# NODE_ENV from the caller (jest sets "test") would make Vite bundle React's development build.
NODE_ENV=production npx vite build web --logLevel warn
# Gzipped copies beside the assets, served to browsers that accept them (src/http/static.ts).
find web/dist/assets -type f \( -name '*.js' -o -name '*.css' \) -exec gzip -9 -k -f {} +
touch "$stamp"
