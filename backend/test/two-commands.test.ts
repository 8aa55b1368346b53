import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../src/services/local-services';
import { makeFreshClone, SYSTEM_NODE_IS_OLD, type FreshClone } from './support/fresh-clone';
import { testNamespace, waitFor } from './support/test-services';

// `npm start` and `npm test` run scripts/run.sh: on a fresh clone it installs what is missing and
// builds, then starts; on later runs it finds everything in place and only starts. Run here on a
// copy of the repository whose machine has nothing of Flightdeck's (see support/fresh-clone.ts).

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function runScript(clone: FreshClone, args: string[], env: Record<string, string>, asNobody = false): Run {
  const child = spawn('bash', ['scripts/run.sh', ...args], {
    cwd: clone.repo,
    env: { PATH: clone.path, HOME: clone.home, FLIGHTDECK_CACHE: clone.cache, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

const answers = async (port: number, route: string) => {
  const response = await fetch(`http://127.0.0.1:${port}${route}`).catch(() => undefined);
  return response?.status === 200;
};

/** Runs `npm start`'s script until Flightdeck is ready, then stops it with SIGTERM as a person's Ctrl-C would. */
async function startAndStop(clone: FreshClone, env: Record<string, string>, asNobody = false): Promise<string> {
  const port = await freePort();
  const run = runScript(clone, ['start'], { PORT: String(port), ...env }, asNobody);
  try {
    await waitFor('Flightdeck to be ready', () => answers(port, '/readyz'), 90_000, 200).catch((error: Error) => {
      throw new Error(`${error.message}\n--- output ---\n${run.output()}`);
    });
    // The script gave its process to the server (exec): the signal reaches Flightdeck itself.
    process.kill(run.child.pid!, 'SIGTERM');
    const code = await run.exited;
    // The output tells why when it did not stop cleanly.
    expect({ code, output: code === 0 ? '' : run.output() }).toEqual({ code: 0, output: '' });
    return run.output();
  } finally {
    try {
      process.kill(-run.child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

async function embeddedPorts(): Promise<Record<string, string>> {
  return { EMBEDDED_REDIS_PORT: String(await freePort()), EMBEDDED_MONGODB_PORT: String(await freePort()) };
}

const installCalls = (calls: string[]) => calls.filter((call) => !call.startsWith('apt-get update'));
const nodeInstall = SYSTEM_NODE_IS_OLD ? [expect.stringMatching(/^npm install .*node@24/)] : [];

(isRoot ? describe : describe.skip)(
  'npm start on a fresh clone (as root, as CI and the developer machines run)',
  () => {
    let clone: FreshClone;
    let env: Record<string, string>;
    beforeAll(async () => {
      clone = makeFreshClone();
      env = await embeddedPorts();
    });
    afterAll(() => rmSync(path.dirname(clone.repo), { recursive: true, force: true }));

    it('installs the services, Node.js 24 and the dependencies, builds, then starts Flightdeck', async () => {
      const output = await startAndStop(clone, env);
      expect(installCalls(clone.calls())).toEqual([
        expect.stringMatching(/^apt-get install .*redis-server/),
        'go env GOVERSION',
        expect.stringMatching(/^go mod download -json github.com\/FerretDB\/FerretDB@v1\.24\.2/),
        expect.stringMatching(/^go build .* \.\/cmd\/ferretdb$/),
        ...nodeInstall,
        'npm ci --no-audit --no-fund',
        'npm run build',
      ]);
      expect(output).toContain('the first run on a fresh machine installs and builds everything');
      for (const stepLine of [
        '[1/5] Redis',
        '[2/5] FerretDB',
        '[3/5] Node.js 24',
        '[4/5] npm dependencies',
        '[5/5] build',
      ]) {
        expect(output).toContain(stepLine);
      }
      // Started on the services it installed, as the contract's embedded default says.
      expect(output).toContain('REDIS_URL not set: using the embedded Redis');
      expect(existsSync(path.join(clone.repo, '.tools', 'bin', 'ferretdb'))).toBe(true);
    });

    it('starts again without repeating any step', async () => {
      const before = clone.calls().length;
      const output = await startAndStop(clone, env);
      expect(installCalls(clone.calls().slice(before))).toEqual([]);
      expect(output).toContain('npm dependencies match package-lock.json');
      expect(output).toContain('the build is current with the sources');
      expect(output).not.toContain('the first run on a fresh machine');
    });

    it('builds again when a source is newer than the build, and installs again when the lock file changed', async () => {
      const later = new Date(Date.now() + 60_000);
      utimesSync(path.join(clone.repo, 'backend', 'src', 'main.ts'), later, later);
      let before = clone.calls().length;
      const rebuilt = runScript(clone, ['prepare', 'start'], {});
      expect(await rebuilt.exited).toBe(0);
      expect(installCalls(clone.calls().slice(before))).toEqual(['npm run build']);

      const evenLater = new Date(Date.now() + 120_000);
      utimesSync(path.join(clone.repo, 'package-lock.json'), evenLater, evenLater);
      before = clone.calls().length;
      const reinstalled = runScript(clone, ['prepare', 'start'], {});
      expect(await reinstalled.exited).toBe(0);
      expect(installCalls(clone.calls().slice(before))).toEqual(['npm ci --no-audit --no-fund', 'npm run build']);
    });
  },
);

describe('npm start where this user cannot install (not root, no sudo)', () => {
  let clone: FreshClone;
  beforeAll(() => {
    clone = makeFreshClone();
    if (isRoot) execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, path.dirname(clone.repo)]);
  });
  afterAll(() => rmSync(path.dirname(clone.repo), { recursive: true, force: true }));

  it('says in one line what is missing and how to install it, and changes nothing', async () => {
    const run = runScript(clone, ['start'], await embeddedPorts(), isRoot);
    expect(await run.exited).toBe(3);
    const output = run.output();
    const missing = output.split('\n').filter((line) => line.includes('missing:'));
    expect(missing).toEqual([
      expect.stringContaining('Install with: sudo apt-get install -y redis-server — or set REDIS_URL'),
    ]);
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
    expect(output).toContain('nothing was started');
    // It stopped at the first thing it could not do: nothing after it ran, nothing half-installed.
    expect(installCalls(clone.calls())).toEqual([]);
    expect(existsSync(path.join(clone.repo, '.tools'))).toBe(false);
    expect(existsSync(path.join(clone.repo, 'node_modules'))).toBe(false);
  });

  it('uses the services it is given (REDIS_URL, MONGODB_URI) and installs the rest in the project', async () => {
    const namespace = testNamespace();
    const output = await startAndStop(
      clone,
      { REDIS_URL: namespace.redisUrl, MONGODB_URI: namespace.mongoUrl, REDIS_PREFIX: namespace.prefix },
      isRoot,
    );
    expect(output).toContain('REDIS_URL is set: using that Redis');
    expect(output).toContain('MONGODB_URI is set: using that MongoDB');
    expect(installCalls(clone.calls())).toEqual([...nodeInstall, 'npm ci --no-audit --no-fund', 'npm run build']);
  });
});
