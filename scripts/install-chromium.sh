#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (driven by playwright-core with
# executablePath /usr/bin/chromium; `npx playwright install` cannot download browsers here).
set -euo pipefail
FLIGHTDECK_LOG_TAG=chromium
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then
  log "using CHROMIUM_PATH=$CHROMIUM_PATH"
  exit 0
fi
if command -v chromium >/dev/null 2>&1; then
  log "already installed: $(chromium --version 2>/dev/null | head -n 1)"
  exit 0
fi

# Without recommends (printing, desktop notifications, …) but with fonts, so screenshots read.
MISSING_HINT="or set CHROMIUM_PATH to a Chromium you have" apt_install --no-install-recommends chromium fonts-liberation

command -v chromium >/dev/null 2>&1 || die "chromium is still not on PATH after apt-get install"
log "installed: $(chromium --version 2>/dev/null | head -n 1)"
