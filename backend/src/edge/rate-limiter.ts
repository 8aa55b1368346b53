import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisKeys } from '@flightdeck/workers';

/**
 * Budgets counted in Redis (rate-limiter-flexible: one atomic script per check), so every process
 * shares them: REST's limits (`api/rate-limits.ts`) and the gateway's handshake limit. When Redis
 * cannot answer, the request passes: the limits protect the service, they are not a reason to refuse it.
 */

/** A limiter counted in Redis under `<prefix>:rl:<name>:<key>`, so every process shares the count. */
export function redisLimiter(
  redis: Redis,
  keys: RedisKeys,
  name: string,
  points: number,
  durationSeconds: number,
): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${keys.rateLimits}:${name}`,
    points,
    duration: durationSeconds,
    // While Redis is away, pass at once rather than wait for the command to give up (see spendOrPass).
    rejectIfRedisNotReady: true,
  });
}

/**
 * Spends one point of `key`'s budget: the refusal once it is spent, else null. When Redis cannot
 * answer, null too — the caller passes; REST and socket handshakes alike.
 */
export async function spendOrPass(limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    // Anything but a refusal is Redis not answering: let it through.
    return rejection instanceof RateLimiterRes ? rejection : null;
  }
}

/** Whole seconds until a refused key may try again (at least 1): `Retry-After` and `retryAfterSeconds`. */
export const retryAfterSeconds = (refusal: Pick<RateLimiterRes, 'msBeforeNext'>): number =>
  Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
