import type { Redis } from 'ioredis';
import type { Actor, Job, JobLogLine, ListJobLogsQuery, ListJobsQuery, SubmitJob } from '@flightdeck/contract';
import type { JobEventStream, RedisKeys } from '@flightdeck/workers';
import { JobRecordModel } from '../db/models';
import type { Page } from '../db/keyset-pages';
import { NotFoundError } from '../domain-errors';
import type { HistoryWatermark } from '../history/history-watermark';
import type { FairShare } from '../fair-share/fair-share';
import type { JobTypeRegistry } from '../job-types/job-type-registry';
import type { RegisteredQueues } from '../job-types/registered-queues';
import type { JobReader } from './job-reader';
import { listJobLogs, listJobs } from './job-listing';
import { JobQueues } from './job-queues';
import { JobStateChanges } from './job-state-changes';
import { JobSubmission, type Submitted } from './job-submission';
import { RefusedSubmissions } from './refused-submissions';
import type { QueueRegistry } from './queue-registry';

export type { Submitted } from './job-submission';

export interface JobServiceOptions {
  redis: Redis;
  queues: QueueRegistry;
  /** The job types workspaces registered, and the queues their jobs wait in; without them, built-in types only. */
  registry?: JobTypeRegistry;
  registeredQueues?: RegisteredQueues;
  events: JobEventStream;
  keys: RedisKeys;
  reader: JobReader;
  history: HistoryWatermark;
  /** Redis prefix of the channel workers listen on for cancellations. */
  cancelChannel: string;
  idempotencyTtlSeconds: number;
  historyReadWaitMs: number;
  /** Fair share between workspaces on the shared queues; without it every job goes straight to BullMQ. */
  fairShare?: FairShare;
}

/** Jobs `cancelUnfinished` cancels at once. */
const CANCELS_AT_ONCE = 20;

/**
 * Submitting, reading, cancelling and retrying jobs: the rules, without HTTP. The work is done by
 * `JobSubmission` (job-submission.ts), `JobStateChanges` (job-state-changes.ts) and the pages of
 * job-listing.ts; this is the one door the edge and the other services use.
 */
export class JobService {
  private readonly submission: JobSubmission;
  private readonly changes: JobStateChanges;

  constructor(private readonly deps: JobServiceOptions) {
    const queues = new JobQueues(deps.queues, deps.registeredQueues);
    const refused = new RefusedSubmissions({
      redis: deps.redis,
      keys: deps.keys,
      events: deps.events,
      queueFor: (name) => deps.queues.get(name) ?? deps.registeredQueues?.get(name),
      fairShare: deps.fairShare,
    });
    this.submission = new JobSubmission({ ...deps, queues, refused });
    this.changes = new JobStateChanges({ ...deps, queues, get: (workspaceId, id) => this.get(workspaceId, id) });
  }

  /** Submits jobs of one workspace in order, all or none (`JobSubmission.submit`). */
  submit(workspaceId: string, inputs: SubmitJob[], pathPrefix = ''): Promise<Submitted[]> {
    return this.submission.submit(workspaceId, inputs, pathPrefix);
  }

  async get(workspaceId: string, id: string): Promise<Job> {
    const job = await this.deps.reader.find(workspaceId, id);
    if (!job) throw new NotFoundError(`job ${id} not found`);
    return job;
  }

  async list(workspaceId: string, query: ListJobsQuery): Promise<Page<Job>> {
    await this.waitForHistory();
    return listJobs(workspaceId, query);
  }

  /** A job's log lines, oldest first, from history (waiting for it to be current, like lists). */
  async logs(workspaceId: string, id: string, query: ListJobLogsQuery): Promise<Page<JobLogLine>> {
    await this.get(workspaceId, id);
    await this.waitForHistory();
    return listJobLogs(workspaceId, id, query);
  }

  /**
   * Cancels a job; `actor` (who asked) and `activityId` (the activity entry the caller records for it)
   * go into its `job.cancelled` event.
   */
  cancel(workspaceId: string, id: string, actor?: Actor, activityId?: string): Promise<Job> {
    return this.changes.cancel(workspaceId, id, actor, activityId);
  }

  /** Cancels a job only while it waits (queued or delayed); null when it no longer does. Draining uses it. */
  cancelWaiting(workspaceId: string, id: string, actor?: Actor, activityId?: string): Promise<Job | null> {
    return this.changes.cancelWaiting(workspaceId, id, actor, activityId);
  }

  retry(workspaceId: string, id: string, actor?: Actor, activityId?: string): Promise<Job> {
    return this.changes.retry(workspaceId, id, actor, activityId);
  }

  /** A delayed job runs now. */
  promote(workspaceId: string, id: string, actor?: Actor, activityId?: string): Promise<Job> {
    return this.changes.promote(workspaceId, id, actor, activityId);
  }

  /** Waits (a bounded while) until MongoDB history holds every event accepted so far. */
  async waitForHistory(): Promise<void> {
    await this.deps.history.waitUntilCurrent(this.deps.historyReadWaitMs);
  }

  /** Cancels every job of the workspace that has not finished (before the workspace is deleted). */
  async cancelUnfinished(workspaceId: string, actor: Actor): Promise<void> {
    await this.waitForHistory();
    const open = await JobRecordModel.find(
      { workspaceId, status: { $in: ['queued', 'delayed', 'active'] } },
      { _id: 1 },
    ).lean<{ _id: string }[]>();
    // A few at a time: each cancel is a few Redis round trips, and a workspace may have thousands open.
    for (let start = 0; start < open.length; start += CANCELS_AT_ONCE) {
      await Promise.all(
        open
          .slice(start, start + CANCELS_AT_ONCE)
          .map(({ _id: id }) => this.cancel(workspaceId, id, actor).catch(() => undefined)),
      );
    }
    await this.deps.fairShare?.dropWorkspace(workspaceId);
    // Their cancellations land in history before the caller removes it.
    await this.waitForHistory();
  }
}
