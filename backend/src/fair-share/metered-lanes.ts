import type { Redis } from 'ioredis';
import type { RedisKeys } from '@flightdeck/workers';
import type { MeteredQueue } from '../metrics';
import { laneCounts } from './fair-share-usage';

/**
 * A shared queue as /metrics reads it under fair share: `flightdeck_queue_jobs{state="wait"}` and
 * `{state="delayed"}` also count the jobs waiting in the workspaces' lanes and due-time sets (not yet
 * in BullMQ), so the depth means what it meant before fair share; and the oldest waiting job is the
 * older of BullMQ's oldest in `wait` and the lanes' (the backlog set is scored by when each job became
 * ready).
 */
export function withLaneCounts(name: string, queue: MeteredQueue, redis: Redis, keys: RedisKeys): MeteredQueue {
  return {
    isPaused: () => queue.isPaused(),
    async getJobs(types, start, end) {
      const [jobs, oldest] = await Promise.all([
        queue.getJobs(types, start, end),
        redis.zrange(keys.fairBacklog(name), 0, 0, 'WITHSCORES'),
      ]);
      const [job] = jobs;
      const laned = oldest[1] === undefined ? undefined : Number(oldest[1]);
      if (laned === undefined) return jobs;
      if (job && job.timestamp + (job.delay ?? 0) <= laned) return jobs;
      return [{ timestamp: laned, delay: 0 }];
    },
    async getJobCounts(...states) {
      const [counts, laned] = await Promise.all([queue.getJobCounts(...states), laneCounts(redis, keys, name)]);
      return {
        ...counts,
        ...(states.includes('wait') ? { wait: (counts.wait ?? 0) + laned.queued } : {}),
        ...(states.includes('delayed') ? { delayed: (counts.delayed ?? 0) + laned.delayed } : {}),
      };
    },
  };
}
