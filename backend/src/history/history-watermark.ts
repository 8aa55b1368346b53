import type { Redis } from 'ioredis';
import type { RedisKeys } from '@flightdeck/workers';
import { compareStreamIds } from './stream-ids';

/**
 * Read-your-writes for lists: history in MongoDB is written a few milliseconds after events are
 * accepted. A list waits (bounded) until the projector has written every event accepted before it.
 */
export class HistoryWatermark {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Resolves true once history is current as of the call, false when `timeoutMs` passed first. */
  async waitUntilCurrent(timeoutMs: number): Promise<boolean> {
    const [latest] = await this.redis.xrevrange(this.keys.history, '+', '-', 'COUNT', 1);
    if (!latest) return true;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const applied = await this.redis.get(this.keys.historyCursor);
      if (applied && compareStreamIds(applied, latest[0]) >= 0) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  }
}
