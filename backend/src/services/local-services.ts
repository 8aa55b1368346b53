import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A Redis or FerretDB process this one started (or found already running on its port). */
export interface LocalService {
  name: 'redis' | 'ferretdb';
  url: string;
  dataDir: string;
  /** False when the port already answered and we reused what was there. */
  started: boolean;
  /** The process we started (absent when we reused one): fault tests SIGKILL it. */
  pid?: number;
  stop(): Promise<void>;
}

export class LocalServiceError extends Error {
  override name = 'LocalServiceError';
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port` right now. */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, child: ChildProcess, name: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new LocalServiceError(`${name} exited with code ${child.exitCode} before listening`);
    if (await portAnswers(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new LocalServiceError(`${name} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function launch(
  name: LocalService['name'],
  command: string,
  args: string[],
  port: number,
  dataDir: string,
  url: string,
  ownProcessGroup = false,
): Promise<LocalService> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: ownProcessGroup });
  if (ownProcessGroup) {
    // Out of the terminal's reach, so it must go when we go, however we exit (SIGKILL aside).
    const stopOnExit = () => child.kill('SIGTERM');
    process.once('exit', stopOnExit);
    child.once('exit', () => process.removeListener('exit', stopOnExit));
  }
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error) => reject(new LocalServiceError(`cannot run ${command}: ${error.message}`))),
  );
  try {
    await Promise.race([waitForPort(port, child, name), spawnError]);
  } catch (error) {
    if (error instanceof LocalServiceError && stderr) error.message += `\n${stderr}`;
    throw error;
  }
  return { name, url, dataDir, started: true, pid: child.pid, stop: () => stopChild(child) };
}

export interface RedisServiceOptions {
  port: number;
  dataDir: string;
  /** Append-only file on (durability) or a throw-away in-memory instance. */
  durable: boolean;
  /**
   * How often a durable instance syncs its append-only file: `everysec` (Redis's default) may lose the
   * last second on a crash; `always` loses nothing a client saw acknowledged (the fault tests use it).
   */
  appendFsync?: 'always' | 'everysec';
  /**
   * Run it in a process group of its own, so that a terminal's Ctrl-C reaches only the process
   * that started it, which then stops it in its shutdown order (after the jobs that still need it).
   */
  ownProcessGroup?: boolean;
}

export async function startRedis({
  port,
  dataDir,
  durable,
  appendFsync = 'everysec',
  ownProcessGroup,
}: RedisServiceOptions): Promise<LocalService> {
  const url = `redis://127.0.0.1:${port}`;
  if (await portAnswers(port)) return { name: 'redis', url, dataDir, started: false, stop: async () => {} };
  mkdirSync(dataDir, { recursive: true });
  const persistence = durable
    ? ['--appendonly', 'yes', '--appendfsync', appendFsync, '--save', '']
    : ['--appendonly', 'no', '--save', ''];
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dataDir,
    '--maxmemory-policy',
    'noeviction',
    ...persistence,
  ];
  return launch('redis', 'redis-server', args, port, dataDir, url, ownProcessGroup);
}

export interface FerretDbServiceOptions {
  port: number;
  dataDir: string;
  binary: string;
  database?: string;
  /** A process group of its own: see `RedisServiceOptions.ownProcessGroup`. */
  ownProcessGroup?: boolean;
}

export async function startFerretDb({
  port,
  dataDir,
  binary,
  database = 'flightdeck',
  ownProcessGroup,
}: FerretDbServiceOptions): Promise<LocalService> {
  const url = `mongodb://127.0.0.1:${port}/${database}`;
  if (await portAnswers(port)) return { name: 'ferretdb', url, dataDir, started: false, stop: async () => {} };
  if (!existsSync(binary)) {
    throw new LocalServiceError(
      `FerretDB binary not found at ${binary}: run "npm start" (it installs it), or set MONGODB_URI`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${dataDir}${path.sep}`,
    `--listen-addr=127.0.0.1:${port}`,
    `--state-dir=${dataDir}`,
    '--telemetry=disable',
    '--debug-addr=-',
    '--log-level=warn',
  ];
  return launch('ferretdb', binary, args, port, dataDir, url, ownProcessGroup);
}
