#!/usr/bin/env bash
# Builds FerretDB (a MongoDB-wire server on SQLite; MongoDB itself cannot be installed here) from
# the Go module proxy, caches the binary in $FLIGHTDECK_CACHE/bin and links it into .tools/bin.
#
# `go install` of FerretDB gives a binary that panics at start, because the generated
# build/version/version.txt is missing from the module (FerretDB issue #2982). Building a copy of
# the downloaded module with that file written avoids it.
set -euo pipefail
FLIGHTDECK_LOG_TAG=ferretdb
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/pinned-tool.sh"

FERRETDB_VERSION="v1.24.2"
CACHE_BIN="$FLIGHTDECK_CACHE/bin/ferretdb"
TOOLS_BIN="$FLIGHTDECK_TOOLS/bin/ferretdb"

# Prints the version of the ferretdb binary at $1, or nothing if it does not run.
ferretdb_version() {
  "$1" --version 2>/dev/null | awk '$1 == "version:" {print $2}' || true
}

exit_if_installed ferretdb "$FERRETDB_VERSION" ferretdb_version

# A FerretDB 1.x already on PATH (installed some other way) serves as well as our own build.
on_path="$(command -v ferretdb 2>/dev/null || true)"
if [ -n "$on_path" ] && [ "$on_path" != "$TOOLS_BIN" ] && [[ "$(ferretdb_version "$on_path")" == v1.* ]]; then
  mkdir -p "$(dirname "$TOOLS_BIN")"
  ln -sfn "$on_path" "$TOOLS_BIN"
  log "using $(ferretdb_version "$on_path") from PATH ($on_path)"
  exit 0
fi

if [ "$(ferretdb_version "$CACHE_BIN")" = "$FERRETDB_VERSION" ]; then
  log "using cached build $CACHE_BIN"
else
  MISSING_HINT="or put a FerretDB 1.x on PATH, or set MONGODB_URI to a MongoDB you run" ensure_go_on_path "FerretDB"
  log "building FerretDB $FERRETDB_VERSION with $(go env GOVERSION) (first time only, takes a few minutes)"

  work="$(mktemp -d)"
  # The copied module keeps the module cache's read-only modes until chmod; make it removable.
  trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

  # Run outside any Go module, with the local toolchain only (no toolchain downloads), a static
  # binary and default flags whatever the caller's GOFLAGS say.
  export GOTOOLCHAIN=local CGO_ENABLED=0
  unset GOFLAGS
  module_json="$(cd "$work" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION")" ||
    die "go mod download failed: $module_json"
  module_dir="$(printf '%s' "$module_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"

  src="$work/ferretdb"
  cp -r "$module_dir" "$src"
  chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  (cd "$src" && run_quietly go build -buildvcs=false -trimpath -o "$work/ferretdb.bin" ./cmd/ferretdb)

  built_version="$(ferretdb_version "$work/ferretdb.bin")"
  [ "$built_version" = "$FERRETDB_VERSION" ] ||
    die "the built binary reports version '${built_version:-<none>}', expected $FERRETDB_VERSION"

  mkdir -p "$(dirname "$CACHE_BIN")"
  # Copy then rename, so an interrupted run never leaves a half-written cached binary.
  cp "$work/ferretdb.bin" "$CACHE_BIN.partial.$$"
  chmod 0755 "$CACHE_BIN.partial.$$"
  mv -f "$CACHE_BIN.partial.$$" "$CACHE_BIN"
  log "built and cached $CACHE_BIN"
fi

link_installed ferretdb "$FERRETDB_VERSION" ferretdb_version "$CACHE_BIN"
