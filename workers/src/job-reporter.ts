import type { Job as BullJob } from 'bullmq';
import { JOB_LIMITS, type ActivityRef, type Actor, type JobEventType } from '@flightdeck/contract';
import type { JobChangeDraft, JobEventStream } from './event-stream';
import type { JobData } from './job-data';
import { capStack, type StoredJob } from './job-snapshot';

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
  /** After the attempt's final event: progress and lines of a handler still running are dropped. */
  private ended = false;
  /** The running attempt's number (1 = the first), once it is announced active; it guards progress and logs. */
  private attempt = 0;

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
    // BullMQ's attemptsMade counts the attempts before this one until this one ends.
    this.attempt = this.job.attemptsMade + 1;
    return this.emit('job.active', {
      status: 'active',
      startedAt: iso(this.job.processedOn ?? Date.now()),
      attemptsMade: this.job.attemptsMade,
      error: null,
    });
  }

  progress(percent: number): void {
    if (this.ended) return;
    this.pendingProgress = Math.max(0, Math.min(100, percent));
    this.schedule();
  }

  /**
   * Lines are cut to `JOB_LIMITS.maxLogLineLength` here, at the source: a line travels through the
   * workspace stream (to every subscribed socket), the history stream and MongoDB, and one oversized line would cost at every hop.
   */
  log(line: string): void {
    if (this.ended) return;
    this.pendingLines.push(capLine(line));
    this.schedule();
  }

  completed(result: unknown): Promise<void> {
    // The completed event carries progress 100: a progress update still pending is superseded.
    this.pendingProgress = null;
    return this.final(
      this.ending('job.completed', {
        status: 'completed',
        progress: 100,
        result: result ?? null,
        error: null,
        attemptsMade: this.job.attemptsMade,
        finishedAt: iso(this.job.finishedOn ?? Date.now()),
      }),
    );
  }

  /**
   * After a failed attempt: the final failure, or a retry that is queued or delayed. The next state
   * may still be on its way from Redis; the event keeps its place in the order all the same.
   */
  failed(message: string, nextState: NextState | Promise<NextState>, stack?: string): Promise<void> {
    const error = { message, ...(stack ? { stack: capStack(stack) } : {}) };
    const { attemptsMade } = this.job;
    const finishedAt = iso(this.job.finishedOn ?? Date.now());
    const pending = Promise.resolve(nextState);
    // Its failure is reported by the chain, when its turn comes; until then it is not unhandled.
    pending.catch(() => undefined);
    return this.final(async () => {
      const next = await pending;
      if (next === 'failed') return this.ending('job.failed', { status: 'failed', error, attemptsMade, finishedAt });
      const runAt = next === 'delayed' ? iso(Date.now() + (this.job.delay || 0)) : null;
      return this.ending('job.retrying', { status: next, error, attemptsMade, runAt });
    });
  }

  /** After a run was stopped because the job was cancelled: final, never retried. */
  cancelled(actor?: Actor, activity?: ActivityRef): Promise<void> {
    const draft = this.ending('job.cancelled', {
      status: 'cancelled',
      error: null,
      attemptsMade: this.job.attemptsMade,
      finishedAt: iso(this.job.finishedOn ?? Date.now()),
    });
    if (actor) draft.actor = actor;
    if (activity) draft.activity = activity;
    return this.final(draft);
  }

  /**
   * After a run was stopped because its worker shut down and handed the job back: queued again, at
   * progress 0 (the next attempt starts over), the attempt not counted; never a failure.
   */
  handedBack(): Promise<void> {
    const draft = this.draft('job.queued', {
      status: 'queued',
      progress: 0,
      error: null,
      attemptsMade: this.job.attemptsMade,
    });
    draft.reason = 'shutdown';
    return this.final(draft);
  }

  /** Sends what is pending now, ahead of anything emitted after this call. */
  flush(): void {
    const pending = this.takePending();
    if (pending.length > 0) this.enqueue(() => this.append(pending));
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

  private emit(type: JobEventType, change: Partial<StoredJob> & Pick<StoredJob, 'status'>): Promise<void> {
    const draft = this.draft(type, change);
    return this.enqueue(() => this.append([draft]));
  }

  /**
   * An attempt's last event, with what is still pending (progress, log lines) ahead of it in the
   * same append: one round trip, and nothing pending can land after it.
   */
  private final(last: JobChangeDraft | (() => Promise<JobChangeDraft>)): Promise<void> {
    const pending = this.takePending();
    this.ended = true;
    return this.enqueue(async () => {
      const draft = typeof last === 'function' ? await last() : last;
      await this.append([...pending, draft]);
    });
  }

  /**
   * Takes pending progress and log lines as drafts, guarded by the running attempt's number. The
   * events are their only record (REST reads logs from history): BullMQ's own progress and job log,
   * which nothing reads, would cost a script call in Redis each.
   */
  private takePending(): JobChangeDraft[] {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastFlushAt = Date.now();
    const drafts: JobChangeDraft[] = [];
    if (this.pendingProgress !== null) {
      const progress = this.pendingProgress;
      this.pendingProgress = null;
      drafts.push({
        type: 'job.progress',
        jobId: this.jobId,
        job: { id: this.jobId, status: 'active', progress },
        ...guard(this.attempt),
      });
    }
    if (this.pendingLines.length > 0) {
      const lines = this.pendingLines;
      this.pendingLines = [];
      drafts.push({
        type: 'job.log',
        jobId: this.jobId,
        job: { id: this.jobId, status: 'active' },
        lines,
        ...guard(this.attempt),
      });
    }
    return drafts;
  }

  private draft(type: JobEventType, change: Partial<StoredJob> & Pick<StoredJob, 'status'>): JobChangeDraft {
    return { type, jobId: this.jobId, job: { id: this.jobId, ...change } };
  }

  /**
   * The end of an attempt, guarded by its number (its `attemptsMade`): if the backend's reconciler
   * appended this end already (this process was too slow), the append script skips it.
   */
  private ending(
    type: JobEventType,
    change: Partial<StoredJob> & Pick<StoredJob, 'status' | 'attemptsMade'>,
  ): JobChangeDraft {
    return { ...this.draft(type, change), ...guard(change.attemptsMade) };
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(step).catch(this.onError);
    return this.chain;
  }

  private async append(drafts: JobChangeDraft[]): Promise<void> {
    await this.events.append(this.job.data.workspaceId, drafts);
  }
}

/** The `attempt` guard of a draft (see `JobChangeDraft.attempt`); none for a count that names no attempt. */
function guard(attempt: number): Pick<JobChangeDraft, 'attempt'> {
  return attempt > 0 ? { attempt } : {};
}
