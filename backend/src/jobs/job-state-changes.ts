import type { Job as BullJob } from 'bullmq';
import type { Redis } from 'ioredis';
import { isFinalStatus, type ActivityRef, type Actor, type Job, type PersonActivityAction } from '@flightdeck/contract';
import { encodeCancellation, storedJob, type EventDraft, type JobData, type JobEventStream } from '@flightdeck/workers';
import { ConflictError } from '../domain-errors';
import type { FairShare } from '../fair-share/fair-share';
import { jobData, jobOptions, type JobQueues } from './job-queues';

export interface JobStateChangesOptions {
  redis: Redis;
  queues: JobQueues;
  events: JobEventStream;
  /** Redis prefix of the channel workers listen on for cancellations. */
  cancelChannel: string;
  /** The job, or a 404 (`JobService.get`). */
  get: (workspaceId: string, id: string) => Promise<Job>;
  fairShare?: FairShare;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Cancelling, retrying and promoting one job: whether the action applies to its state (else a
 * conflict), its event — naming who asked (`actor`) and the activity entry the caller records for it
 * (`activityId`) — and the change in BullMQ or in its fair-share lane. People's actions go through
 * `JobActions`, which records the activity and audit entries.
 */
export class JobStateChanges {
  constructor(private readonly deps: JobStateChangesOptions) {}

  async cancel(workspaceId: string, id: string, actor?: Actor, activityId?: string): Promise<Job> {
    const job = await this.deps.get(workspaceId, id);
    if (job.status === 'queued' || job.status === 'delayed') {
      const cancelled = await this.removeWaiting(workspaceId, job, actor, activityId);
      if (cancelled) return cancelled;
      // A worker took it in the meantime: cancel it where it runs.
    } else if (job.status !== 'active') {
      throw new ConflictError('job_not_cancellable', `a ${job.status} job cannot be cancelled`);
    }
    await this.deps.redis.publish(
      this.deps.cancelChannel,
      encodeCancellation({ jobId: id, ...attribution(actor, activityId, 'cancelled') }),
    );
    return this.awaitFinal(workspaceId, id);
  }

  /**
   * Cancels a job the way `cancel` does, but only while it waits (queued or delayed): null when it no
   * longer does (a worker took it, or it ended), and then it is left alone. Draining a queue uses it.
   */
  async cancelWaiting(workspaceId: string, id: string, actor?: Actor, activityId?: string): Promise<Job | null> {
    const job = await this.deps.get(workspaceId, id);
    if (job.status !== 'queued' && job.status !== 'delayed') return null;
    return this.removeWaiting(workspaceId, job, actor, activityId);
  }

  async retry(workspaceId: string, id: string, actor?: Actor, activityId?: string): Promise<Job> {
    const job = await this.deps.get(workspaceId, id);
    if (job.status !== 'failed' && job.status !== 'cancelled') {
      throw new ConflictError(
        'job_not_retryable',
        `a ${job.status} job cannot be retried; only failed or cancelled jobs can`,
      );
    }
    const requeued: Job = {
      ...job,
      status: 'queued',
      progress: 0,
      result: null,
      error: null,
      errorStack: null,
      attemptsMade: 0,
      runAt: null,
      startedAt: null,
      finishedAt: null,
    };
    await this.append(workspaceId, [
      { type: 'job.queued', jobId: id, job: storedJob(requeued), ...attribution(actor, activityId, 'retried') },
    ]);
    const { queues } = this.deps;
    const bullJob = await queues.bullJob(job);
    if (bullJob && (await bullJob.getState()) === 'failed') {
      await bullJob.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    } else {
      await bullJob?.remove().catch(() => undefined);
      await queues.queueFor(job.queue).add(job.type, jobData(workspaceId, job), jobOptions({ ...requeued }));
    }
    return requeued;
  }

  /**
   * A delayed job runs now. Its `job.queued` event is appended before BullMQ moves it to `wait`, so a
   * worker's `job.active` cannot overtake it.
   */
  async promote(workspaceId: string, id: string, actor?: Actor, activityId?: string): Promise<Job> {
    const job = await this.deps.get(workspaceId, id);
    if (job.status !== 'delayed') {
      throw new ConflictError('job_not_promotable', `a ${job.status} job cannot be promoted; only delayed jobs can`);
    }
    const { fairShare } = this.deps;
    const laned = fairShare?.covers(job.queue) ? await fairShare.isDelayed(workspaceId, job.queue, id) : false;
    const bullJob = laned ? undefined : await this.deps.queues.bullJob(job);
    if (!laned && (!bullJob || (await bullJob.getState()) !== 'delayed')) {
      throw new ConflictError('job_not_promotable', 'the job is no longer delayed');
    }
    const queued: Job = { ...job, status: 'queued', runAt: null };
    await this.append(workspaceId, [
      {
        type: 'job.queued',
        jobId: id,
        job: { id, status: 'queued', runAt: null },
        ...attribution(actor, activityId, 'promoted'),
      },
    ]);
    // If it fell due in the meantime, BullMQ refuses (fair share finds it gone), and the job is queued all the same.
    if (laned) await fairShare!.makeDue(workspaceId, job.queue, id);
    else await bullJob!.promote().catch(() => undefined);
    return queued;
  }

  /** Removes a waiting job from BullMQ and announces it cancelled; null when a worker took it first. */
  private async removeWaiting(
    workspaceId: string,
    job: Job,
    actor: Actor | undefined,
    activityId?: string,
  ): Promise<Job | null> {
    const { fairShare, queues } = this.deps;
    let bullJob: BullJob<JobData> | undefined;
    if (fairShare?.covers(job.queue)) {
      // Still in its lane: taken out there, atomically against a dispatch, and it never reaches BullMQ.
      // Else a dispatch took it: once the batches in flight are added, it is in BullMQ (or ran already).
      if (!(await fairShare.takeOut(workspaceId, job.queue, job.id))) {
        bullJob = await queues.bullJob(job);
        if (!bullJob) {
          await fairShare.settle(job.queue);
          bullJob = await queues.bullJob(job);
        }
      }
    } else {
      bullJob = await queues.bullJob(job);
    }
    const removed = bullJob
      ? await bullJob.remove().then(
          () => true,
          () => false,
        )
      : true;
    if (!removed) return null;
    const cancelled = { id: job.id, status: 'cancelled' as const, finishedAt: new Date().toISOString() };
    await this.append(workspaceId, [
      { type: 'job.cancelled', jobId: job.id, job: cancelled, ...attribution(actor, activityId, 'cancelled') },
    ]);
    return { ...job, ...cancelled };
  }

  private append(workspaceId: string, drafts: EventDraft[]): Promise<number[]> {
    return this.deps.events.append(workspaceId, drafts);
  }

  /** After asking a worker to stop a job: its final state, or its state after a short wait. */
  private async awaitFinal(workspaceId: string, id: string): Promise<Job> {
    let job = await this.deps.get(workspaceId, id);
    for (let waited = 0; waited < 3_000 && !isFinalStatus(job.status); waited += 50) {
      await delay(50);
      job = await this.deps.get(workspaceId, id);
    }
    return job;
  }
}

/** What the event of a person's action says of it: who asked, and the activity entry recorded for it. */
function attribution(
  actor: Actor | undefined,
  activityId: string | undefined,
  action: PersonActivityAction,
): { actor?: Actor; activity?: ActivityRef } {
  return { ...(actor ? { actor } : {}), ...(activityId ? { activity: { id: activityId, action } } : {}) };
}
