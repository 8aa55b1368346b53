import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisKeys } from '@flightdeck/workers';
import type { RegisteredQueueDirectory } from '../job-types/registered-queue-directory';
import { dueJobsPromoted } from '../metrics';
import { RedisLease } from '../ops/redis-lease';
import { PROMOTE_DUE_JOBS } from './promote-due-jobs.script';
import type { QueueRegistry } from './queue-registry';
import { WakeablePause } from '../wakeable-pause';

export interface DueJobPromoterOptions {
  /** Pause between two passes over the queues (`DUE_JOB_POLL_MS`). */
  pollMs: number;
  /** Most jobs of one queue that one script call moves; a larger backlog takes more calls at once. */
  batch?: number;
  /** The queues of workspaces' registered types, looked after like Flightdeck's own. */
  registered?: Pick<RegisteredQueueDirectory, 'all'>;
}

/** Most jobs one call moves: it runs atomically in Redis, so it is kept short. */
const DEFAULT_BATCH = 1_000;

type PromoteDueJobs = (...args: (string | number)[]) => Promise<[number, number]>;

/**
 * Moves due delayed jobs to `wait` while a queue may have no worker. In BullMQ 6 only a running worker
 * (`moveToActive`) promotes due delayed jobs, and KEDA counts `wait`, `prioritized` and `active` but
 * never `delayed`: at zero workers a delayed job, a retry waiting out its backoff and a schedule's
 * next run would wait for ever. This does BullMQ's own promotion (`PROMOTE_DUE_JOBS`) every `pollMs`
 * for every job queue, so KEDA sees the job and wakes a worker. That includes the queues of the
 * workspaces' registered types (`ws-<workspace>-<queue>`): their workers are the workspaces' own
 * processes, which may scale to zero too, and the gateway runs no BullMQ worker on a queue that no
 * connected worker serves.
 *
 * It appends no event of its own: a worker that promotes a due job today does not announce the move
 * either (the job's next event is `job.active`, or a schedule run's whole `job.queued` on its first
 * pick-up), and appending `job.queued` here could land after a running worker's `job.active` for the
 * same job, telling its story out of order.
 *
 * Runs in every `api` process; one leads at a time (a lease, like the history projector). The
 * `webhooks` queue is not its business: its worker runs in every `api` process and promotes its own.
 */
export class DueJobPromoter {
  private readonly lease: RedisLease;
  private readonly batch: number;
  private running = false;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private readonly pauses = new WakeablePause();

  /** `redis` may be shared: each call is one short script. */
  constructor(
    private readonly redis: Redis,
    keys: RedisKeys,
    private readonly queues: QueueRegistry,
    private readonly logger: Logger,
    private readonly options: DueJobPromoterOptions,
  ) {
    // A leader that dies is replaced within a few passes, and never sooner than 5 s, so a slow pass
    // does not lose the lease.
    this.lease = new RedisLease(redis, keys.dueJobsLeader, Math.max(5_000, 5 * options.pollMs));
    this.batch = options.batch ?? DEFAULT_BATCH;
    // defineCommand sends the script once and then calls it by its SHA.
    if (!('flightdeckPromoteDueJobs' in redis)) {
      redis.defineCommand('flightdeckPromoteDueJobs', { lua: PROMOTE_DUE_JOBS });
    }
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.pauses.wake();
    await this.loop;
    // Another process takes over at its next pass instead of when the lease runs out.
    await this.lease.release().catch(() => undefined);
  }

  /**
   * One pass: moves every job due by `now` of every queue, a batch per call, until none is left.
   * Returns how many it moved per queue (queues with none are left out).
   */
  async promoteDue(now = Date.now()): Promise<Map<string, number>> {
    const moved = new Map<string, number>();
    await Promise.all(
      (await this.allQueues()).map(async (queue) => {
        let total = 0;
        for (;;) {
          const [promoted, stillDue] = await this.promoteBatch(queue, now);
          total += promoted;
          // Each call takes its batch out of `delayed` (ids whose job hash is gone too), so this ends.
          if (stillDue === 0 || this.stopping) break;
        }
        if (total > 0) {
          moved.set(queue.name, total);
          dueJobsPromoted.inc({ queue: queue.name }, total);
        }
      }),
    );
    return moved;
  }

  /**
   * Delayed jobs of each queue whose time has come but which are still in `delayed`: about 0 while a
   * promoter (or a worker) runs; a number that stays up means nobody promotes them. One ZCOUNT each.
   * Registered types' queues are listed only when they have such jobs (one series per workspace
   * queue would grow /metrics without bound; the anomaly is what matters).
   */
  async countDue(now = Date.now()): Promise<Map<string, number>> {
    const ownNames = new Set(this.queues.keys());
    const counts = await Promise.all(
      (await this.allQueues()).map(
        async (queue) => [queue.name, await this.redis.zcount(queue.keys.delayed!, 0, (now + 1) * 0x1000 - 1)] as const,
      ),
    );
    return new Map(counts.filter(([name, count]) => count > 0 || ownNames.has(name)));
  }

  /**
   * Flightdeck's job queues, then the registered types' queues of every workspace. Registered queues
   * that cannot be listed (MongoDB away, none read yet) do not stop Flightdeck's own from promotion.
   */
  private async allQueues(): Promise<Queue[]> {
    const registered = await (this.options.registered?.all() ?? Promise.resolve([])).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'registered queues could not be listed; promoting the built-in ones');
      return [];
    });
    return [...this.queues.values(), ...registered.map(({ queue }) => queue)];
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (await this.lease.hold()) {
          const moved = await this.promoteDue();
          if (moved.size > 0) this.logger.debug({ moved: Object.fromEntries(moved) }, 'due delayed jobs moved to wait');
        }
      } catch (error) {
        if (!this.running) break;
        this.logger.error({ err: error }, 'promoting due delayed jobs failed; retrying');
      }
      await this.pause(this.options.pollMs);
    }
  }

  private promoteBatch(queue: Queue, now: number): Promise<[number, number]> {
    const { keys } = queue;
    const promote = (this.redis as Redis & { flightdeckPromoteDueJobs: PromoteDueJobs }).flightdeckPromoteDueJobs;
    return promote.call(
      this.redis,
      8,
      keys.delayed!,
      keys.wait!,
      keys.prioritized!,
      keys.meta!,
      keys.active!,
      keys.pc!,
      keys.events!,
      keys.marker!,
      queue.toKey(''),
      now,
      this.batch,
    );
  }

  private pause(ms: number): Promise<void> {
    return this.running ? this.pauses.for(ms) : Promise.resolve();
  }
}
