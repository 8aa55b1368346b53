import type { Queue } from 'bullmq';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { waitFor } from './support/test-services';

// Finished jobs stay readable and listed after Redis has forgotten them (CONTRACT.md, GET /v1/jobs):
// BullMQ keeps only the newest finished job of each kind here, and the jobs' snapshots are deleted
// as if they had expired, so every answer below comes from the MongoDB history.

let app: TestFlightdeck;
let queue: Queue;
beforeAll(async () => {
  app = await startTestFlightdeck({ PROGRESS_INTERVAL_MS: '0', KEEP_COMPLETED_JOBS: '1', KEEP_FAILED_JOBS: '1' });
  queue = app.queue('demo');
});
afterAll(async () => {
  await app.stop();
});

const isFinal = (status: string) => ['completed', 'failed', 'cancelled'].includes(status);

it('serves finished jobs from history once BullMQ dropped them and their snapshots expired', async () => {
  const completing = [10, 20, 30];
  const submitted: { id: string; ms: number; fail: boolean }[] = [];
  for (const ms of completing) {
    const { status, body } = await app.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms, steps: 2 } });
    expect(status).toBe(202);
    submitted.push({ id: body.id, ms, fail: false });
  }
  for (const ms of [40, 50]) {
    const { status, body } = await app.http.post('/v1/jobs', {
      type: 'demo.sleep',
      payload: { ms, fail: true },
      attempts: 2,
    });
    expect(status).toBe(202);
    submitted.push({ id: body.id, ms, fail: true });
  }

  // Every job ended, as REST (still reading Redis) and the history list both say.
  const whileInRedis = new Map<string, Record<string, unknown>>();
  for (const { id } of submitted) {
    whileInRedis.set(
      id,
      await waitFor(`job ${id} to finish`, async () => {
        const { body } = await app.http.get(`/v1/jobs/${id}`);
        return isFinal(body.status) ? body : null;
      }),
    );
  }
  await waitFor('history to list every job as finished', async () => {
    const { body } = await app.http.get('/v1/jobs?limit=200');
    return body.items.length === submitted.length && body.items.every((job: { status: string }) => isFinal(job.status));
  });

  // BullMQ really dropped all but the newest finished job of each kind.
  // (BullMQ trims in the same step that finishes a job, before the job's final event is written.)
  expect(await queue.getJobCounts('completed', 'failed', 'wait', 'active', 'delayed')).toEqual({
    completed: 1,
    failed: 1,
    wait: 0,
    active: 0,
    delayed: 0,
  });
  const kept = (await queue.getJobs(['completed', 'failed'])).map((job) => job.id);
  expect(kept.sort()).toEqual([submitted[2]!.id, submitted[4]!.id].sort());

  // The snapshots expire.
  for (const { id } of submitted) {
    expect(await app.redis.exists(app.keys.jobSnapshot(id))).toBe(1);
    await app.redis.del(app.keys.jobSnapshot(id));
  }

  const { status, body: list } = await app.http.get('/v1/jobs');
  expect(status).toBe(200);
  expect(list.items.map((job: { id: string }) => job.id)).toEqual(submitted.map(({ id }) => id).reverse());
  const listed = new Map<string, Record<string, unknown>>(
    list.items.map((job: Record<string, unknown>) => [job.id as string, job]),
  );

  for (const { id, ms, fail } of submitted) {
    const { status: getStatus, body: job } = await app.http.get(`/v1/jobs/${id}`);
    expect(getStatus).toBe(200);
    const expected = fail
      ? {
          id,
          type: 'demo.sleep',
          status: 'failed',
          payload: { ms, fail: true },
          result: null,
          error: { message: 'demo failure' },
          attemptsMade: 2,
        }
      : {
          id,
          type: 'demo.sleep',
          status: 'completed',
          progress: 100,
          payload: { ms, steps: 2 },
          result: { slept: ms },
          error: null,
          attemptsMade: 1,
        };
    expect(job).toMatchObject(expected);
    for (const field of ['createdAt', 'startedAt', 'finishedAt']) {
      expect(job[field]).toEqual(expect.any(String));
      expect(new Date(job[field]).toISOString()).toBe(job[field]);
    }
    expect(Date.parse(job.startedAt)).toBeGreaterThanOrEqual(Date.parse(job.createdAt));
    expect(Date.parse(job.finishedAt)).toBeGreaterThanOrEqual(Date.parse(job.startedAt));
    // History tells the same story as Redis did, in the list and for the single job.
    expect(job).toEqual(whileInRedis.get(id));
    expect(listed.get(id)).toEqual(job);
  }

  const completed = await app.http.get('/v1/jobs?status=completed');
  expect(completed.body.items.map((job: { id: string }) => job.id)).toEqual(
    submitted
      .filter(({ fail }) => !fail)
      .map(({ id }) => id)
      .reverse(),
  );
  const failed = await app.http.get('/v1/jobs?status=failed&limit=1');
  expect(failed.body.items.map((job: { id: string }) => job.id)).toEqual([submitted[4]!.id]);
  const rest = await app.http.get(`/v1/jobs?status=failed&limit=1&cursor=${failed.body.nextCursor}`);
  expect(rest.body).toMatchObject({ items: [{ id: submitted[3]!.id, status: 'failed' }], nextCursor: null });

  // Another workspace finds none of them in history either.
  const other = await app.createWorkspace('history-other');
  expect((await other.http.get(`/v1/jobs/${submitted[0]!.id}`)).status).toBe(404);
  expect((await other.http.post(`/v1/jobs/${submitted[3]!.id}/retry`)).status).toBe(404);
  expect((await other.http.get('/v1/jobs')).body).toEqual({ items: [], nextCursor: null });

  // A failed job that only history remembers can still be retried, and runs again.
  const dropped = submitted[3]!;
  const retried = await app.http.post(`/v1/jobs/${dropped.id}/retry`);
  expect(retried.status).toBe(200);
  expect(retried.body).toMatchObject({
    id: dropped.id,
    status: 'queued',
    attemptsMade: 0,
    payload: { ms: 40, fail: true },
  });
  const again = await waitFor('the retried job to fail again', async () => {
    const { body } = await app.http.get(`/v1/jobs/${dropped.id}`);
    return body.status === 'failed' ? body : null;
  });
  expect(again).toMatchObject({ error: { message: 'demo failure' }, attemptsMade: 2 });
  expect(Date.parse(again.startedAt)).toBeGreaterThan(Date.parse(whileInRedis.get(dropped.id)!.finishedAt as string));
  // History (which re-announcing the whole job on retry must update, not duplicate) agrees.
  const failedList = await app.http.get('/v1/jobs?status=failed&limit=200');
  expect(failedList.body.items.filter((job: { id: string }) => job.id === dropped.id)).toEqual([
    expect.objectContaining({ attemptsMade: 2, startedAt: again.startedAt }),
  ]);
});
