import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { StreamEvent } from '@flightdeck/contract';
import { redisKeys } from '@flightdeck/workers';
import { freePort } from '../../src/services/local-services';
import { httpClient } from './http-client';
import { closeAllClients, retainedEvents } from './realtime-client';
import { testNamespace } from './test-services';

/** The built server, as `npm start` runs it. */
export const MAIN_JS = path.resolve(__dirname, '..', '..', 'dist', 'main.js');
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface LogLine {
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `undefined` removes a variable from the base environment. */
export type ProcessEnv = Record<string, string | undefined>;

export interface StartProcessOptions {
  /** Sets REDIS_URL, MONGODB_URI and REDIS_PREFIX from a test namespace. */
  namespace?: ReturnType<typeof testNamespace>;
  /** Applied over the base (NODE_ENV=test, LOG_LEVEL=info, a free PORT, a short gateway drain, the namespace). */
  env?: ProcessEnv;
  /** What to wait for before `startProcess` resolves; `false` returns as soon as it is spawned. */
  waitFor?: '/healthz' | '/readyz' | false;
  timeoutMs?: number;
}

const running = new Set<FlightdeckProcess>();

/** A `node backend/dist/main.js` child: its output, its HTTP port and its exit. */
export class FlightdeckProcess {
  private readonly lines: LogLine[] = [];
  private readonly exited: Promise<ExitStatus>;
  private exitStatus: ExitStatus | null = null;

  constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    // 'close', not 'exit': by then every line of its output has been read.
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.exitStatus = { code, signal };
        resolve(this.exitStatus);
      });
    });
    // A process that cannot be spawned at all still "exits", so waiters never hang.
    child.once('error', (error) => {
      this.record('stderr', `spawn error: ${error.message}`);
      if (!this.exitStatus) child.emit('close', null, null);
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      let partial = '';
      child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop()!;
        for (const line of parts) this.record(stream, line);
      });
      child[stream]!.on('end', () => {
        if (partial) this.record(stream, partial);
        partial = '';
      });
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Every line so far; `stream` narrows to stdout or stderr. */
  logs(stream?: LogLine['stream']): string[] {
    return this.lines.filter((entry) => !stream || entry.stream === stream).map((entry) => entry.line);
  }

  /** The stdout lines that are pino JSON records, parsed. */
  logRecords(): Record<string, unknown>[] {
    return this.logs('stdout').flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  get exitedWith(): ExitStatus | null {
    return this.exitStatus;
  }

  /** Sends a signal to the server process only (not to the services it may have started). */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (!this.exitStatus) this.child.kill(signal);
  }

  /** Sends a signal to the server's whole process group, as a terminal's Ctrl-C does. */
  killGroup(signal: NodeJS.Signals = 'SIGINT'): void {
    if (!this.exitStatus) process.kill(-this.pid, signal);
  }

  /** Resolves when the process has exited; rejects after `timeoutMs` with its recent output. */
  async waitForExit(timeoutMs = 30_000): Promise<ExitStatus> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`process ${this.pid} did not exit within ${timeoutMs} ms\n${this.tail()}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Polls `path` until it answers 200; fails early if the process exits first. */
  async waitForHttp(pathname: '/healthz' | '/readyz', timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (this.exitStatus) {
        throw new Error(
          `process exited (${JSON.stringify(this.exitStatus)}) before ${pathname} answered\n${this.tail()}`,
        );
      }
      try {
        const response = await fetch(`${this.url}${pathname}`, { signal: AbortSignal.timeout(2_000) });
        if (response.status === 200) return;
        last = `${response.status} ${await response.text()}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${pathname} did not answer 200 within ${timeoutMs} ms (last: ${last})\n${this.tail()}`);
  }

  /**
   * SIGKILLs the server's process group (the server, and whatever it started without a group of its
   * own; embedded Redis / FerretDB have theirs: see `destroyProcessesUnder`), and waits for it.
   */
  async destroy(): Promise<void> {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // the whole group is gone already
    }
    if (!this.exitStatus) await this.waitForExit(10_000).catch(() => undefined);
    running.delete(this);
  }

  /** The last lines of output, for failure messages. */
  tail(count = 40): string {
    return this.lines
      .slice(-count)
      .map((entry) => `[${entry.stream}] ${entry.line}`)
      .join('\n');
  }

  private record(stream: LogLine['stream'], line: string): void {
    this.lines.push({ stream, line });
    // For debugging: TEST_PROCESS_OUTPUT=<file> collects every child's output there.
    if (process.env.TEST_PROCESS_OUTPUT)
      appendFileSync(process.env.TEST_PROCESS_OUTPUT, `[${this.pid} ${stream}] ${line}\n`);
  }
}

/**
 * Spawns `node backend/dist/main.js` with a clean environment (nothing inherited but PATH and HOME,
 * so a developer's REDIS_URL cannot leak in) and waits until it answers `/healthz` (or `/readyz`).
 * The child leads its own process group, so that `killGroup` can play a terminal's Ctrl-C.
 * Call `destroyAllProcesses()` in afterEach / afterAll.
 */
export async function startProcess(options: StartProcessOptions = {}): Promise<FlightdeckProcess> {
  const port = await freePort();
  const { namespace } = options;
  const env: ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    PORT: String(port),
    // A SIGTERM with sockets open drains them quickly (tests of the drain set their own).
    GATEWAY_DRAIN_DELAY_MS: '0',
    GATEWAY_DRAIN_MS: '1000',
    ...(namespace
      ? { REDIS_URL: namespace.redisUrl, MONGODB_URI: namespace.mongoUrl, REDIS_PREFIX: namespace.prefix }
      : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, [MAIN_JS], {
    cwd: REPO_ROOT,
    env: Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const started = new FlightdeckProcess(child, Number(env.PORT ?? port));
  running.add(started);
  if (options.waitFor !== false) {
    try {
      await started.waitForHttp(options.waitFor ?? '/healthz', options.timeoutMs);
    } catch (error) {
      await started.destroy();
      throw error;
    }
  }
  return started;
}

/**
 * SIGKILLs processes whose command line or working directory lies under `dir` (a test's own temp
 * directory): the embedded Redis / FerretDB a server started in process groups of their own, should
 * the server itself have died without stopping them.
 */
export function destroyProcessesUnder(dir: string): void {
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cmdline.includes(dir) || cwd.startsWith(dir)) process.kill(pid, 'SIGKILL');
    } catch {
      // gone, or not ours to read
    }
  }
}

/** SIGKILLs every process `startProcess` spawned that is still around (and their process groups). */
export async function destroyAllProcesses(): Promise<void> {
  await Promise.all([...running].map((started) => started.destroy()));
}

// Last resort if a test file dies without its afterAll: take the children with us.
process.once('exit', () => {
  for (const started of running) {
    try {
      process.kill(-started.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
});

/**
 * A scaled deployment in miniature on a fresh namespace: one process runs the API and the workers,
 * two run only the gateway (with `gatewayEnv` on top). `destroyAllProcesses` stops them.
 */
export async function startScaledDeployment(gatewayEnv: ProcessEnv = {}) {
  const namespace = testNamespace();
  const apiKey = `fd_test_${randomBytes(16).toString('hex')}`;
  const api = await startProcess({
    namespace,
    env: { ROLES: 'api,worker', BOOTSTRAP_API_KEY: apiKey },
    waitFor: '/readyz',
  });
  const gateway = () =>
    startProcess({
      namespace,
      env: { ROLES: 'gateway', BOOTSTRAP_API_KEY: apiKey, ...gatewayEnv },
      waitFor: '/readyz',
    });
  const gateways = (await Promise.all([gateway(), gateway()])) as [FlightdeckProcess, FlightdeckProcess];
  const redis = new Redis(namespace.redisUrl);
  const keys = redisKeys(namespace.prefix);
  return {
    apiKey,
    api,
    gateways,
    http: httpClient(api.url, apiKey),
    redis,
    /** What the workspace's stream in Redis retains, found through one of its jobs' snapshot. */
    async streamOf(jobId: string): Promise<StreamEvent[]> {
      const workspaceId = JSON.parse((await redis.hget(keys.jobSnapshot(jobId), 'workspaceId'))!) as string;
      return retainedEvents(redis, keys, workspaceId);
    },
    async stop() {
      await destroyAllProcesses();
      await redis.quit();
    },
  };
}
export type ScaledDeployment = Awaited<ReturnType<typeof startScaledDeployment>>;

/**
 * For a test file: a scaled deployment (`startScaledDeployment`) started before all its tests; after
 * them, every RealtimeClient is closed and the deployment stopped.
 */
export function scaledDeploymentForFile(gatewayEnv: ProcessEnv = {}): Omit<ScaledDeployment, 'stop'> {
  let deployment: ScaledDeployment | undefined;
  beforeAll(async () => {
    deployment = await startScaledDeployment(gatewayEnv);
  });
  afterAll(async () => {
    closeAllClients();
    await deployment?.stop();
  });
  const started = (): ScaledDeployment => {
    if (!deployment) throw new Error('the scaled deployment starts in beforeAll');
    return deployment;
  };
  return {
    get apiKey() {
      return started().apiKey;
    },
    get api() {
      return started().api;
    },
    get gateways() {
      return started().gateways;
    },
    get http() {
      return started().http;
    },
    get redis() {
      return started().redis;
    },
    streamOf: (jobId) => started().streamOf(jobId),
  };
}
