import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { StreamEvent } from '@flightdeck/contract';
import { JobEventStream, redisKeys, type JobData } from '@flightdeck/workers';
import { JobRecordModel } from '../src/db/models';
import { AttemptEndReconciler } from '../src/reconciler/attempt-end-reconciler';
import { BullmqEventFeed } from '../src/reconciler/bullmq-event-feed';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { retainedEvents } from './support/realtime-client';
import { testNamespace, waitFor } from './support/test-services';

// A worker that dies after BullMQ moved its job but before its own event left its append lane: here
// the "worker" is this test, taking jobs by hand from BullMQ, announcing them active as a worker
// does, ending them in BullMQ and then saying nothing. The API role's reconciler must append the end
// once — to the workspace stream (and so to sockets), the snapshot, history and webhooks — and
// neither a second pass nor the worker's late append may add it again.

const FINAL = new Set(['job.completed', 'job.failed', 'job.cancelled']);
/** The reconciler's grace (2 s) and a poll or two beyond it. */
const RECONCILED_WITHIN_MS = 10_000;

let app: TestFlightdeck;
let events: JobEventStream;
let worker: Worker<JobData>;
let workerRedis: Redis;
let receiver: http.Server;
let hooks: string[];
let hookBase: string;

beforeAll(async () => {
  hooks = [];
  receiver = http.createServer(async (request, response) => {
    for await (const _chunk of request) void _chunk;
    hooks.push(request.url!);
    response.end('ok');
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  // No worker role: this test is the (dying) worker.
  app = await startTestFlightdeck({ ROLES: 'api,gateway', OUTBOUND_ALLOWLIST: '127.0.0.1' });
  events = new JobEventStream(app.redis, app.keys, { retainedEvents: 10_000, snapshotTtlSeconds: 3600 });
  workerRedis = new Redis(app.namespace.redisUrl, { maxRetriesPerRequest: null });
  worker = new Worker<JobData>('demo', null, {
    connection: workerRedis,
    prefix: app.namespace.prefix,
    lockDuration: 60_000,
    autorun: false,
  });
});

afterAll(async () => {
  await worker?.close();
  workerRedis?.disconnect();
  await app?.stop();
  receiver?.close();
});

/** Submits a job and takes it from BullMQ as a worker would, announcing it active; nothing else. */
async function takeJob(job: Record<string, unknown>): Promise<{ bull: BullJob<JobData>; token: string }> {
  const answer = await app.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 10 }, ...job });
  expect(answer.status).toBe(202);
  const token = `token-${answer.body.id}`;
  const bull = (await worker.getNextJob(token)) as BullJob<JobData>;
  expect(bull.id).toBe(answer.body.id);
  await events.append(bull.data.workspaceId, [
    {
      type: 'job.active',
      jobId: bull.id!,
      job: { id: bull.id!, status: 'active', startedAt: new Date().toISOString(), attemptsMade: bull.attemptsMade },
    },
  ]);
  return { bull, token };
}

const eventsOf = async (jobId: string): Promise<StreamEvent[]> =>
  (await retainedEvents(app.redis, app.keys, app.workspaceId)).filter((event) => event.jobId === jobId);

const typesOf = async (jobId: string) => (await eventsOf(jobId)).map((event) => event.type);

async function waitForEvent(jobId: string, type: string): Promise<StreamEvent> {
  return waitFor(
    `${type} of ${jobId}`,
    async () => (await eventsOf(jobId)).find((event) => event.type === type),
    RECONCILED_WITHIN_MS,
    100,
  );
}

/** The draft the job's worker would have appended: guarded by the attempt's number, as JobReporter does. */
const lateWorkerCompletion = (bull: BullJob<JobData>) => ({
  type: 'job.completed' as const,
  jobId: bull.id!,
  job: { id: bull.id!, status: 'completed' as const, progress: 100, result: { late: true }, attemptsMade: 1 },
  attempt: 1,
});

describe('the attempt-end reconciler', () => {
  it('appends the completion a dead worker never announced, once, everywhere', async () => {
    const { bull, token } = await takeJob({ webhookUrl: `${hookBase}/completed` });
    await bull.moveToCompleted({ slept: 10 }, token, false);

    const completed = await waitForEvent(bull.id!, 'job.completed');
    expect(completed.job).toMatchObject({ status: 'completed', progress: 100, result: { slept: 10 }, attemptsMade: 1 });
    expect((await app.http.get(`/v1/jobs/${bull.id}`)).body).toMatchObject({
      status: 'completed',
      result: { slept: 10 },
    });
    const record = await waitFor('the history record to be final', async () => {
      const found = await JobRecordModel.findById(bull.id).lean<{ status: string; result: string }>();
      return found?.status === 'completed' ? found : null;
    });
    expect(JSON.parse(record.result)).toEqual({ slept: 10 });
    await waitFor('the webhook', () => hooks.includes('/completed'));

    // The dead worker's append, had it come late after all, is skipped by the same guard…
    expect(await events.append(app.workspaceId, [lateWorkerCompletion(bull)])).toEqual([0]);
    // …and a second pass over the same notice (a new leader re-reading) adds nothing.
    const second = new AttemptEndReconciler(
      app.redis.duplicate(),
      app.keys,
      new Map([['demo', app.queue('demo')]]),
      events,
      pino({ level: 'silent' }),
    );
    const notice = {
      queue: 'demo',
      jobId: bull.id!,
      kind: 'completed' as const,
      at: Date.now(),
      returnValue: '{"slept":10}',
    };
    expect(await second.reconcile([notice])).toBe(0);
    await second.stop();
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    expect(await typesOf(bull.id!)).toEqual(['job.queued', 'job.active', 'job.completed']);
    expect(hooks.filter((path) => path === '/completed')).toHaveLength(1);
    expect((await app.http.get(`/v1/jobs/${bull.id}`)).body.result).toEqual({ slept: 10 });
  });

  it('adds nothing when the worker announced the end itself', async () => {
    const { bull, token } = await takeJob({});
    await bull.moveToCompleted({ slept: 10 }, token, false);
    expect(await events.append(app.workspaceId, [lateWorkerCompletion(bull)])).not.toEqual([0]);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(await typesOf(bull.id!)).toEqual(['job.queued', 'job.active', 'job.completed']);
    expect((await eventsOf(bull.id!)).at(-1)?.job?.result).toEqual({ late: true });
  });

  it('appends a failure for good with its reason', async () => {
    const { bull, token } = await takeJob({ attempts: 1, webhookUrl: `${hookBase}/failed` });
    await bull.moveToFailed(new Error('disk on fire'), token, false);

    const failed = await waitForEvent(bull.id!, 'job.failed');
    expect(failed.job).toMatchObject({ status: 'failed', error: { message: 'disk on fire' }, attemptsMade: 1 });
    expect(failed.job?.errorStack).toContain('disk on fire');
    await waitFor('the webhook', () => hooks.includes('/failed'));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await typesOf(bull.id!)).filter((type) => FINAL.has(type))).toEqual(['job.failed']);
    expect(hooks.filter((path) => path === '/failed')).toHaveLength(1);
  });

  it('appends a cancellation for a run its worker stopped because it was cancelled', async () => {
    // The worker fails a cancelled run this way (worker-runtime); who asked died with it.
    const { bull, token } = await takeJob({ attempts: 3 });
    await bull.moveToFailed(new UnrecoverableError('cancelled'), token, false);

    const cancelled = await waitForEvent(bull.id!, 'job.cancelled');
    expect(cancelled.job).toMatchObject({ status: 'cancelled', error: null, attemptsMade: 1 });
    expect((await app.http.get(`/v1/jobs/${bull.id}`)).body.status).toBe('cancelled');
    expect((await typesOf(bull.id!)).filter((type) => FINAL.has(type))).toEqual(['job.cancelled']);
  });

  it('appends a retry moved to delayed for its backoff', async () => {
    const { bull, token } = await takeJob({ attempts: 2, backoff: { type: 'fixed', delayMs: 60_000 } });
    await bull.moveToFailed(new Error('try later'), token, false);

    const retrying = await waitForEvent(bull.id!, 'job.retrying');
    expect(retrying.job).toMatchObject({ status: 'delayed', error: { message: 'try later' }, attemptsMade: 1 });
    expect(Date.parse(retrying.job!.runAt!)).toBeGreaterThan(Date.now() + 50_000);
    expect((await app.http.get(`/v1/jobs/${bull.id}`)).body.status).toBe('delayed');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await typesOf(bull.id!)).toEqual(['job.queued', 'job.active', 'job.retrying']);
  });

  it('appends a retry back to wait, but nothing for a run handed back or stalled (no attempt counted)', async () => {
    // Both taken before either goes back to wait (where the next take would find it first).
    const retried = await takeJob({ attempts: 2 });
    const handedBack = await takeJob({});
    await retried.bull.moveToFailed(new Error('again'), retried.token, false);
    await handedBack.bull.moveToWait(handedBack.token);

    const retrying = await waitForEvent(retried.bull.id!, 'job.retrying');
    expect(retrying.job).toMatchObject({ status: 'queued', error: { message: 'again' }, attemptsMade: 1 });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await typesOf(handedBack.bull.id!)).toEqual(['job.queued', 'job.active']);
  });
});

describe('the BullMQ event feed', () => {
  it('scans the finished sets when the stream was trimmed past its cursor', async () => {
    const namespace = testNamespace();
    const redis = new Redis(namespace.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue<JobData>('demo', { connection: redis, prefix: namespace.prefix });
    const takerRedis = redis.duplicate();
    const taker = new Worker<JobData>('demo', null, {
      connection: takerRedis,
      prefix: namespace.prefix,
      autorun: false,
    });
    const cursors = redisKeys(namespace.prefix).reconcilerCursors;
    const feedQueue = {
      name: 'demo',
      events: queue.keys.events!,
      completed: queue.keys.completed!,
      failed: queue.keys.failed!,
    };
    try {
      await queue.add('demo.sleep', { workspaceId: 'ws', payload: {} }, { jobId: 'first' });
      const feed = new BullmqEventFeed(redis, [feedQueue], cursors);
      await feed.restart();
      await feed.read();
      feed.takeDue(Date.now(), 100);
      await feed.commit([]);
      expect(await redis.hget(cursors, 'demo')).not.toBeNull();

      const job = (await taker.getNextJob('t'))!;
      await job.moveToCompleted({ ok: true }, 't', false);
      // Everything BullMQ recorded is trimmed away, the cursor's entry with it.
      await redis.xtrim(queue.keys.events!, 'MAXLEN', 0);

      const restarted = new BullmqEventFeed(redis, [feedQueue], cursors);
      await restarted.restart();
      expect((await restarted.read()).gaps).toEqual(['demo']);
      expect(restarted.takeDue(Date.now(), 100)).toEqual([
        expect.objectContaining({ queue: 'demo', jobId: 'first', kind: 'completed' }),
      ]);
      // Once: the next read picks up from the start of what is left, with no second scan.
      expect((await restarted.read()).gaps).toEqual([]);
    } finally {
      await taker.close();
      takerRedis.disconnect();
      await queue.close();
      redis.disconnect();
    }
  });
});
