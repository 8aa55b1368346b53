import type { Redis } from 'ioredis';
import { QUEUE_NAMES, type RedisKeys } from '@flightdeck/workers';
import { ThrottledError } from '../domain-errors';

/** How long a workspace's pending count read from Redis is trusted while far below its limit. */
const FRESH_MS = 250;

/** What this process last read of a workspace's pending jobs, and what it admitted since. */
interface Known {
  maxPending: number;
  pending: number;
  readAt: number;
}

/**
 * The pending limit of each workspace (`maxPending`: jobs queued or delayed in its lanes). A submit
 * far below it — under nine tenths, by a count read from Redis at most 250 ms ago plus what this
 * process admitted since — passes without asking Redis; any other reads the lanes' sizes first. So
 * the limit holds as before near it (concurrent batches may pass it by their own sizes), except that
 * other API processes' admissions of the last 250 ms are unseen until the next read: a flood spread
 * over several processes can pass the last tenth of a small limit by that much. The common case
 * costs no round trip.
 */
export class PendingQuota {
  private readonly known = new Map<string, Known>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly defaultMaxPending: number,
  ) {}

  /** Refuses (`quota_exceeded`, answered 429; nothing queued) a batch that would pass the limit. */
  async check(workspaceId: string, count: number): Promise<void> {
    const now = Date.now();
    let known = this.known.get(workspaceId);
    if (!known || now - known.readAt > FRESH_MS || known.pending + count > known.maxPending * 0.9) {
      known = { ...(await this.read(workspaceId)), readAt: now };
      this.known.set(workspaceId, known);
      if (this.known.size > 10_000) this.forgetStale(now);
    }
    if (known.pending + count > known.maxPending) {
      throw new ThrottledError(
        `this workspace may have at most ${known.maxPending} jobs pending (queued or delayed) and has ${known.pending}; ` +
          `the ${count} submitted would pass that, so nothing was queued. Submit again once some have started, ` +
          'or ask an operator to raise the limit',
        5,
        'quota_exceeded',
      );
    }
    known.pending += count;
  }

  forget(workspaceId: string): void {
    this.known.delete(workspaceId);
  }

  private async read(workspaceId: string): Promise<Omit<Known, 'readAt'>> {
    const pipeline = this.redis.pipeline().hget(this.keys.fairLimits(workspaceId), 'maxPending');
    for (const queue of QUEUE_NAMES) {
      pipeline.zcard(this.keys.fairLane(queue, workspaceId)).zcard(this.keys.fairDelayed(queue, workspaceId));
    }
    const answers = (await pipeline.exec()) ?? [];
    const values = answers.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    const limit = Number(values[0] ?? NaN);
    return {
      maxPending: Number.isInteger(limit) && limit > 0 ? limit : this.defaultMaxPending,
      pending: values.slice(1).reduce<number>((sum, value) => sum + Number(value), 0),
    };
  }

  private forgetStale(now: number): void {
    for (const [workspaceId, known] of this.known) if (now - known.readAt > FRESH_MS) this.known.delete(workspaceId);
  }
}
