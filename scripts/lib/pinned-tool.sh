# Helpers for the install scripts of a tool pinned to one version and linked as .tools/bin/<name>
# (with common.sh's). Sourced, never run. Each takes the tool's name, the version wanted and the
# function that prints the version a binary (its path in $1) reports, or nothing if it does not run.
# shellcheck shell=bash

# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Ends the script (exit 0) when .tools/bin/<name> already runs the wanted version.
exit_if_installed() {
  local name="$1" version="$2" version_of="$3"
  if [ "$("$version_of" "$FLIGHTDECK_TOOLS/bin/$name")" = "$version" ]; then
    log "already installed: $version at .tools/bin/$name"
    exit 0
  fi
}

# Links .tools/bin/<name> to the binary at $4 and checks that it runs the wanted version.
link_installed() {
  local name="$1" version="$2" version_of="$3" target="$4"
  local link="$FLIGHTDECK_TOOLS/bin/$name"
  mkdir -p "$(dirname "$link")"
  ln -sfn "$target" "$link"
  [ "$("$version_of" "$link")" = "$version" ] || die "$link does not run"
  log "installed: $version at .tools/bin/$name"
}
