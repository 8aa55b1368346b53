import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** The examples/ project's worker (examples/worker.js), as its own process. */
export const EXAMPLE_WORKER_JS = path.resolve(__dirname, '..', '..', '..', 'examples', 'worker.js');

export interface WorkerLine {
  event: 'ready' | 'refused' | 'start' | 'end' | 'error';
  pid: number;
  jobId?: string;
  attempt?: number;
  running?: number;
  message?: string;
}

const live = new Set<ExampleWorker>();

/** A running examples/worker.js and every JSON line it printed. */
export class ExampleWorker {
  readonly lines: WorkerLine[] = [];
  readonly exited: Promise<void>;

  private constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as WorkerLine);
      } catch {
        // not one of ours (a warning): ignore
      }
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Starts it and waits until Flightdeck has registered its types. */
  static async start(
    url: string,
    apiKey: string,
    concurrency: number,
    env: Record<string, string> = {},
  ): Promise<ExampleWorker> {
    const child = spawn(process.execPath, [EXAMPLE_WORKER_JS], {
      cwd: path.dirname(EXAMPLE_WORKER_JS),
      env: {
        ...process.env,
        FLIGHTDECK_URL: url,
        FLIGHTDECK_WORKER_KEY: apiKey,
        CONCURRENCY: String(concurrency),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const worker = new ExampleWorker(child);
    live.add(worker);
    const deadline = Date.now() + 20_000;
    while (!worker.lines.some((line) => line.event === 'ready' || line.event === 'refused')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('the example worker did not start');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return worker;
  }

  /** Jobs it started (each attempt), by job id. */
  started(): string[] {
    return this.lines.filter((line) => line.event === 'start').map((line) => line.jobId!);
  }

  /** The most jobs it ever ran at once. */
  maxRunning(): number {
    return Math.max(0, ...this.lines.filter((line) => line.event === 'start').map((line) => line.running ?? 0));
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
    live.delete(this);
  }
}

export const killAllExampleWorkers = () => Promise.all([...live].map((worker) => worker.kill('SIGKILL')));
