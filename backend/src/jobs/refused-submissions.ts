import { Job as BullJob, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { isFinalStatus, type Job, type JobStatus } from '@flightdeck/contract';
import type { JobEventStream, RedisKeys } from '@flightdeck/workers';
import type { FairShare } from '../fair-share/fair-share';
import { isServiceUnavailable } from '../ops/service-unavailable';

export interface RefusedSubmissionsOptions {
  redis: Redis;
  keys: RedisKeys;
  events: JobEventStream;
  queueFor(name: string): Queue | undefined;
  /** Fair share: a refused job may wait in its workspace's lane (or in a dispatching batch) instead of BullMQ. */
  fairShare?: FairShare;
  /** Pause between attempts while Redis does not answer. */
  retryMs?: number;
  /** After this long a refusal is no longer undone (Redis stayed away, or keeps failing it). */
  giveUpAfterMs?: number;
}

interface Refusal {
  workspaceId: string;
  jobs: Job[];
  message: string;
  finishedAt: string;
  giveUpAt: number;
}

/** Refusals held at most, so a long outage cannot grow memory without bound. */
const MAX_PENDING = 10_000;

/**
 * Undoes what a refused submission (answered 503 "nothing was queued") left in Redis. When Redis
 * fails under a submission, the `job.queued` event and even the BullMQ add may have been applied
 * with their answers lost, and the undo cannot be written while Redis is away either: the job would
 * be listed `queued` for good and never run. So the undo is kept and retried until Redis answers:
 * a job that BullMQ has is taken out again (if no worker holds it yet: one that does just runs, and
 * ends, as a job should), one whose event made it is announced `failed`, and its idempotency key is
 * freed. Nothing here makes the refused request wait. The undos live in this process's memory: one
 * that exits before Redis is back leaves its refused jobs listed as they were (a known gap, as narrow
 * as a Redis outage that outlasts an API process).
 */
export class RefusedSubmissions {
  private pending: Refusal[] = [];
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;

  constructor(private readonly options: RefusedSubmissionsOptions) {}

  /** Undoes the refused jobs now, or as soon as Redis answers; resolves after the first attempt. */
  refuse(workspaceId: string, jobs: Job[], cause: unknown): Promise<void> {
    if (this.pending.length < MAX_PENDING) {
      this.pending.push({
        workspaceId,
        jobs,
        message: `could not be queued: ${cause instanceof Error ? cause.message : String(cause)}`,
        finishedAt: new Date().toISOString(),
        giveUpAt: Date.now() + (this.options.giveUpAfterMs ?? 10 * 60_000),
      });
    }
    return this.drain();
  }

  /** Refusals not undone yet. */
  get backlog(): number {
    return this.pending.length;
  }

  private drain(): Promise<void> {
    this.draining ??= this.undoPending().finally(() => {
      this.draining = undefined;
      if (this.pending.length > 0 && !this.timer) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          void this.drain();
        }, this.options.retryMs ?? 1_000).unref();
      }
    });
    return this.draining;
  }

  private async undoPending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    for (const refusal of batch) {
      try {
        await this.undo(refusal);
      } catch {
        // Redis is away still (or failed this undo): try again later, until the refusal expires.
        if (Date.now() < refusal.giveUpAt) this.pending.push(refusal);
      }
    }
  }

  private async undo({ workspaceId, jobs, message, finishedAt }: Refusal): Promise<void> {
    const { redis, keys, events } = this.options;
    const failed: Job[] = [];
    for (const job of jobs) {
      // A job a worker runs keeps its idempotency key: a retry with the key gets that job, not a second.
      if (!(await this.takenBack(workspaceId, job))) continue;
      if (job.idempotencyKey) await redis.del(keys.idempotency(workspaceId, job.idempotencyKey));
      const status = await redis.hget(keys.jobSnapshot(job.id), 'status');
      // No snapshot: its event never landed, so there is nothing to tell.
      if (status === null || isFinalStatus(JSON.parse(status) as JobStatus)) continue;
      failed.push(job);
    }
    if (failed.length === 0) return;
    await events.append(
      workspaceId,
      failed.map((job) => ({
        type: 'job.failed',
        jobId: job.id,
        job: { id: job.id, status: 'failed', error: { message }, finishedAt },
      })),
    );
  }

  /** True when BullMQ does not have the job (any more); false when a worker holds it and it will run. */
  private async takenBack(workspaceId: string, job: Job): Promise<boolean> {
    const { fairShare } = this.options;
    if (fairShare?.covers(job.queue)) {
      if (await fairShare.takeOut(workspaceId, job.queue, job.id)) return true;
      await fairShare.settle(job.queue);
    }
    const queue = this.options.queueFor(job.queue);
    if (!queue) return true;
    const bullJob = await BullJob.fromId(queue, job.id);
    if (!bullJob) return true;
    try {
      await bullJob.remove();
      return true;
    } catch (error) {
      if (isServiceUnavailable(error)) throw error;
      return false; // locked: a worker runs it
    }
  }
}
