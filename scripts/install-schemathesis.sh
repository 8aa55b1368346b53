#!/usr/bin/env bash
# Installs schemathesis (API fuzzing from our OpenAPI spec; backend/test/openapi-conformance.test.ts
# runs it against a real server) from PyPI into a venv cached in $FLIGHTDECK_CACHE, one per
# version, and links .tools/bin/schemathesis. Needs no root: python3 with its venv module only.
set -euo pipefail
FLIGHTDECK_LOG_TAG=schemathesis
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/pinned-tool.sh"

SCHEMATHESIS_VERSION="4.32.5"
VENV="$FLIGHTDECK_CACHE/schemathesis-$SCHEMATHESIS_VERSION"

# Prints the version of the schemathesis at $1, or nothing if it does not run.
schemathesis_version() {
  "$1" --version 2>/dev/null | awk '{print $NF}' || true
}

exit_if_installed schemathesis "$SCHEMATHESIS_VERSION" schemathesis_version

if [ "$(schemathesis_version "$VENV/bin/schemathesis")" = "$SCHEMATHESIS_VERSION" ]; then
  log "using cached venv $VENV"
else
  command -v python3 >/dev/null 2>&1 || die "python3 is not installed (apt-get install python3 python3-venv)"
  log "installing schemathesis $SCHEMATHESIS_VERSION from PyPI into $VENV"
  # A venv's scripts name its own path, so it is made in place; a half-made one (an interrupted
  # run) fails the version check above and is made again.
  rm -rf "$VENV"
  mkdir -p "$FLIGHTDECK_CACHE"
  python3 -m venv "$VENV" 2>/dev/null ||
    die "python3 cannot make a venv: install python3-venv (apt-get install python3-venv)"
  run_quietly "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q \
    "schemathesis==$SCHEMATHESIS_VERSION" || {
    rm -rf "$VENV"
    die "pip install schemathesis==$SCHEMATHESIS_VERSION failed"
  }
  installed="$(schemathesis_version "$VENV/bin/schemathesis")"
  [ "$installed" = "$SCHEMATHESIS_VERSION" ] || {
    rm -rf "$VENV"
    die "the venv's schemathesis reports version '${installed:-<none>}', expected $SCHEMATHESIS_VERSION"
  }
  log "installed and cached $VENV"
fi

link_installed schemathesis "$SCHEMATHESIS_VERSION" schemathesis_version "$VENV/bin/schemathesis"
