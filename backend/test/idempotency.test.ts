import type { StreamEvent } from '@flightdeck/contract';
import { decodeWorkspaceEntry } from '@flightdeck/workers';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { waitFor } from './support/test-services';
import { waitForJobStatus } from './support/http-client';

// A repeated idempotency key in a workspace returns the first job and never creates or runs a
// second one (CONTRACT.md, POST /v1/jobs), even when the repeats arrive at the same instant.

let app: TestFlightdeck;
beforeAll(async () => {
  app = await startTestFlightdeck({ PROGRESS_INTERVAL_MS: '0' });
});
afterAll(async () => {
  await app.stop();
});

async function workspaceEvents(workspaceId: string): Promise<StreamEvent[]> {
  const entries = await app.redis.xrange(app.keys.workspaceEvents(workspaceId), '-', '+');
  return entries.map(decodeWorkspaceEntry);
}

/** Every job BullMQ holds in the demo queue, in any state (whatever the API says). */
async function bullJobIds(): Promise<string[]> {
  const jobs = await app.queue('demo').getJobs(['wait', 'prioritized', 'delayed', 'active', 'completed', 'failed']);
  return jobs.map((job) => job.id!);
}

/** The job's events once it has completed: exactly one submission, and exactly one completion. */
async function expectQueuedAndCompletedOnce(workspaceId: string, id: string) {
  const events = await waitFor(`the completion event of ${id}`, async () => {
    const all = await workspaceEvents(workspaceId);
    return all.some((event) => event.jobId === id && event.type === 'job.completed') ? all : null;
  });
  const types = events.filter((event) => event.jobId === id).map((event) => event.type);
  expect(types.filter((type) => type === 'job.queued')).toHaveLength(1);
  expect(types.filter((type) => type === 'job.active')).toHaveLength(1);
  expect(types.filter((type) => type === 'job.completed')).toHaveLength(1);
}

describe('idempotency keys', () => {
  it('creates exactly one job for 20 simultaneous submissions with one key, by header and by body', async () => {
    const key = 'simultaneous-20';
    const jobsBefore = await bullJobIds();
    const submissionsBefore = (await workspaceEvents(app.workspaceId)).filter(
      (event) => event.type === 'job.queued',
    ).length;

    const job = { type: 'demo.sleep', payload: { ms: 100, steps: 2 } };
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) => {
        switch (index % 3) {
          case 0:
            return app.http.post('/v1/jobs', job, { 'Idempotency-Key': key });
          case 1:
            return app.http.post('/v1/jobs', { ...job, idempotencyKey: key });
          default:
            return app.http.post('/v1/jobs', { ...job, idempotencyKey: key }, { 'Idempotency-Key': key });
        }
      }),
    );

    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array<number>(19).fill(200), 202]);
    const ids = new Set(answers.map((answer) => answer.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];
    expect(id).toEqual(expect.any(String));
    for (const answer of answers) expect(answer.body).toMatchObject({ id, type: 'demo.sleep', idempotencyKey: key });

    await waitForJobStatus(app.http, id, 'completed');
    const jobsAfter = await bullJobIds();
    expect(jobsAfter.filter((jobId) => !jobsBefore.includes(jobId))).toEqual([id]);
    expect(
      await app.queue('demo').getJobCounts('wait', 'prioritized', 'delayed', 'active', 'completed', 'failed'),
    ).toEqual({
      wait: 0,
      prioritized: 0,
      delayed: 0,
      active: 0,
      completed: jobsAfter.length,
      failed: 0,
    });

    await expectQueuedAndCompletedOnce(app.workspaceId, id);
    const submissionsAfter = (await workspaceEvents(app.workspaceId)).filter(
      (event) => event.type === 'job.queued',
    ).length;
    expect(submissionsAfter - submissionsBefore).toBe(1);

    // Later repeats still answer with the same job, now completed.
    const later = await app.http.post('/v1/jobs', job, { 'Idempotency-Key': key });
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ id, status: 'completed', result: { slept: 100 } });
  });

  it('keeps keys apart between workspaces: the same key creates one job in each', async () => {
    const other = await app.createWorkspace('idempotency-other');
    const key = 'shared-between-workspaces';
    const job = { type: 'demo.sleep', payload: { ms: 10 }, idempotencyKey: key };
    const [mine, theirs, mineAgain, theirsAgain] = await Promise.all([
      app.http.post('/v1/jobs', job),
      other.http.post('/v1/jobs', job),
      app.http.post('/v1/jobs', job),
      other.http.post('/v1/jobs', job),
    ]);
    expect([mine.status, mineAgain.status].sort()).toEqual([200, 202]);
    expect([theirs.status, theirsAgain.status].sort()).toEqual([200, 202]);
    expect(mineAgain.body.id).toBe(mine.body.id);
    expect(theirsAgain.body.id).toBe(theirs.body.id);
    expect(theirs.body.id).not.toBe(mine.body.id);

    await waitForJobStatus(app.http, mine.body.id, 'completed');
    await waitForJobStatus(other.http, theirs.body.id, 'completed');
    expect(await bullJobIds()).toEqual(expect.arrayContaining([mine.body.id, theirs.body.id]));
    await expectQueuedAndCompletedOnce(app.workspaceId, mine.body.id);
    await expectQueuedAndCompletedOnce(other.workspaceId, theirs.body.id);
    // Each workspace sees only its own.
    expect((await other.http.get(`/v1/jobs/${mine.body.id}`)).status).toBe(404);
    expect((await app.http.get(`/v1/jobs/${theirs.body.id}`)).status).toBe(404);
  });

  it('creates one job for a key repeated inside a batch, and returns it to later batches', async () => {
    const jobsBefore = await bullJobIds();
    const keyed = { type: 'demo.sleep', payload: { ms: 10 }, idempotencyKey: 'batch-repeated' };
    const batch = await app.http.post('/v1/jobs/batch', {
      jobs: [keyed, { type: 'demo.sleep', payload: { ms: 20 } }, keyed, { ...keyed, payload: { ms: 30 } }],
    });
    expect(batch.status).toBe(202);
    const [first, plain, repeat, repeatWithOtherPayload] = batch.body.jobs as { id: string; status: string }[];
    expect(repeat!.id).toBe(first!.id);
    expect(repeatWithOtherPayload!.id).toBe(first!.id);
    expect(plain!.id).not.toBe(first!.id);

    await waitForJobStatus(app.http, first!.id, 'completed');
    await waitForJobStatus(app.http, plain!.id, 'completed');
    expect((await bullJobIds()).filter((jobId) => !jobsBefore.includes(jobId)).sort()).toEqual(
      [first!.id, plain!.id].sort(),
    );
    await expectQueuedAndCompletedOnce(app.workspaceId, first!.id);
    expect((await app.http.get(`/v1/jobs/${first!.id}`)).body).toMatchObject({ result: { slept: 10 } });

    // Simultaneous batches and single submissions with the key all get the same job.
    const again = await Promise.all([
      app.http.post('/v1/jobs/batch', { jobs: [keyed, { ...keyed, idempotencyKey: 'batch-fresh' }] }),
      app.http.post('/v1/jobs/batch', { jobs: [{ ...keyed, idempotencyKey: 'batch-fresh' }, keyed] }),
      app.http.post('/v1/jobs', keyed),
    ]);
    expect(again.map((answer) => answer.status)).toEqual([202, 202, 200]);
    expect(again[0]!.body.jobs[0].id).toBe(first!.id);
    expect(again[1]!.body.jobs[1].id).toBe(first!.id);
    expect(again[2]!.body.id).toBe(first!.id);
    const fresh = again[0]!.body.jobs[1].id as string;
    expect(again[1]!.body.jobs[0].id).toBe(fresh);
    expect(fresh).not.toBe(first!.id);
    await waitForJobStatus(app.http, fresh, 'completed');
    await expectQueuedAndCompletedOnce(app.workspaceId, fresh);
    expect((await bullJobIds()).filter((jobId) => !jobsBefore.includes(jobId)).sort()).toEqual(
      [first!.id, plain!.id, fresh].sort(),
    );
  });
});
