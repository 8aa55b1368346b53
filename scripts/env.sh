# Puts the project's tools first on PATH: Node.js 24 from .tools/node (when install-node.sh put it
# there), FerretDB from .tools/bin, and Go when it is not on PATH yet. Source it from any directory:
#   source scripts/env.sh
# Safe to source more than once and under `set -euo pipefail`.
# shellcheck shell=bash

_flightdeck_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"

# Moves $1 to the front of PATH (adding it if absent), so sourcing twice changes nothing.
_flightdeck_path_prepend() {
  local rest=":${PATH:-}:"
  while [[ "$rest" == *":$1:"* ]]; do
    rest="${rest//":$1:"/:}"
  done
  rest="${rest#:}"
  rest="${rest%:}"
  PATH="$1${rest:+:$rest}"
}

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  _flightdeck_path_prepend /usr/local/go/bin
fi
_flightdeck_path_prepend "$_flightdeck_root/.tools/bin"
if [ -x "$_flightdeck_root/.tools/node/node_modules/.bin/node" ]; then
  _flightdeck_path_prepend "$_flightdeck_root/.tools/node/node_modules/.bin"
fi
export PATH
hash -r 2>/dev/null || true

unset -f _flightdeck_path_prepend
unset _flightdeck_root
