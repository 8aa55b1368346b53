import { randomBytes } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAMES, type JobData, type RedisKeys } from '@flightdeck/workers';
import type { QueueRegistry } from '../jobs/queue-registry';
import { ADMIT } from './admit.script';
import { BatchClears } from './batch-clears';
import { DISPATCH } from './dispatch.script';
import { STARTED_BUCKET_MS } from './fair-share-keys';
import { LANE_CANCEL, LANE_PROMOTE } from './lane-cancel.script';
import { PendingQuota } from './pending-quota';
import { PROMOTE_DUE_LANES } from './promote-due-lanes.script';
import { RECOVER_DISPATCHING } from './recover-dispatching.script';

export interface FairShareOptions {
  /**
   * `FAIR_SHARE`: off = every new job straight to BullMQ (plain FIFO) and no pending limit. It decides
   * admission only: the lane operations (cancel, promote, drain, workspace delete, the dispatcher) run
   * either way, for the jobs a deployment left in the lanes when fair share was switched off.
   */
  enabled: boolean;
  /** `FAIR_DISPATCH_DEPTH`: most jobs kept in BullMQ's wait + prioritized of a shared queue. */
  depth: number;
  defaults: { maxRunning: number | undefined; maxPending: number; weight: number };
}

/** A job to admit: its BullMQ add arguments, its priority and when it is due (0 = now). */
export interface LaneJob {
  id: string;
  priority: number;
  dueAt: number;
  name: string;
  data: JobData;
  opts: JobsOptions;
}

/** One BullMQ add as kept in a lane and in a dispatching batch: `p` (priority) first, for the Lua scripts. */
interface StoredAdd {
  p: number;
  name: string;
  data: JobData;
  opts: JobsOptions & { jobId: string };
}

type Script = (...args: (string | number)[]) => Promise<unknown>;
const SCRIPTS = {
  flightdeckFairAdmit: ADMIT,
  flightdeckFairDispatch: DISPATCH,
  flightdeckFairPromoteDue: PROMOTE_DUE_LANES,
  flightdeckFairLaneCancel: LANE_CANCEL,
  flightdeckFairLanePromote: LANE_PROMOTE,
  flightdeckFairRecover: RECOVER_DISPATCHING,
} as const;

/** Most due jobs one promote script run moves (all workspaces together), and runs per promoteDue call. */
const PROMOTE_PER_CALL = 1_000;
const PROMOTE_ROUNDS = 20;
/**
 * Most workspaces one dispatch looks at, those of lowest pass (the script reads a few keys of each:
 * ~25 ms of Redis for 1,000). Beyond that, a workspace waits until the passes of those served pass its own.
 */
const DISPATCH_WORKSPACES = 1_000;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** This process's mark in its batch ids (random once), and a count: unique without randomness per batch. */
const BATCH_ORIGIN = randomBytes(6).toString('hex');
let batchCount = 0;
const newBatchId = () => `${Date.now().toString(36)}-${BATCH_ORIGIN}-${(batchCount++).toString(36)}`;

/**
 * Fair share's Redis side, for the job service (admission, cancel, promote) and the dispatcher
 * (refill, due lanes, recovery): see docs/design.md, "Fair share". Only Flightdeck's shared queues
 * (`demo`, `http`, `image`) have lanes; a workspace's registered queues are its own already.
 */
export class FairShare {
  /** Called after jobs entered a lane, so the local dispatcher refills at once. */
  onLaned: (queue: string) => void = () => undefined;
  private readonly quota: PendingQuota;
  private readonly clears: BatchClears;

  constructor(
    private readonly redis: Redis,
    readonly keys: RedisKeys,
    readonly queues: QueueRegistry,
    readonly options: FairShareOptions,
  ) {
    for (const [name, lua] of Object.entries(SCRIPTS)) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 0, lua });
    }
    this.quota = new PendingQuota(redis, keys, options.defaults.maxPending);
    this.clears = new BatchClears(redis, keys);
  }

  /**
   * Whether this queue has lanes (a shared queue), whatever `enabled` says: its jobs go through
   * `admit` (which, with fair share off, adds them straight to BullMQ) and a cancel, promote or drain
   * of one of its jobs looks in the lanes first.
   */
  covers(queue: string): boolean {
    return this.queues.has(queue);
  }

  /**
   * Refuses a batch (`quota_exceeded`, which the edge answers 429; nothing queued) that would take the
   * workspace past its pending limit. Checked before the batch's events are appended; concurrent
   * batches of one workspace may together pass the limit by their own sizes, and other API processes
   * by what they admitted in the last 250 ms (see `PendingQuota`).
   */
  async checkQuota(workspaceId: string, count: number): Promise<void> {
    if (this.options.enabled) await this.quota.check(workspaceId, count);
  }

  /** Forgets what this process knows of a workspace's pending limit (it changed here). */
  forgetQuota(workspaceId: string): void {
    this.quota.forget(workspaceId);
  }

  /** Admits jobs of one workspace to one shared queue: into the lane, or (fast path) straight to BullMQ. */
  async admit(workspaceId: string, queue: string, jobs: LaneJob[]): Promise<void> {
    if (!this.options.enabled) return this.addDirect(queue, jobs);
    const batchId = newBatchId();
    const args: (string | number)[] = [
      this.keys.fairPrefix,
      queue,
      workspaceId,
      this.queueNamed(queue).toKey(''),
      this.options.depth,
      this.options.defaults.maxRunning ?? 0,
      Date.now(),
      batchId,
      Math.floor(Date.now() / STARTED_BUCKET_MS),
      jobs.length,
    ];
    for (const job of jobs) {
      const stored: StoredAdd = {
        p: job.priority,
        name: job.name,
        data: job.data,
        opts: { ...job.opts, jobId: job.id },
      };
      args.push(job.id, job.priority, job.dueAt, JSON.stringify(stored));
    }
    const fast = await this.call('flightdeckFairAdmit', args);
    if (fast === 1) {
      const immediate = jobs.filter((job) => job.dueAt === 0);
      try {
        await this.addBatch(
          queue,
          batchId,
          immediate.map((job) => ({ name: job.name, data: job.data, opts: { ...job.opts, jobId: job.id } })),
        );
      } catch (error) {
        // Refused (the caller undoes the batch): its record goes now, so the undo finds the jobs
        // neither in a lane nor on their way (no wait in settle()) and recovery never re-adds them.
        await this.clearBatch(queue, batchId).catch(() => undefined);
        throw error;
      }
    } else {
      this.onLaned(queue);
    }
  }

  /** FAIR_SHARE=off: the jobs straight to BullMQ, a delayed one with its delay. */
  private async addDirect(queue: string, jobs: LaneJob[]): Promise<void> {
    const now = Date.now();
    const adds = jobs.map((job) => ({
      name: job.name,
      data: job.data,
      opts: { ...job.opts, jobId: job.id, ...(job.dueAt > now ? { delay: job.dueAt - now } : {}) },
    }));
    if (adds.length === 1) await this.queueNamed(queue).add(adds[0]!.name, adds[0]!.data, adds[0]!.opts);
    else if (adds.length > 1) await this.queueNamed(queue).addBulk(adds);
  }

  /** Takes a job out of its lane or due-time set: where it was, or null when in neither (dispatched). */
  async takeOut(workspaceId: string, queue: string, jobId: string): Promise<'lane' | 'delayed' | null> {
    const where = await this.call('flightdeckFairLaneCancel', [this.keys.fairPrefix, queue, workspaceId, jobId]);
    return where === 1 ? 'lane' : where === 2 ? 'delayed' : null;
  }

  /** Whether a job waits in its workspace's due-time set of the queue (delayed, not yet in its lane). */
  async isDelayed(workspaceId: string, queue: string, jobId: string): Promise<boolean> {
    return (await this.redis.zscore(this.keys.fairDelayed(queue, workspaceId), jobId)) !== null;
  }

  /** Makes a delayed job of a due-time set due now; false when it is not there. */
  async makeDue(workspaceId: string, queue: string, jobId: string): Promise<boolean> {
    const made = await this.call('flightdeckFairLanePromote', [this.keys.fairPrefix, queue, workspaceId, jobId]);
    if (made === 1) this.onLaned(queue);
    return made === 1;
  }

  /**
   * Waits (at most `timeoutMs`) until the dispatching batches of the queue that exist now are added
   * to BullMQ and cleared, so that a job taken from its lane a moment ago can be found there.
   */
  async settle(queue: string, timeoutMs = 2_000): Promise<void> {
    const batches = await this.redis.zrange(this.keys.fairDispatchingAt(queue), 0, -1);
    if (batches.length === 0) return;
    for (let waited = 0; waited < timeoutMs; waited += 20) {
      const left = await this.redis.hmget(this.keys.fairDispatching(queue), ...batches);
      if (left.every((batch) => batch === null)) return;
      await delay(20);
    }
  }

  /** Job ids waiting in a queue's lanes (and, when asked, its due-time sets), by workspace. */
  async laneJobs(queue: string, withDelayed: boolean): Promise<{ workspaceId: string; jobId: string }[]> {
    const workspaces = await this.redis.smembers(this.keys.fairWorkspaces);
    const pipeline = this.redis.pipeline();
    for (const workspaceId of workspaces) {
      pipeline.zrange(this.keys.fairLane(queue, workspaceId), 0, -1);
      if (withDelayed) pipeline.zrange(this.keys.fairDelayed(queue, workspaceId), 0, -1);
    }
    const answers = (await pipeline.exec()) ?? [];
    const per = withDelayed ? 2 : 1;
    return workspaces.flatMap((workspaceId, index) =>
      answers
        .slice(index * per, index * per + per)
        .flatMap(([, ids]) => (ids as string[] | null) ?? [])
        .map((jobId) => ({ workspaceId, jobId })),
    );
  }

  /** Drops what fair share keeps of a deleted workspace (its jobs are cancelled first). */
  async dropWorkspace(workspaceId: string): Promise<void> {
    const { keys } = this;
    // Jobs still laned (their cancel failed, or history did not list them yet) leave the backlog KEDA counts.
    for (const queue of QUEUE_NAMES) {
      const laned = await this.redis.zrange(keys.fairLane(queue, workspaceId), 0, -1);
      if (laned.length > 0) await this.redis.zrem(keys.fairBacklog(queue), ...laned);
    }
    const names = QUEUE_NAMES.flatMap((queue) => [
      keys.fairLane(queue, workspaceId),
      keys.fairArgs(queue, workspaceId),
      keys.fairDelayed(queue, workspaceId),
    ]);
    const pipeline = this.redis.pipeline().del(...names, keys.fairRunning(workspaceId), keys.fairStarted(workspaceId));
    for (const queue of QUEUE_NAMES)
      pipeline.zrem(keys.fairReady(queue), workspaceId).zrem(keys.fairTimers(queue), workspaceId);
    await pipeline.srem(keys.fairWorkspaces, workspaceId).exec();
  }

  /**
   * One refill of a queue from its lanes: how many jobs it took, BullMQ's depth before, its active jobs,
   * and whether the lanes are blocked (nothing taken although there was room: paused, or every laned
   * workspace at its running limit).
   */
  async dispatch(
    queue: string,
    target: number,
    most: number,
  ): Promise<{ taken: number; depth: number; active: number; blocked: boolean }> {
    const batchId = newBatchId();
    const [taken, depth, batch, active, blocked] = (await this.call('flightdeckFairDispatch', [
      this.keys.fairPrefix,
      queue,
      this.queueNamed(queue).toKey(''),
      target,
      this.options.defaults.maxRunning ?? 0,
      this.options.defaults.weight,
      Date.now(),
      batchId,
      Math.floor(Date.now() / STARTED_BUCKET_MS),
      most,
      DISPATCH_WORKSPACES,
    ])) as [number, number, string, number, number];
    if (taken > 0) await this.addBatch(queue, batchId, JSON.parse(batch) as StoredAdd[]);
    return { taken, depth, active, blocked: blocked === 1 };
  }

  /**
   * Moves due delayed jobs of a queue into their lanes; returns how many. Each script run moves at most
   * PROMOTE_PER_CALL jobs (Redis is blocked while it runs), and one call makes at most PROMOTE_ROUNDS
   * runs; what is still due goes on the next pass.
   */
  async promoteDue(queue: string, now = Date.now()): Promise<number> {
    let moved = 0;
    for (let round = 0; round < PROMOTE_ROUNDS; round++) {
      const [count, stillDue] = (await this.call('flightdeckFairPromoteDue', [
        this.keys.fairPrefix,
        queue,
        now,
        PROMOTE_PER_CALL,
        100,
      ])) as [number, number];
      moved += count;
      if (stillDue === 0) break;
    }
    return moved;
  }

  /**
   * Re-adds the jobs of dispatching batches older than `olderThanMs` that Flightdeck still has
   * waiting and BullMQ does not have, then clears the batches. Returns how many it re-added.
   */
  async recover(queue: string, olderThanMs: number): Promise<number> {
    const now = Date.now();
    const flat = (await this.call('flightdeckFairRecover', [
      this.keys.fairPrefix,
      queue,
      now - olderThanMs,
      now,
      50,
    ])) as string[];
    const bull = this.queueNamed(queue);
    let readded = 0;
    for (let index = 0; index + 1 < flat.length; index += 2) {
      const adds = JSON.parse(flat[index + 1]!) as StoredAdd[];
      const check = this.redis.pipeline();
      for (const add of adds)
        check.hget(this.keys.jobSnapshot(add.opts.jobId), 'status').exists(bull.toKey(add.opts.jobId));
      const answers = (await check.exec()) ?? [];
      const missing = adds.filter((_, at) => {
        const status = answers[at * 2]?.[1] as string | null;
        const present = answers[at * 2 + 1]?.[1] === 1;
        return !present && (status === '"queued"' || status === '"delayed"');
      });
      await this.addBatch(queue, flat[index]!, missing);
      readded += missing.length;
    }
    return readded;
  }

  /** Adds a batch to BullMQ (an id BullMQ already has is left alone), then clears its dispatching record. */
  private async addBatch(queue: string, batchId: string, adds: Omit<StoredAdd, 'p'>[]): Promise<void> {
    if (adds.length === 1) await this.queueNamed(queue).add(adds[0]!.name, adds[0]!.data, adds[0]!.opts);
    else if (adds.length > 1) await this.queueNamed(queue).addBulk(adds);
    await this.clearBatch(queue, batchId);
  }

  private clearBatch(queue: string, batchId: string): Promise<void> {
    return this.clears.clear(queue, batchId);
  }

  private queueNamed(name: string) {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`no shared queue named ${name}`);
    return queue;
  }

  private call(name: keyof typeof SCRIPTS, args: (string | number)[]): Promise<unknown> {
    return (this.redis as unknown as Record<string, Script>)[name]!.call(this.redis, ...args);
  }
}
