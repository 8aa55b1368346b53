import { randomBytes } from 'node:crypto';
import { Job as BullJob, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { monotonicFactory } from 'ulid';
import {
  isFinalStatus,
  type ActivityRef,
  type Actor,
  type Job,
  type JobLogLine,
  type ListJobLogsQuery,
  type ListJobsQuery,
  type PersonActivityAction,
  type SubmitJob,
} from '@flightdeck/contract';
import {
  encodeCancellation,
  findJobType,
  storedJob,
  type EventDraft,
  type JobData,
  type JobEventStream,
  type RedisKeys,
} from '@flightdeck/workers';
import { JobLogModel, JobRecordModel } from '../db/models';
import { ConflictError, InvalidInputError, NotFoundError, UnavailableError } from '../domain-errors';
import type { HistoryWatermark } from '../history/history-watermark';
import type { FairShare, LaneJob } from '../fair-share/fair-share';
import type { JobReader } from './job-reader';
import { presentRecord, type JobRecord } from './job-presenter';
import type { JobTypeRegistry, RegisteredJobType } from '../job-types/job-type-registry';
import type { RegisteredQueues } from '../job-types/registered-queues';
import { validatedJobType } from './job-validation';
import { RefusedSubmissions } from './refused-submissions';
import type { QueueRegistry } from './queue-registry';

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

export interface Submitted {
  job: Job;
  /** False when an idempotency key matched an earlier job. */
  created: boolean;
}

const newJobId = monotonicFactory(pooledRandom());
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Jobs `cancelUnfinished` cancels at once. */
const CANCELS_AT_ONCE = 20;

/** Submitting, reading, cancelling and retrying jobs: the rules, without HTTP. */
export class JobService {
  private readonly refused: RefusedSubmissions;

  constructor(private readonly deps: JobServiceOptions) {
    this.refused = new RefusedSubmissions({
      redis: deps.redis,
      keys: deps.keys,
      events: deps.events,
      queueFor: (name) => deps.queues.get(name) ?? deps.registeredQueues?.get(name),
      fairShare: deps.fairShare,
    });
  }

  /**
   * Submits jobs of one workspace in order. Every job is validated before any is queued, so a batch
   * is accepted whole or not at all. A job's `job.queued` event is appended before BullMQ gets the
   * job, so no worker event can overtake it.
   */
  async submit(workspaceId: string, inputs: SubmitJob[], pathPrefix = ''): Promise<Submitted[]> {
    const registered = await this.registeredTypes(workspaceId, inputs);
    const now = Date.now();
    const jobs = inputs.map((input, index) =>
      this.buildJob(input, now, inputs.length > 1 || pathPrefix ? `${pathPrefix}${index}.` : '', registered),
    );
    // Redis away (down, restarting): refuse at once. Queued behind a reconnection, the request would
    // wait seconds for the same 503, and a caller that retries on 503 is better told soon.
    if (this.deps.redis.status !== 'ready')
      throw new UnavailableError('the job queue is unavailable (Redis is reconnecting); nothing was queued, try again');

    // Past the workspace's pending limit the whole batch is refused (429), before anything is claimed.
    const { fairShare } = this.deps;
    const shared = fairShare ? jobs.filter((job) => fairShare.covers(job.queue)).length : 0;
    if (fairShare && shared > 0) await fairShare.checkQuota(workspaceId, shared);

    const existing = await this.claimIdempotencyKeys(workspaceId, jobs);
    const fresh = jobs.filter((job) => !existing.has(job.id));
    if (fresh.length > 0) await this.enqueue(workspaceId, fresh);

    return Promise.all(
      jobs.map(async (job) => {
        const earlierId = existing.get(job.id);
        return earlierId
          ? { job: await this.awaitJob(workspaceId, earlierId), created: false }
          : { job, created: true };
      }),
    );
  }

  async get(workspaceId: string, id: string): Promise<Job> {
    const job = await this.deps.reader.find(workspaceId, id);
    if (!job) throw new NotFoundError(`job ${id} not found`);
    return job;
  }

  async list(workspaceId: string, query: ListJobsQuery): Promise<{ items: Job[]; nextCursor: string | null }> {
    await this.deps.history.waitUntilCurrent(this.deps.historyReadWaitMs);
    const filter = listFilter(workspaceId, query);
    // By creation time, then id: API jobs' ULIDs follow their createdAt, and schedule runs (BullMQ's
    // `repeat:…` ids) are ordered by when they fired.
    const records = await JobRecordModel.find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean<JobRecord[]>();
    const page = records.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor =
      records.length > query.limit && last ? encodeCursor(`${last.createdAt.getTime()}:${last._id}`) : null;
    return { items: page.map((record) => presentRecord(record)), nextCursor };
  }

  /**
   * Cancels a job; `actor` (who asked) and `activityId` (the activity entry the caller records for it)
   * go into its `job.cancelled` event.
   */
  async cancel(workspaceId: string, id: string, actor?: Actor, activityId?: string): Promise<Job> {
    const job = await this.get(workspaceId, id);
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
    const job = await this.get(workspaceId, id);
    if (job.status !== 'queued' && job.status !== 'delayed') return null;
    return this.removeWaiting(workspaceId, job, actor, activityId);
  }

  async retry(workspaceId: string, id: string, actor?: Actor, activityId?: string): Promise<Job> {
    const job = await this.get(workspaceId, id);
    if (job.status !== 'failed' && job.status !== 'cancelled') {
      throw new ConflictError('job_not_retryable', `a ${job.status} job cannot be retried; only failed or cancelled jobs can`);
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
    const bullJob = await this.bullJob(job);
    if (bullJob && (await bullJob.getState()) === 'failed') {
      await bullJob.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    } else {
      await bullJob?.remove().catch(() => undefined);
      await this.queueFor(job.queue).add(job.type, this.jobData(workspaceId, job), this.jobOptions({ ...requeued }));
    }
    return requeued;
  }

  /**
   * A delayed job runs now. Its `job.queued` event is appended before BullMQ moves it to `wait`, so a
   * worker's `job.active` cannot overtake it.
   */
  async promote(workspaceId: string, id: string, actor?: Actor, activityId?: string): Promise<Job> {
    const job = await this.get(workspaceId, id);
    if (job.status !== 'delayed') {
      throw new ConflictError('job_not_promotable', `a ${job.status} job cannot be promoted; only delayed jobs can`);
    }
    const { fairShare } = this.deps;
    const laned = fairShare?.covers(job.queue) ? await fairShare.isDelayed(workspaceId, job.queue, id) : false;
    const bullJob = laned ? undefined : await this.bullJob(job);
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

  /** Waits (a bounded while) until MongoDB history holds every event accepted so far. */
  async waitForHistory(): Promise<void> {
    await this.deps.history.waitUntilCurrent(this.deps.historyReadWaitMs);
  }

  /** Cancels every job of the workspace that has not finished (before the workspace is deleted). */
  async cancelUnfinished(workspaceId: string, actor: Actor): Promise<void> {
    await this.deps.history.waitUntilCurrent(this.deps.historyReadWaitMs);
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
    await this.deps.history.waitUntilCurrent(this.deps.historyReadWaitMs);
  }

  /** A job's log lines, oldest first, from history (waiting for it to be current, like lists). */
  async logs(
    workspaceId: string,
    id: string,
    query: ListJobLogsQuery,
  ): Promise<{ items: JobLogLine[]; nextCursor: string | null }> {
    await this.get(workspaceId, id);
    await this.deps.history.waitUntilCurrent(this.deps.historyReadWaitMs);
    const filter: Record<string, unknown> = { workspaceId, jobId: id };
    if (query.cursor) {
      const { seq, index } = decodeLogCursor(query.cursor);
      filter.$or = [{ seq: { $gt: seq } }, { seq, index: { $gt: index } }];
    }
    const records = await JobLogModel.find(filter)
      .sort({ seq: 1, index: 1 })
      .limit(query.limit + 1)
      .lean<{ seq: number; index: number; line: string; at: Date }[]>();
    const page = records.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((record) => ({ seq: record.seq, line: record.line, at: record.at.toISOString() })),
      nextCursor: records.length > query.limit && last ? encodeCursor(`${last.seq}:${last.index}`) : null,
    };
  }

  /**
   * The workspace's registered types, when the inputs name a type that is not built in (a batch of
   * built-in types asks MongoDB nothing: submitting them works while it is away).
   */
  private async registeredTypes(
    workspaceId: string,
    inputs: SubmitJob[],
  ): Promise<ReadonlyMap<string, RegisteredJobType> | undefined> {
    const names = new Set(inputs.map((input) => input.type).filter((type) => !findJobType(type)));
    if (names.size === 0 || !this.deps.registry) return undefined;
    return this.deps.registry.typesFor(workspaceId, names);
  }

  private buildJob(
    input: SubmitJob,
    now: number,
    path: string,
    registered?: ReadonlyMap<string, RegisteredJobType>,
  ): Job {
    const payload = input.payload ?? {};
    const definition = validatedJobType(input.type, payload, path, registered);
    const delayMs = input.delayMs ?? 0;
    const defaults = definition.defaults ?? {};
    return {
      id: newJobId(now),
      type: input.type,
      queue: definition.queue,
      status: delayMs > 0 ? 'delayed' : 'queued',
      progress: 0,
      payload,
      result: null,
      error: null,
      errorStack: null,
      attemptsMade: 0,
      attempts: input.attempts ?? defaults.attempts ?? 1,
      priority: input.priority ?? 0,
      backoff: input.backoff ?? defaults.backoff ?? null,
      timeoutMs: input.timeoutMs ?? defaults.timeoutMs ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
      webhookUrl: input.webhookUrl ?? null,
      createdAt: new Date(now).toISOString(),
      runAt: delayMs > 0 ? new Date(now + delayMs).toISOString() : null,
      startedAt: null,
      finishedAt: null,
      claimedBy: null,
    };
  }

  /** Claims each job's idempotency key; returns, by new job id, the id of the earlier job that holds the key. */
  private async claimIdempotencyKeys(workspaceId: string, jobs: Job[]): Promise<Map<string, string>> {
    const keyed = jobs.filter((job) => job.idempotencyKey);
    const existing = new Map<string, string>();
    if (keyed.length === 0) return existing;
    const { redis, keys, idempotencyTtlSeconds } = this.deps;
    const claims = redis.pipeline();
    for (const job of keyed) {
      const key = keys.idempotency(workspaceId, job.idempotencyKey!);
      claims.set(key, job.id, 'EX', idempotencyTtlSeconds, 'NX').get(key);
    }
    const answers = (await claims.exec()) ?? [];
    keyed.forEach((job, index) => {
      const [, holder] = answers[index * 2 + 1] ?? [];
      if (typeof holder === 'string' && holder !== job.id) existing.set(job.id, holder);
    });
    return existing;
  }

  private async enqueue(workspaceId: string, jobs: Job[]): Promise<void> {
    try {
      await this.append(
        workspaceId,
        jobs.map((job) => ({
          type: job.status === 'delayed' ? 'job.delayed' : 'job.queued',
          jobId: job.id,
          job: storedJob(job),
        })),
      );
      const byQueue = new Map<string, Job[]>();
      for (const job of jobs) byQueue.set(job.queue, [...(byQueue.get(job.queue) ?? []), job]);
      const { fairShare } = this.deps;
      await Promise.all(
        [...byQueue].map(([queue, queueJobs]) =>
          fairShare?.covers(queue)
            ? fairShare.admit(
                workspaceId,
                queue,
                queueJobs.map((job) => this.laneJob(workspaceId, job)),
              )
            : queueJobs.length === 1
              ? this.queueFor(queue).add(
                  queueJobs[0]!.type,
                  this.jobData(workspaceId, queueJobs[0]!),
                  this.jobOptions(queueJobs[0]!),
                )
              : this.queueFor(queue).addBulk(
                  queueJobs.map((job) => ({
                    name: job.type,
                    data: this.jobData(workspaceId, job),
                    opts: this.jobOptions(job),
                  })),
                ),
        ),
      );
    } catch (error) {
      // Whatever of the append and the add landed is undone (keys freed, events say the jobs failed):
      // now while Redis answers, so the answer finds it done; else once it is back, without waiting.
      const undone = this.refused.refuse(workspaceId, jobs, error);
      if (this.deps.redis.status === 'ready') await undone;
      throw new UnavailableError('the job queue is unavailable; nothing was queued, try again');
    }
  }

  /** A job as fair share admits it: due when its runAt comes, added to BullMQ without a delay then. */
  private laneJob(workspaceId: string, job: Job): LaneJob {
    const { delay: _delay, ...opts } = this.jobOptions(job);
    return {
      id: job.id,
      priority: job.priority,
      dueAt: job.runAt ? Date.parse(job.runAt) : 0,
      name: job.type,
      data: this.jobData(workspaceId, job),
      opts,
    };
  }

  private jobData(workspaceId: string, job: Job): JobData {
    return { workspaceId, payload: job.payload, ...(job.timeoutMs ? { timeoutMs: job.timeoutMs } : {}) };
  }

  private jobOptions(job: Job): JobsOptions {
    const delayMs = job.runAt ? Math.max(0, Date.parse(job.runAt) - Date.now()) : 0;
    return {
      jobId: job.id,
      attempts: job.attempts,
      ...(job.priority ? { priority: job.priority } : {}),
      ...(delayMs ? { delay: delayMs } : {}),
      ...(job.backoff ? { backoff: { type: job.backoff.type, delay: job.backoff.delayMs } } : {}),
    };
  }

  /** Removes a waiting job from BullMQ and announces it cancelled; null when a worker took it first. */
  private async removeWaiting(
    workspaceId: string,
    job: Job,
    actor: Actor | undefined,
    activityId?: string,
  ): Promise<Job | null> {
    const { fairShare } = this.deps;
    let bullJob: BullJob<JobData> | undefined;
    if (fairShare?.covers(job.queue)) {
      // Still in its lane: taken out there, atomically against a dispatch, and it never reaches BullMQ.
      // Else a dispatch took it: once the batches in flight are added, it is in BullMQ (or ran already).
      if (!(await fairShare.takeOut(workspaceId, job.queue, job.id))) {
        bullJob = await this.bullJob(job);
        if (!bullJob) {
          await fairShare.settle(job.queue);
          bullJob = await this.bullJob(job);
        }
      }
    } else {
      bullJob = await this.bullJob(job);
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

  private queueFor(name: string) {
    const queue = this.deps.queues.get(name) ?? this.deps.registeredQueues?.get(name);
    if (!queue) throw new UnavailableError(`queue ${name} is not configured here`);
    return queue;
  }

  private async bullJob(job: Job): Promise<BullJob<JobData> | undefined> {
    return BullJob.fromId<JobData>(this.queueFor(job.queue), job.id);
  }

  /** An earlier job found by its idempotency key; its submitter may still be queueing it. */
  private async awaitJob(workspaceId: string, id: string): Promise<Job> {
    for (let waited = 0; waited < 2_000; waited += 20) {
      const job = await this.deps.reader.find(workspaceId, id);
      if (job) return job;
      await delay(20);
    }
    throw new UnavailableError('the job with this idempotency key is still being submitted; try again');
  }

  /** After asking a worker to stop a job: its final state, or its state after a short wait. */
  private async awaitFinal(workspaceId: string, id: string): Promise<Job> {
    let job = await this.get(workspaceId, id);
    for (let waited = 0; waited < 3_000 && !isFinalStatus(job.status); waited += 50) {
      await delay(50);
      job = await this.get(workspaceId, id);
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

/** ulid's randomness from a pool refilled 4 KiB at a time, not a system call per character. */
function pooledRandom(): () => number {
  let pool = randomBytes(4096);
  let offset = 0;
  return () => {
    if (offset + 4 > pool.length) {
      pool = randomBytes(4096);
      offset = 0;
    }
    const value = pool.readUInt32BE(offset) / 2 ** 32;
    offset += 4;
    return value;
  };
}

/** The relative ranges of the jobs list (`range`), counted back from the request. */
const RANGE_MS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;

/** The MongoDB filter of a jobs list: always the workspace, then every filter the query names. */
function listFilter(workspaceId: string, query: ListJobsQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = { workspaceId };
  const all: Record<string, unknown>[] = [];
  if (query.status) filter.status = query.status;
  if (query.type) filter.type = query.type;
  if (query.queue) filter.queue = query.queue;
  if (query.claimedBy) filter['claimedBy.id'] = query.claimedBy === 'nobody' ? null : query.claimedBy;
  const from = query.range ? new Date(Date.now() - RANGE_MS[query.range]) : query.from && new Date(query.from);
  if (from || query.to) {
    filter.createdAt = {
      ...(from ? { $gte: from } : {}),
      ...(query.to ? { $lt: new Date(query.to) } : {}),
    };
  }
  if (query.q) {
    const text = { $regex: query.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' };
    all.push({ $or: [{ _id: query.q }, { type: text }, { 'error.message': text }] });
  }
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    all.push({
      $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }],
    });
  }
  if (all.length > 0) filter.$and = all;
  return filter;
}

const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');
/** A jobs page's cursor: `<createdAt ms>:<id>` of the last job on the page. */
function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const match = /^(\d{1,15}):([\x21-\x7e]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match)
    throw new InvalidInputError('validation_failed', 'cursor is not valid', [{ path: 'cursor', message: 'unknown cursor' }]);
  return { createdAt: new Date(Number(match[1])), id: match[2]! };
}

function decodeLogCursor(cursor: string): { seq: number; index: number } {
  const match = /^(\d{1,15}):(\d{1,6})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match)
    throw new InvalidInputError('validation_failed', 'cursor is not valid', [{ path: 'cursor', message: 'unknown cursor' }]);
  return { seq: Number(match[1]), index: Number(match[2]) };
}
