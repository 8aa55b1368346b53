import { DelayedError, WaitingError, type Job as BullJob } from 'bullmq';
import type { Logger } from 'pino';
import type { JobData } from './job-data';

/**
 * The reason a running handler's `AbortSignal` carries when its worker shuts down before the handler
 * ends: the job goes back to its queue, and another worker runs it.
 */
export class WorkerShutdownError extends Error {
  override name = 'WorkerShutdownError';
  /**
   * `retryAfterMs`: the job waits this long before it can be taken again, behind the others (a job
   * nobody here can run now must not stay at the head of its queue, in front of jobs others can).
   */
  constructor(readonly retryAfterMs?: number) {
    super('the worker is shutting down: the job goes back to its queue');
  }
}

/**
 * Hands running jobs back to their queues when a shutdown cannot wait for them any longer.
 *
 * BullMQ's `worker.close(true)` does not do it: it only stops waiting for the jobs (and a second
 * `close()` returns the first one's promise), so the process is killed with the jobs still locked,
 * they stall, and a second stall fails them. Instead each running attempt's signal fires with a
 * `WorkerShutdownError`; its processor announces the job as queued again, moves it from active to
 * wait with its lock token (`Job.moveToWait`: `attemptsMade` unchanged, the job at the head of its
 * queue) and throws BullMQ's `WaitingError`, which tells the worker that the processor moved the job
 * itself: no failure is recorded and no `failed` event fires.
 */
export class JobHandBack {
  private readonly running = new Map<string, (reason: WorkerShutdownError) => void>();
  private begun = false;

  constructor(private readonly logger: Logger) {}

  /** Whether the shutdown has asked running jobs to go back. */
  get requested(): boolean {
    return this.begun;
  }

  /**
   * Registers a running attempt and how to stop its handler; returns its release. An attempt that
   * starts once the hand-back has begun is stopped at once.
   */
  track(jobId: string, abort: (reason: WorkerShutdownError) => void): () => void {
    if (this.begun) abort(new WorkerShutdownError());
    this.running.set(jobId, abort);
    return () => {
      if (this.running.get(jobId) === abort) this.running.delete(jobId);
    };
  }

  /** Tells one running handler to stop, its attempt ending in `returnToQueue`; false when it does not run here. */
  one(jobId: string, retryAfterMs?: number): boolean {
    const abort = this.running.get(jobId);
    abort?.(new WorkerShutdownError(retryAfterMs));
    return abort !== undefined;
  }

  /** Tells every running handler to stop (their attempts end in `returnToQueue`); returns how many. */
  begin(): number {
    this.begun = true;
    for (const abort of this.running.values()) abort(new WorkerShutdownError());
    return this.running.size;
  }

  /**
   * Returns a stopped attempt's job to its queue; the processor throws what this resolves to.
   * `announce` comes first and is awaited: once the job is back in its queue another worker may
   * take it at once, and its `job.active` must come after this `job.queued`.
   */
  async returnToQueue(
    job: BullJob<JobData>,
    token: string | undefined,
    announce: () => Promise<void>,
    retryAfterMs?: number,
  ) {
    await announce();
    try {
      if (retryAfterMs) {
        // BullMQ's manual delay: the processor moved the job itself, so no failure is recorded.
        await job.moveToDelayed(Date.now() + retryAfterMs, token);
        this.logger.info({ jobId: job.id, queue: job.queueName, retryAfterMs }, 'job handed back for later');
        return new DelayedError();
      }
      await job.moveToWait(token);
      this.logger.info({ jobId: job.id, queue: job.queueName }, 'job handed back to its queue');
    } catch (error) {
      // The lock was lost (another worker took the job after a stall) or Redis is away: the job is
      // not ours to move any more, or it stalls and BullMQ's stalled-job check moves it later.
      this.logger.warn(
        { err: error, jobId: job.id },
        'could not hand the job back; it is left to the stalled-job check',
      );
    }
    return new WaitingError();
  }
}
