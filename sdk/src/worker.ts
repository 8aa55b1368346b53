import { io, type Socket } from 'socket.io-client';
import {
  WORKER_SOCKET_PATH,
  type ServerToWorkerEvents,
  type WorkerHelloAck,
  type WorkerJob,
  type WorkerToServerEvents,
} from '@flightdeck/contract';
import { FlightdeckError } from './errors';
import { registrationOf, type AnyJobTypeDefinition } from './job-type';
import { SDK_VERSION } from './version';

/** Throw it from `run` for a failure that retrying cannot fix: the job fails at once, whatever its attempts. */
export class UnrecoverableJobError extends Error {
  override name = 'UnrecoverableJobError';
}

export interface WorkerOptions {
  /** Flightdeck's URL. The worker needs nothing else of it: no Redis, no MongoDB. */
  url: string;
  /** An API key of the workspace with the scope `workers:run`. */
  apiKey: string;
  types: AnyJobTypeDefinition[];
  /** Jobs this process runs at once (1–100); Flightdeck never sends it more. 10 by default. */
  concurrency?: number;
  /** Told of what goes wrong outside a job (a refused registration, a lost connection). */
  onError?(error: Error): void;
}

export interface RunningWorker {
  /** Settles once Flightdeck has registered the types and sends jobs (rejects when it refused them). */
  readonly ready: Promise<{ workerId: string; types: { name: string; version: number; queue: string }[] }>;
  /** Jobs running now. */
  inFlight(): number;
  /**
   * Stops: takes no new jobs, waits up to `timeoutMs` (default 10 s) for the running ones, then stops
   * them and leaves; Flightdeck hands what did not finish back to its queue, and it runs elsewhere.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

type WorkerSocket = Socket<ServerToWorkerEvents, WorkerToServerEvents>;

const DEFAULT_CONCURRENCY = 10;
/** Least time between two progress reports of a job: a chatty handler cannot flood the connection. */
const PROGRESS_EVERY_MS = 100;
const ACK_TIMEOUT_MS = 10_000;

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Runs your job types: connects to Flightdeck's gateway with a workspace key, registers the types,
 * and runs the jobs it is sent, at most `concurrency` at once, reporting progress, log lines, results
 * and failures. Reconnects by itself; jobs it was running when the connection dropped are stopped
 * (Flightdeck hands them to another worker after a short grace).
 */
export function startWorker(options: WorkerOptions): RunningWorker {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const definitions = new Map(options.types.map((definition) => [definition.name, definition]));
  const running = new Map<string, Running>();
  const hello = {
    sdkVersion: SDK_VERSION,
    concurrency,
    types: options.types.map((definition) => ({ name: definition.name, registration: registrationOf(definition) })),
  };
  const socket: WorkerSocket = io(options.url, {
    path: WORKER_SOCKET_PATH,
    auth: { token: options.apiKey },
    transports: ['websocket'],
  });
  let settle!: { resolve: (value: Extract<WorkerHelloAck, { ok: true }>) => void; reject: (error: Error) => void };
  const ready = new Promise<Extract<WorkerHelloAck, { ok: true }>>((resolve, reject) => (settle = { resolve, reject }));
  ready.catch(() => undefined);
  const report = (error: Error) => options.onError?.(error);

  socket.on('connect', () => {
    socket.timeout(ACK_TIMEOUT_MS).emit('hello', hello, (timeout: Error | null, ack: WorkerHelloAck) => {
      if (timeout) return report(new Error('Flightdeck did not answer the registration in time'));
      if (ack.ok) return settle.resolve(ack);
      // A refused registration (bad schema, built-in name) does not get better by reconnecting.
      const error = new FlightdeckError(422, ack.error.code, ack.error.message);
      settle.reject(error);
      report(error);
      socket.disconnect();
    });
  });
  socket.on('connect_error', (error: Error & { data?: { code?: string; message?: string } }) => {
    const code = error.data?.code;
    if (code !== 'unauthorized' && code !== 'forbidden') return report(error);
    const refusal = new FlightdeckError(code === 'forbidden' ? 403 : 401, code, error.data?.message ?? error.message);
    settle.reject(refusal);
    report(refusal);
    socket.disconnect();
  });
  socket.on('disconnect', (reason) => {
    // The dispatches were this connection's: Flightdeck hands them back; stop them here.
    for (const job of running.values()) job.controller.abort(new Error(`connection lost (${reason})`));
  });
  socket.on('cancel', ({ dispatchId, reason }) => running.get(dispatchId)?.controller.abort(new Error(reason)));
  socket.on('job', (job) => {
    const controller = new AbortController();
    const done = runJob(socket, definitions.get(job.type), job, controller.signal).finally(() =>
      running.delete(job.dispatchId),
    );
    running.set(job.dispatchId, { controller, done });
  });

  return {
    ready,
    inFlight: () => running.size,
    async close({ timeoutMs = 10_000 } = {}) {
      // First no new jobs, then the running ones get their time.
      if (socket.connected && timeoutMs > 0)
        await new Promise<void>((resolve) => socket.timeout(ACK_TIMEOUT_MS).emit('drain', {}, () => resolve()));
      const all = Promise.all([...running.values()].map((job) => job.done));
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
      for (const job of running.values()) job.controller.abort(new Error('the worker is closing'));
      socket.disconnect();
    },
  };
}

/** Runs one job and reports its end once (its slot frees when Flightdeck hears of it). */
async function runJob(
  socket: WorkerSocket,
  definition: AnyJobTypeDefinition | undefined,
  job: WorkerJob,
  signal: AbortSignal,
): Promise<void> {
  const { dispatchId } = job;
  let pendingProgress: number | undefined;
  let lastProgressAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flushProgress = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pendingProgress === undefined) return;
    socket.emit('progress', { dispatchId, percent: pendingProgress });
    pendingProgress = undefined;
    lastProgressAt = Date.now();
  };
  const fail = (error: unknown, unrecoverable: boolean) => {
    flushProgress();
    const failure = error instanceof Error ? error : new Error(String(error));
    return emitWithAck(socket, 'fail', {
      dispatchId,
      message: failure.message.slice(0, 4096),
      ...(failure.stack ? { stack: failure.stack.slice(0, 16_384) } : {}),
      unrecoverable: unrecoverable || failure instanceof UnrecoverableJobError,
    });
  };

  if (!definition) return fail(new Error(`this worker does not run "${job.type}"`), false);
  const payload = definition.payload.safeParse(job.payload);
  if (!payload.success) return fail(new Error(`invalid payload: ${payload.error.message}`), true);
  try {
    const result = await definition.run(payload.data, {
      jobId: job.jobId,
      attempt: job.attempt,
      signal,
      progress(percent) {
        if (signal.aborted) return;
        pendingProgress = Math.min(100, Math.max(0, Number(percent) || 0));
        const wait = lastProgressAt + PROGRESS_EVERY_MS - Date.now();
        if (wait <= 0) flushProgress();
        else timer ??= setTimeout(flushProgress, wait);
      },
      log(line) {
        if (!signal.aborted) socket.emit('log', { dispatchId, line: String(line).slice(0, 32_768) });
      },
    });
    if (definition.result) {
      const checked = definition.result.safeParse(result);
      if (!checked.success) return await fail(new Error(`invalid result: ${checked.error.message}`), true);
      flushProgress();
      return await emitWithAck(socket, 'complete', { dispatchId, result: checked.data });
    }
    flushProgress();
    await emitWithAck(socket, 'complete', { dispatchId, result: result ?? null });
  } catch (error) {
    await fail(error, false);
  }
}

/** Sends an end report; with no connection it is dropped (Flightdeck hands the job back meanwhile). */
function emitWithAck(
  socket: WorkerSocket,
  event: 'complete' | 'fail',
  report: Parameters<WorkerToServerEvents['complete' | 'fail']>[0],
): Promise<void> {
  return new Promise((resolve) => {
    if (!socket.connected) return resolve();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one helper for both end reports
    (socket.timeout(ACK_TIMEOUT_MS) as any).emit(event, report, () => resolve());
  });
}
