import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { round } from './progress';

/** What a bare endpoint would enqueue for one `demo.sleep` job: its name and the submitter's payload. */
export const RAW_JOB = { name: 'demo.sleep', data: { payload: { ms: 0 } } };

/** Called right before and right after the timed part, e.g. to meter CPU over exactly that window. */
export interface MeasuredWindow {
  start(): Promise<void>;
  stop(jobs: number): Promise<void>;
}

const noWindow: MeasuredWindow = { start: async () => {}, stop: async () => {} };

export interface RateResult {
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
}

function rate(jobs: number, startedAt: number): RateResult {
  const seconds = (performance.now() - startedAt) / 1000;
  return { jobs, seconds: round(seconds, 3), jobsPerSecond: round(jobs / seconds, 1) };
}

/** A producer on its own fail-fast connection (as Flightdeck's API and the bare server have). */
async function withQueue<T>(
  redisUrl: string,
  prefix: string,
  queueName: string,
  use: (queue: Queue) => Promise<T>,
): Promise<T> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  connection.on('error', () => undefined);
  const queue = new Queue(queueName, { connection, prefix });
  try {
    await queue.waitUntilReady();
    return await use(queue);
  } finally {
    await queue.close();
    await connection.quit().catch(() => connection.disconnect());
  }
}

/** Runs `count` calls of `task` with at most `concurrency` in flight. */
async function inFlight(count: number, concurrency: number, task: () => Promise<unknown>): Promise<void> {
  let started = 0;
  const lane = async () => {
    while (started < count) {
      started++;
      await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

/** `queue.add` one job at a time per lane, `concurrency` lanes; after `warmup` adds that are not counted. */
export function measureQueueAdd(
  redisUrl: string,
  prefix: string,
  options: { jobs: number; concurrency: number; warmup: number },
  window = noWindow,
): Promise<RateResult & { concurrency: number }> {
  return withQueue(redisUrl, prefix, 'raw', async (queue) => {
    const add = () => queue.add(RAW_JOB.name, RAW_JOB.data);
    await inFlight(options.warmup, options.concurrency, add);
    await window.start();
    const startedAt = performance.now();
    await inFlight(options.jobs, options.concurrency, add);
    const result = rate(options.jobs, startedAt);
    await window.stop(options.jobs);
    return { ...result, concurrency: options.concurrency };
  });
}

/** `queue.addBulk` of `batchSize` jobs, `batches` times one after another; after `warmupBatches` not counted. */
export function measureAddBulk(
  redisUrl: string,
  prefix: string,
  options: { batches: number; batchSize: number; warmupBatches: number },
  window = noWindow,
): Promise<RateResult & { batches: number; batchSize: number }> {
  return withQueue(redisUrl, prefix, 'raw', async (queue) => {
    const batch = Array.from({ length: options.batchSize }, () => RAW_JOB);
    for (let index = 0; index < options.warmupBatches; index++) await queue.addBulk(batch);
    const jobs = options.batches * options.batchSize;
    await window.start();
    const startedAt = performance.now();
    for (let index = 0; index < options.batches; index++) await queue.addBulk(batch);
    const result = rate(jobs, startedAt);
    await window.stop(jobs);
    return {
      ...result,
      batches: options.batches,
      batchSize: options.batchSize,
    };
  });
}

/**
 * A plain BullMQ `Worker` with a no-op processor over a queue filled beforehand: from `run()` to the
 * last `completed` event.
 */
export async function measureNoopWorker(
  redisUrl: string,
  prefix: string,
  options: { jobs: number; concurrency: number; timeoutMs: number },
  window = noWindow,
): Promise<RateResult & { concurrency: number }> {
  await withQueue(redisUrl, prefix, 'raw', async (queue) => {
    for (let added = 0; added < options.jobs; added += 1000) {
      await queue.addBulk(Array.from({ length: Math.min(1000, options.jobs - added) }, () => RAW_JOB));
    }
  });
  const { hostname, port } = new URL(redisUrl);
  const worker = new Worker('raw', async () => undefined, {
    connection: { host: hostname, port: Number(port), maxRetriesPerRequest: null },
    prefix,
    concurrency: options.concurrency,
    autorun: false,
  });
  worker.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    await worker.waitUntilReady();
    let completed = 0;
    const allDone = new Promise<void>((resolve, reject) => {
      worker.on('completed', () => {
        if (++completed === options.jobs) resolve();
      });
      worker.on('failed', (_job, error) => reject(error));
      timer = setTimeout(
        () => reject(new Error(`the no-op worker completed only ${completed} of ${options.jobs} jobs in time`)),
        options.timeoutMs,
      );
    });
    await window.start();
    const startedAt = performance.now();
    const running = worker.run();
    await Promise.race([allDone, running.then(() => Promise.reject(new Error('the worker stopped early')))]);
    const result = rate(options.jobs, startedAt);
    await window.stop(options.jobs);
    return { ...result, concurrency: options.concurrency };
  } finally {
    clearTimeout(timer);
    await worker.close();
  }
}
