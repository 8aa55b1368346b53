import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { progress, sleep } from './progress';
import type { Teardown } from './teardown';

/** An HTTP server running in a child process of the bench, so load and server never share an event loop. */
export interface ServerProcess {
  name: string;
  pid: number;
  baseUrl: string;
  /** `performance.now()` when the child was spawned (a CPU profile's clock starts about then). */
  spawnedAt: number;
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  name: string;
  script: string;
  args?: string[];
  /** Flags for node itself, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** The child's whole environment (nothing else is inherited, so results do not depend on the shell). */
  env?: Record<string, string>;
  port: number;
  /** Answers 200 once the server takes requests. */
  readyPath: string;
  teardown: Teardown;
  startTimeoutMs?: number;
}

/** Starts a Node server child, forwards its output to stderr, and resolves once `readyPath` answers 200. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const { name, port, teardown } = options;
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script, ...(options.args ?? [])], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stderr.write(`  [${name}] ${line}\n`));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stopNow = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(force);
  };
  const stop = teardown.add(`${name} (pid ${child.pid})`, stopNow);

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      await stop();
      throw new Error(`${name} exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready`);
    }
    const ready = await fetch(`${baseUrl}${options.readyPath}`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not answer ${options.readyPath} on ${baseUrl} in time`);
    }
    await sleep(100);
  }
  progress(`${name} is up (pid ${child.pid}, ${baseUrl})`);
  return { name, pid: child.pid, baseUrl, spawnedAt, stop };
}
