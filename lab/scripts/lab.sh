#!/usr/bin/env bash
# `npm run lab -- <command>`: the lab's CLI (lab/src/main.ts) on the project's Node.js 24, built first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source-path=SCRIPTDIR/../../scripts
source scripts/env.sh
npx --no-install tsc -b lab
exec node lab/dist/main.js "$@"
