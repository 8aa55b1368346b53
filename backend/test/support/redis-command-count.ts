import type { Redis } from 'ioredis';

/**
 * Counts the commands a connection sends from now on (those named in `only`, when given), pipelined
 * ones included: read it with the returned function.
 */
export function countCommands(redis: Redis, only?: readonly string[]): () => number {
  let calls = 0;
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...args: unknown[]) => {
    if (!only || only.includes((args[0] as { name: string }).name)) calls++;
    return (send as (...args: unknown[]) => unknown)(...args);
  }) as Redis['sendCommand'];
  return () => calls;
}
