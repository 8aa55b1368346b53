import net from 'node:net';
import { Redis } from 'ioredis';
import { closeRedis, withDeadline } from './deadline';

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A client as BullMQ's are (retrying forever), with a command waiting for a Redis that is not there. */
async function clientOfAbsentRedis(): Promise<Redis> {
  const client = new Redis(`redis://127.0.0.1:${await deadPort()}`, { maxRetriesPerRequest: null });
  client.on('error', () => undefined);
  void client.get('waiting').catch(() => undefined);
  return client;
}

// ioredis keeps a short timer of its own (under 2.5 s, seen) after a disconnect in the middle of its
// retries; it lets the process exit once it runs out, so Jest is given the time rather than a warning.
afterAll(() => new Promise((resolve) => setTimeout(resolve, 2_500)));

describe('withDeadline', () => {
  it('gives the value of work that ends in time, and says when the deadline came first', async () => {
    expect(await withDeadline(Promise.resolve(7), 100)).toEqual({ timedOut: false, value: 7 });
    expect(await withDeadline(new Promise(() => undefined), 20)).toEqual({ timedOut: true });
    await expect(withDeadline(Promise.reject(new Error('no')), 100)).rejects.toThrow('no');
  });
});

describe('closeRedis', () => {
  it('ends a client whose Redis is gone within its bound, where QUIT alone waits for ever', async () => {
    const stuck = await clientOfAbsentRedis();
    expect((await withDeadline(stuck.quit(), 500)).timedOut).toBe(true);
    stuck.disconnect();

    const client = await clientOfAbsentRedis();
    const started = Date.now();
    await closeRedis(client, 200);
    expect(Date.now() - started).toBeLessThan(1_000);
    // And it stops retrying: a client that retries keeps the process alive.
    let attempts = 0;
    client.on('reconnecting', () => attempts++);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(attempts).toBe(0);
  });

  it('quits a client whose Redis answers', async () => {
    const client = new Redis(process.env.FLIGHTDECK_TEST_REDIS_URL!);
    await client.ping();
    const ended = new Promise((resolve) => client.once('end', resolve));
    await closeRedis(client, 1_000);
    await ended;
    expect(client.status).toBe('end');
  });
});
