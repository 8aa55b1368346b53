import type { Redis } from 'ioredis';
import type { RedisKeys } from '@flightdeck/workers';

interface Clear {
  queue: string;
  batchId: string;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Clears dispatching batches once their jobs are in BullMQ (the record that lets recovery re-add a
 * batch whose dispatcher died). Group commit: while one clear is in flight, the clears asked for
 * meanwhile wait and then go together in one MULTI; an idle process sends at once. Under load that is
 * one round trip for many submits' and dispatches' batches rather than one each.
 */
export class BatchClears {
  private waiting: Clear[] = [];
  private sending = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Resolves once the batch's record is gone. */
  clear(queue: string, batchId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ queue, batchId, resolve, reject });
      if (!this.sending) void this.send();
    });
  }

  private async send(): Promise<void> {
    this.sending = true;
    while (this.waiting.length > 0) {
      const group = this.waiting;
      this.waiting = [];
      const byQueue = new Map<string, string[]>();
      for (const { queue, batchId } of group) byQueue.set(queue, [...(byQueue.get(queue) ?? []), batchId]);
      const multi = this.redis.multi();
      for (const [queue, batchIds] of byQueue) {
        multi.hdel(this.keys.fairDispatching(queue), ...batchIds).zrem(this.keys.fairDispatchingAt(queue), ...batchIds);
      }
      try {
        await multi.exec();
        for (const clear of group) clear.resolve();
      } catch (error) {
        for (const clear of group) clear.reject(error);
      }
    }
    this.sending = false;
  }
}
