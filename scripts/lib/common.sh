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
  if ! command -v go >/dev/null 2>&1; then
    log "missing: go (to build $1). Install Go 1.22 or newer (Debian: sudo apt-get install -y golang)${MISSING_HINT:+ — $MISSING_HINT}"
    exit 3
  fi
}

# apt-get update at most once per setup run (and not again within 6 hours): the stamp file
# tells sibling scripts that the package lists are fresh.
APT_STAMP="$FLIGHTDECK_CACHE/apt-update.stamp"

# $@: the command prefix that runs apt-get as root (`sudo -n`), if any.
apt_update_once() {
  if [ -f "$APT_STAMP" ] && [ -n "$(find "$APT_STAMP" -mmin -360 2>/dev/null)" ] &&
    compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    return 0
  fi
  log "apt-get update"
  run_quietly "$@" env DEBIAN_FRONTEND=noninteractive apt-get update
  mkdir -p "$FLIGHTDECK_CACHE"
  touch "$APT_STAMP"
}

# How this user can install Debian packages: `root`, `sudo` (passwordless, as on hosted CI
# runners), or nothing (prints nothing and fails).
apt_mode() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$(id -u)" -eq 0 ]; then
    echo root
  elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    echo sudo
  else
    return 1
  fi
}

# Installs Debian packages. Where this user cannot (not root, no passwordless sudo, no apt-get), it
# says in one line what is missing and the command that installs it, then exits 3 ("missing"),
# having changed nothing. $MISSING_HINT names the way around it, e.g. "or set REDIS_URL".
apt_install() {
  local mode packages=()
  for arg in "$@"; do [[ "$arg" == -* ]] || packages+=("$arg"); done
  if ! mode="$(apt_mode)"; then
    local how="sudo apt-get install -y ${packages[*]}"
    command -v apt-get >/dev/null 2>&1 || how="your system's package manager (Debian: apt-get install -y ${packages[*]})"
    log "missing: ${packages[*]}; this user cannot install it here ($(id -un 2>/dev/null || id -u), $(command -v apt-get >/dev/null 2>&1 && echo 'not root, no passwordless sudo' || echo 'no apt-get')). Install with: $how${MISSING_HINT:+ — $MISSING_HINT}"
    exit 3
  fi
  local sudo=()
  [ "$mode" = sudo ] && sudo=(sudo -n)
  apt_update_once "${sudo[@]}"
  log "apt-get install $*"
  if ! run_quietly "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"; then
    # Stale package lists give 404s: refresh once and retry.
    rm -f "$APT_STAMP"
    apt_update_once "${sudo[@]}"
    run_quietly "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
  fi
}
