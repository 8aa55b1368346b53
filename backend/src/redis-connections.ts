import { Redis, type RedisOptions } from 'ioredis';

/**
 * The process's shared Redis connection (producers, event appends, fair share, limits, reads).
 * Producers fail fast rather than queue commands forever while Redis is away. Commands issued in
 * the same tick go out in one write (ioredis auto-pipelining): under load Redis reads many commands
 * per system call, which costs it about a quarter less CPU per command (measured in docs/design.md §10).
 */
export const sharedConnection = (url: string): Redis =>
  new Redis(url, { maxRetriesPerRequest: 1, enableAutoPipelining: true });

/** A connection of its own, for a blocking read or a subscription: its commands go one at a time. */
export const dedicatedConnection = (shared: Redis, options: Partial<RedisOptions> = {}): Redis =>
  shared.duplicate({ enableAutoPipelining: false, ...options });
