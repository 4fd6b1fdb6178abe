#!/usr/bin/env bash
# Installs what the platform needs from Debian (listed in scripts/debian-packages.txt) when it is
# missing, and checks the Go toolchain that builds the embedded FerretDB. Run by `npm start` and
# `npm test` (prestart/pretest); safe to run again. Usage: bash scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")"

missing=()
while read -r pkg _; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done < debian-packages.txt

if (( ${#missing[@]} )); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "Missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ -z "${MONGODB_URI:-}" ]] && ! command -v go >/dev/null; then
  echo "The embedded database is built with Go, which is not installed." >&2
  echo "Install Go 1.24 or newer, or set MONGODB_URI to a MongoDB server." >&2
  exit 1
fi
# The face-detection model for redaction (fetched once into .cache/models, integrity-checked).
bash ./fetch-model.sh
# Photographs for the redaction evaluation set (tests and bench), integrity-checked.
bash ./fetch-faces.sh
