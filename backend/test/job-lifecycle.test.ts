import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { waitFor } from './support/test-services';

let app: TestFlightdeck;
beforeAll(async () => {
  app = await startTestFlightdeck({ PROGRESS_INTERVAL_MS: '0' });
});
afterAll(() => app.stop());

const getJob = async (id: string) => (await app.http.get(`/v1/jobs/${id}`)).body;

describe('a job through the API', () => {
  it('moves from queued to active to completed with its result and progress', async () => {
    const submitted = await app.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 900, steps: 3 } });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ id: expect.any(String), status: 'queued', type: 'demo.sleep', progress: 0 });
    const id = submitted.body.id as string;

    const seen = new Set<string>([submitted.body.status]);
    const progress: number[] = [];
    const final = await waitFor(
      'completion',
      async () => {
        const job = await getJob(id);
        seen.add(job.status);
        progress.push(job.progress);
        return job.status === 'completed' ? job : null;
      },
      15_000,
      25,
    );

    expect(seen).toEqual(new Set(['queued', 'active', 'completed']));
    expect(final).toMatchObject({
      status: 'completed',
      progress: 100,
      result: { slept: 900 },
      error: null,
      attemptsMade: 1,
    });
    expect(progress.some((value) => value > 0 && value < 100)).toBe(true);
    expect(Date.parse(final.startedAt)).toBeGreaterThanOrEqual(Date.parse(final.createdAt));
    expect(Date.parse(final.finishedAt)).toBeGreaterThanOrEqual(Date.parse(final.startedAt));
  });

  it('ends a failing demo.sleep as failed with its message', async () => {
    const { body } = await app.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 50, fail: true } });
    const final = await waitFor('failure', async () => {
      const job = await getJob(body.id);
      return job.status === 'failed' ? job : null;
    });
    expect(final).toMatchObject({
      status: 'failed',
      error: { message: 'demo failure' },
      result: null,
      attemptsMade: 1,
    });
    expect(final.finishedAt).toEqual(expect.any(String));
    // `error` is exactly `{ message }`, as the contract has it; where it was thrown comes beside it.
    expect(final.error).toEqual({ message: 'demo failure' });
    expect(final.errorStack).toMatch(/^Error: demo failure\n\s+at /);
    // History (MongoDB) shows it the same way once Redis has forgotten the job.
    await app.redis.del(app.keys.jobSnapshot(body.id));
    await waitFor('the failure in history', async () => {
      const fromHistory = await getJob(body.id);
      return fromHistory.status === 'failed' && fromHistory.errorStack ? fromHistory : null;
    }).then((fromHistory) => expect(fromHistory.error).toEqual({ message: 'demo failure' }));
  });

  it('keeps a delayed job delayed until it is due, then runs it', async () => {
    const { status, body } = await app.http.post('/v1/jobs', {
      type: 'demo.sleep',
      payload: { ms: 0 },
      delayMs: 1_500,
    });
    expect(status).toBe(202);
    expect(body).toMatchObject({ status: 'delayed', runAt: expect.any(String) });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await getJob(body.id)).status).toBe('delayed');
    const final = await waitFor('the delayed job to run', async () => {
      const job = await getJob(body.id);
      return job.status === 'completed' ? job : null;
    });
    expect(Date.parse(final.startedAt)).toBeGreaterThanOrEqual(Date.parse(body.runAt) - 50);
  });

  it('retries a job with attempts until its last attempt, reporting only the last failure as failed', async () => {
    const { body } = await app.http.post('/v1/jobs', {
      type: 'demo.sleep',
      payload: { ms: 10, fail: true },
      attempts: 3,
    });
    const final = await waitFor('the final failure', async () => {
      const job = await getJob(body.id);
      return job.status === 'failed' ? job : null;
    });
    expect(final.attemptsMade).toBe(3);
    const events = await app.redis.xrange(app.keys.workspaceEvents(app.workspaceId), '-', '+');
    const types = events
      .map(([, fields]) => JSON.parse(fields[1]!))
      .filter((event) => event.jobId === body.id)
      .map((event) => event.type);
    expect(types[0]).toBe('job.queued');
    expect(types.at(-1)).toBe('job.failed');
    expect(types.filter((type) => type === 'job.failed')).toHaveLength(1);
    expect(types.filter((type) => type === 'job.retrying')).toHaveLength(2);
  });
});
