#!/usr/bin/env bash
# Installs Debian's redis-server (Redis 7) if it is missing. The tests and `npm start` run their
# own redis-server processes, so the Debian system service is stopped and disabled.
set -euo pipefail
FLIGHTDECK_LOG_TAG=redis
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if command -v redis-server >/dev/null 2>&1; then
  log "already installed: $(redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')"
  exit 0
fi

MISSING_HINT="or set REDIS_URL to a Redis you run" apt_install redis-server

# Debian's package may have started (and enabled) its own instance; we never use it.
as_root=()
[ "$(apt_mode)" = sudo ] && as_root=(sudo -n)
"${as_root[@]}" service redis-server stop >/dev/null 2>&1 || true
"${as_root[@]}" update-rc.d redis-server disable >/dev/null 2>&1 || true
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  "${as_root[@]}" systemctl disable --now redis-server >/dev/null 2>&1 || true
fi

command -v redis-server >/dev/null 2>&1 || die "redis-server is still not on PATH after apt-get install"
log "installed: $(redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p') (system service stopped and disabled)"
