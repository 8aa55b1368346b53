import pino from 'pino';
import { type JobAttemptOutcome } from '@flightdeck/workers';
import { DISPATCH } from '../src/fair-share/dispatch.script';
import { FairDispatcher } from '../src/fair-share/fair-dispatcher';
import { FairShare } from '../src/fair-share/fair-share';
import { PROMOTE_DUE_LANES } from '../src/fair-share/promote-due-lanes.script';
import type { QueueRegistry } from '../src/jobs/queue-registry';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import type { HttpClient } from './support/http-client';
import { waitFor } from './support/test-services';

// Fair share when a dispatcher is slow or stalls, when lanes cannot move, and when a fast-path add is
// refused (review of issue 14): a job Flightdeck finished never runs, a job runs once, the dispatcher
// does not spin, a refusal answers at once. KEEP_COMPLETED_JOBS=0 stands in for a busy queue (BullMQ
// forgets a completed job at once, so a late add of it would be taken as new).

let app: TestFlightdeck;
let other: { workspaceId: string; http: HttpClient };
let third: { workspaceId: string; http: HttpClient };
const outcomes: JobAttemptOutcome[] = [];

beforeAll(async () => {
  app = await startTestFlightdeck({ ROLES: 'api', KEEP_COMPLETED_JOBS: '0' });
  other = await app.createWorkspace('other');
  third = await app.createWorkspace('third');
});
afterEach(async () => {
  await app.closeWorkers();
  outcomes.length = 0;
  await app.redis.del(app.keys.fairLimits(app.workspaceId));
  await app.http.post('/v1/queues/demo/drain', { delayed: true });
  await app.http.post('/v1/queues/demo/resume');
});
afterAll(async () => {
  await app.stop();
});

const startDemoWorkers = () =>
  app.startWorkers({
    queues: ['demo'],
    concurrency: 1,
    metrics: { jobFinished: ({ outcome }) => outcomes.push(outcome) },
  });

/** Whether BullMQ is done with a job: finished, or forgotten already. */
const finished = (job: { finishedOn?: number } | undefined) => job === undefined || Boolean(job.finishedOn);
const sleepJob = { type: 'demo.sleep', payload: { ms: 10 } };
type Add = { name: string; data: { workspaceId: string }; opts: { jobId: string } };

/** Runs the dispatch script once on the paused demo queue (as if resumed for that moment): what it took, in order. */
async function dispatchOnce(target: number, batchId: string, workspaces = 0): Promise<Add[]> {
  const queue = app.queue('demo');
  const meta = queue.toKey('meta');
  const [, [, out]] = (await app.redis
    .multi()
    .hdel(meta, 'paused')
    .eval(
      DISPATCH,
      0,
      app.keys.fairPrefix,
      'demo',
      queue.toKey(''),
      target,
      0,
      1,
      Date.now(),
      batchId,
      1,
      500,
      workspaces,
    )
    .hset(meta, 'paused', 1)
    .exec()) as [unknown, [unknown, [number, number, string, number]]];
  return out[0] > 0 ? (JSON.parse(out[2]) as Add[]) : [];
}

/** Submits one job into its lane and takes it out as a dispatcher would, without adding it (the dispatcher stalls). */
async function takenByStalledDispatcher(): Promise<{ id: string; batch: Add[] }> {
  await app.http.post('/v1/queues/demo/pause');
  const id = (await app.http.post('/v1/jobs', sleepJob)).body.id as string;
  expect(await app.redis.zscore(app.keys.fairLane('demo', app.workspaceId), id)).not.toBeNull();
  const batch = await dispatchOnce(10, `stalled-${id}`);
  expect(batch.map((add) => add.opts.jobId)).toEqual([id]);
  return { id, batch };
}

it('never runs a job cancelled while a stalled dispatcher held it: the late add completes it without events', async () => {
  const queue = app.queue('demo');
  const { id, batch } = await takenByStalledDispatcher();
  expect((await app.http.post(`/v1/jobs/${id}/cancel`)).body.status).toBe('cancelled');
  const eventsBefore = await app.redis.xlen(app.keys.workspaceEvents(app.workspaceId));
  // The stalled dispatcher goes on: its add lands after the cancel.
  await queue.addBulk(batch as never);
  await app.redis.hdel(app.keys.fairDispatching('demo'), `stalled-${id}`);
  await startDemoWorkers();
  await app.http.post('/v1/queues/demo/resume');
  await waitFor('BullMQ to be done with the late add', async () => finished(await queue.getJob(id)), 10_000, 50);
  const job = (await app.http.get(`/v1/jobs/${id}`)).body;
  expect(job.status).toBe('cancelled');
  expect(job.startedAt).toBeNull();
  expect(outcomes).toEqual([]);
  expect(await app.redis.xlen(app.keys.workspaceEvents(app.workspaceId))).toBe(eventsBefore);
});

it('runs a job once when recovery re-added it and the stalled dispatcher adds it later', async () => {
  const queue = app.queue('demo');
  const { id, batch } = await takenByStalledDispatcher();
  await startDemoWorkers();
  await app.http.post('/v1/queues/demo/resume');
  // The recovery pass (batches older than 5 s) re-adds it; it runs and BullMQ forgets it.
  const first = await waitFor(
    'recovery to re-add and run it',
    async () => {
      const body = (await app.http.get(`/v1/jobs/${id}`)).body;
      return body.status === 'completed' ? body : null;
    },
    20_000,
    100,
  );
  await waitFor('BullMQ to forget it', async () => (await queue.getJob(id)) === undefined, 5_000, 50);
  await queue.addBulk(batch as never);
  await waitFor('the late add to be taken', async () => finished(await queue.getJob(id)), 10_000, 20);
  expect(outcomes).toEqual(['completed']);
  const after = (await app.http.get(`/v1/jobs/${id}`)).body;
  expect(after.status).toBe('completed');
  expect(after.startedAt).toBe(first.startedAt);
}, 40_000);

it('answers a refused fast-path batch at once (503) and leaves no dispatching record to re-add', async () => {
  const queue = app.queue('demo');
  // BullMQ's add fails (its events stream has the wrong type) while Redis stays ready.
  await app.redis.del(queue.toKey('events'));
  await app.redis.set(queue.toKey('events'), 'not a stream');
  try {
    const started = Date.now();
    const answer = await app.http.post('/v1/jobs/batch', { jobs: Array.from({ length: 5 }, () => sleepJob) });
    expect(answer.status).toBe(503);
    // Before: the undo waited settle()'s 2 s per job (over 10 s for 5).
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await app.redis.zcard(app.keys.fairDispatchingAt('demo'))).toBe(0);
    expect(await app.redis.hlen(app.keys.fairDispatching('demo'))).toBe(0);
  } finally {
    await app.redis.del(queue.toKey('events'));
    // The broken stream failed the undo's BullMQ remove too (read as "a worker holds them"): forget them.
    await app.redis.del(app.keys.fairRunning(app.workspaceId));
  }
});

it('adds a batch in the order the dispatch picked its jobs', async () => {
  await app.http.post('/v1/queues/demo/pause');
  for (const http of [app.http, other.http])
    expect((await http.post('/v1/jobs/batch', { jobs: Array.from({ length: 5 }, () => sleepJob) })).status).toBe(202);
  // The other workspace is behind by half a turn: picks go other, mine, other, mine.
  await app.redis.zadd(app.keys.fairReady('demo'), 0.5, app.workspaceId, 0, other.workspaceId);
  const batch = await dispatchOnce(4, 'order');
  await app.queue('demo').addBulk(batch as never);
  await app.redis.hdel(app.keys.fairDispatching('demo'), 'order');
  await app.redis.zrem(app.keys.fairDispatchingAt('demo'), 'order');
  const mine = app.workspaceId;
  expect(batch.map((add) => add.data.workspaceId)).toEqual([other.workspaceId, mine, other.workspaceId, mine]);
});

it('looks at the workspaces of lowest pass only, as many as it is told', async () => {
  await app.http.post('/v1/queues/demo/pause');
  for (const http of [app.http, other.http, third.http])
    expect((await http.post('/v1/jobs/batch', { jobs: Array.from({ length: 3 }, () => sleepJob) })).status).toBe(202);
  await app.redis.zadd(app.keys.fairReady('demo'), 0, app.workspaceId, 1, other.workspaceId, 2, third.workspaceId);
  const batch = await dispatchOnce(20, 'capped', 2);
  await app.queue('demo').addBulk(batch as never);
  await app.redis.hdel(app.keys.fairDispatching('demo'), 'capped');
  await app.redis.zrem(app.keys.fairDispatchingAt('demo'), 'capped');
  const taken = batch.map((add) => add.data.workspaceId);
  expect(taken.filter((id) => id === third.workspaceId)).toEqual([]);
  expect(taken.length).toBe(6);
  // It stays in the round-robin for the next dispatch.
  expect(await app.redis.zscore(app.keys.fairReady('demo'), third.workspaceId)).not.toBeNull();
});

describe('a dispatcher whose lanes cannot move', () => {
  const fair = () =>
    new FairShare(app.redis, app.keys, new Map([['demo', app.queue('demo')]]) as unknown as QueueRegistry, {
      enabled: true,
      depth: 400,
      defaults: { maxRunning: undefined, maxPending: 1_000_000, weight: 1 },
    });

  /** Runs a dispatcher (10 ms after a full pass, 400 ms idle) for `ms`; how often it ran the dispatch script. */
  async function dispatchCalls(ms: number, during?: (dispatcher: FairDispatcher) => Promise<void>): Promise<number> {
    const share = fair();
    let calls = 0;
    const dispatch = share.dispatch.bind(share);
    share.dispatch = (...args) => ((calls += 1), dispatch(...args));
    const dispatcher = new FairDispatcher(app.redis, share, pino({ level: 'silent' }), {
      fullMs: 10,
      idleMs: 400,
      recoverEveryMs: 60_000,
      sweepEveryMs: 600_000,
    });
    expect(await dispatcher.pass()).toBe('blocked');
    calls = 0;
    dispatcher.start();
    await new Promise((resolve) => setTimeout(resolve, ms));
    await during?.(dispatcher);
    await dispatcher.stop();
    return calls;
  }

  it('backs off to the idle pause while the queue is paused, and wakes when jobs are laned', async () => {
    await app.http.post('/v1/queues/demo/pause');
    await app.http.post('/v1/jobs/batch', { jobs: Array.from({ length: 3 }, () => sleepJob) });
    // Before: a pass every 10 ms (~150 in 1.5 s).
    expect(await dispatchCalls(1_500)).toBeLessThanOrEqual(10);
    // A nudge (a local submit) still wakes it at once.
    const woken = await dispatchCalls(600, async (dispatcher) => {
      const before = Date.now();
      dispatcher.nudge();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(Date.now() - before).toBeLessThan(400);
    });
    expect(woken).toBeGreaterThanOrEqual(3);
  });

  it('backs off while every laned workspace is at its running limit', async () => {
    await app.redis.hset(app.keys.fairLimits(app.workspaceId), { maxRunning: 1 });
    await app.http.post('/v1/jobs/batch', { jobs: Array.from({ length: 3 }, () => sleepJob) });
    // No workers: one job waits in BullMQ (counted running), two in the lane.
    await waitFor('one job in BullMQ', async () => (await app.queue('demo').getWaitingCount()) === 1, 5_000, 50);
    expect(await app.redis.zcard(app.keys.fairLane('demo', app.workspaceId))).toBe(2);
    expect(await dispatchCalls(1_500)).toBeLessThanOrEqual(10);
  });
});

it('moves at most the budget of due jobs per promote run, across workspaces', async () => {
  const prefix = `${app.keys.fairPrefix}promote-test:`;
  const due = Date.now() - 1_000;
  for (const ws of ['w1', 'w2', 'w3']) {
    const ids = Array.from({ length: 600 }, (_, index) => `${ws}-${index}`);
    await app.redis.zadd(`${prefix}delayed:demo:${ws}`, ...ids.flatMap((id) => [due, id]));
    await app.redis.hset(`${prefix}args:demo:${ws}`, ...ids.flatMap((id) => [id, '{"p":0}']));
    await app.redis.zadd(`${prefix}timers:demo`, due, ws);
  }
  const promote = () =>
    app.redis.eval(PROMOTE_DUE_LANES, 0, prefix, 'demo', Date.now(), 1_000, 100) as Promise<[number, number]>;
  const [moved, stillDue] = await promote();
  // Before: 1,000 per workspace, so all 1,800 in one run.
  expect(moved).toBeLessThanOrEqual(1_000);
  expect(moved).toBeGreaterThan(0);
  expect(stillDue).toBeGreaterThan(0);
  const [rest, none] = await promote();
  expect(moved + rest).toBe(1_800);
  expect(none).toBe(0);
  expect(await app.redis.zcard(`${prefix}backlog:demo`)).toBe(1_800);
  const keys = await app.redis.keys(`${prefix}*`);
  await app.redis.del(...keys);
});
