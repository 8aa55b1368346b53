import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { monotonicFactory } from 'ulid';
import type { Job, SubmitJob } from '@flightdeck/contract';
import { findJobType, storedJob, type JobEventStream, type RedisKeys } from '@flightdeck/workers';
import { UnavailableError } from '../domain-errors';
import type { FairShare, LaneJob } from '../fair-share/fair-share';
import type { JobTypeRegistry, RegisteredJobType } from '../job-types/job-type-registry';
import type { JobReader } from './job-reader';
import { jobData, jobOptions, type JobQueues } from './job-queues';
import { validatedJobType } from './job-validation';
import type { RefusedSubmissions } from './refused-submissions';

export interface JobSubmissionOptions {
  redis: Redis;
  queues: JobQueues;
  /** The job types workspaces registered; without it, built-in types only. */
  registry?: JobTypeRegistry;
  events: JobEventStream;
  keys: RedisKeys;
  reader: JobReader;
  refused: RefusedSubmissions;
  idempotencyTtlSeconds: number;
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

/** Submitting jobs: validation, the workspace's quota, idempotency keys, the events, then BullMQ or a lane. */
export class JobSubmission {
  constructor(private readonly deps: JobSubmissionOptions) {}

  /**
   * Submits jobs of one workspace in order. Every job is validated before any is queued, so a batch
   * is accepted whole or not at all. A job's `job.queued` event is appended before BullMQ gets the
   * job, so no worker event can overtake it.
   */
  async submit(workspaceId: string, inputs: SubmitJob[], pathPrefix = ''): Promise<Submitted[]> {
    const registered = await this.registeredTypes(workspaceId, inputs);
    const now = Date.now();
    const jobs = inputs.map((input, index) =>
      buildJob(input, now, inputs.length > 1 || pathPrefix ? `${pathPrefix}${index}.` : '', registered),
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
    const { queues } = this.deps;
    try {
      await this.deps.events.append(
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
                queueJobs.map((job) => laneJob(workspaceId, job)),
              )
            : queueJobs.length === 1
              ? queues
                  .queueFor(queue)
                  .add(queueJobs[0]!.type, jobData(workspaceId, queueJobs[0]!), jobOptions(queueJobs[0]!))
              : queues.queueFor(queue).addBulk(
                  queueJobs.map((job) => ({
                    name: job.type,
                    data: jobData(workspaceId, job),
                    opts: jobOptions(job),
                  })),
                ),
        ),
      );
    } catch (error) {
      // Whatever of the append and the add landed is undone (keys freed, events say the jobs failed):
      // now while Redis answers, so the answer finds it done; else once it is back, without waiting.
      const undone = this.deps.refused.refuse(workspaceId, jobs, error);
      if (this.deps.redis.status === 'ready') await undone;
      throw new UnavailableError('the job queue is unavailable; nothing was queued, try again');
    }
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
}

function buildJob(
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

/** A job as fair share admits it: due when its runAt comes, added to BullMQ without a delay then. */
function laneJob(workspaceId: string, job: Job): LaneJob {
  const { delay: _delay, ...opts } = jobOptions(job);
  return {
    id: job.id,
    priority: job.priority,
    dueAt: job.runAt ? Date.parse(job.runAt) : 0,
    name: job.type,
    data: jobData(workspaceId, job),
    opts,
  };
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
