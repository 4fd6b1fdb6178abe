#!/usr/bin/env bash
# Fetches the real photographs of people that the redaction evaluation set (test/helpers/faces.ts) is
# built from, where Debian does not already ship them (opencv-doc, scripts/debian-packages.txt):
#   insightface 0.7.3 (PyPI sdist, MIT): insightface/data/images/t1.jpg, a group of six people
#   around a table (frontal, three-quarter, turned and tilted faces).
# Checks the package and the file against the hashes committed here and copies the file to
# .cache/faces/. Run by scripts/setup.sh; safe to run again. Usage: bash scripts/fetch-faces.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=.cache/faces
SDIST=insightface-0.7.3.tar.gz
SDIST_SHA256=f191f719612ebb37018f41936814500544cd0f86e6fcd676c023f354c668ddf7
FILE=t1.jpg
FILE_SHA256=47f682e945b659f93a9e490b9c9c4a2a864abe64dace9e1a2893845ddfd69489
mkdir -p "$CACHE"

if [[ -f "$CACHE/$FILE" ]] && echo "$FILE_SHA256  $CACHE/$FILE" | sha256sum -c --status; then
  exit 0
fi
if [[ ! -f "$CACHE/$SDIST" ]] || ! echo "$SDIST_SHA256  $CACHE/$SDIST" | sha256sum -c --status; then
  rm -f "$CACHE/$SDIST"
  echo "Fetching insightface==0.7.3 (photographs for the redaction evaluation set)"
  python3 -m pip download --quiet --no-deps -d "$CACHE" insightface==0.7.3
fi
if ! echo "$SDIST_SHA256  $CACHE/$SDIST" | sha256sum -c --status; then
  echo "Integrity check failed for $CACHE/$SDIST; refusing to use it" >&2
  rm -f "$CACHE/$SDIST"
  exit 1
fi
tar --no-same-owner -xzf "$CACHE/$SDIST" -C "$CACHE" --strip-components=4 "insightface-0.7.3/insightface/data/images/$FILE"
echo "$FILE_SHA256  $CACHE/$FILE" | sha256sum -c --status || {
  echo "Unexpected $FILE content in $SDIST" >&2
  exit 1
}
