import type { StreamEvent } from '@flightdeck/contract';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { closeAllClients, isFinal, RealtimeClient, retainedEvents } from './support/realtime-client';
import { waitFor } from './support/test-services';

// Resuming with `since`: every missed event once, in order, then live ones with no gap; `resync`
// when what was missed is no longer retained.

afterEach(() => closeAllClients());

async function submitBatch(app: TestFlightdeck, count: number, job: Record<string, unknown>): Promise<string[]> {
  const answer = await app.http.post('/v1/jobs/batch', { jobs: Array.from({ length: count }, () => job) });
  expect(answer.status).toBe(202);
  return (answer.body.jobs as { id: string }[]).map((submitted) => submitted.id);
}

/** Polls the workspace's stream in Redis until each job has its final event there. */
async function waitUntilFinishedInStream(app: TestFlightdeck, jobIds: string[], workspaceId = app.workspaceId) {
  return waitFor(`${jobIds.length} job(s) to finish in the stream`, async () => {
    const events = await retainedEvents(app.redis, app.keys, workspaceId);
    const finished = new Set(events.filter(isFinal).map((event) => event.jobId));
    return jobIds.every((id) => finished.has(id)) ? events : null;
  });
}

const seqsOf = (events: StreamEvent[]) => events.map((event) => event.seq);

describe('resuming with since', () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck({ PROGRESS_INTERVAL_MS: '0' });
  });
  afterAll(() => app.stop());

  const connect = () => RealtimeClient.connect(app.url, app.apiKey);

  // With another client on the gateway, the workspace stays followed and recent events are in memory;
  // without one, the gateway stops following it and must start again from Redis.
  it.each([
    ['while another client keeps the workspace followed', true],
    ['while nobody else is subscribed', false],
  ])('delivers every missed event once, in order, then live ones (%s)', async (_, keepFollowed) => {
    const anchor = keepFollowed ? await connect() : undefined;
    await anchor?.subscribeOk({ topic: 'workspace' });

    const first = await connect();
    await first.subscribeOk({ topic: 'workspace' });
    const [warmUp] = await submitBatch(app, 1, { type: 'demo.sleep', payload: { ms: 0 } });
    await first.waitForFinished([warmUp!]);
    const last = first.lastSeq();
    first.close();

    const missedJobs = await submitBatch(app, 20, { type: 'demo.sleep', payload: { ms: 20, steps: 2 } });
    await waitUntilFinishedInStream(app, missedJobs);

    const resumed = await connect();
    const ack = await resumed.subscribe({ topic: 'workspace', since: last });
    const stream = await retainedEvents(app.redis, app.keys, app.workspaceId);
    const missed = stream.filter((event) => event.seq > last);
    expect(missed.length).toBeGreaterThan(20 * 3);
    expect(ack).toEqual({ ok: true, seq: missed.at(-1)!.seq });
    // Replayed before the ack: all here already, whole, in order.
    expect(resumed.events).toEqual(missed);
    expect(resumed.resyncs).toEqual([]);

    const [fresh] = await submitBatch(app, 1, { type: 'demo.sleep', payload: { ms: 20, steps: 2 } });
    await resumed.waitForFinished([fresh!]);
    const after = (await retainedEvents(app.redis, app.keys, app.workspaceId)).filter((event) => event.seq > last);
    expect(seqsOf(resumed.events)).toEqual(seqsOf(after));
    expect(resumed.events).toEqual(after);
    expect(resumed.eventsOf(fresh!).map((event) => event.type)[0]).toBe('job.queued');
  });

  it('resuming again and again while events keep coming loses and repeats nothing', async () => {
    const watcher = await connect();
    const start = await watcher.subscribeOk({ topic: 'workspace' });
    const jobs = await submitBatch(app, 30, { type: 'demo.sleep', payload: { ms: 600, steps: 12 } });

    // Each connection takes over from the last seq its predecessor saw, at whatever point that is.
    const received: StreamEvent[] = [];
    const allFinished = (events: StreamEvent[]) => {
      const done = new Set(events.filter(isFinal).map((event) => event.jobId));
      return jobs.every((id) => done.has(id));
    };
    let since = start;
    for (let hop = 0; !allFinished(received); hop++) {
      expect(hop).toBeLessThan(1_000);
      const client = await connect();
      await client.subscribeOk({ topic: 'workspace', since });
      await client.waitForEvents(
        'a few more events',
        (events) => events.length >= 2 || allFinished([...received, ...events]),
      );
      client.close();
      received.push(...client.events);
      since = received.at(-1)?.seq ?? since;
    }

    const stream = await retainedEvents(app.redis, app.keys, app.workspaceId);
    const expected = stream.filter((event) => event.seq > start && event.seq <= since);
    expect(seqsOf(received)).toEqual(seqsOf(expected));
    expect(received).toEqual(expected);
  });

  it('replays only the job’s own events for a job subscription with since', async () => {
    const watcher = await connect();
    const start = await watcher.subscribeOk({ topic: 'workspace' });
    const [mine, other] = await submitBatch(app, 2, { type: 'demo.sleep', payload: { ms: 20, steps: 2 } });
    await waitUntilFinishedInStream(app, [mine!, other!]);

    const client = await connect();
    const ack = await client.subscribe({ topic: 'job', id: mine!, since: start });
    expect(ack).toEqual({ ok: true, seq: expect.any(Number) });
    const stream = await retainedEvents(app.redis, app.keys, app.workspaceId);
    expect(client.events).toEqual(stream.filter((event) => event.jobId === mine));
    expect(client.events.at(-1)!.type).toBe('job.completed');
  });
});

describe('resuming past what is retained', () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck({ PROGRESS_INTERVAL_MS: '0', EVENT_RETENTION: '100' });
  });
  afterAll(() => app.stop());

  const connect = () => RealtimeClient.connect(app.url, app.apiKey);

  it('tells the client to resync, acks the current seq, and then delivers live events', async () => {
    const jobs = await submitBatch(app, 150, { type: 'demo.sleep', payload: { ms: 0 } });
    await waitFor('the 150 jobs to finish', async () => {
      const answers = await Promise.all(jobs.map((id) => app.http.get(`/v1/jobs/${id}`)));
      return answers.every((answer) => answer.body.status === 'completed');
    });
    const current = Number(await app.redis.get(app.keys.workspaceSeq(app.workspaceId)));
    expect(current).toBeGreaterThan(300);
    const stream = await retainedEvents(app.redis, app.keys, app.workspaceId);
    expect(stream[0]!.seq).toBeGreaterThan(2);

    const client = await connect();
    const ack = await client.subscribe({ topic: 'workspace', since: 1 });
    expect(ack).toEqual({ ok: true, seq: current });
    expect(client.resyncs).toEqual([{ topic: 'workspace', reason: 'gap' }]);
    expect(client.events).toEqual([]);

    const jobClient = await connect();
    const jobAck = await jobClient.subscribe({ topic: 'job', id: jobs[0]!, since: 1 });
    expect(jobAck).toEqual({ ok: true, seq: current });
    expect(jobClient.resyncs).toEqual([{ topic: 'job', id: jobs[0], reason: 'gap' }]);

    // Still subscribed: live events come after the resync, from the current seq on.
    const [fresh] = await submitBatch(app, 1, { type: 'demo.sleep', payload: { ms: 0 } });
    await client.waitForFinished([fresh!]);
    expect(client.events[0]).toMatchObject({ seq: current + 1, type: 'job.queued', jobId: fresh });
  });

  it('tells live subscribers of the workspace and of a job to resync when events were trimmed before delivery', async () => {
    const [watched] = await submitBatch(app, 1, { type: 'demo.sleep', payload: { ms: 0 } });
    await waitUntilFinishedInStream(app, [watched!]);
    const workspaceClient = await connect();
    const jobClient = await connect();
    await workspaceClient.subscribeOk({ topic: 'workspace' });
    await jobClient.subscribeOk({ topic: 'job', id: watched! });

    // One atomic append of 300 events: the stream is trimmed before the gateway can read them all.
    await submitBatch(app, 300, { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 600_000 });

    await workspaceClient.waitForResync('a workspace resync', (notice) => notice.reason === 'gap');
    expect(workspaceClient.resyncs).toEqual([{ topic: 'workspace', reason: 'gap' }]);
    await jobClient.waitForResync('a job resync', (notice) => notice.reason === 'gap');
    expect(jobClient.resyncs).toEqual([{ topic: 'job', id: watched, reason: 'gap' }]);
  });
});
