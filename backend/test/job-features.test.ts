import type { StreamEvent } from '@flightdeck/contract';
import { JobEventStream, decodeWorkspaceEntry } from '@flightdeck/workers';
import { createApiKey, generateApiKey } from '../src/accounts/api-keys';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { httpClient, type HttpClient, waitForJobStatus } from './support/http-client';

// The job features of CONTRACT.md ("Job features") beyond the basic life cycle: priority, backoff,
// timeouts, promoting a delayed job, logs, and pausing a queue. Assertions are about order and
// about lower bounds the system guarantees, never about how fast things happen. (`delayMs` is
// covered by job-lifecycle.test.ts.) One in-process app at a time: each describe starts its own.

/** Events of one job in its workspace stream, in order. */
async function jobEvents(app: TestFlightdeck, jobId: string, workspaceId = app.workspaceId): Promise<StreamEvent[]> {
  const entries = await app.redis.xrange(app.keys.workspaceEvents(workspaceId), '-', '+');
  return entries.map(decodeWorkspaceEntry).filter((event) => event.jobId === jobId);
}

/** The state changes of a job (its events without progress and logs), by type. */
const stateTypes = (events: StreamEvent[]) =>
  events.filter((event) => event.type !== 'job.progress' && event.type !== 'job.log').map((event) => event.type);

const submit = async (http: HttpClient, body: Record<string, unknown>) => {
  const answer = await http.post('/v1/jobs', body);
  expect(answer.status).toBe(202);
  return answer.body as { id: string; status: string };
};

describe('priority, on an api-only process with workers started later', () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck({ ROLES: 'api' });
  });
  afterAll(() => app.stop());

  it('runs jobs without a priority first, in order, then by priority (1 most urgent)', async () => {
    const priorities = [3, undefined, 1, 2, undefined, 2_097_151];
    const ids: (string | undefined)[] = [];
    for (const priority of priorities) {
      const job = await submit(app.http, {
        type: 'demo.sleep',
        payload: { ms: 0 },
        ...(priority ? { priority } : {}),
      });
      ids.push(job.id);
    }
    const byId = new Map(ids.map((id, index) => [id, priorities[index]]));

    await app.startWorkers({ queues: ['demo'], concurrency: 1 });
    for (const id of ids) await waitForJobStatus(app.http, id!, 'completed');

    const entries = await app.redis.xrange(app.keys.workspaceEvents(app.workspaceId), '-', '+');
    const startOrder = entries
      .map(decodeWorkspaceEntry)
      .filter((event) => event.type === 'job.active')
      .map((event) => event.jobId!);
    expect(startOrder).toEqual([ids[1], ids[4], ids[2], ids[3], ids[0], ids[5]]);
    expect(startOrder.map((id) => byId.get(id) ?? 0)).toEqual([0, 0, 1, 2, 3, 2_097_151]);
  });
});

describe('on a process with every role', () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck({ PROGRESS_INTERVAL_MS: '0' });
  });
  afterAll(() => app.stop());

  /** When each attempt started (BullMQ's processedOn, carried by its `job.active` event). */
  const attemptStarts = (events: StreamEvent[]) =>
    events.filter((event) => event.type === 'job.active').map((event) => Date.parse(event.job!.startedAt!));

  /** A demo job that fails every attempt it gets, with these attempts and backoff. */
  const submitFailing = (attempts: number, backoff: { type: 'fixed' | 'exponential'; delayMs: number }) =>
    submit(app.http, { type: 'demo.sleep', payload: { ms: 0, fail: true }, attempts, backoff });

  describe('backoff', () => {
    it('waits at least the fixed delay between attempts', async () => {
      const job = await submitFailing(3, { type: 'fixed', delayMs: 300 });
      const final = await waitForJobStatus(app.http, job.id, 'failed');
      expect(final).toMatchObject({ attemptsMade: 3, error: { message: 'demo failure' } });

      const events = await jobEvents(app, job.id);
      expect(stateTypes(events)).toEqual([
        'job.queued',
        'job.active',
        'job.retrying',
        'job.active',
        'job.retrying',
        'job.active',
        'job.failed',
      ]);
      expect(events.filter((event) => event.type === 'job.retrying').map((event) => event.job!.status)).toEqual([
        'delayed',
        'delayed',
      ]);
      const starts = attemptStarts(events);
      expect(starts).toHaveLength(3);
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(300);
      expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(300);
    });

    it('doubles an exponential delay after each failed attempt', async () => {
      const delayMs = 200;
      const job = await submitFailing(3, { type: 'exponential', delayMs });
      await waitForJobStatus(app.http, job.id, 'failed');
      const starts = attemptStarts(await jobEvents(app, job.id));
      expect(starts).toHaveLength(3);
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(delayMs);
      expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(2 * delayMs);
    });
  });

  describe('timeout', () => {
    it('fails an attempt that outlives timeoutMs with a "timed out" message', async () => {
      const job = await submit(app.http, { type: 'demo.sleep', payload: { ms: 5_000 }, timeoutMs: 200 });
      const final = await waitForJobStatus(app.http, job.id, 'failed');
      expect(final.error.message).toContain('timed out');
      expect(final.result).toBeNull();
      expect(Date.parse(final.finishedAt) - Date.parse(final.startedAt)).toBeGreaterThanOrEqual(200);
      expect(stateTypes(await jobEvents(app, job.id))).toEqual(['job.queued', 'job.active', 'job.failed']);
    });
  });

  describe('promote', () => {
    it('runs a delayed job now, announcing it queued first', async () => {
      const job = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 60_000 });
      expect(job.status).toBe('delayed');

      const promoted = await app.http.post(`/v1/jobs/${job.id}/promote`);
      expect(promoted.status).toBe(200);
      expect(promoted.body).toMatchObject({ id: job.id, status: 'queued', runAt: null });

      // Well before the 60 s delay would have run it.
      const final = await waitForJobStatus(app.http, job.id, 'completed', 20_000);
      expect(final.result).toEqual({ slept: 0 });
      expect(stateTypes(await jobEvents(app, job.id))).toEqual([
        'job.delayed',
        'job.queued',
        'job.active',
        'job.completed',
      ]);
    });

    it('keeps the failure it is waiting to retry, with where it was thrown, when promoted', async () => {
      const job = await submitFailing(2, { type: 'fixed', delayMs: 60_000 });
      const waiting = await waitForJobStatus(app.http, job.id, 'delayed');
      expect(waiting.error).toEqual({ message: 'demo failure' });
      expect(waiting.errorStack).toMatch(/demo failure/);

      const promoted = await app.http.post(`/v1/jobs/${job.id}/promote`);
      expect(promoted.body).toMatchObject({ status: 'queued', error: waiting.error, errorStack: waiting.errorStack });
      const queued = (await jobEvents(app, job.id)).filter((event) => event.type === 'job.queued').at(-1)!;
      expect(queued.job).toMatchObject({ status: 'queued', error: waiting.error, errorStack: waiting.errorStack });
      await waitForJobStatus(app.http, job.id, 'failed');
    });

    it('answers 409 job_not_promotable for a job that is not delayed, 404 for another workspace', async () => {
      const job = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 } });
      await waitForJobStatus(app.http, job.id, 'completed');
      const answer = await app.http.post(`/v1/jobs/${job.id}/promote`);
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe('job_not_promotable');

      const delayed = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 600_000 });
      const other = await app.createWorkspace('promote-other');
      expect((await other.http.post(`/v1/jobs/${delayed.id}/promote`)).status).toBe(404);
      expect((await app.http.get(`/v1/jobs/${delayed.id}`)).body.status).toBe('delayed');
    });
  });

  describe('logs', () => {
    it("returns a job's log lines, oldest first, only to its own workspace", async () => {
      const job = await submit(app.http, { type: 'demo.sleep', payload: { ms: 10 } });
      await waitForJobStatus(app.http, job.id, 'completed');

      const answer = await app.http.get(`/v1/jobs/${job.id}/logs`);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        items: [{ seq: expect.any(Number), line: 'slept 10 ms in 1 step(s)', at: expect.any(String) }],
        nextCursor: null,
      });
      const logEvent = (await jobEvents(app, job.id)).find((event) => event.type === 'job.log')!;
      expect(answer.body.items[0]).toEqual({ seq: logEvent.seq, line: logEvent.lines![0], at: logEvent.at });

      const other = await app.createWorkspace('logs-other');
      const foreign = await other.http.get(`/v1/jobs/${job.id}/logs`);
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.code).toBe('not_found');
      expect((await app.http.get('/v1/jobs/01JF0000000000000000000000/logs')).status).toBe(404);
    });

    it('pages through many lines in order with the cursor', async () => {
      const job = await submit(app.http, { type: 'demo.sleep', payload: { ms: 0 } });
      await waitForJobStatus(app.http, job.id, 'completed');
      // More lines, as a handler would log them: two batches of `job.log` events.
      const events = new JobEventStream(app.redis, app.keys, {
        retainedEvents: app.config.EVENT_RETENTION,
        snapshotTtlSeconds: app.config.SNAPSHOT_TTL_SECONDS,
      });
      const extra = Array.from({ length: 7 }, (_, index) => `line ${index}`);
      for (const lines of [extra.slice(0, 4), extra.slice(4)]) {
        await events.append(app.workspaceId, [
          { type: 'job.log', jobId: job.id, job: { id: job.id, status: 'completed' }, lines },
        ]);
      }

      const seen: string[] = [];
      const seqs: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
        const page = await app.http.get(`/v1/jobs/${job.id}/logs${query}`);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.body.items.map((item: { line: string }) => item.line));
        seqs.push(...page.body.items.map((item: { seq: number }) => item.seq));
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(seen).toEqual(['slept 0 ms in 1 step(s)', ...extra]);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);

      const bad = await app.http.get(`/v1/jobs/${job.id}/logs?cursor=nonsense`);
      expect(bad.status).toBe(422);
    });
  });
});

describe('pause and resume, on a process with the api and worker roles', () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck({ ROLES: 'api,worker' });
  });
  afterAll(() => app.stop());

  const demoQueue = async () => {
    const { body } = await app.http.get('/v1/queues');
    return body.queues.find((queue: { name: string }) => queue.name === 'demo');
  };

  it('holds new jobs while paused, asks for no replicas for them, and runs them after resume', async () => {
    const paused = await app.http.post('/v1/queues/demo/pause');
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ name: 'demo', paused: true });

    const jobs = await Promise.all(
      Array.from({ length: 3 }, () => submit(app.http, { type: 'demo.sleep', payload: { ms: 0 } })),
    );
    // Long enough for a running worker to have taken a job many times over.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const job of jobs) expect((await app.http.get(`/v1/jobs/${job.id}`)).body.status).toBe('queued');
    const held = await demoQueue();
    expect(held).toMatchObject({ paused: true, counts: { queued: 3, active: 0 } });
    expect(held.scaling.desiredReplicas).toBe(0);
    // KEDA reads the pause from the metrics (deploy/k8s/base/keda.yaml).
    expect((await app.http.get('/metrics')).body).toContain('flightdeck_queue_paused{queue="demo"} 1');

    const resumed = await app.http.post('/v1/queues/demo/resume');
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ name: 'demo', paused: false });
    for (const job of jobs) await waitForJobStatus(app.http, job.id, 'completed');
    for (const job of jobs) {
      expect(stateTypes(await jobEvents(app, job.id))).toEqual(['job.queued', 'job.active', 'job.completed']);
    }
    expect((await app.http.get('/metrics')).body).toContain('flightdeck_queue_paused{queue="demo"} 0');
  });

  it('answers 404 for an unknown queue and 403 without the queues:write scope', async () => {
    const unknown = await app.http.post('/v1/queues/nope/pause');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    expect((await app.http.post('/v1/queues/nope/resume')).status).toBe(404);

    const key = generateApiKey();
    await createApiKey({ workspaceId: app.workspaceId, name: 'reader', key, scopes: ['queues:read'] });
    const reader = httpClient(app.url, key);
    expect((await reader.get('/v1/queues')).status).toBe(200);
    const forbidden = await reader.post('/v1/queues/demo/pause');
    expect(forbidden.status).toBe(403);
    expect((await demoQueue()).paused).toBe(false);
  });
});
