import type { Job as BullJob } from 'bullmq';
import { JOB_LIMITS, type Actor, type Job, type JobEventType } from '@flightdeck/contract';
import type { JobChangeDraft, JobEventStream } from './event-stream';
import type { JobData } from './job-data';

/** Where a job goes after a failed attempt. */
export type NextState = 'failed' | 'queued' | 'delayed';

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

const TRUNCATED = '… [truncated]';
/** A log line no longer than `JOB_LIMITS.maxLogLineLength`, marked when it was cut. */
export function capLine(line: string): string {
  const max = JOB_LIMITS.maxLogLineLength;
  if (line.length <= max) return line;
  let end = max - TRUNCATED.length;
  // Do not split a surrogate pair.
  const code = line.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return line.slice(0, end) + TRUNCATED;
}

/**
 * Turns what happens to one running job into events, in order: appends for a job are chained so
 * they land in the order they happened; progress is coalesced (latest wins, at most one update per
 * interval) and log lines are batched, so a chatty handler cannot flood the stream. Final events
 * are never coalesced: pending progress and logs are flushed before them.
 */
export class JobReporter {
  private chain: Promise<void> = Promise.resolve();
  private pendingProgress: number | null = null;
  private pendingLines: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastFlushAt = 0;

  /** `after`: what the job's previous attempt still has to report; this attempt's events follow it. */
  constructor(
    private readonly job: BullJob<JobData>,
    private readonly events: JobEventStream,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
    after?: Promise<void>,
  ) {
    if (after) this.chain = after;
  }

  /**
   * A schedule's run, the first time a worker sees it: BullMQ's job scheduler created it, so no
   * `job.queued` came from the API. This one carries the whole job, like a submit's, and lands before
   * `job.active`, so history and streams tell the run's story like any job's.
   */
  scheduledRun(): Promise<void> {
    const { job } = this;
    const backoff = typeof job.opts.backoff === 'object' ? job.opts.backoff : undefined;
    return this.emit('job.queued', {
      type: job.name,
      queue: job.queueName,
      status: 'queued',
      progress: 0,
      payload: job.data.payload,
      result: null,
      error: null,
      attemptsMade: 0,
      attempts: job.opts.attempts ?? 1,
      priority: job.opts.priority ?? 0,
      backoff:
        backoff?.type === 'fixed' || backoff?.type === 'exponential'
          ? { type: backoff.type as 'fixed' | 'exponential', delayMs: backoff.delay ?? 0 }
          : null,
      timeoutMs: job.data.timeoutMs ?? null,
      idempotencyKey: null,
      webhookUrl: null,
      // When the cron fired (BullMQ made the job one interval earlier, as a delayed job): list order.
      createdAt: new Date(job.timestamp + (job.opts.delay ?? 0)).toISOString(),
      runAt: null,
      startedAt: null,
      finishedAt: null,
    });
  }

  active(): Promise<void> {
    return this.emit('job.active', {
      status: 'active',
      startedAt: iso(this.job.processedOn ?? Date.now()),
      attemptsMade: this.job.attemptsMade,
      error: null,
    });
  }

  progress(percent: number): void {
    this.pendingProgress = Math.max(0, Math.min(100, percent));
    this.schedule();
  }

  /**
   * Lines are cut to `JOB_LIMITS.maxLogLineLength` here, at the source: a line travels through the
   * BullMQ job log, the workspace stream (to every subscribed socket), the history stream and
   * MongoDB, and one oversized line would cost at every hop.
   */
  log(line: string): void {
    this.pendingLines.push(capLine(line));
    this.schedule();
  }

  completed(result: unknown): Promise<void> {
    // The completed event carries progress 100: a progress update still pending is superseded.
    this.pendingProgress = null;
    this.flush();
    return this.emit('job.completed', {
      status: 'completed',
      progress: 100,
      result: result ?? null,
      error: null,
      attemptsMade: this.job.attemptsMade,
      finishedAt: iso(this.job.finishedOn ?? Date.now()),
    });
  }

  /**
   * After a failed attempt: the final failure, or a retry that is queued or delayed. The next state
   * may still be on its way from Redis; the event keeps its place in the order all the same.
   */
  failed(message: string, nextState: NextState | Promise<NextState>, stack?: string): Promise<void> {
    this.flush();
    const error = { message, ...(stack ? { stack: capStack(stack) } : {}) };
    const { attemptsMade } = this.job;
    const finishedAt = iso(this.job.finishedOn ?? Date.now());
    const pending = Promise.resolve(nextState);
    // Its failure is reported by the chain below, when its turn comes; until then it is not unhandled.
    pending.catch(() => undefined);
    return this.enqueue(async () => {
      const next = await pending;
      if (next === 'failed') {
        await this.append(this.draft('job.failed', { status: 'failed', error, attemptsMade, finishedAt }));
        return;
      }
      const runAt = next === 'delayed' ? iso(Date.now() + (this.job.delay || 0)) : null;
      await this.append(this.draft('job.retrying', { status: next, error, attemptsMade, runAt }));
    });
  }

  /** After a run was stopped because the job was cancelled: final, never retried. */
  cancelled(actor?: Actor): Promise<void> {
    this.flush();
    return this.emit(
      'job.cancelled',
      {
        status: 'cancelled',
        error: null,
        attemptsMade: this.job.attemptsMade,
        finishedAt: iso(this.job.finishedOn ?? Date.now()),
      },
      actor,
    );
  }

  /** Sends what is pending now, ahead of anything emitted after this call. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastFlushAt = Date.now();
    if (this.pendingProgress !== null) {
      const progress = this.pendingProgress;
      this.pendingProgress = null;
      this.enqueue(async () => {
        await this.job.updateProgress(progress);
        await this.append({
          type: 'job.progress',
          jobId: this.jobId,
          job: { id: this.jobId, status: 'active', progress },
        });
      });
    }
    if (this.pendingLines.length > 0) {
      const lines = this.pendingLines;
      this.pendingLines = [];
      this.enqueue(async () => {
        await Promise.all(lines.map((line) => this.job.log(line)));
        await this.append({ type: 'job.log', jobId: this.jobId, job: { id: this.jobId, status: 'active' }, lines });
      });
    }
  }

  /** Resolves when everything emitted so far has been appended. */
  settled(): Promise<void> {
    return this.chain;
  }

  private get jobId(): string {
    return this.job.id as string;
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlushAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private emit(type: JobEventType, change: Partial<Job> & Pick<Job, 'status'>, actor?: Actor): Promise<void> {
    const draft = this.draft(type, change);
    if (actor) draft.actor = actor;
    return this.enqueue(() => this.append(draft));
  }

  private draft(type: JobEventType, change: Partial<Job> & Pick<Job, 'status'>): JobChangeDraft {
    return { type, jobId: this.jobId, job: { id: this.jobId, ...change } };
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(step).catch(this.onError);
    return this.chain;
  }

  private async append(draft: JobChangeDraft): Promise<void> {
    await this.events.append(this.job.data.workspaceId, [draft]);
  }
}

/** A stack trace kept short: the first lines say where it broke; whole traces would ride every event. */
function capStack(stack: string): string {
  return stack.split('\n').slice(0, 12).join('\n').slice(0, 4000);
}
