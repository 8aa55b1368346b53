import { z } from 'zod';
import {
  defineJobType,
  FlightdeckClient,
  FlightdeckError,
  type RealtimeConnection,
  type StreamEvent,
} from '@flightdeck/sdk';
import { decodeWorkspaceEntry } from '@flightdeck/workers';
import { createApiKey, generateApiKey } from '../src/accounts/api-keys';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { waitFor } from './support/test-services';

// The SDK's typed client (issue 13) against a real Flightdeck on the real test services: submit →
// waitFor, registration of a type, and a live subscription that survives a dropped connection and a
// restart from `since` without missing or doubling an event.

let app: TestFlightdeck;
const clients: FlightdeckClient[] = [];

function clientWith(apiKey: string): FlightdeckClient {
  const client = new FlightdeckClient({ url: app.url, apiKey });
  clients.push(client);
  return client;
}

/** The seqs of the workspace's stream after `after`, as Redis holds them. */
async function streamSeqs(workspaceId: string, after: number): Promise<number[]> {
  const entries = await app.redis.xrange(app.keys.workspaceEvents(workspaceId), '-', '+');
  return entries
    .map(decodeWorkspaceEntry)
    .map((event) => event.seq)
    .filter((seq) => seq > after);
}

const seqsOf = (events: StreamEvent[]) => events.map((event) => event.seq);

beforeAll(async () => {
  app = await startTestFlightdeck();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(() => app?.stop());

describe('FlightdeckClient', () => {
  it('submits a job and waits for it to complete, with its result', async () => {
    const client = clientWith(app.apiKey);
    const job = await client.submit('demo.sleep', { ms: 50, steps: 2 });
    expect(job.status).toBe('queued');
    const done = await client.waitFor<{ slept: number }>(job.id, { timeoutMs: 20_000 });
    expect(done).toMatchObject({ id: job.id, status: 'completed', progress: 100, result: { slept: 50 } });
    // A job that has ended already resolves at once.
    expect((await client.waitFor(job.id, { timeoutMs: 5_000 })).status).toBe('completed');
  });

  it('waits for failures too, and retry and cancel work on what they apply to', async () => {
    const client = clientWith(app.apiKey);
    const failing = await client.submit('demo.sleep', { ms: 0, fail: true });
    expect(await client.waitFor(failing.id, { timeoutMs: 20_000 })).toMatchObject({
      status: 'failed',
      error: { message: 'demo failure' },
    });
    expect((await client.retry(failing.id)).status).toBe('queued');
    expect((await client.waitFor(failing.id, { timeoutMs: 20_000 })).status).toBe('failed');

    const delayed = await client.submit('demo.sleep', { ms: 0 }, { delayMs: 3_600_000 });
    expect((await client.cancel(delayed.id)).status).toBe('cancelled');
    expect((await client.get(delayed.id)).status).toBe('cancelled');
    const listed = await client.list({ status: 'cancelled', limit: 5 });
    expect(listed.items.map((item) => item.id)).toContain(delayed.id);
  });

  it('throws FlightdeckError with the code and the path of a refused payload', async () => {
    const client = clientWith(app.apiKey);
    const refused = await client.submit('demo.sleep', { ms: -1 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(FlightdeckError);
    expect(refused).toMatchObject({ status: 422, code: 'invalid_payload', issues: [{ path: 'payload.ms' }] });
    await expect(client.get('no-such-job')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(client.waitFor('no-such-job', { timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('registers a definition (scope workers:run) and submits it typed, checked against its schema', async () => {
    const workerKey = generateApiKey();
    await createApiKey({ workspaceId: app.workspaceId, name: 'sdk worker', key: workerKey, scopes: ['workers:run'] });
    const emailRender = defineJobType({
      name: 'sdk.email-render',
      queue: 'emails',
      payload: z.strictObject({ to: z.string(), subject: z.string(), priority: z.number().int().default(0) }),
      result: z.strictObject({ html: z.string() }),
      run: async ({ subject }) => ({ html: `<h1>${subject}</h1>` }),
    });
    const [registered] = await clientWith(workerKey).register(emailRender);
    expect(registered).toMatchObject({ name: 'sdk.email-render', source: 'registered', version: 1 });

    const client = clientWith(app.apiKey);
    expect((await client.jobTypes()).map((type) => type.name)).toContain('sdk.email-render');
    const job = await client.submit(emailRender, { to: 'ada@example.test', subject: 'Hi' });
    expect(job).toMatchObject({ type: 'sdk.email-render', status: 'queued' });
    const refused = await client
      // @ts-expect-error -- `subject` is required: the definition types the payload
      .submit(emailRender, { to: 'ada@example.test' })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'invalid_payload', issues: [{ path: 'payload.subject' }] });
  });
});

describe('FlightdeckClient.subscribe', () => {
  it('delivers every event once and in order across a dropped connection', async () => {
    const client = clientWith(app.apiKey);
    const events: StreamEvent[] = [];
    const subscription = client.subscribe({ topic: 'workspace' }, { event: (event) => events.push(event) });
    await subscription.ready;
    const start = subscription.lastSeq!;

    const jobs = await Promise.all(
      Array.from({ length: 12 }, () => client.submit('demo.sleep', { ms: 600, steps: 6 })),
    );
    await waitFor('a progress event', () => events.some((event) => event.type === 'job.progress'), 20_000);
    // The network drops: Socket.IO reconnects by itself, and the subscription resumes from its last seq.
    const { socket } = (client as unknown as { realtime: RealtimeConnection }).realtime;
    let reconnections = 0;
    socket.io.on('reconnect', () => reconnections++);
    socket.io.engine.close();

    await Promise.all(jobs.map((job) => client.waitFor(job.id, { timeoutMs: 30_000 })));
    const expected = await streamSeqs(app.workspaceId, start);
    await waitFor('every event', () => events.length >= expected.length, 10_000);
    expect(reconnections).toBe(1);
    expect(seqsOf(events)).toEqual(expected);
    const completed = events.filter((event) => event.type === 'job.completed').map((event) => event.jobId);
    expect(completed.sort()).toEqual(jobs.map((job) => job.id).sort());
  });

  it('resumes in a new client from `since`: the events after it, none before, none twice', async () => {
    const first = clientWith(app.apiKey);
    const seen: StreamEvent[] = [];
    const subscription = first.subscribe({ topic: 'workspace' }, { event: (event) => seen.push(event) });
    await subscription.ready;
    const job = await first.submit('demo.sleep', { ms: 300, steps: 3 });
    await waitFor('job.active', () => seen.some((event) => event.type === 'job.active'), 20_000);
    const lastSeen = subscription.lastSeq!;
    first.close();

    await clientWith(app.apiKey).waitFor(job.id, { timeoutMs: 20_000 });
    const later: StreamEvent[] = [];
    const resumed = clientWith(app.apiKey).subscribe(
      { topic: 'workspace' },
      { event: (event) => later.push(event) },
      { since: lastSeen },
    );
    await resumed.ready;
    const expected = await streamSeqs(app.workspaceId, lastSeen);
    await waitFor('every later event', () => later.length >= expected.length, 10_000);
    expect(seqsOf(later)).toEqual(expected);
    expect(later.at(-1)).toMatchObject({ type: 'job.completed', jobId: job.id });
  });

  it('follows one job from `since`: its own events only, in order', async () => {
    const client = clientWith(app.apiKey);
    const job = await client.submit('demo.sleep', { ms: 0 });
    const other = await client.submit('demo.sleep', { ms: 0 });
    await Promise.all([job, other].map(({ id }) => client.waitFor(id, { timeoutMs: 20_000 })));
    const events: StreamEvent[] = [];
    const subscription = client.subscribe(
      { topic: 'job', id: job.id },
      { event: (event) => events.push(event) },
      {
        since: 0,
      },
    );
    await subscription.ready;
    await waitFor('job.completed', () => events.some((event) => event.type === 'job.completed'), 10_000);
    const entries = await app.redis.xrange(app.keys.workspaceEvents(app.workspaceId), '-', '+');
    const own = entries.map(decodeWorkspaceEntry).filter((event) => event.jobId === job.id);
    expect(seqsOf(events)).toEqual(seqsOf(own));
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['job.queued', 'job.active']));
    expect(events.at(-1)).toMatchObject({ type: 'job.completed', job: { status: 'completed' } });
  });
});
