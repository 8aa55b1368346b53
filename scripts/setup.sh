#!/usr/bin/env bash
# Brings everything Flightdeck needs onto a fresh Debian 12 machine of the project's kind:
# Redis 7 (Debian), FerretDB (built from the Go module proxy) and Node.js 24 (from npm), plus
# chromium when FLIGHTDECK_WITH_BROWSER=1. Each step skips work already done, so re-running is
# cheap. Built tools are cached in ${FLIGHTDECK_CACHE:-$HOME/.cache/flightdeck}.
set -euo pipefail

scripts_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR
source "$scripts_dir/lib/common.sh"

started=$SECONDS
step() {
  local name="$1" t0=$SECONDS
  shift
  bash "$scripts_dir/$name"
  log "$name done in $((SECONDS - t0))s"
}

log "installing into $FLIGHTDECK_TOOLS (cache: $FLIGHTDECK_CACHE)"
step install-redis.sh
step install-ferretdb.sh
step install-node.sh
if [ "${FLIGHTDECK_WITH_BROWSER:-0}" = "1" ]; then
  step install-chromium.sh
fi
log "all set in $((SECONDS - started))s"

cat <<EOT

Next steps (from $FLIGHTDECK_ROOT):
  source scripts/env.sh   # Node.js 24 and FerretDB first on PATH, in every new shell
  npm ci                  # install the workspaces' dependencies
  npm run build           # contract, workers, backend and the client
  npm test                # starts its own throw-away Redis and FerretDB
  npm start               # run Flightdeck (see README.md for its configuration)
EOT
if ! command -v chromium >/dev/null 2>&1; then
  echo "Browser tests also need chromium: bash scripts/install-chromium.sh (or FLIGHTDECK_WITH_BROWSER=1 bash scripts/setup.sh)"
fi
