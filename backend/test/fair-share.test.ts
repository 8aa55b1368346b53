import type { Job } from '@flightdeck/contract';
import { DISPATCH } from '../src/fair-share/dispatch.script';
import { STARTED_BUCKET_MS } from '../src/fair-share/fair-share-keys';
import { laneBacklog, laneCounts, readFairShareUsage } from '../src/fair-share/fair-share-usage';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import type { HttpClient } from './support/http-client';
import { waitFor } from './support/test-services';

// Fair share between workspaces on the shared queues (issue 14): lanes per workspace, fed to BullMQ
// round-robin by the api role's dispatcher. An api-only process; the workers run here, started and
// stopped by each test, so that what sits in the lanes is under the test's control.

let app: TestFlightdeck;
let other: { workspaceId: string; http: HttpClient };
let third: { workspaceId: string; http: HttpClient };

beforeAll(async () => {
  app = await startTestFlightdeck({ ROLES: 'api', FAIR_DISPATCH_DEPTH: '4' });
  other = await app.createWorkspace('other');
  third = await app.createWorkspace('third');
});
afterEach(async () => {
  await app.closeWorkers();
  await app.http.post('/v1/queues/demo/resume');
});
afterAll(async () => {
  await app.stop();
});

const startDemoWorkers = (concurrency: number) => app.startWorkers({ queues: ['demo'], concurrency });

const sleep = (ms: number, extra: Record<string, unknown> = {}) => ({ type: 'demo.sleep', payload: { ms }, ...extra });

async function submit(http: HttpClient, jobs: Record<string, unknown>[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < jobs.length; start += 500) {
    const answer = await http.post('/v1/jobs/batch', { jobs: jobs.slice(start, start + 500) });
    expect(answer.status).toBe(202);
    ids.push(...answer.body.jobs.map((job: { id: string }) => job.id));
  }
  return ids;
}

async function jobsOf(http: HttpClient, ids: string[]): Promise<Job[]> {
  return Promise.all(ids.map(async (id) => (await http.get(`/v1/jobs/${id}`)).body as Job));
}

async function allFinished(http: HttpClient, ids: string[], timeoutMs = 60_000): Promise<Job[]> {
  return waitFor(
    'every job to finish',
    async () => {
      const jobs = await jobsOf(http, ids);
      return jobs.every((job) => ['completed', 'failed', 'cancelled'].includes(job.status)) ? jobs : null;
    },
    timeoutMs,
    200,
  );
}

const setLimits = (workspaceId: string, limits: Record<string, number>) =>
  app.redis.hset(app.keys.fairLimits(workspaceId), limits);

/** Waits until the demo queue's lanes and BullMQ's wait, prioritized and active are all empty. */
async function drained(timeoutMs: number): Promise<void> {
  const queue = app.queue('demo');
  await waitFor(
    'the demo queue to drain',
    async () =>
      (await app.redis.zcard(app.keys.fairBacklog('demo'))) === 0 &&
      Object.values(await queue.getJobCounts('wait', 'prioritized', 'active')).every((count) => count === 0),
    timeoutMs,
    100,
  );
}

/** Most jobs of `jobs` that ran at the same moment. */
function mostAtOnce(jobs: Job[]): number {
  const edges = jobs.flatMap((job) => [
    [Date.parse(job.startedAt!), 1],
    [Date.parse(job.finishedAt!), -1],
  ]);
  edges.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let now = 0;
  let most = 0;
  for (const [, step] of edges) most = Math.max(most, (now += step!));
  return most;
}

it("runs a workspace's jobs by priority, FIFO among equals, from its lane", async () => {
  await app.http.post('/v1/queues/demo/pause');
  const priorities = [0, 5, 1, 0, 5, 1, 0, 2, 0, 1, 3, 0];
  const ids = await submit(
    app.http,
    priorities.map((priority) => sleep(0, priority ? { priority } : {})),
  );
  // Paused: nothing reaches BullMQ, every job waits in the lane, in order.
  expect(await app.redis.zcard(app.keys.fairLane('demo', app.workspaceId))).toBe(ids.length);
  expect(await app.redis.zcard(app.keys.fairBacklog('demo'))).toBe(ids.length);
  expect(await app.queue('demo').getWaitingCount()).toBe(0);

  await startDemoWorkers(1);
  await app.http.post('/v1/queues/demo/resume');
  const jobs = await allFinished(app.http, ids);
  const started = [...jobs].sort((a, b) => Date.parse(a.startedAt!) - Date.parse(b.startedAt!)).map((job) => job.id);
  const expected = ids
    .map((id, index) => ({ id, index, priority: priorities[index]! }))
    .sort((a, b) => a.priority - b.priority || a.index - b.index)
    .map(({ id }) => id);
  expect(started).toEqual(expected);
  expect(await app.redis.zcard(app.keys.fairBacklog('demo'))).toBe(0);
  // Every final event took its job out of the running count.
  expect(await app.redis.scard(app.keys.fairRunning(app.workspaceId))).toBe(0);
});

it('keeps a delayed job waiting until it is due, then runs it', async () => {
  await startDemoWorkers(4);
  const [id] = await submit(app.http, [sleep(0, { delayMs: 1_500 })]);
  const submittedAt = Date.now();
  expect(await app.redis.zscore(app.keys.fairDelayed('demo', app.workspaceId), id!)).not.toBeNull();
  await new Promise((resolve) => setTimeout(resolve, 800));
  expect((await app.http.get(`/v1/jobs/${id}`)).body.status).toBe('delayed');
  const [job] = await allFinished(app.http, [id!], 10_000);
  expect(job!.status).toBe('completed');
  expect(Date.parse(job!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(job!.runAt!));
  expect(Date.now() - submittedAt).toBeGreaterThanOrEqual(1_400);
  expect(await app.redis.zcard(app.keys.fairDelayed('demo', app.workspaceId))).toBe(0);
});

it('promotes a delayed job of a lane at once', async () => {
  await startDemoWorkers(4);
  const [id] = await submit(app.http, [sleep(0, { delayMs: 600_000 })]);
  expect((await app.http.post(`/v1/jobs/${id}/promote`)).status).toBe(200);
  const [job] = await allFinished(app.http, [id!], 10_000);
  expect(job!.status).toBe('completed');
});

it('cancels a job waiting in its lane: it never runs and its lane entry is gone', async () => {
  await app.http.post('/v1/queues/demo/pause');
  const ids = await submit(
    app.http,
    Array.from({ length: 10 }, () => sleep(0)),
  );
  const victim = ids[7]!;
  const answer = await app.http.post(`/v1/jobs/${victim}/cancel`);
  expect(answer.status).toBe(200);
  expect(answer.body.status).toBe('cancelled');
  expect(await app.redis.zscore(app.keys.fairLane('demo', app.workspaceId), victim)).toBeNull();
  expect(await app.redis.hget(app.keys.fairArgs('demo', app.workspaceId), victim)).toBeNull();
  expect(await app.redis.zscore(app.keys.fairBacklog('demo'), victim)).toBeNull();

  await startDemoWorkers(4);
  await app.http.post('/v1/queues/demo/resume');
  const jobs = await allFinished(app.http, ids);
  expect(jobs.filter((job) => job.status === 'completed')).toHaveLength(9);
  const cancelled = jobs.find((job) => job.id === victim)!;
  expect(cancelled.status).toBe('cancelled');
  expect(cancelled.startedAt).toBeNull();
  expect(await app.queue('demo').getJob(victim)).toBeUndefined();
});

it('refuses a batch past the pending limit with 429 quota_exceeded, whole; other workspaces are unaffected', async () => {
  await app.http.post('/v1/queues/demo/pause');
  await setLimits(other.workspaceId, { maxPending: 5 });
  await submit(
    other.http,
    Array.from({ length: 4 }, () => sleep(0)),
  );
  const over = await other.http.post('/v1/jobs/batch', { jobs: [sleep(0), sleep(0)] });
  expect(over.status).toBe(429);
  expect(over.body.error.code).toBe('quota_exceeded');
  expect(over.body.error.message).toMatch(/at most 5 jobs pending/);
  expect(over.headers.get('retry-after')).toBe('5');
  // Nothing of the refused batch was queued.
  expect(await app.redis.zcard(app.keys.fairLane('demo', other.workspaceId))).toBe(4);
  const single = await other.http.post('/v1/jobs', { ...sleep(0), idempotencyKey: 'fifth' });
  expect(single.status).toBe(202);
  const sixth = await other.http.post('/v1/jobs', sleep(0));
  expect(sixth.status).toBe(429);
  // The workspace next door submits as it likes.
  await submit(
    third.http,
    Array.from({ length: 20 }, () => sleep(0)),
  );
  await app.redis.del(app.keys.fairLimits(other.workspaceId));
  await startDemoWorkers(8);
  await app.http.post('/v1/queues/demo/resume');
  await waitFor('the lanes to empty', async () => (await app.redis.zcard(app.keys.fairBacklog('demo'))) === 0, 20_000);
});

it('runs at most maxRunning jobs of a workspace at once, and others as many as the workers take', async () => {
  await setLimits(other.workspaceId, { maxRunning: 2 });
  await startDemoWorkers(12);
  const limited = submit(
    other.http,
    Array.from({ length: 10 }, () => sleep(150)),
  );
  const free = submit(
    third.http,
    Array.from({ length: 10 }, () => sleep(150)),
  );
  const [limitedJobs, freeJobs] = await Promise.all([
    allFinished(other.http, await limited),
    allFinished(third.http, await free),
  ]);
  await app.redis.del(app.keys.fairLimits(other.workspaceId));
  expect(limitedJobs.every((job) => job.status === 'completed')).toBe(true);
  expect(mostAtOnce(limitedJobs)).toBeLessThanOrEqual(2);
  expect(mostAtOnce(freeJobs)).toBeGreaterThanOrEqual(3);
});

it('shares the workers 3:1 between workspaces weighted 3 and 1', async () => {
  await app.http.post('/v1/queues/demo/pause');
  await setLimits(other.workspaceId, { weight: 3 });
  await setLimits(third.workspaceId, { weight: 1 });
  const heavy = await submit(
    other.http,
    Array.from({ length: 240 }, () => sleep(2)),
  );
  const light = await submit(
    third.http,
    Array.from({ length: 240 }, () => sleep(2)),
  );
  await startDemoWorkers(4);
  await app.http.post('/v1/queues/demo/resume');
  await drained(30_000);
  const [heavyJobs, lightJobs] = await Promise.all([allFinished(other.http, heavy), allFinished(third.http, light)]);
  await app.redis.del(app.keys.fairLimits(other.workspaceId), app.keys.fairLimits(third.workspaceId));
  // The window: the first 200 jobs started, while both workspaces still had jobs waiting.
  const started = [
    ...heavyJobs.map((job) => ({ job, heavy: true })),
    ...lightJobs.map((job) => ({ job, heavy: false })),
  ]
    .sort((a, b) => Date.parse(a.job.startedAt!) - Date.parse(b.job.startedAt!))
    .slice(0, 200);
  const heavyCount = started.filter((entry) => entry.heavy).length;
  const ratio = heavyCount / (started.length - heavyCount);
  console.log(
    `weights 3:1 → started ${heavyCount}:${started.length - heavyCount} (${ratio.toFixed(2)}:1) of the first 200`,
  );
  expect(ratio).toBeGreaterThanOrEqual(2.7);
  expect(ratio).toBeLessThanOrEqual(3.3);
});

it('drains the lanes of every workspace, delayed jobs when asked, and deletes nothing of another queue', async () => {
  await app.http.post('/v1/queues/demo/pause');
  const mine = await submit(app.http, [sleep(0), sleep(0, { priority: 3 }), sleep(0, { delayMs: 600_000 })]);
  const theirs = await submit(other.http, [sleep(0), sleep(0)]);
  const drained = await app.http.post('/v1/queues/demo/drain', { delayed: false });
  expect(drained.status).toBe(200);
  expect(drained.body.drained).toBe(4);
  for (const id of [mine[0]!, mine[1]!]) expect((await app.http.get(`/v1/jobs/${id}`)).body.status).toBe('cancelled');
  for (const id of theirs) expect((await other.http.get(`/v1/jobs/${id}`)).body.status).toBe('cancelled');
  // The delayed job waits on in its due-time set, until a drain that includes delayed jobs.
  expect((await app.http.get(`/v1/jobs/${mine[2]}`)).body.status).toBe('delayed');
  expect(await app.redis.zcard(app.keys.fairLane('demo', app.workspaceId))).toBe(0);
  expect(await app.redis.zcard(app.keys.fairLane('demo', other.workspaceId))).toBe(0);
  expect(await app.redis.zcard(app.keys.fairBacklog('demo'))).toBe(0);
  const withDelayed = await app.http.post('/v1/queues/demo/drain', { delayed: true });
  expect(withDelayed.body.drained).toBe(1);
  expect((await app.http.get(`/v1/jobs/${mine[2]}`)).body.status).toBe('cancelled');
  expect(await app.redis.zcard(app.keys.fairDelayed('demo', app.workspaceId))).toBe(0);
});

it('reports pending, running and started jobs per workspace (readFairShareUsage)', async () => {
  await app.http.post('/v1/queues/demo/pause');
  await submit(other.http, [sleep(0), sleep(0), sleep(0, { delayMs: 600_000 })]);
  const [usage] = await readFairShareUsage(app.redis, app.keys, [other.workspaceId]);
  expect(usage).toMatchObject({ workspaceId: other.workspaceId, pending: 3, running: 0 });
  expect(usage!.limits).toEqual({ maxRunning: null, maxPending: null, weight: 1 });
  expect(await laneBacklog(app.redis, app.keys, 'demo')).toBe(2);
  expect(await laneCounts(app.redis, app.keys, 'demo')).toEqual({ queued: 2, delayed: 1 });
  await app.http.post('/v1/queues/demo/drain', { delayed: true });
  expect(await readFairShareUsage(app.redis, app.keys, [other.workspaceId])).toMatchObject([{ pending: 0 }]);
  // Every workspace that submitted, without naming them; another workspace's figures are its own.
  const all = await readFairShareUsage(app.redis, app.keys);
  expect(all.map((entry) => entry.workspaceId).sort()).toEqual(
    [app.workspaceId, other.workspaceId, third.workspaceId].sort(),
  );
  expect(all.find((entry) => entry.workspaceId === third.workspaceId)!.startedLastMinute).toBeGreaterThan(0);
});

it('with no worker at all, fills wait up to the depth and moves due delayed jobs into the lane (KEDA sees both)', async () => {
  const ids = await submit(
    third.http,
    Array.from({ length: 10 }, () => sleep(0)),
  );
  const [later] = await submit(third.http, [sleep(0, { delayMs: 300 })]);
  const queue = app.queue('demo');
  // FAIR_DISPATCH_DEPTH is 4 here: the rest waits in the lane, counted in the backlog set KEDA reads.
  await waitFor('the dispatcher to fill wait', async () => (await queue.getWaitingCount()) === 4, 5_000);
  await waitFor(
    'the delayed job to fall due into the lane',
    async () => (await app.redis.zscore(app.keys.fairBacklog('demo'), later!)) !== null,
    5_000,
  );
  expect(await laneBacklog(app.redis, app.keys, 'demo')).toBe(ids.length + 1 - 4);
  expect(await queue.getWaitingCount()).toBe(4);
  await startDemoWorkers(4);
  const jobs = await allFinished(third.http, [...ids, later!]);
  expect(jobs.every((job) => job.status === 'completed')).toBe(true);
});

it("drops a deleted workspace's lanes after cancelling its jobs", async () => {
  const person = await app.signup('Leaving');
  await app.http.post('/v1/queues/demo/pause');
  const ids = await submit(person.http, [sleep(0), sleep(0), sleep(0, { delayMs: 600_000 })]);
  expect(await app.redis.zcard(app.keys.fairLane('demo', person.workspaceId))).toBe(2);
  expect((await person.http.delete('/v1/workspace')).status).toBe(204);
  for (const key of [
    app.keys.fairLane('demo', person.workspaceId),
    app.keys.fairArgs('demo', person.workspaceId),
    app.keys.fairDelayed('demo', person.workspaceId),
  ])
    expect(await app.redis.exists(key)).toBe(0);
  expect(await app.redis.sismember(app.keys.fairWorkspaces, person.workspaceId)).toBe(0);
  for (const id of ids) expect(await app.redis.zscore(app.keys.fairBacklog('demo'), id)).toBeNull();
});

it('cancels a job a dead dispatcher took from its lane but never added: it never runs, and recovery leaves it be', async () => {
  const ids = await submit(
    third.http,
    Array.from({ length: 8 }, () => sleep(0)),
  );
  const queue = app.queue('demo');
  await waitFor('the dispatcher to fill wait', async () => (await queue.getWaitingCount()) === 4, 5_000);
  // One more job leaves the lane the way a dispatch does, and nobody adds it to BullMQ.
  const now = Date.now();
  const [taken, , batch] = (await app.redis.eval(
    DISPATCH,
    0,
    app.keys.fairPrefix,
    'demo',
    `${app.namespace.prefix}:demo:`,
    1_000_000,
    0,
    1,
    now,
    'orphan',
    Math.floor(now / STARTED_BUCKET_MS),
    1,
  )) as [number, number, string];
  expect(taken).toBe(1);
  const orphan = (JSON.parse(batch) as { opts: { jobId: string } }[])[0]!.opts.jobId;
  const cancelled = await third.http.post(`/v1/jobs/${orphan}/cancel`);
  expect(cancelled.body.status).toBe('cancelled');
  await startDemoWorkers(4);
  const jobs = await allFinished(third.http, ids);
  expect(jobs.filter((job) => job.status === 'completed')).toHaveLength(ids.length - 1);
  // The recovery pass found the batch (older than 5 s), saw the job cancelled, and only cleared it.
  await waitFor(
    'the orphaned batch to be cleared',
    async () => (await app.redis.hexists(app.keys.fairDispatching('demo'), 'orphan')) === 0,
    15_000,
  );
  const [job] = await jobsOf(third.http, [orphan]);
  expect(job!.status).toBe('cancelled');
  expect(job!.startedAt).toBeNull();
  expect(await queue.getJob(orphan)).toBeUndefined();
});
