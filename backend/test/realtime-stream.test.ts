import type { StreamEvent } from '@flightdeck/contract';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { closeAllClients, isFinal, RealtimeClient, refusedConnection } from './support/realtime-client';

// Live delivery through the Socket.io gateway of an in-process Flightdeck: order, coalescing, the
// final job, topics, validation, handshake and tenancy.

let app: TestFlightdeck;
beforeAll(async () => {
  app = await startTestFlightdeck({ PROGRESS_INTERVAL_MS: '100' });
});
afterEach(() => closeAllClients());
afterAll(() => app.stop());

const connect = (token: string | undefined = app.apiKey) => RealtimeClient.connect(app.url, token);

async function submit(job: Record<string, unknown>): Promise<string> {
  const answer = await app.http.post('/v1/jobs', job);
  expect(answer.status).toBe(202);
  return answer.body.id as string;
}

function expectStrictlyGrowingSeqs(events: StreamEvent[]): void {
  const seqs = events.map((event) => event.seq);
  for (let index = 1; index < seqs.length; index++) expect(seqs[index]).toBeGreaterThan(seqs[index - 1]!);
}

describe('events of one job', () => {
  it('arrive in order with growing seqs, progress coalesced, the last one carrying the whole final job', async () => {
    const client = await connect();
    const subscribedAt = await client.subscribeOk({ topic: 'workspace' });
    const id = await submit({ type: 'demo.sleep', payload: { ms: 500, steps: 100 } });

    await client.waitForFinished([id]);
    const events = client.eventsOf(id);
    expectStrictlyGrowingSeqs(client.events);
    expect(events[0]!.seq).toBeGreaterThan(subscribedAt);

    const types = events.map((event) => event.type);
    expect(types[0]).toBe('job.queued');
    expect(types[1]).toBe('job.active');
    expect(types.at(-1)).toBe('job.completed');
    // In between: progress, and the handler's one log line.
    expect(new Set(types.slice(2, -1))).toEqual(new Set(['job.progress', 'job.log']));
    expect(types.filter((type) => type === 'job.log')).toHaveLength(1);

    // 100 progress reports, at most one event per 100 ms: a handful, climbing; the completed event
    // supersedes the last pending one and carries 100.
    const progress = events.filter((event) => event.type === 'job.progress').map((event) => event.job!.progress!);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThan(100);
    for (let index = 1; index < progress.length; index++) expect(progress[index]).toBeGreaterThan(progress[index - 1]!);
    expect(progress.at(-1)).toBeLessThanOrEqual(100);

    const final = events.at(-1)!;
    expect(final.job!.progress).toBe(100);
    const { startedAt, finishedAt } = final.job!;
    // Flushes are at least an interval apart and all fall within the run.
    const runMs = Date.parse(finishedAt!) - Date.parse(startedAt!);
    expect(progress.length).toBeLessThanOrEqual(Math.floor(runMs / 100) + 3);

    expect(final).toMatchObject({ jobId: id, at: expect.any(String) });
    expect(final.job).toMatchObject({
      id,
      type: 'demo.sleep',
      queue: expect.any(String),
      status: 'completed',
      progress: 100,
      payload: { ms: 500, steps: 100 },
      result: { slept: 500 },
      error: null,
      attemptsMade: 1,
      createdAt: expect.any(String),
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
    // The same job REST shows.
    const rest = await app.http.get(`/v1/jobs/${id}`);
    expect(final.job).toEqual(rest.body);
  });

  it('end with job.failed carrying the error for a failing job', async () => {
    const client = await connect();
    await client.subscribeOk({ topic: 'workspace' });
    const id = await submit({ type: 'demo.sleep', payload: { ms: 20, fail: true } });
    await client.waitForFinished([id]);
    const events = client.eventsOf(id);
    expect(events.map((event) => event.type)).toEqual([
      'job.queued',
      'job.active',
      'job.progress',
      'job.log',
      'job.failed',
    ]);
    expect(events.at(-1)!.job).toMatchObject({
      id,
      type: 'demo.sleep',
      status: 'failed',
      error: { message: 'demo failure' },
      result: null,
      finishedAt: expect.any(String),
    });
  });
});

describe('topics', () => {
  it('a job subscription receives that job’s events only, replayed after since and then live', async () => {
    const watcher = await connect();
    const before = await watcher.subscribeOk({ topic: 'workspace' });
    const answer = await app.http.post('/v1/jobs/batch', {
      jobs: [
        { type: 'demo.sleep', payload: { ms: 300, steps: 3 } },
        { type: 'demo.sleep', payload: { ms: 300, steps: 3 } },
        { type: 'demo.sleep', payload: { ms: 300, steps: 3 } },
      ],
    });
    expect(answer.status).toBe(202);
    const [mine, ...others] = (answer.body.jobs as { id: string }[]).map((job) => job.id) as [string, ...string[]];

    const client = await connect();
    await client.subscribeOk({ topic: 'job', id: mine, since: before });
    await watcher.waitForFinished([mine, ...others]);
    await client.waitForFinished([mine]);

    expect(client.events.every((event) => event.jobId === mine)).toBe(true);
    // Exactly the job's events, as the workspace subscriber saw them.
    expect(client.events).toEqual(watcher.eventsOf(mine));
    for (const other of others) expect(watcher.eventsOf(other).at(-1)!.type).toBe('job.completed');
  });

  it('delivers every event of a batch of jobs', async () => {
    const client = await connect();
    await client.subscribeOk({ topic: 'workspace' });
    const answer = await app.http.post('/v1/jobs/batch', {
      jobs: Array.from({ length: 30 }, (_, index) => ({ type: 'demo.sleep', payload: { ms: index * 5, steps: 2 } })),
    });
    expect(answer.status).toBe(202);
    const ids = (answer.body.jobs as { id: string }[]).map((job) => job.id);

    await client.waitForFinished(ids);
    expectStrictlyGrowingSeqs(client.events);
    // Nothing missing in between: the seqs received are the workspace's seqs since subscribing.
    const seqs = client.events.map((event) => event.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => seqs[0]! + index));
    for (const id of ids) {
      const types = client.eventsOf(id).map((event) => event.type);
      expect(types[0]).toBe('job.queued');
      expect(types[1]).toBe('job.active');
      expect(types.at(-1)).toBe('job.completed');
      expect(types.filter((type) => type === 'job.completed')).toHaveLength(1);
    }
  });

  it('answers not_found for a job of another workspace, or no job at all', async () => {
    const other = await app.createWorkspace(`other-${Date.now()}`);
    const theirs = await other.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    expect(theirs.status).toBe(202);

    const client = await connect();
    expect(await client.subscribe({ topic: 'job', id: theirs.body.id })).toEqual({
      ok: false,
      error: { code: 'not_found', message: expect.any(String) },
    });
    expect(await client.subscribe({ topic: 'job', id: 'no-such-job' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(client.connected).toBe(true);
  });

  it('refuses invalid subscribe requests with validation_failed and keeps the socket', async () => {
    const client = await connect();
    for (const payload of [
      {},
      { since: 0 },
      { topic: 'workspace', since: -1 },
      { topic: 'workspace', since: 1.5 },
      { topic: 'workspace', since: '3' },
      { topic: 'workspace', extra: true },
      { topic: 'job' },
      { topic: 'job', id: '' },
      { topic: 'everything' },
      'workspace',
      null,
    ]) {
      const ack = await client.subscribeRaw(payload);
      expect({ payload, ack }).toEqual({
        payload,
        ack: { ok: false, error: { code: 'validation_failed', message: expect.any(String) } },
      });
    }
    expect(client.connected).toBe(true);
    expect(await client.subscribe({ topic: 'workspace' })).toEqual({ ok: true, seq: expect.any(Number) });
  });
});

describe('the handshake', () => {
  it('refuses a missing token, saying so', async () => {
    const error = await refusedConnection(app.url, undefined);
    expect(error.message).toMatch(/unauthorized/);
    expect(error.message).toMatch(/missing/);
  });

  it('refuses an empty or unknown token, saying so', async () => {
    expect((await refusedConnection(app.url, '')).message).toMatch(/missing/);
    const error = await refusedConnection(app.url, 'fd_not-a-real-key-at-all');
    expect(error.message).toMatch(/unauthorized/);
    expect(error.message).toMatch(/invalid/);
  });
});

describe('tenancy', () => {
  it('a socket of workspace B never receives workspace A’s events', async () => {
    const b = await app.createWorkspace(`b-${Date.now()}`);
    const clientA = await connect();
    const clientB = await connect(b.apiKey);
    await clientA.subscribeOk({ topic: 'workspace' });
    await clientB.subscribeOk({ topic: 'workspace' });

    const jobA = await submit({ type: 'demo.sleep', payload: { ms: 50, steps: 2 } });
    const jobB = (await b.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 100, steps: 2 } })).body
      .id as string;
    await clientA.waitForFinished([jobA]);
    await clientB.waitForFinished([jobB]);

    expect(clientB.events.length).toBeGreaterThan(0);
    expect(clientB.events.every((event) => event.jobId === jobB)).toBe(true);
    expect(clientA.events.some((event) => event.jobId === jobB)).toBe(false);
    // Each workspace has its own seq.
    expect(clientB.events[0]!.seq).toBe(1);
    expect(clientB.events.filter(isFinal)).toHaveLength(1);
  });
});
