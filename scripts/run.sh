#!/usr/bin/env bash
# What `npm start` and `npm test` run, so that a fresh clone needs nothing else:
#
#   bash scripts/run.sh start          installs what is missing, builds, starts Flightdeck
#   bash scripts/run.sh test [args]    the same plus what the tests need, then the suite (args go to Jest)
#   bash scripts/run.sh prepare MODE   only the installs and the build for MODE (start or test)
#
# Each step sees what is in place and skips it, so a later run starts in seconds: the services
# (Redis, FerretDB), Node.js 24 (from npm when the machine's node is older), the npm dependencies
# (again when package-lock.json changed) and the build (again when a source is newer than it).
# Runs on bash and the system's Node 20 + npm: nothing here needs Node 24 before it is installed.
set -euo pipefail
scripts_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FLIGHTDECK_LOG_TAG=flightdeck
# shellcheck source-path=SCRIPTDIR
source "$scripts_dir/lib/common.sh"
cd "$FLIGHTDECK_ROOT"

usage() {
  echo "usage: bash scripts/run.sh start | test [jest args…] | prepare start|test" >&2
  exit 2
}
command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
  start | test) mode="$command" ;;
  prepare)
    mode="${1:-}"
    [ $# -gt 0 ] && shift
    [ "$mode" = start ] || [ "$mode" = test ] || usage
    ;;
  *) usage ;;
esac

# The first run on a fresh machine takes minutes; measured on one (see README.md, "Set up").
FIRST_RUN_NOTE="the first run on a fresh machine installs and builds everything (about 5 minutes for npm start, 6 for npm test on 2 cores, as measured in README.md); later runs take seconds"

BUILD_STAMP="node_modules/.flightdeck-build"
# What the build reads: when any of it is newer than the last build, the build runs again.
BUILD_INPUTS=(package-lock.json tsconfig.base.json contract sdk workers backend client perf lab)
# What lives among them but is not read by the build (outputs, test results, caches).
BUILD_IGNORED=(node_modules dist results '*.tsbuildinfo')

# Whether the npm dependencies match package-lock.json (npm ci writes node_modules/.package-lock.json).
deps_current() {
  [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]
}

# Whether the build is at least as new as every source it reads.
build_current() {
  [ -f "$BUILD_STAMP" ] && [ -f backend/dist/main.js ] && [ -f client/dist/index.html ] || return 1
  [ ! node_modules/.package-lock.json -nt "$BUILD_STAMP" ] || return 1
  local newer
  local prune=() name
  for name in "${BUILD_IGNORED[@]}"; do prune+=(${prune[0]:+-o} -name "$name"); done
  newer="$(find "${BUILD_INPUTS[@]}" \( "${prune[@]}" \) -prune -o -type f -newer "$BUILD_STAMP" -print -quit 2>/dev/null)"
  [ -z "$newer" ]
}

steps_total=0
steps_done=0
# Runs one step with a progress line (its number, what it does, how long it took). A step that
# finds something missing which it cannot install has already said so in one line: stop there.
step() {
  local what="$1" t0=$SECONDS rc=0
  shift
  steps_done=$((steps_done + 1))
  log "[$steps_done/$steps_total] $what"
  "$@" || rc=$?
  if [ "$rc" -ne 0 ]; then
    [ "$rc" -eq 3 ] || log "failed: $what (exit $rc)"
    log "nothing was started; fix the above and run npm $mode again"
    exit "$rc"
  fi
  local took=$((SECONDS - t0))
  [ "$took" -lt 2 ] || log "[$steps_done/$steps_total] $what: done in ${took}s"
}

skip_or() {
  local note="$1"
  shift
  if [ -n "$note" ]; then log "  $note"; else "$@"; fi
}

redis_step() {
  skip_or "${REDIS_URL:+REDIS_URL is set: using that Redis}" bash "$scripts_dir/install-redis.sh" || return
}
mongo_step() {
  skip_or "${MONGODB_URI:+MONGODB_URI is set: using that MongoDB}" bash "$scripts_dir/install-ferretdb.sh" || return
}
node_step() {
  bash "$scripts_dir/install-node.sh" || return
  # shellcheck source-path=SCRIPTDIR
  source "$scripts_dir/env.sh"
  case "$(node --version 2>/dev/null)" in
    v24.*) log "  node $(node --version) at $(command -v node)" ;;
    *)
      log "missing: Node.js 24 (found $(node --version 2>/dev/null || echo none)). Install it from https://nodejs.org or with: npm install --prefix .tools/node node@24"
      return 3
      ;;
  esac
}
deps_step() {
  if deps_current; then
    log "  npm dependencies match package-lock.json"
  else
    run_quietly npm ci --no-audit --no-fund
  fi
}
build_step() {
  if build_current; then
    log "  the build is current with the sources"
  else
    run_quietly npm run build
  fi
}
browser_step() {
  bash "$scripts_dir/install-chromium.sh" || return
  if [ -z "${CHROMIUM_PATH:-}" ] && [ "$(command -v chromium)" != /usr/bin/chromium ]; then
    CHROMIUM_PATH="$(command -v chromium)"
    export CHROMIUM_PATH
  fi
}

fresh=""
[ -f backend/dist/main.js ] && [ -d node_modules ] || fresh=1
[ -z "$fresh" ] || log "$FIRST_RUN_NOTE"

started=$SECONDS
steps_total=5
[ "$mode" = test ] && steps_total=8
step "Redis" redis_step
step "FerretDB (MongoDB wire protocol)" mongo_step
step "Node.js 24" node_step
step "npm dependencies" deps_step
step "build" build_step
if [ "$mode" = test ]; then
  step "Chromium (browser tests)" browser_step
  step "kubectl and docker-compose (manifest checks)" bash "$scripts_dir/install-deploy-tools.sh"
  step "schemathesis (API conformance)" bash "$scripts_dir/install-schemathesis.sh"
fi
log "ready in $((SECONDS - started))s"

[ "$command" = prepare ] && exit 0
if [ "$mode" = start ]; then
  exec node backend/dist/main.js
fi
npm run check:cycles --silent
exec npx --no-install jest "$@"
