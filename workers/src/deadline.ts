import type { Redis } from 'ioredis';

/** What became of work given a deadline: its value, or `timedOut` when the deadline came first. */
export type Bounded<T> = { timedOut: false; value: T } | { timedOut: true };

/**
 * Waits for `work` for at most `ms`; a rejection passes through. The work itself goes on (a promise
 * cannot be stopped): the caller decides what to cut when the deadline wins. The timer does not keep
 * the process alive.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<Bounded<T>> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<Bounded<T>>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), Math.max(0, ms));
    timer.unref();
  });
  try {
    return await Promise.race([work.then((value): Bounded<T> => ({ timedOut: false, value })), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes a Redis client, waiting at most `ms`. `QUIT` lets the replies still due arrive; but while
 * Redis is unreachable it waits in the offline queue behind the commands already there, for as long
 * as the client retries (forever, for BullMQ's connections). So after `ms` the client is
 * disconnected, which fails whatever it still held.
 */
export async function closeRedis(client: Redis, ms: number): Promise<void> {
  if (client.status === 'end') return;
  // A QUIT that fails (the connection dropped meanwhile) has ended the client all the same.
  const quit = await withDeadline(
    client.quit().catch(() => undefined),
    ms,
  );
  if (quit.timedOut) client.disconnect();
}
