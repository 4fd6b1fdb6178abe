#!/usr/bin/env bash
# Builds our embedded FerretDB into $1, with three patches applied to a copy of
# the FerretDB module.
# Usage: bash scripts/ferretdb/build.sh OUTPUT   (src/db/ferretdb.ts runs it on demand)
#
# Patch 1: FerretDB v1.24.2's SQLite backend looks documents up by `_sjson->'$._id'` while it
# builds the _id index on `_sjson->"_id"`. SQLite matches index expressions by their form, so no
# `_id` lookup (find by _id, and the UPDATE/DELETE ... WHERE _id = ? behind every update) ever used
# the index: each one scanned the whole table. We make the lookup the index's own form.
#
# Patch 2 (more-to-come.patch): v1.24.2 answers every OP_MSG, even one flagged moreToCome, which
# the client sends for a w:0 write and never reads a reply to. The Node driver does not match
# replies to requests, so the connection's next command read that stray reply and every later one
# the reply of the command before ("BSON element "cursor" is missing", or another query's result).
# connect-mongo's session sweep is such a write. Patched: no reply to a moreToCome request.
#
# Patch 3 (update-statements.patch): v1.24.2's `update` command kept each statement's query (one
# SQLite connection from a pool of 100) open until the whole command ended, so an update of 100 or
# more statements that match documents (a bulkWrite of updateOne) waited forever for a connection
# it held itself, and the database stopped answering anyone. Patched: each statement closes its own.
set -euo pipefail
out=$(realpath -m "$1")
cd "$(dirname "$0")"

go mod download github.com/FerretDB/FerretDB
moddir=$(go list -m -f '{{.Dir}}' github.com/FerretDB/FerretDB)
original="$moddir/internal/backends/sqlite/metadata/metadata.go"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Go forbids -overlay on module-cache files, so build against a patched copy of the module,
# named by a `replace` in a temporary go.mod (our committed go.mod/go.sum stay as they are).
cp -r "$moddir" "$work/ferretdb"
chmod -R u+w "$work/ferretdb"
target="$work/ferretdb/internal/backends/sqlite/metadata/metadata.go"
sed -i 's|IDColumn = DefaultColumn + "->'"'"'\$\._id'"'"'"|IDColumn = DefaultColumn + `->"_id"`|' "$target"
if cmp -s "$moddir/internal/backends/sqlite/metadata/metadata.go" "$target"; then
  echo "FerretDB patch did not apply: the pinned source has changed" >&2
  exit 1
fi
patch --quiet --batch --forward -p1 -d "$work/ferretdb" < more-to-come.patch
patch --quiet --batch --forward -p1 -d "$work/ferretdb" < update-statements.patch
cp go.mod go.sum "$work/"
echo "replace github.com/FerretDB/FerretDB => $work/ferretdb" >> "$work/go.mod"
go build -modfile "$work/go.mod" -trimpath -o "$out" .
