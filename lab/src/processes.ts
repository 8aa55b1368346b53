import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A component of the lab running as a local process, its output in `<logs>/<name>.log`. */
export interface LabProcess {
  name: string;
  child: ChildProcess;
  /** Resolves when it has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logDir: string;
}

/**
 * Starts `command` in a process group of its own (a Ctrl-C reaches only the lab's CLI, which then
 * stops every component in order), its stdout and stderr appended to its log file.
 */
export function startLabProcess(name: string, command: string, args: string[], options: StartOptions): LabProcess {
  mkdirSync(options.logDir, { recursive: true });
  const log = createWriteStream(path.join(options.logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      log.end();
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      log.write(`failed to start: ${error.message}\n`);
      log.end();
      resolve({ code: null, signal: null });
    });
  });
  let done = false;
  void exited.then(() => (done = true));
  return {
    name,
    child,
    exited,
    async stop(graceMs = 30_000) {
      if (done) return;
      signal(child, 'SIGTERM');
      const killed = setTimeout(() => signal(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(killed);
    },
  };
}

/** Signals the process group (the component and whatever it started), falling back to the process. */
function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, name);
  } catch {
    try {
      child.kill(name);
    } catch {
      // Already gone.
    }
  }
}

/** Polls `probe` every `intervalMs` until it is truthy; throws after `timeoutMs`, naming `what`. */
export async function waitUntil(what: string, probe: () => Promise<unknown>, timeoutMs: number, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await probe()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
