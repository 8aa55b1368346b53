import { randomBytes } from 'node:crypto';

/** A fresh Redis key prefix and MongoDB database on the run's shared services: one per test file. */
export function testNamespace() {
  const redisUrl = process.env.FLIGHTDECK_TEST_REDIS_URL;
  const mongoBase = process.env.FLIGHTDECK_TEST_MONGODB_URL;
  if (!redisUrl || !mongoBase)
    throw new Error('test services are not running: run the tests through jest (global-setup.cjs)');
  const id = randomBytes(5).toString('hex');
  return {
    prefix: `t${id}`,
    database: `fd_test_${id}`,
    redisUrl,
    mongoUrl: `${mongoBase}/fd_test_${id}`,
    ferretDbBinary: process.env.FLIGHTDECK_TEST_FERRETDB_BIN!,
  };
}

/** Polls `probe` until it returns a truthy value, or fails after `timeoutMs` with `what` in the message. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T> | T,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
