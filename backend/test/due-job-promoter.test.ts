import { Queue } from 'bullmq';
import pino from 'pino';
import type { StreamEvent } from '@flightdeck/contract';
import {
  JOB_TYPES,
  decodeWorkspaceEntry,
  defineJobType,
  type AnyJobType,
  type WorkerRuntime,
} from '@flightdeck/workers';
import { DueJobPromoter } from '../src/jobs/due-job-promoter';
import { startTestFlightdeck, startTestWorkers, type TestFlightdeck } from './support/flightdeck-harness';
import { httpClient, waitForJobStatus } from './support/http-client';
import { waitFor } from './support/test-services';

// Issue 12, defect 1: at zero workers (KEDA's minReplicaCount 0) nothing in BullMQ 6 moves a due
// delayed job to `wait`, and KEDA never counts `delayed`. The api role's due-job promoter does. Here
// an api-only process and no worker: a delayed job, a retry waiting out its backoff and a schedule's
// run each reach `wait` (or `prioritized`) within about DUE_JOB_POLL_MS of their due time and never
// before it; a worker started afterwards runs them, and the stream announces each step once.

/** Slack on top of DUE_JOB_POLL_MS for a loaded test machine (2 shared cores). */
const SLACK_MS = 1_000;
const EVERY_SECOND = '* * * * * *';

/** demo.sleep, except that a job with `fail: true` fails its first attempt only. */
const flakySleep: AnyJobType = defineJobType({
  ...JOB_TYPES.get('demo.sleep')!,
  resultSchema: undefined,
  async run({ ms, fail }: { ms: number; fail: boolean }, { attempt }) {
    if (fail && attempt === 1) throw new Error('first attempt fails');
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { slept: ms };
  },
});

/** When BullMQ will consider a delayed job due: its score is `runAt * 0x1000 + counter`. */
async function dueAt(app: TestFlightdeck, queue: Queue, jobId: string): Promise<number | null> {
  const score = await app.redis.zscore(queue.keys.delayed!, jobId);
  return score === null ? null : Math.floor(Number(score) / 0x1000);
}

/** When (Redis time, ms) BullMQ's event stream of the queue recorded the job's move from delayed to waiting. */
async function promotedAt(app: TestFlightdeck, queue: Queue, jobId: string): Promise<number[]> {
  const entries = await app.redis.xrange(queue.keys.events!, '-', '+');
  return entries
    .filter(([, fields]) => {
      const record: Record<string, string> = {};
      for (let index = 0; index + 1 < fields.length; index += 2) record[fields[index]!] = fields[index + 1]!;
      return record.event === 'waiting' && record.jobId === jobId && record.prev === 'delayed';
    })
    .map(([id]) => Number(id.split('-')[0]));
}

/** The state changes of a job in the workspace stream (without progress and logs), by type. */
async function stateEvents(app: TestFlightdeck, jobId: string): Promise<StreamEvent[]> {
  const entries = await app.redis.xrange(app.keys.workspaceEvents(app.workspaceId), '-', '+');
  return entries
    .map(decodeWorkspaceEntry)
    .filter((event) => event.jobId === jobId && event.type !== 'job.progress' && event.type !== 'job.log');
}

const startDemoWorkers = (app: TestFlightdeck) =>
  startTestWorkers(app, {
    queues: ['demo'],
    jobTypes: new Map([...JOB_TYPES, ['demo.sleep', flakySleep]]),
  });

describe('due delayed jobs on an api-only process with no worker', () => {
  let app: TestFlightdeck;
  let workers: WorkerRuntime | undefined;
  beforeAll(async () => {
    // BullMQ's own `delayed`, which the promoter looks after: with fair share on, a submitted delayed
    // job waits in its workspace's due-time set instead (fair-share.test.ts covers that path), and
    // BullMQ delays only retries and schedule runs. Plain FIFO puts every delayed job there.
    app = await startTestFlightdeck({ ROLES: 'api', FAIR_SHARE: 'off' });
  });
  afterAll(async () => {
    await workers?.close(1_000);
    await app.stop();
  });

  it('reach wait within DUE_JOB_POLL_MS of their due time, never before, and run once a worker starts', async () => {
    const demo = app.queue('demo');
    const pollMs = app.config.DUE_JOB_POLL_MS;

    // Each job's due time, read as soon as it is delayed (before anything could promote it).
    const due = new Map<string, number>();
    const noteDue = async (id: string) => {
      const at = await dueAt(app, demo, id);
      expect(at).not.toBeNull();
      due.set(id, at!);
    };

    // A retry waiting out its backoff: its first attempt needs a worker, which then goes away.
    workers = await startDemoWorkers(app);
    const flaky = await app.http.post('/v1/jobs', {
      type: 'demo.sleep',
      payload: { ms: 0, fail: true },
      attempts: 2,
      backoff: { type: 'fixed', delayMs: 2_000 },
    });
    expect(flaky.status).toBe(202);
    const flakyId = flaky.body.id as string;
    await waitFor('the first attempt to fail', async () =>
      (await stateEvents(app, flakyId)).some((event) => event.type === 'job.retrying'),
    );
    await noteDue(flakyId);
    await workers.close(1_000);
    workers = undefined;
    const workersGoneAt = Date.now();

    // A delayed job, a delayed job with a priority, one not due for a minute, and a schedule's run.
    const submit = async (body: Record<string, unknown>) => {
      const answer = await app.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 }, ...body });
      expect(answer.status).toBe(202);
      expect(answer.body.status).toBe('delayed');
      await noteDue(answer.body.id);
      return answer.body.id as string;
    };
    const delayedId = await submit({ delayMs: 1_500 });
    const prioritizedId = await submit({ delayMs: 1_500, priority: 5 });
    const laterId = await submit({ delayMs: 60_000 });
    const schedule = await app.http.post('/v1/schedules', {
      name: 'every second',
      cron: EVERY_SECOND,
      job: { type: 'demo.sleep', payload: { ms: 0 } },
    });
    expect(schedule.status).toBe(201);
    // Its id ends with the time it fires (BullMQ's `repeat:<scheduler>:<ms>`): its due time, even if
    // it was promoted before this could read it.
    const runPrefix = `repeat:${schedule.body.id}:`;
    const runId = await waitFor('the schedule’s first run', async () => {
      const jobs = await demo.getJobs(['delayed', 'wait']);
      return jobs.find((job) => job.id?.startsWith(runPrefix))?.id;
    });
    due.set(runId, Number(runId.slice(runPrefix.length)));
    due.delete(laterId);
    // Nothing else could promote the retry: the only worker was gone before it fell due.
    expect(due.get(flakyId)!).toBeGreaterThan(workersGoneAt);

    // Each reaches BullMQ's `wait` (or `prioritized`) once, between its due time and a poll (plus slack) after it.
    for (const [id, at] of due) {
      const moves = await waitFor(`${id} to be promoted`, async () => {
        const found = await promotedAt(app, demo, id);
        return found.length > 0 ? found : null;
      });
      expect(moves).toHaveLength(1);
      expect(moves[0]!).toBeGreaterThanOrEqual(at);
      expect(moves[0]!).toBeLessThanOrEqual(at + pollMs + SLACK_MS);
    }
    expect(await demo.getJobState(delayedId)).toBe('waiting');
    expect(await demo.getJobState(flakyId)).toBe('waiting');
    expect(await demo.getJobState(runId)).toBe('waiting');
    expect(await demo.getJobState(prioritizedId)).toBe('prioritized');
    // What KEDA's redis triggers read: the list and the sorted set.
    expect(await app.redis.lpos(demo.keys.wait!, delayedId)).not.toBeNull();
    expect(await app.redis.zscore(demo.keys.prioritized!, prioritizedId)).not.toBeNull();
    // Not due yet: left alone.
    expect(await demo.getJobState(laterId)).toBe('delayed');

    // A worker started now runs them all.
    workers = await startDemoWorkers(app);
    for (const id of [flakyId, delayedId, prioritizedId]) await waitForJobStatus(app.http, id, 'completed');
    await waitForJobStatus(app.http, encodeURIComponent(runId), 'completed');
    expect((await app.http.delete(`/v1/schedules/${schedule.body.id}`)).status).toBe(204);
    expect(await demo.getJobState(laterId)).toBe('delayed');

    // The stream tells each story once, as when a worker promotes a due job: no event for the move itself.
    const types = async (id: string) => (await stateEvents(app, id)).map((event) => event.type);
    expect(await types(delayedId)).toEqual(['job.delayed', 'job.active', 'job.completed']);
    expect(await types(prioritizedId)).toEqual(['job.delayed', 'job.active', 'job.completed']);
    expect(await types(flakyId)).toEqual(['job.queued', 'job.active', 'job.retrying', 'job.active', 'job.completed']);
    expect(await types(runId)).toEqual(['job.queued', 'job.active', 'job.completed']);
    expect((await stateEvents(app, runId))[0]!.job).toMatchObject({ id: runId, type: 'demo.sleep', status: 'queued' });
  }, 40_000);
});

describe('DueJobPromoter', () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    // The app's own promoter makes one pass at start and then none for ten minutes: a promoter that
    // does not keep up. (It looks only at the job queues, never at these tests' own queues.)
    app = await startTestFlightdeck({ ROLES: 'api', DUE_JOB_POLL_MS: '600000', FAIR_SHARE: 'off' });
  });
  afterAll(() => app.stop());

  const promoterOf = (queue: Queue, batch?: number) =>
    new DueJobPromoter(app.redis, app.keys, new Map([[queue.name, queue]]), pino({ level: 'silent' }), {
      pollMs: 1_000,
      ...(batch ? { batch } : {}),
    });

  it('moves every due job in batches, oldest first, and only due ones; nothing due costs one ZRANGEBYSCORE', async () => {
    const queue = new Queue('due-batches', { connection: app.redis, prefix: app.namespace.prefix });
    const promoter = promoterOf(queue, 100);
    const jobs = await queue.addBulk(
      Array.from({ length: 250 }, (_, index) => ({ name: 'x', data: { index }, opts: { delay: 10_000 + index } })),
    );

    // Nothing due: nothing moves, and Redis runs one command on the queue's keys, inside the script.
    const ownKeys = new Set(Object.values(queue.keys));
    const monitor = await app.redis.monitor();
    const commands: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.some((arg) => ownKeys.has(arg))) commands.push(args);
    });
    expect(await promoter.promoteDue()).toEqual(new Map());
    await new Promise((resolve) => setTimeout(resolve, 200));
    monitor.disconnect();
    // (EVALSHA once the script is loaded; the very first call may be an EVAL that loads it.)
    expect(commands.map(([command]) => command!.toLowerCase().replace(/^evalsha$/, 'eval'))).toEqual([
      'eval',
      'zrangebyscore',
    ]);

    // Due by the 150th job's time: at least 150 jobs (a few more if they fell due in the same ms),
    // moved in batches of 100 within one pass.
    const cutoff = (await dueAt(app, queue, jobs[149]!.id!))!;
    const due: string[] = [];
    for (const job of jobs) if ((await dueAt(app, queue, job.id!))! <= cutoff) due.push(job.id!);
    expect(due.length).toBeGreaterThanOrEqual(150);
    expect(await promoter.countDue(cutoff)).toEqual(new Map([[queue.name, due.length]]));
    expect(await promoter.promoteDue(cutoff)).toEqual(new Map([[queue.name, due.length]]));
    expect(await promoter.countDue(cutoff)).toEqual(new Map([[queue.name, 0]]));
    expect(await queue.getDelayedCount()).toBe(250 - due.length);
    // Oldest due first out of `wait` (BullMQ pushes on the left and takes from the right).
    expect((await app.redis.lrange(queue.keys.wait!, 0, -1)).reverse()).toEqual(due);
    await queue.close();
  });

  it('leaves a paused queue’s due jobs in wait without waking workers, as BullMQ does', async () => {
    const queue = new Queue('due-paused', { connection: app.redis, prefix: app.namespace.prefix });
    const promoter = promoterOf(queue);
    const job = await queue.add('x', {}, { delay: 1_000 });
    await queue.pause();
    expect(await promoter.promoteDue(Date.now() + 1_000)).toEqual(new Map([[queue.name, 1]]));
    expect(await app.redis.lrange(queue.keys.wait!, 0, -1)).toEqual([job.id]);
    expect(await app.redis.zscore(queue.keys.marker!, '0')).toBeNull();
    await queue.resume();
    expect(await app.redis.zscore(queue.keys.marker!, '0')).not.toBeNull();
    await queue.close();
  });

  it('reports due jobs nobody promoted yet at /metrics, and what it promoted', async () => {
    const scrape = async () => (await httpClient(app.url).get('/metrics')).body as string;
    const sample = (text: string, series: string) =>
      Number(
        text
          .split('\n')
          .find((line) => line.startsWith(`${series} `))
          ?.slice(series.length + 1),
      );
    const answer = await app.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 100 });
    expect(answer.status).toBe(202);
    await waitFor('the job to fall due', async () =>
      sample(await scrape(), 'flightdeck_queue_due_delayed_jobs{queue="demo"}') === 1 ? true : null,
    );
    const before = sample(await scrape(), 'flightdeck_due_jobs_promoted_total{queue="demo"}');

    const demo = app.queue('demo');
    expect(await promoterOf(demo).promoteDue()).toEqual(new Map([['demo', 1]]));
    expect(await demo.getJobState(answer.body.id)).toBe('waiting');
    const text = await scrape();
    expect(sample(text, 'flightdeck_queue_due_delayed_jobs{queue="demo"}')).toBe(0);
    expect(sample(text, 'flightdeck_due_jobs_promoted_total{queue="demo"}')).toBe((before || 0) + 1);
  });

  it('runs in one api process at a time, and another takes over at once when the leader stops', async () => {
    const queue = new Queue('due-lease', { connection: app.redis, prefix: app.namespace.prefix });
    // Their own lease key: the app's promoter holds the real one.
    const keys = { ...app.keys, dueJobsLeader: `${app.keys.dueJobsLeader}:lease-test` };
    const promoters = [0, 1].map(() => {
      const connection = app.redis.duplicate();
      return {
        connection,
        promoter: new DueJobPromoter(connection, keys, new Map([[queue.name, queue]]), pino({ level: 'silent' }), {
          pollMs: 100,
        }),
      };
    });
    // Which promoter runs the script: each connection's script command, counted. (MONITOR would tell
    // too, but under load ioredis can misread monitor lines that arrive with MONITOR's own reply.)
    const sources: number[] = [];
    promoters.forEach(({ connection }, index) => {
      const client = connection as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const script = client.flightdeckPromoteDueJobs!.bind(connection);
      client.flightdeckPromoteDueJobs = (...args: unknown[]) => {
        if (args.includes(queue.keys.delayed!)) sources.push(index);
        return script(...args);
      };
    });
    for (const { promoter } of promoters) promoter.start();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const leaders = new Set(sources);
    expect(leaders.size).toBe(1);
    const leader = [...leaders][0]!;

    await promoters[leader]!.promoter.stop();
    sources.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(new Set(sources)).toEqual(new Set([1 - leader]));

    await promoters[1 - leader]!.promoter.stop();
    for (const { connection } of promoters) await connection.quit();
    await queue.close();
  });
});
