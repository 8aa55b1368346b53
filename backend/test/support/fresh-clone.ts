import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// A fresh clone of this repository on a machine that has nothing of Flightdeck's: no Redis, no
// FerretDB, only the system's Node 20 and npm, no dependencies, no build. The machine's basic tools
// are there; the slow installs (apt-get, go, npm) are PATH shims that log each call and do the
// install's visible part in a moment, from what this checkout already has.

export const REAL_REPO = path.resolve(__dirname, '..', '..', '..');
const WORKSPACES = ['contract', 'workers', 'backend', 'client', 'perf'];

/** The machine's own tools the scripts use (coreutils & co.); everything else is missing. */
const BASE_TOOLS = [
  'bash',
  'sh',
  'env',
  'id',
  'cat',
  'sed',
  'awk',
  'grep',
  'find',
  'mkdir',
  'rm',
  'mv',
  'cp',
  'ln',
  'chmod',
  'mktemp',
  'dirname',
  'basename',
  'tail',
  'head',
  'touch',
  'sort',
  'tr',
  'cut',
  'wc',
  'ls',
  'readlink',
  'realpath',
  'date',
  'sleep',
  'python3',
  'true',
  'false',
  'node',
];

export interface FreshClone {
  /** The copy of the repository (tracked and new files, nothing ignored). */
  repo: string;
  /** PATH: the shims, then the base tools. */
  path: string;
  /** HOME and FLIGHTDECK_CACHE of the "machine", empty at first. */
  home: string;
  cache: string;
  /** The shims' calls so far, one line each (`apt-get install …`, `npm ci`, …). */
  calls(): string[];
}

/** The machine's own `tool`: the first on PATH that is not one this checkout installed (its Node 24). */
const which = (tool: string) =>
  execFileSync('bash', ['-c', `type -aP ${tool}`], { encoding: 'utf8' })
    .split('\n')
    .find((found) => found && !found.startsWith(path.join(REAL_REPO, '.tools')))!;

/** Whether the machine's own Node is older than the 24 the project runs on (then npm start installs it). */
export const SYSTEM_NODE_IS_OLD = !execFileSync(which('node'), ['--version'], { encoding: 'utf8' }).startsWith('v24.');

/** Copies the repository's files as `git clone` would give them (plus new files not yet committed). */
function copyRepository(to: string): void {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: REAL_REPO,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    const from = path.join(REAL_REPO, file);
    const target = path.join(to, file);
    mkdirSync(path.dirname(target), { recursive: true });
    try {
      copyFileSync(from, target);
      chmodSync(target, statSync(from).mode & 0o777);
    } catch {
      // A file deleted in the work tree but not yet committed: a clone would not have it either.
    }
  }
}

export function makeFreshClone(): FreshClone {
  const root = mkdtempSync(path.join(os.tmpdir(), 'flightdeck-fresh-clone-'));
  const repo = path.join(root, 'repo');
  const bin = path.join(root, 'bin');
  const shims = path.join(root, 'shims');
  const home = path.join(root, 'home');
  const cache = path.join(home, '.cache', 'flightdeck');
  const log = path.join(root, 'calls.log');
  for (const dir of [repo, bin, shims, home]) mkdirSync(dir, { recursive: true });
  writeFileSync(log, '');
  copyRepository(repo);
  for (const tool of BASE_TOOLS) symlinkSync(realpathSync(which(tool)), path.join(bin, tool));

  const node24 = realpathSync(path.join(REAL_REPO, '.tools', 'node', 'node_modules', '.bin', 'node'));
  const ferretdb = realpathSync(path.join(REAL_REPO, '.tools', 'bin', 'ferretdb'));
  const redisServer = realpathSync(which('redis-server'));
  const shim = (name: string, body: string) => {
    writeFileSync(path.join(shims, name), `#!/bin/bash\necho "${name} $*" >> '${log}'\n${body}\n`, { mode: 0o755 });
  };

  // apt-get: `install redis-server` puts it on PATH (as Debian's package would).
  shim(
    'apt-get',
    `case " $* " in *" install "*" redis-server "*) ln -sf '${redisServer}' '${bin}/redis-server' ;; esac`,
  );
  // go: the FerretDB module "downloads" as a folder with the files the build needs; the build copies
  // the FerretDB this checkout has (the same version).
  shim(
    'go',
    `case "$1" in
  env) echo go1.26-shim ;;
  mod) d='${root}/gomod/ferretdb'; mkdir -p "$d/build/version" "$d/cmd/ferretdb"; echo "{\\"Dir\\": \\"$d\\"}" ;;
  build) while [ $# -gt 0 ]; do [ "$1" = -o ] && out="$2"; shift; done; cp '${ferretdb}' "$out" ;;
esac`,
  );
  // npm: `install … node@24` gives Node 24; `ci` the dependencies (links to this checkout's);
  // `run build` the build's outputs and its stamp.
  const linkDeps = [
    `mkdir -p node_modules/@flightdeck`,
    `for entry in '${REAL_REPO}'/node_modules/* '${REAL_REPO}'/node_modules/.bin; do`,
    `  case "$(basename "$entry")" in @flightdeck) ;; *) ln -sfn "$entry" node_modules/ ;; esac`,
    `done`,
    ...WORKSPACES.map((ws) => `ln -sfn ../../${ws} node_modules/@flightdeck/${ws}`),
    ...WORKSPACES.map(
      (ws) =>
        `[ -d '${REAL_REPO}/${ws}/node_modules' ] && ln -sfn '${REAL_REPO}/${ws}/node_modules' ${ws}/node_modules`,
    ),
    `cp '${REAL_REPO}/node_modules/.package-lock.json' node_modules/.package-lock.json`,
  ].join('\n    ');
  const copyBuild = [
    ...WORKSPACES.map((ws) => `rm -rf ${ws}/dist && cp -r '${REAL_REPO}/${ws}/dist' ${ws}/dist`),
    `touch node_modules/.flightdeck-build`,
  ].join('\n    ');
  shim(
    'npm',
    `args=" $* "
case "$args" in
  *" node@24 "*) while [ $# -gt 0 ]; do [ "$1" = --prefix ] && prefix="$2"; shift; done
    mkdir -p "$prefix/node_modules/.bin"; ln -sf '${node24}' "$prefix/node_modules/.bin/node" ;;
  *" ci "*)
    ${linkDeps}
    true ;;
  *" run build "*)
    ${copyBuild} ;;
  *) echo "npm shim: unexpected call: $*" >&2; exit 1 ;;
esac`,
  );

  return {
    repo,
    path: `${shims}:${bin}`,
    home,
    cache,
    calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
  };
}
