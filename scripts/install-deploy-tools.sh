#!/usr/bin/env bash
# Installs the offline deployment checkers the `deploy` tests use: Debian's `kubectl` (for
# `kubectl kustomize`) and `docker-compose` 1.29 (for `docker-compose config`, no daemon needed).
# Skips what is already there.
set -euo pipefail
FLIGHTDECK_LOG_TAG=deploy-tools
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

missing=()
command -v kubectl >/dev/null 2>&1 || missing+=(kubectl)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)

if [ "${#missing[@]}" -eq 0 ]; then
  log "already installed: kubectl, docker-compose"
  exit 0
fi

MISSING_HINT="the deploy/ manifest checks need them" apt_install "${missing[@]}"

for tool in kubectl docker-compose; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is still not on PATH after apt-get install"
done
log "installed: ${missing[*]}"
