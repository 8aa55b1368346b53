# Shared helpers for the install scripts. Sourced, never run.
# shellcheck shell=bash

# Used by the scripts that source this file.
# shellcheck disable=SC2034
FLIGHTDECK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FLIGHTDECK_CACHE="${FLIGHTDECK_CACHE:-$HOME/.cache/flightdeck}"
FLIGHTDECK_TOOLS="$FLIGHTDECK_ROOT/.tools"

# Progress goes to stderr so scripts can still print values on stdout.
log() { printf '[%s] %s\n' "${FLIGHTDECK_LOG_TAG:-setup}" "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# Run a noisy command with its output in a log file; show the tail only if it fails.
run_quietly() {
  local logfile
  logfile="$(mktemp)"
  if "$@" >"$logfile" 2>&1; then
    rm -f "$logfile"
  else
    local rc=$?
    log "command failed (exit $rc): $*"
    tail -n 40 "$logfile" >&2
    rm -f "$logfile"
    return "$rc"
  fi
}

ensure_go_on_path() {
  if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
    PATH="/usr/local/go/bin:$PATH"
    export PATH
  fi
  command -v go >/dev/null 2>&1 || die "go is not installed (expected /usr/local/go/bin/go)"
}

# apt-get update at most once per setup run (and not again within 6 hours): the stamp file
# tells sibling scripts that the package lists are fresh.
APT_STAMP="$FLIGHTDECK_CACHE/apt-update.stamp"

apt_update_once() {
  if [ -f "$APT_STAMP" ] && [ -n "$(find "$APT_STAMP" -mmin -360 2>/dev/null)" ] &&
    compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    return 0
  fi
  log "apt-get update"
  run_quietly env DEBIAN_FRONTEND=noninteractive apt-get update
  mkdir -p "$FLIGHTDECK_CACHE"
  touch "$APT_STAMP"
}

apt_install() {
  [ "$(id -u)" -eq 0 ] || die "installing $* needs root (apt-get)"
  apt_update_once
  log "apt-get install $*"
  if ! run_quietly env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; then
    # Stale package lists give 404s: refresh once and retry.
    rm -f "$APT_STAMP"
    apt_update_once
    run_quietly env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
  fi
}
