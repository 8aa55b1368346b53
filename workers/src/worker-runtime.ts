import { UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { isFinalStatus, type JobStatus } from '@flightdeck/contract';
import { decodeCancellation, type CancellationRequest } from './cancellation';
import { closeRedis, withDeadline } from './deadline';
import { jobArtifacts, type ArtifactStore } from './artifact-store';
import { JobEventStream, type EventStreamOptions } from './event-stream';
import type { JobData } from './job-data';
import { JobHandBack, WorkerShutdownError } from './job-hand-back';
import { JobReporter } from './job-reporter';
import { JOB_TYPES, type AnyJobType } from './job-types';
import { OutboundGuard } from './outbound/outbound-guard';
import { QUEUES, QUEUE_NAMES, type QueueName } from './queues';
import { redisKeys } from './redis-keys';

export interface WorkerRuntimeOptions {
  redisUrl: string;
  /** The job types to run (tests pass their own); every built-in type by default. */
  jobTypes?: ReadonlyMap<string, AnyJobType>;
  /** BullMQ key prefix; Flightdeck's own keys live under it too. */
  prefix: string;
  /** Built-in queues by default; the backend's remote-worker pool names a registered type's queue. */
  queues?: readonly string[];
  /** Overrides each queue's concurrency. */
  concurrency?: number;
  /**
   * The definition that runs a job; by default its name in `jobTypes`. A registered type's name is
   * only unique within its workspace (and its queue), so the remote-worker pool looks it up itself.
   */
  jobTypeFor?: (job: BullJob<JobData>) => AnyJobType | undefined;
  /** How long a worker's lock on a job lasts; a crashed worker's job is picked up again after it. */
  lockDurationMs: number;
  /** Least time between two progress or log events of one job. */
  progressIntervalMs: number;
  events: EventStreamOptions;
  /** Hosts job handlers may call even when they resolve to internal addresses (`OUTBOUND_ALLOWLIST`). */
  outboundAllowlist?: readonly string[];
  /** Where `context.artifacts` reads and writes files; without it, handlers that use artifacts fail. */
  artifacts?: ArtifactStore;
  logger: Logger;
  /** Told of every attempt's end, e.g. to record metrics (the backend passes its prom-client hook). */
  metrics?: WorkerMetricsHook;
}

/** How an attempt ended: `failed` for good, or `retried` (it runs again after its backoff). */
export type JobAttemptOutcome = 'completed' | 'failed' | 'retried' | 'cancelled';

export interface WorkerMetricsHook {
  jobFinished(attempt: { queue: string; type: string; outcome: JobAttemptOutcome; durationSeconds: number }): void;
}

export interface WorkerRuntime {
  /**
   * Stops taking jobs, waits up to `timeoutMs` for active ones, then hands the rest back to their
   * queues and disconnects; ends within `timeoutMs` + `WORKER_CLOSE_SLACK_MS` whatever Redis does.
   */
  close(timeoutMs: number): Promise<void>;
  /** Changes how many jobs each queue's worker runs at once (at least 1). */
  setConcurrency(concurrency: number): void;
  /**
   * Hands one running job back to its queue (its attempt not counted), at the head, or after
   * `retryAfterMs` behind the others; false when it does not run here.
   */
  handBack(jobId: string, retryAfterMs?: number): boolean;
}

/** How long handed-back jobs get to reach their queues (an event and a move each). */
const HAND_BACK_MS = 2_000;
/** How long each Redis connection gets to close politely before it is cut. */
const REDIS_CLOSE_MS = 500;
/** The most `close` takes beyond its `timeoutMs`: the hand-back, the reporters' last events, two closes. */
export const WORKER_CLOSE_SLACK_MS = HAND_BACK_MS + 3 * REDIS_CLOSE_MS;

/** A snapshot's `status` field (JSON); an unreadable one counts as not final. */
function parseStatus(field: string): JobStatus {
  try {
    return JSON.parse(field) as JobStatus;
  } catch {
    return 'queued';
  }
}

class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
}

/** Runs BullMQ workers for the given queues; every job transition becomes an event. */
export async function startWorkers(options: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const { logger } = options;
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', (error) => logger.error({ err: error }, 'worker redis connection error'));
  const keys = redisKeys(options.prefix);
  const outbound = new OutboundGuard({ allowlist: options.outboundAllowlist ?? [] });
  const events = new JobEventStream(connection, keys, options.events);
  // One reporter per attempt (BullMQ hands the processor and the listeners the same job object), so
  // an attempt's final event follows its own progress and logs. `latestReporters` chains a job's next
  // attempt after its previous one.
  const reporters = new Map<BullJob<JobData>, JobReporter>();
  const latestReporters = new Map<string, JobReporter>();
  /** Jobs this process was asked to stop, and who asked: their failure is a cancellation, not an error to retry. */
  const cancelled = new Map<string, CancellationRequest>();
  const handBack = new JobHandBack(logger);
  /** Jobs completed without running because Flightdeck had already finished them: no events for those. */
  const skipped = new Set<string>();

  const reporterFor = (job: BullJob<JobData>): JobReporter => {
    let reporter = reporters.get(job);
    if (!reporter) {
      reporter = new JobReporter(
        job,
        events,
        options.progressIntervalMs,
        (error) => logger.error({ err: error, jobId: job.id }, 'could not append job event'),
        latestReporters.get(job.id as string)?.settled(),
      );
      reporters.set(job, reporter);
      latestReporters.set(job.id as string, reporter);
    }
    return reporter;
  };

  /** Reports the end of an attempt; `report` must emit at once (before the job's next attempt starts). */
  const finish = async (job: BullJob<JobData>, report: (reporter: JobReporter) => Promise<void>) => {
    const reporter = reporterFor(job);
    await report(reporter);
    reporters.delete(job);
    if (latestReporters.get(job.id as string) === reporter) latestReporters.delete(job.id as string);
  };

  const processJob = async (job: BullJob<JobData>, token?: string, cancelSignal?: AbortSignal) => {
    // A job Flightdeck already finished (cancelled while a stalled fair-share dispatcher or a recovery
    // was adding it, or added twice) is completed in BullMQ without running and without events.
    const status = await connection.hget(keys.jobSnapshot(job.id!), 'status');
    if (status !== null && isFinalStatus(parseStatus(status))) {
      skipped.add(job.id!);
      logger.warn({ queue: job.queueName, jobId: job.id, status }, 'job already finished in Flightdeck; not run');
      return undefined;
    }
    // A schedule's run has no snapshot until its first pick-up announces it (a retry, or a pick-up
    // after a crash, finds the snapshot and does not announce it twice).
    if (job.data.scheduleId && job.attemptsMade === 0 && status === null) await reporterFor(job).scheduledRun();
    const definition = options.jobTypeFor ? options.jobTypeFor(job) : (options.jobTypes ?? JOB_TYPES).get(job.name);
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
    // Cancelled while the job was being announced as active.
    if (cancelSignal?.aborted) abort(cancelSignal.reason);
    // A shutdown that can wait no longer stops it too (at once, if it has begun already).
    const release = handBack.track(job.id as string, abort);
    let result: unknown;
    try {
      result = await Promise.race([
        definition.run(parsed.data, {
          jobId: job.id as string,
          attempt: job.attemptsMade + 1,
          signal: controller.signal,
          progress: (percent) => reporter.progress(percent),
          log: (line) => reporter.log(String(line)),
          logger: jobLogger,
          outbound,
          artifacts: jobArtifacts(options.artifacts, job.data.workspaceId, job.id as string),
        }),
        aborted,
      ]);
    } catch (error) {
      if (cancelled.has(job.id as string)) throw new UnrecoverableError('cancelled');
      if (controller.signal.reason instanceof WorkerShutdownError) {
        throw await handBack.returnToQueue(
          job,
          token,
          () => finish(job, (reporter) => reporter.handedBack()),
          controller.signal.reason.retryAfterMs,
        );
      }
      throw error;
    } finally {
      // What is still pending goes out with the attempt's final event (see JobReporter).
      clearTimeout(timer);
      release();
    }
    if (!definition.resultSchema) return result;
    // A handler that breaks its own result contract is a bug: running it again would not help.
    const checked = definition.resultSchema.safeParse(result);
    if (!checked.success) throw new UnrecoverableError(`invalid result: ${z.prettifyError(checked.error)}`);
    return checked.data;
  };

  /** Hands an attempt's end to the metrics hook; a failing hook never disturbs the jobs. */
  const measure = (job: BullJob<JobData>, outcome: JobAttemptOutcome) => {
    if (!options.metrics) return;
    const ended = job.finishedOn ?? Date.now();
    const durationSeconds = job.processedOn ? Math.max(0, ended - job.processedOn) / 1000 : 0;
    try {
      options.metrics.jobFinished({ queue: job.queueName, type: job.name, outcome, durationSeconds });
    } catch (error) {
      logger.warn({ err: error }, 'job metrics hook failed');
    }
  };

  const workers = (options.queues ?? QUEUE_NAMES).map((queue) => {
    const worker = new Worker<JobData>(queue, processJob, {
      connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? QUEUES[queue as QueueName]?.concurrency ?? 1,
      lockDuration: options.lockDurationMs,
      // Check for stalled jobs as often as a lock lasts, so a crashed worker's job is taken over promptly.
      stalledInterval: options.lockDurationMs,
      autorun: false,
    });
    worker.on('error', (error) => logger.error({ err: error, queue }, 'worker error'));
    worker.on('completed', (job, result) => {
      cancelled.delete(job.id as string);
      if (skipped.delete(job.id as string)) return;
      measure(job, 'completed');
      void finish(job, (reporter) => reporter.completed(result));
    });
    worker.on('failed', (job, error) => {
      if (!job) return;
      const request = cancelled.get(job.id as string);
      if (request && cancelled.delete(job.id as string)) {
        measure(job, 'cancelled');
        void finish(job, (reporter) => reporter.cancelled(request.actor, request.activity));
        return;
      }
      const next = job.finishedOn
        ? ('failed' as const)
        : job.getState().then((state) => (state === 'delayed' ? 'delayed' : state === 'failed' ? 'failed' : 'queued'));
      measure(job, job.finishedOn ? 'failed' : 'retried');
      void finish(job, (reporter) => reporter.failed(error.message, next, error.stack));
    });
    return worker;
  });
  // The API publishes the job to stop (and who asked); only the worker running it finds it.
  const subscriber = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  subscriber.on('error', (error) => logger.error({ err: error }, 'cancellation subscriber redis error'));
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== keys.cancellations) return;
    const request = decodeCancellation(message);
    if (!request) return logger.warn({ message }, 'unreadable cancellation message');
    const { jobId } = request;
    // Marked before the abort, so that the processor's failure reads as a cancellation.
    cancelled.set(jobId, request);
    const running = workers.filter((worker) => worker.cancelJob(jobId, 'cancelled'));
    if (running.length === 0) cancelled.delete(jobId);
    else logger.info({ jobId, queue: running[0]!.name }, 'cancelling active job');
  });
  await subscriber.subscribe(keys.cancellations);

  // As BullMQ's own autorun does: a run that fails (its connection closed while it started) is an
  // 'error' event, logged, never an unhandled rejection that ends the process.
  for (const worker of workers) worker.run().catch((error: unknown) => worker.emit('error', error as Error));
  logger.info({ queues: workers.map((worker) => worker.name) }, 'workers started');

  return {
    setConcurrency(concurrency: number) {
      for (const worker of workers) worker.concurrency = Math.max(1, concurrency);
    },
    handBack: (jobId: string, retryAfterMs?: number) => handBack.one(jobId, retryAfterMs),
    async close(timeoutMs: number) {
      // BullMQ's close stops fetching, waits for the active jobs, then closes its own connections.
      const closed = Promise.all(workers.map((worker) => worker.close()));
      closed.catch((error: unknown) => logger.warn({ err: error }, 'closing the workers failed'));
      if ((await withDeadline(closed, timeoutMs)).timedOut) {
        const jobs = handBack.begin();
        logger.warn({ jobs }, 'active jobs did not finish in time; handing them back to their queues');
        // With no job to hand back, or Redis away (nothing can reach the queues), what holds the close
        // is Redis: no use waiting for it.
        const handBackMs = jobs > 0 && connection.status === 'ready' ? HAND_BACK_MS : 0;
        if ((await withDeadline(closed, handBackMs)).timedOut) {
          // Redis is away (or a processor is stuck): cut the workers' own connections.
          logger.warn('workers did not close in time; disconnecting them');
          for (const worker of workers) void worker.disconnect().catch(() => undefined);
        }
      }
      await closeRedis(subscriber, REDIS_CLOSE_MS);
      await withDeadline(Promise.all([...reporters.values()].map((reporter) => reporter.settled())), REDIS_CLOSE_MS);
      await closeRedis(connection, REDIS_CLOSE_MS);
    },
  };
}
