import type { Redis } from 'ioredis';
import { redisKeys } from '@flightdeck/workers';
import { HistoryWatermark } from '@flightdeck/backend/dist/history/history-watermark';

/**
 * Issue 15's P3 counts end-to-end throughput only "with history current at the end": after the last
 * `job.completed`, how long until the history projector has written every event accepted so far to
 * MongoDB (FerretDB here). "Current" is the API's own definition (`HistoryWatermark`, what a list
 * waits for): the projector's cursor has reached the history stream's newest entry.
 */
export interface HistoryLag {
  /**
   * From the last `job.completed` the socket received to history current, in ms (to ~15 ms: the
   * watermark's poll). When history did not become current in time, how long the bench waited since
   * that event: a lower bound, with `current` false.
   */
  lagMs: number;
  current: boolean;
}

/** Waits (at most `timeoutMs`) until history is current in `prefix`; `lastCompletedAt` is a `Date.now()` time. */
export async function measureHistoryLag(
  redis: Redis,
  prefix: string,
  lastCompletedAt: number,
  timeoutMs: number,
): Promise<HistoryLag> {
  const current = await new HistoryWatermark(redis, redisKeys(prefix)).waitUntilCurrent(timeoutMs);
  return { lagMs: Math.max(0, Date.now() - lastCompletedAt), current };
}
