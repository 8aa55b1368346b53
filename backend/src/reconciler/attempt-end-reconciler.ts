import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { JobStatus } from '@flightdeck/contract';
import { closeRedis, type JobChangeDraft, type JobEventStream, type RedisKeys } from '@flightdeck/workers';
import type { RegisteredQueueDirectory } from '../job-types/registered-queue-directory';
import type { QueueRegistry } from '../jobs/queue-registry';
import { reconciledAttemptEnds } from '../metrics';
import { RedisLease } from '../ops/redis-lease';
import { attemptEndDraft, type AttemptEndNotice, type BullJobView, type SnapshotView } from './attempt-end-drafts';
import { BullmqEventFeed, type FeedQueue } from './bullmq-event-feed';

export interface ReconcilerTiming {
  /**
   * How long after BullMQ recorded an attempt's end the reconciler looks at it: the worker's own
   * append normally lands within milliseconds, and when it does the reconciler finds nothing to add.
   */
  graceMs: number;
  /** Pause between reads when BullMQ's streams had nothing more. */
  pollMs: number;
  /** The lease: one reconciler leads at a time; another takes over this long after a leader dies. */
  leaseMs: number;
}

export const RECONCILER_TIMING: ReconcilerTiming = { graceMs: 2_000, pollMs: 250, leaseMs: 10_000 };

/** Notices dealt with per round: two pipelined reads and the appends of their workspaces. */
const BATCH = 2_000;
const SNAPSHOT_FIELDS = ['status', 'attemptsMade', 'workspaceId'] as const;
const JOB_FIELDS = ['data', 'atm', 'failedReason', 'stacktrace', 'finishedOn', 'returnvalue'] as const;

/**
 * Appends the attempt ends BullMQ recorded and no worker announced: a worker that dies (SIGKILL, OOM)
 * after BullMQ moved a job (completed, failed, back to wait or to delayed for a retry) but before
 * its final event left its append lane takes that event with it. BullMQ writes every move into its
 * queue's event stream in the same Lua call as the move, so that stream cannot miss one; this reads
 * it (`BullmqEventFeed`) and, after a grace, appends what the job's snapshot still lacks through the
 * same append script as the workers, guarded by the attempt's number — whichever of the worker's late
 * append and this one comes first lands, the other is skipped, atomically. Everything downstream
 * (workspace stream, sockets, history, webhooks) follows from that one append.
 *
 * The queues of workspaces' registered types are read too (`registered`), as they come into being:
 * a gateway that holds its remote workers' jobs can die like any worker.
 *
 * Runs in every `api` process; one leads at a time (a lease, like the history projector).
 */
export class AttemptEndReconciler {
  private readonly lease: RedisLease;
  private readonly feed: BullmqEventFeed;
  /** Every queue read, by name: Flightdeck's own and the registered ones found so far. */
  private readonly byName = new Map<string, Queue>();
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  /** `redis` is the reconciler's own connection (its reads can be large); `stop` closes it. */
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    queues: QueueRegistry,
    private readonly events: JobEventStream,
    private readonly logger: Logger,
    private readonly timing: ReconcilerTiming = RECONCILER_TIMING,
    /** The queues of workspaces' registered types. */
    private readonly registered?: Pick<RegisteredQueueDirectory, 'all'>,
  ) {
    this.lease = new RedisLease(redis, keys.reconcilerLeader, timing.leaseMs);
    for (const queue of queues.values()) this.byName.set(queue.name, queue);
    this.feed = new BullmqEventFeed(redis, [...queues.values()].map(feedQueueOf), keys.reconcilerCursors);
  }

  /** Starts reading the registered queues that appeared since the last call (the directory caches its list). */
  async addRegisteredQueues(): Promise<void> {
    if (!this.registered) return;
    const added = (await this.registered.all()).filter(({ name }) => !this.byName.has(name));
    if (added.length === 0) return;
    await this.feed.add(added.map(({ queue }) => feedQueueOf(queue)));
    for (const { name, queue } of added) this.byName.set(name, queue);
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.lease.release().catch(() => undefined);
    // Bounded: with Redis away, QUIT would wait in the offline queue.
    await closeRedis(this.redis, 1_000);
  }

  private async run(): Promise<void> {
    let leading = false;
    while (this.running) {
      try {
        if (!(await this.lease.hold())) {
          leading = false;
          await this.pause(1_000);
          continue;
        }
        // Registered queues that cannot be listed now (MongoDB away) are added on a later round.
        await this.addRegisteredQueues().catch((error: unknown) =>
          this.logger.warn({ err: error }, 'registered queues could not be listed; reconciling the others'),
        );
        if (!leading) {
          await this.feed.restart();
          leading = true;
        }
        const { more, gaps } = await this.feed.read();
        if (gaps.length > 0) {
          this.logger.warn(
            { queues: gaps },
            'BullMQ event stream trimmed past the cursor; scanned finished jobs instead',
          );
        }
        const [seconds, micros] = await this.redis.time();
        const dueBy = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - this.timing.graceMs;
        for (let due = this.feed.takeDue(dueBy, BATCH); due.length > 0; due = this.feed.takeDue(dueBy, BATCH)) {
          await this.reconcile(due);
          await this.feed.commit(due);
        }
        await this.feed.commit([]);
        if (!more) await this.pause(this.timing.pollMs);
      } catch (error) {
        if (!this.running) break;
        // Held notices are dropped; the persisted cursor has not passed them, so they are read again.
        leading = false;
        this.logger.error({ err: error }, 'reconciling attempt ends failed; retrying');
        await this.pause(1_000);
      }
    }
  }

  /** Appends what the notices' jobs lack; returns how many events were appended. */
  async reconcile(notices: readonly AttemptEndNotice[]): Promise<number> {
    const snapshots = await this.readSnapshots(notices);
    // Only a snapshot still showing a run can lack its end: most notices stop here, after one read.
    const candidates = notices.flatMap((notice, index) =>
      snapshots[index]!.status === 'active' ? [{ notice, snapshot: snapshots[index]! }] : [],
    );
    if (candidates.length === 0) return 0;
    const jobs = await this.readJobs(candidates.map(({ notice }) => notice));
    const byWorkspace = new Map<string, JobChangeDraft[]>();
    candidates.forEach(({ notice, snapshot }, index) => {
      const reconciled = attemptEndDraft(notice, snapshot, jobs[index]!);
      if (!reconciled) return;
      byWorkspace.set(reconciled.workspaceId, [...(byWorkspace.get(reconciled.workspaceId) ?? []), reconciled.draft]);
    });
    let appended = 0;
    await Promise.all(
      [...byWorkspace].map(async ([workspaceId, drafts]) => {
        const seqs = await this.events.append(workspaceId, drafts);
        drafts.forEach((draft, index) => {
          if (seqs[index] === 0) return;
          appended++;
          reconciledAttemptEnds.inc({ type: draft.type });
          this.logger.warn(
            { jobId: draft.jobId, type: draft.type, attempt: draft.attempt, seq: seqs[index] },
            'appended an attempt end that its worker did not announce',
          );
        });
      }),
    );
    return appended;
  }

  private async readSnapshots(notices: readonly AttemptEndNotice[]): Promise<SnapshotView[]> {
    const pipeline = this.redis.pipeline();
    for (const notice of notices) pipeline.hmget(this.keys.jobSnapshot(notice.jobId), ...SNAPSHOT_FIELDS);
    const answers = (await pipeline.exec()) ?? [];
    return answers.map(([error, value]) => {
      if (error) throw error;
      const [status, attemptsMade, workspaceId] = (value as (string | null)[]).map((field) =>
        field === null ? null : (JSON.parse(field) as unknown),
      );
      return {
        status: (status as JobStatus | null) ?? null,
        attemptsMade: typeof attemptsMade === 'number' ? attemptsMade : null,
        workspaceId: typeof workspaceId === 'string' ? workspaceId : null,
      };
    });
  }

  /** BullMQ's view of each job: its hash, and whether it runs now. */
  private async readJobs(notices: readonly AttemptEndNotice[]): Promise<BullJobView[]> {
    const pipeline = this.redis.pipeline();
    for (const { queue: name, jobId } of notices) {
      const queue = this.byName.get(name)!;
      pipeline.hmget(queue.toKey(jobId), ...JOB_FIELDS);
      pipeline.lpos(queue.keys.active!, jobId);
    }
    const answers = (await pipeline.exec()) ?? [];
    return notices.map((_, index) => {
      const [hashError, hash] = answers[index * 2]!;
      const [activeError, position] = answers[index * 2 + 1]!;
      if (hashError) throw hashError;
      if (activeError) throw activeError;
      const [data, atm, failedReason, stacktrace, finishedOn, returnValue] = hash as (string | null)[];
      return {
        workspaceId: data ? ((JSON.parse(data) as { workspaceId?: string }).workspaceId ?? null) : null,
        attemptsMade: atm === null || atm === undefined ? null : Number(atm),
        running: position !== null,
        failedReason: failedReason ?? null,
        stack: stacktrace ? ((JSON.parse(stacktrace) as string[]).at(-1) ?? null) : null,
        finishedOn: finishedOn ? Number(finishedOn) : null,
        returnValue: returnValue ?? null,
      };
    });
  }

  /** Waits `ms`, or less when `stop` is called. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** The keys of a queue that the feed reads. */
function feedQueueOf(queue: Queue): FeedQueue {
  return { name: queue.name, events: queue.keys.events!, completed: queue.keys.completed!, failed: queue.keys.failed! };
}
