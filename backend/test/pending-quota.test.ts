import { Redis } from 'ioredis';
import { QUEUE_NAMES, redisKeys } from '@flightdeck/workers';
import { PendingQuota } from '../src/fair-share/pending-quota';
import { countCommands } from './support/redis-command-count';
import { testNamespace } from './support/test-services';

// A workspace's pending limit, checked at every submit: far below it, from what this process read
// a moment ago; near it, from the lanes' sizes in Redis.

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'passed',
    (error: { code?: string }) => error.code,
  );

describe('PendingQuota (real Redis)', () => {
  const namespace = testNamespace();
  const keys = redisKeys(namespace.prefix);
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(namespace.redisUrl, { maxRetriesPerRequest: 1 });
    await redis.ping();
  });
  afterAll(() => redis.disconnect());

  it('asks Redis once for many submits far below the limit', async () => {
    const quota = new PendingQuota(redis, keys, 1_000);
    const commands = countCommands(redis);
    for (let index = 0; index < 20; index++) await quota.check('ws-far', 10);
    // One read: the limit and the lanes' sizes, in one pipeline.
    expect(commands()).toBe(1 + 2 * QUEUE_NAMES.length);
  });

  it('reads the lanes near the limit and refuses what would pass it', async () => {
    const quota = new PendingQuota(redis, keys, 1_000);
    await redis.hset(keys.fairLimits('ws-near'), 'maxPending', '10');
    await redis.zadd(keys.fairLane('demo', 'ws-near'), 1, 'a', 2, 'b', 3, 'c', 4, 'd', 5, 'e', 6, 'f', 7, 'g', 8, 'h');
    expect(await code(quota.check('ws-near', 2))).toBe('passed');
    await redis.zadd(keys.fairLane('demo', 'ws-near'), 9, 'i', 10, 'j'); // the two admitted
    expect(await code(quota.check('ws-near', 1))).toBe('quota_exceeded');
    // The lanes drained meanwhile: the next check reads them again, and passes.
    await redis.del(keys.fairLane('demo', 'ws-near'));
    expect(await code(quota.check('ws-near', 5))).toBe('passed');
  });

  it('reads the limit again once told it changed', async () => {
    const quota = new PendingQuota(redis, keys, 1_000);
    expect(await code(quota.check('ws-changed', 5))).toBe('passed');
    await redis.hset(keys.fairLimits('ws-changed'), 'maxPending', '3');
    quota.forget('ws-changed');
    expect(await code(quota.check('ws-changed', 5))).toBe('quota_exceeded');
  });
});
