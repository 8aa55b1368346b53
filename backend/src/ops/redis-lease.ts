import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Takes the key when free, renews it when it holds our token; 1 if we hold it afterwards. */
const HOLD = `
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * A lease on one Redis key that this process's token holds until it expires: how one process of the
 * deployment gets to do what only one should. Each step is a single Redis command or script, so two
 * processes never both believe they hold it.
 */
export class RedisLease {
  private readonly token = randomUUID();

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes the lease if nobody holds it or renews it if we do (a leader that stays); false while another holds it. */
  async hold(): Promise<boolean> {
    return (await this.redis.eval(HOLD, 1, this.key, this.token, this.ttlMs)) === 1;
  }

  /**
   * Takes the lease only if nobody holds it, and lets it run out: for work done once per lease
   * period by whichever process asks first (it is never renewed, even by its holder).
   */
  async take(): Promise<boolean> {
    return (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  /** Gives the lease up at once if we still hold it, so another process need not wait for it to expire. */
  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}
