#!/usr/bin/env bash
# What the scaling lab needs besides its built binaries and Flightdeck's own set-up: nginx (the
# load balancer in front of the API and gateway processes, mirroring the Gateway's routes), Redis
# and openssl (the lab's certificates). Idempotent; where this user cannot install, it says how.
set -euo pipefail
FLIGHTDECK_LOG_TAG=lab
scripts_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../scripts" && pwd)"
# shellcheck source-path=SCRIPTDIR/../../scripts
source "$scripts_dir/lib/common.sh"

bash "$scripts_dir/install-redis.sh"
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ "${#missing[@]}" -gt 0 ]; then
  MISSING_HINT="the scaling lab needs them" apt_install "${missing[@]}"
  # Debian's nginx starts a system instance on port 80; the lab runs its own.
  as_root=()
  [ "$(apt_mode)" = sudo ] && as_root=(sudo -n)
  "${as_root[@]}" service nginx stop >/dev/null 2>&1 || true
  "${as_root[@]}" update-rc.d nginx disable >/dev/null 2>&1 || true
fi
log "lab prerequisites in place: nginx, openssl, redis-server"
