import { UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { JobEventStream, type EventStreamOptions } from './event-stream';
import type { JobData } from './job-data';
import { JobReporter } from './job-reporter';
import { findJobType } from './job-types';
import { QUEUES, QUEUE_NAMES, type QueueName } from './queues';
import { redisKeys } from './redis-keys';

export interface WorkerRuntimeOptions {
  redisUrl: string;
  /** BullMQ key prefix; Flightdeck's own keys live under it too. */
  prefix: string;
  queues?: QueueName[];
  /** Overrides each queue's concurrency. */
  concurrency?: number;
  /** How long a worker's lock on a job lasts; a crashed worker's job is picked up again after it. */
  lockDurationMs: number;
  /** Least time between two progress or log events of one job. */
  progressIntervalMs: number;
  events: EventStreamOptions;
  logger: Logger;
}

export interface WorkerRuntime {
  /** Stops taking jobs, waits up to `timeoutMs` for active ones, then hands the rest back and disconnects. */
  close(timeoutMs: number): Promise<void>;
}

class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
}

/** Runs BullMQ workers for the given queues; every job transition becomes an event. */
export async function startWorkers(options: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const { logger } = options;
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', (error) => logger.error({ err: error }, 'worker redis connection error'));
  const events = new JobEventStream(connection, redisKeys(options.prefix), options.events);
  const reporters = new Map<string, JobReporter>();

  const reporterFor = (job: BullJob<JobData>): JobReporter => {
    let reporter = reporters.get(job.id as string);
    if (!reporter) {
      reporter = new JobReporter(job, events, options.progressIntervalMs, (error) =>
        logger.error({ err: error, jobId: job.id }, 'could not append job event'),
      );
      reporters.set(job.id as string, reporter);
    }
    return reporter;
  };

  const processJob = async (job: BullJob<JobData>, _token?: string, cancelSignal?: AbortSignal) => {
    const definition = findJobType(job.name);
    if (!definition) throw new UnrecoverableError(`unknown job type "${job.name}"`);
    const parsed = definition.payloadSchema.safeParse(job.data.payload);
    if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${z.prettifyError(parsed.error)}`);

    const jobLogger = logger.child({
      queue: job.queueName,
      type: job.name,
      jobId: job.id,
      attempt: job.attemptsMade + 1,
    });
    const reporter = reporterFor(job);
    await reporter.active();

    const controller = new AbortController();
    const abort = (reason: unknown) => controller.abort(reason);
    cancelSignal?.addEventListener('abort', () => abort(cancelSignal.reason), { once: true });
    const timeoutMs = job.data.timeoutMs ?? definition.defaults?.timeoutMs;
    const timer = timeoutMs
      ? setTimeout(() => abort(new JobTimeoutError(`timed out after ${timeoutMs} ms`)), timeoutMs)
      : undefined;
    // A handler that ignores its signal still ends its attempt when the signal fires.
    const aborted = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
    );
    try {
      return await Promise.race([
        definition.run(parsed.data, {
          jobId: job.id as string,
          attempt: job.attemptsMade + 1,
          signal: controller.signal,
          progress: (percent) => reporter.progress(percent),
          log: (line) => reporter.log(String(line)),
          logger: jobLogger,
        }),
        aborted,
      ]);
    } finally {
      clearTimeout(timer);
      reporter.flush();
    }
  };

  const finish = async (job: BullJob<JobData>, report: (reporter: JobReporter) => Promise<void>) => {
    const reporter = reporterFor(job);
    await report(reporter);
    reporters.delete(job.id as string);
  };

  const workers = (options.queues ?? QUEUE_NAMES).map((queue) => {
    const worker = new Worker<JobData>(queue, processJob, {
      connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? QUEUES[queue].concurrency,
      lockDuration: options.lockDurationMs,
      autorun: false,
    });
    worker.on('error', (error) => logger.error({ err: error, queue }, 'worker error'));
    worker.on('completed', (job, result) => void finish(job, (reporter) => reporter.completed(result)));
    worker.on('failed', (job, error) => {
      if (!job) return;
      void finish(job, async (reporter) => {
        const state = job.finishedOn ? 'failed' : await job.getState();
        const next = state === 'delayed' ? 'delayed' : state === 'failed' ? 'failed' : 'queued';
        await reporter.failed(error.message, next);
      });
    });
    return worker;
  });
  for (const worker of workers) void worker.run();
  logger.info({ queues: workers.map((worker) => worker.name) }, 'workers started');

  return {
    async close(timeoutMs: number) {
      const graceful = Promise.all(workers.map((worker) => worker.close()));
      const expired = new Promise<'expired'>((resolve) => setTimeout(() => resolve('expired'), timeoutMs).unref());
      if ((await Promise.race([graceful, expired])) === 'expired') {
        logger.warn('active jobs did not finish in time; handing them back');
        await Promise.all(workers.map((worker) => worker.close(true)));
      }
      await Promise.all([...reporters.values()].map((reporter) => reporter.settled()));
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
