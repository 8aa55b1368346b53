import type { Redis } from 'ioredis';

/** Counts the commands a connection sends from now on, pipelined ones included: read it with the returned function. */
export function countCommands(redis: Redis): () => number {
  let calls = 0;
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...args: unknown[]) => {
    calls++;
    return (send as (...args: unknown[]) => unknown)(...args);
  }) as Redis['sendCommand'];
  return () => calls;
}
