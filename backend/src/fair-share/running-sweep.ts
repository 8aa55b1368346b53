import type { Redis } from 'ioredis';
import { isFinalStatus, type JobStatus } from '@flightdeck/contract';
import type { RedisKeys } from '@flightdeck/workers';

/**
 * Removes from the workspaces' running sets the jobs that ended without their final event taking
 * them out (none should: the append script does it for every final event) or whose snapshot expired.
 * Slow and rare: a leak would only make a running count (and the running limit) too high.
 */
export async function sweepRunningSets(redis: Redis, keys: RedisKeys): Promise<number> {
  let removed = 0;
  for (const workspaceId of await redis.smembers(keys.fairWorkspaces)) {
    const key = keys.fairRunning(workspaceId);
    let cursor = '0';
    do {
      const [next, ids] = await redis.sscan(key, cursor, 'COUNT', 500);
      cursor = next;
      if (ids.length === 0) continue;
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hget(keys.jobSnapshot(id), 'status');
      const statuses = (await pipeline.exec()) ?? [];
      const ended = ids.filter((_, index) => {
        const status = statuses[index]?.[1] as string | null | undefined;
        return !status || isFinalStatus(JSON.parse(status) as JobStatus);
      });
      if (ended.length > 0) removed += await redis.srem(key, ...ended);
    } while (cursor !== '0');
  }
  return removed;
}
