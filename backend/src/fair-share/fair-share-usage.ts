import type { Redis } from 'ioredis';
import { QUEUE_NAMES, type RedisKeys } from '@flightdeck/workers';
import { STARTED_BUCKET_MS } from './fair-share-keys';

/** A workspace's own limits as stored: null where it has none and the deployment default applies. */
export interface StoredLimits {
  maxRunning: number | null;
  maxPending: number | null;
  weight: number;
}

/** What one workspace has in the shared queues right now, and what it received of the workers. */
export interface WorkspaceUsage {
  workspaceId: string;
  /** Jobs waiting in its lanes (queued) and due-time sets (delayed) of the shared queues. */
  pending: number;
  /** Jobs dispatched to BullMQ (waiting there briefly, or running) and not yet finished. */
  running: number;
  /** Jobs dispatched to the workers in the last minute (their share: this over every workspace's). */
  startedLastMinute: number;
  /** Its own limits; `maxRunning`/`maxPending` null = the deployment default, `weight` the default when unset. */
  limits: StoredLimits;
}

/**
 * Pending, running and recently started jobs of the workspaces named (or of every workspace that
 * ever submitted to a shared queue), with their limits: one pipeline, a few commands per workspace.
 */
export async function readFairShareUsage(
  redis: Redis,
  keys: RedisKeys,
  workspaceIds?: string[],
  defaults: { weight: number } = { weight: 1 },
): Promise<WorkspaceUsage[]> {
  const ids = workspaceIds ?? (await redis.smembers(keys.fairWorkspaces)).sort();
  if (ids.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const workspaceId of ids) {
    for (const queue of QUEUE_NAMES) {
      pipeline.zcard(keys.fairLane(queue, workspaceId));
      pipeline.zcard(keys.fairDelayed(queue, workspaceId));
    }
    pipeline.scard(keys.fairRunning(workspaceId));
    pipeline.hgetall(keys.fairStarted(workspaceId));
    pipeline.hmget(keys.fairLimits(workspaceId), 'maxRunning', 'maxPending', 'weight');
  }
  const answers = (await pipeline.exec()) ?? [];
  const firstBucket = Math.floor(Date.now() / STARTED_BUCKET_MS) - Math.ceil(60_000 / STARTED_BUCKET_MS) + 1;
  const perWorkspace = QUEUE_NAMES.length * 2 + 3;
  return ids.map((workspaceId, index) => {
    const at = (offset: number) => {
      const [error, value] = answers[index * perWorkspace + offset] ?? [];
      if (error) throw error;
      return value;
    };
    let pending = 0;
    for (let offset = 0; offset < QUEUE_NAMES.length * 2; offset++) pending += Number(at(offset));
    const running = Number(at(QUEUE_NAMES.length * 2));
    const buckets = at(QUEUE_NAMES.length * 2 + 1) as Record<string, string>;
    let startedLastMinute = 0;
    for (const [bucket, count] of Object.entries(buckets)) {
      if (Number(bucket) >= firstBucket) startedLastMinute += Number(count);
    }
    const [maxRunning, maxPending, weight] = at(QUEUE_NAMES.length * 2 + 2) as (string | null)[];
    return {
      workspaceId,
      pending,
      running,
      startedLastMinute,
      limits: {
        maxRunning: storedInteger(maxRunning),
        maxPending: storedInteger(maxPending),
        weight: storedInteger(weight) ?? defaults.weight,
      },
    };
  });
}

/** Jobs of a queue waiting, due, in the workspaces' lanes (not yet in BullMQ): what KEDA's backlog trigger counts. */
export function laneBacklog(redis: Redis, keys: RedisKeys, queue: string): Promise<number> {
  return redis.zcard(keys.fairBacklog(queue));
}

/**
 * A shared queue's jobs that wait in the workspaces' lanes (due: `queued`) and due-time sets
 * (`delayed`), not yet in BullMQ: what `GET /v1/queues` adds to BullMQ's own counts. One ZCARD, and
 * a ZCARD per workspace that ever submitted to a shared queue.
 */
export async function laneCounts(
  redis: Redis,
  keys: RedisKeys,
  queue: string,
): Promise<{ queued: number; delayed: number }> {
  const workspaces = await redis.smembers(keys.fairWorkspaces);
  const pipeline = redis.pipeline().zcard(keys.fairBacklog(queue));
  for (const workspaceId of workspaces) pipeline.zcard(keys.fairDelayed(queue, workspaceId));
  const answers = (await pipeline.exec()) ?? [];
  const [queued, ...delayed] = answers.map(([error, value]) => {
    if (error) throw error;
    return Number(value);
  });
  return { queued: queued ?? 0, delayed: delayed.reduce((sum, count) => sum + count, 0) };
}

function storedInteger(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isInteger(number) ? number : null;
}
