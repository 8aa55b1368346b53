import { FairShare } from '../src/fair-share/fair-share';
import type { QueueRegistry } from '../src/jobs/queue-registry';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { waitFor } from './support/test-services';

// FAIR_SHARE=off decides admission only: new jobs go straight to BullMQ with no pending limit, but the
// jobs a deployment left in the lanes (it ran with fair share on) are still found by a cancel, a promote
// and a drain, and the dispatcher still feeds the rest to BullMQ.

let app: TestFlightdeck;
beforeAll(async () => {
  app = await startTestFlightdeck({ ROLES: 'api', FAIR_SHARE: 'off', FAIR_DEFAULT_MAX_PENDING: '2' });
});
afterEach(async () => {
  await app.closeWorkers();
  await app.http.post('/v1/queues/demo/resume');
});
afterAll(async () => {
  await app.stop();
});

/** A FairShare with fair share on, as the deployment before the switch had it. */
const fairShareOn = () =>
  new FairShare(app.redis, app.keys, new Map([['demo', app.queue('demo')]]) as unknown as QueueRegistry, {
    enabled: true,
    depth: 400,
    defaults: { maxRunning: undefined, maxPending: 1_000_000, weight: 1 },
  });

/** Submits one demo job (queue paused), then moves it from BullMQ into its lane, or its due-time set. */
async function leftInLane(delayMs = 0): Promise<string> {
  await app.http.post('/v1/queues/demo/pause');
  const submitted = await app.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 10 }, delayMs });
  expect(submitted.status).toBe(202);
  const id = submitted.body.id as string;
  await (await app.queue('demo').getJob(id))!.remove();
  const data = { workspaceId: app.workspaceId, payload: { ms: 10 } };
  const dueAt = delayMs ? Date.now() + delayMs : 0;
  await fairShareOn().admit(app.workspaceId, 'demo', [
    { id, priority: 0, dueAt, name: 'demo.sleep', data, opts: { jobId: id, attempts: 1 } },
  ]);
  const where = delayMs ? app.keys.fairDelayed('demo', app.workspaceId) : app.keys.fairLane('demo', app.workspaceId);
  expect(await app.redis.zscore(where, id)).not.toBeNull();
  return id;
}

it('adds new jobs straight to BullMQ, delayed ones with their delay, with no pending limit', async () => {
  await app.http.post('/v1/queues/demo/pause');
  const answer = await app.http.post('/v1/jobs/batch', {
    jobs: [
      ...Array.from({ length: 4 }, () => ({ type: 'demo.sleep', payload: { ms: 0 } })),
      { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 60_000 },
    ],
  });
  // 5 jobs past a maxPending of 2: fair share off checks no quota.
  expect(answer.status).toBe(202);
  const ids = answer.body.jobs.map((job: { id: string }) => job.id) as string[];
  expect(await app.redis.zcard(app.keys.fairLane('demo', app.workspaceId))).toBe(0);
  const states = await Promise.all(ids.map(async (id) => (await app.queue('demo').getJob(id))!.getState()));
  expect(states).toEqual(['waiting', 'waiting', 'waiting', 'waiting', 'delayed']);
  await app.http.post('/v1/queues/demo/drain', { delayed: true });
});

it('cancels a job left in its lane: it leaves the lane and never runs', async () => {
  const id = await leftInLane();
  const cancel = await app.http.post(`/v1/jobs/${id}/cancel`);
  expect(cancel.status).toBe(200);
  expect(cancel.body.status).toBe('cancelled');
  expect(await app.redis.zscore(app.keys.fairLane('demo', app.workspaceId), id)).toBeNull();
  expect(await app.redis.zcard(app.keys.fairBacklog('demo'))).toBe(0);

  // A job left beside it still reaches BullMQ and runs once the queue resumes; the cancelled one does not.
  const control = await leftInLane();
  await app.startWorkers({ queues: ['demo'], concurrency: 2 });
  await app.http.post('/v1/queues/demo/resume');
  await waitFor(
    'the other laned job to run',
    async () => (await app.http.get(`/v1/jobs/${control}`)).body.status === 'completed',
    15_000,
    100,
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  const job = (await app.http.get(`/v1/jobs/${id}`)).body;
  expect(job.status).toBe('cancelled');
  expect(job.startedAt).toBeNull();
  expect(await app.queue('demo').getJob(id)).toBeUndefined();
});

it('promotes a delayed job left in its due-time set, and a drain empties the lanes', async () => {
  const delayed = await leftInLane(60_000);
  const promoted = await app.http.post(`/v1/jobs/${delayed}/promote`);
  expect(promoted.status).toBe(200);
  expect(await app.redis.zscore(app.keys.fairDelayed('demo', app.workspaceId), delayed)).toBeNull();
  expect(await app.redis.zscore(app.keys.fairLane('demo', app.workspaceId), delayed)).not.toBeNull();

  const drained = await app.http.post('/v1/queues/demo/drain', { delayed: true });
  expect(drained.status).toBe(200);
  expect(await app.redis.zcard(app.keys.fairLane('demo', app.workspaceId))).toBe(0);
  expect((await app.http.get(`/v1/jobs/${delayed}`)).body.status).toBe('cancelled');
});
