import { Redis } from 'ioredis';
import { RedisLease } from '../src/ops/redis-lease';
import { testNamespace } from './support/test-services';

// The lease the history projector leads with and the artifact sweep takes per period, on the real Redis.

const namespace = testNamespace();
const redis = new Redis(namespace.redisUrl);
afterAll(() => redis.quit());

let keys = 0;
const freshKey = () => `${namespace.prefix}:lease:${++keys}`;

describe('RedisLease', () => {
  it('hold: one holder at a time; the holder renews; release frees it for the next, and only the holder can', async () => {
    const key = freshKey();
    const [first, second] = [new RedisLease(redis, key, 10_000), new RedisLease(redis, key, 10_000)];
    expect(await first.hold()).toBe(true);
    expect(await second.hold()).toBe(false);
    await redis.pexpire(key, 500);
    expect(await first.hold()).toBe(true);
    expect(await redis.pttl(key)).toBeGreaterThan(9_000);

    await second.release();
    expect(await second.hold()).toBe(false);
    await first.release();
    expect(await redis.exists(key)).toBe(0);
    expect(await second.hold()).toBe(true);
    expect(await first.hold()).toBe(false);
  });

  it('hold: a lease its holder stopped renewing passes to another once it expires', async () => {
    const key = freshKey();
    const [first, second] = [new RedisLease(redis, key, 100), new RedisLease(redis, key, 100)];
    expect(await first.hold()).toBe(true);
    expect(await second.hold()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await second.hold()).toBe(true);
    expect(await first.hold()).toBe(false);
  });

  it('take: only when nobody holds it, and never renewed, not even by its holder', async () => {
    const key = freshKey();
    const [first, second] = [new RedisLease(redis, key, 10_000), new RedisLease(redis, key, 10_000)];
    expect(await first.take()).toBe(true);
    expect(await first.take()).toBe(false);
    expect(await second.take()).toBe(false);
    await redis.pexpire(key, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await second.take()).toBe(true);
  });
});
