import { z } from 'zod';
import {
  defineJobType,
  FlightdeckClient,
  SDK_VERSION,
  startWorker,
  UnrecoverableJobError,
  type RunningWorker,
  type StreamEvent,
} from '@flightdeck/sdk';
import { io, type Socket } from 'socket.io-client';
import { WORKER_SOCKET_PATH, type WorkerJob } from '@flightdeck/contract';
import { decodeWorkspaceEntry } from '@flightdeck/workers';
import { createApiKey, generateApiKey } from '../src/accounts/api-keys';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { waitFor } from './support/test-services';

// Remote workers over the gateway (issue 13): the SDK's worker in this process, Flightdeck's gateway
// holding the BullMQ jobs on its behalf, against the real test services. Separate worker processes
// (SIGKILL, two workers under load) are in remote-worker-processes.test.ts.

let app: TestFlightdeck;
let workerKey: string;
const workers: RunningWorker[] = [];
const clients: FlightdeckClient[] = [];

const started = (worker: RunningWorker) => {
  workers.push(worker);
  return worker;
};

/** A type that reports progress in steps and logs each. */
const stepper = defineJobType({
  name: 'test.stepper',
  queue: 'steps',
  payload: z.strictObject({ steps: z.number().int().min(1).max(10), delayMs: z.number().int().default(10) }),
  result: z.strictObject({ done: z.number().int() }),
  async run({ steps, delayMs }, { progress, log, signal }) {
    for (let step = 1; step <= steps; step++) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      signal.throwIfAborted();
      log(`step ${step} of ${steps}`);
      progress((step / steps) * 100);
    }
    return { done: steps };
  },
});

async function jobEvents(workspaceId: string, jobId: string): Promise<StreamEvent[]> {
  const entries = await app.redis.xrange(app.keys.workspaceEvents(workspaceId), '-', '+');
  return entries.map(decodeWorkspaceEntry).filter((event) => event.jobId === jobId) as StreamEvent[];
}

beforeAll(async () => {
  app = await startTestFlightdeck({ REMOTE_WORKER_GRACE_MS: '300' });
  workerKey = generateApiKey();
  await createApiKey({ workspaceId: app.workspaceId, name: 'worker', key: workerKey, scopes: ['workers:run'] });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.close({ timeoutMs: 0 })));
  for (const client of clients.splice(0)) client.close();
});
afterAll(() => app?.stop());

const client = () => {
  const made = new FlightdeckClient({ url: app.url, apiKey: app.apiKey });
  clients.push(made);
  return made;
};

describe('a remote worker', () => {
  it('registers its types, runs a REST-submitted job with progress and logs, and shows in GET /v1/job-types', async () => {
    const worker = started(startWorker({ url: app.url, apiKey: workerKey, types: [stepper], concurrency: 3 }));
    const { types } = await worker.ready;
    expect(types).toEqual([
      { name: 'test.stepper', version: expect.any(Number), queue: `ws-${app.workspaceId.toLowerCase()}-steps` },
    ]);
    const submitted = await app.http.post('/v1/jobs', { type: 'test.stepper', payload: { steps: 4 } });
    expect(submitted.status).toBe(202);
    const done = await client().waitFor(submitted.body.id, { timeoutMs: 20_000 });
    expect(done).toMatchObject({ status: 'completed', progress: 100, result: { done: 4 }, attemptsMade: 1 });

    const events = await jobEvents(app.workspaceId, submitted.body.id);
    const types_ = events.map((event) => event.type);
    expect(types_[0]).toBe('job.queued');
    expect(types_).toContain('job.active');
    expect(types_).toContain('job.log');
    expect(types_.at(-1)).toBe('job.completed');
    const lines = events.flatMap((event) => event.lines ?? []);
    expect(lines).toEqual(['step 1 of 4', 'step 2 of 4', 'step 3 of 4', 'step 4 of 4']);
    const logs = await app.http.get(`/v1/jobs/${submitted.body.id}/logs`);
    expect(logs.body.items.map((item: { line: string }) => item.line)).toEqual(lines);

    const listed = (await app.http.get('/v1/job-types/test.stepper')).body;
    expect(listed.workers).toEqual({
      count: 1,
      concurrency: 3,
      instances: [
        {
          id: expect.any(String),
          sdkVersion: SDK_VERSION,
          concurrency: 3,
          inFlight: expect.any(Number),
          connectedAt: expect.any(String),
          lastSeen: expect.any(String),
        },
      ],
    });
  });

  it('retries a failed attempt (on a worker), and fails at once on UnrecoverableJobError', async () => {
    const attempts: number[] = [];
    const flaky = defineJobType({
      name: 'test.flaky',
      payload: z.strictObject({ permanent: z.boolean() }),
      defaults: { attempts: 3 },
      async run({ permanent }, { attempt }) {
        attempts.push(attempt);
        if (permanent) throw new UnrecoverableJobError('bad input');
        if (attempt === 1) throw new Error('first try fails');
        return { attempt };
      },
    });
    started(startWorker({ url: app.url, apiKey: workerKey, types: [flaky], concurrency: 2 }));
    await workers[0]!.ready;
    const retried = await client().submit(flaky, { permanent: false });
    expect(await client().waitFor(retried.id, { timeoutMs: 20_000 })).toMatchObject({
      status: 'completed',
      attemptsMade: 2,
      result: { attempt: 2 },
    });
    const permanent = await client().submit(flaky, { permanent: true });
    expect(await client().waitFor(permanent.id, { timeoutMs: 20_000 })).toMatchObject({
      status: 'failed',
      error: { message: 'bad input' },
      attemptsMade: 1,
    });
    expect(attempts).toEqual([1, 2, 1]);
  });

  it('stops a running job when it is cancelled (its signal fires) and the job ends cancelled', async () => {
    let aborted = false;
    const slow = defineJobType({
      name: 'test.slow',
      payload: z.object({}),
      run: (_payload, { signal }) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          }),
        ),
    });
    const worker = started(startWorker({ url: app.url, apiKey: workerKey, types: [slow], concurrency: 1 }));
    await worker.ready;
    const job = await client().submit(slow, {});
    await waitFor('the job to run', () => worker.inFlight() === 1, 10_000);
    const cancelled = await client().cancel(job.id);
    expect(cancelled.status).toBe('cancelled');
    await waitFor('the handler to stop', () => aborted && worker.inFlight() === 0, 5_000);
  });

  it('hands a closing worker’s unfinished job back, and another worker runs it', async () => {
    let runs = 0;
    const sticky = defineJobType({
      name: 'test.sticky',
      payload: z.object({}),
      run: (_payload, { signal }) => {
        runs++;
        if (runs > 1) return Promise.resolve({ ranOn: 'second' });
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      },
    });
    const first = startWorker({ url: app.url, apiKey: workerKey, types: [sticky], concurrency: 1 });
    await first.ready;
    const job = await client().submit(sticky, {});
    await waitFor('the first worker to take it', () => first.inFlight() === 1, 10_000);
    await first.close({ timeoutMs: 0 });
    const second = started(startWorker({ url: app.url, apiKey: workerKey, types: [sticky], concurrency: 1 }));
    await second.ready;
    const done = await client().waitFor(job.id, { timeoutMs: 20_000 });
    expect(done).toMatchObject({ status: 'completed', result: { ranOn: 'second' }, attemptsMade: 1 });
    const types = (await jobEvents(app.workspaceId, job.id)).map((event) => event.type);
    expect(types.filter((type) => type === 'job.completed')).toHaveLength(1);
  });
});

describe('a closing worker', () => {
  it('takes no new job, finishes the one it runs, and leaves the rest to another worker', async () => {
    const ranOn: Record<string, string> = {};
    const task = (who: string) =>
      defineJobType({
        name: 'test.task',
        payload: z.object({ ms: z.number().int() }),
        run: async ({ ms }, { jobId }) => {
          ranOn[jobId] = who;
          await new Promise((resolve) => setTimeout(resolve, ms));
          return { who };
        },
      });
    const closing = startWorker({ url: app.url, apiKey: workerKey, types: [task('closing')], concurrency: 1 });
    await closing.ready;
    const first = await client().submit('test.task', { ms: 800 });
    await waitFor('the closing worker to take the first job', () => closing.inFlight() === 1, 10_000);
    const closed = closing.close({ timeoutMs: 10_000 });
    const rest = await Promise.all([1, 2, 3].map(() => client().submit('test.task', { ms: 0 })));
    const other = started(startWorker({ url: app.url, apiKey: workerKey, types: [task('other')], concurrency: 2 }));
    await other.ready;
    await closed;
    expect(await client().waitFor(first.id, { timeoutMs: 10_000 })).toMatchObject({
      status: 'completed',
      result: { who: 'closing' },
      attemptsMade: 1,
    });
    for (const job of rest) await client().waitFor(job.id, { timeoutMs: 20_000 });
    expect(rest.map((job) => ranOn[job.id])).toEqual(['other', 'other', 'other']);
  });
});

describe('a queue whose workers serve only some of its types', () => {
  it('does not let a job nobody runs now hold up the jobs behind it', async () => {
    // Same queue ("default"); only test.free has a worker, with room for one job at a time.
    expect((await app.http.request('PUT', '/v1/job-types/test.blocked', { payloadSchema: {} })).status).toBe(201);
    const free = defineJobType({ name: 'test.free', payload: z.object({}), run: async () => ({ ran: true }) });
    const worker = started(startWorker({ url: app.url, apiKey: workerKey, types: [free], concurrency: 1 }));
    await worker.ready;
    const blocked = await app.http.post('/v1/jobs', { type: 'test.blocked', payload: {} });
    const frees = await Promise.all([1, 2, 3].map(() => client().submit(free, {})));
    for (const job of frees) {
      await expect(client().waitFor(job.id, { timeoutMs: 20_000 })).resolves.toMatchObject({ status: 'completed' });
    }
    expect((await app.http.get(`/v1/jobs/${blocked.body.id}`)).body).toMatchObject({
      status: 'queued',
      attemptsMade: 0,
    });
  });
});

describe('schedules of registered types', () => {
  it('runs a schedule of a workspace’s own type on its worker, and checks its payload like a submit', async () => {
    const ticks: string[] = [];
    const tick = defineJobType({
      name: 'test.tick',
      payload: z.strictObject({ label: z.string() }),
      run: async ({ label }, { jobId }) => {
        ticks.push(jobId);
        return { label };
      },
    });
    const worker = started(startWorker({ url: app.url, apiKey: workerKey, types: [tick], concurrency: 2 }));
    await worker.ready;
    const refused = await app.http.post('/v1/schedules', {
      name: 'bad tick',
      cron: '* * * * * *',
      job: { type: 'test.tick', payload: { label: 1 } },
    });
    expect({ status: refused.status, code: refused.body.error?.code }).toEqual({
      status: 422,
      code: 'invalid_payload',
    });
    const schedule = await app.http.post('/v1/schedules', {
      name: 'tick',
      cron: '* * * * * *',
      job: { type: 'test.tick', payload: { label: 'every second' } },
    });
    expect(schedule.status).toBe(201);
    try {
      await waitFor('two scheduled runs on the worker', () => ticks.length >= 2, 15_000);
      const run = await client().waitFor(ticks[0]!, { timeoutMs: 10_000 });
      expect(run).toMatchObject({ type: 'test.tick', status: 'completed', result: { label: 'every second' } });
    } finally {
      expect((await app.http.delete(`/v1/schedules/${schedule.body.id}`)).status).toBe(204);
    }
  });
});

describe('workspace isolation of remote workers', () => {
  it("never hands one workspace's jobs to another workspace's worker of the same type name", async () => {
    const other = await app.createWorkspace(`remote-${Date.now()}`);
    const otherKey = generateApiKey();
    await createApiKey({ workspaceId: other.workspaceId, name: 'worker', key: otherKey, scopes: ['workers:run'] });
    const seen: string[] = [];
    const spy = defineJobType({
      name: 'test.spy',
      payload: z.object({ who: z.string() }),
      run: async ({ who }) => {
        seen.push(who);
        return { who };
      },
    });
    // A's type exists (registered by A's key), but only B's worker is connected.
    expect(
      (await app.http.request('PUT', '/v1/job-types/test.spy', { payloadSchema: { type: 'object' } })).status,
    ).toBe(201);
    const intruder = started(startWorker({ url: app.url, apiKey: otherKey, types: [spy], concurrency: 5 }));
    await intruder.ready;
    const mine = await client().submit(spy, { who: 'A' });
    const theirs = await new FlightdeckClient({ url: app.url, apiKey: other.apiKey }).submit(spy, { who: 'B' });
    await waitFor('B’s job to run', () => seen.includes('B'), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen).toEqual(['B']);
    expect((await app.http.get(`/v1/jobs/${mine.id}`)).body.status).toBe('queued');
    expect(theirs.queue).not.toBe(mine.queue);
    // A key of B cannot register into A: it always acts in B.
    const listedInA = (await app.http.get('/v1/job-types/test.spy')).body;
    expect(listedInA.workers).toEqual({ count: 0, concurrency: 0, instances: [] });
  });

  it('refuses a worker key without workers:run, and a registration of a built-in name', async () => {
    const submitterKey = generateApiKey();
    await createApiKey({ workspaceId: app.workspaceId, name: 's', key: submitterKey, scopes: ['jobs:write'] });
    const refused = startWorker({ url: app.url, apiKey: submitterKey, types: [stepper] });
    await expect(refused.ready).rejects.toMatchObject({ code: 'forbidden' });
    await refused.close({ timeoutMs: 0 });
    const builtIn = defineJobType({ name: 'demo.sleep', payload: z.object({}), run: async () => null });
    const clash = startWorker({ url: app.url, apiKey: workerKey, types: [builtIn] });
    await expect(clash.ready).rejects.toMatchObject({ code: 'job_type_reserved' });
    await clash.close({ timeoutMs: 0 });
  });
});

describe('the worker protocol, spoken directly', () => {
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  async function connect(): Promise<Socket> {
    const socket = io(app.url, { path: WORKER_SOCKET_PATH, auth: { token: workerKey }, transports: ['websocket'] });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  const registration = { payloadSchema: { type: 'object' } };

  it('answers bad hellos and reports on jobs that are not the worker’s, and keeps the connection', async () => {
    const socket = await connect();
    await expect(socket.emitWithAck('hello', { concurrency: 0, types: [] })).resolves.toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    const hello = { sdkVersion: 'raw', concurrency: 1, types: [{ name: 'raw.echo', registration }] };
    await expect(socket.emitWithAck('hello', hello)).resolves.toMatchObject({ ok: true });
    await expect(socket.emitWithAck('hello', hello)).resolves.toMatchObject({ ok: false });
    await expect(socket.emitWithAck('complete', { dispatchId: 'not-mine', result: 1 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    await expect(socket.emitWithAck('fail', { dispatchId: 42 })).resolves.toMatchObject({ ok: false });
    expect(socket.connected).toBe(true);
  });

  it('drops log lines past the per-connection budget, and still takes the job’s end', async () => {
    const socket = await connect();
    const jobs: WorkerJob[] = [];
    socket.on('job', (job: WorkerJob) => jobs.push(job));
    const hello = { sdkVersion: 'raw', concurrency: 1, types: [{ name: 'raw.chatty', registration }] };
    await expect(socket.emitWithAck('hello', hello)).resolves.toMatchObject({ ok: true });
    const submitted = await app.http.post('/v1/jobs', { type: 'raw.chatty', payload: {} });
    await waitFor('the job', () => jobs.length === 1, 10_000);
    const { dispatchId } = jobs[0]!;
    for (let line = 0; line < 6_000; line++) socket.emit('log', { dispatchId, line: `line ${line}` });
    await expect(socket.emitWithAck('complete', { dispatchId, result: { ok: true } })).resolves.toEqual({ ok: true });
    const done = await client().waitFor(submitted.body.id, { timeoutMs: 20_000 });
    expect(done).toMatchObject({ status: 'completed', result: { ok: true } });
    const lines = (await jobEvents(app.workspaceId, submitted.body.id)).flatMap((event) => event.lines ?? []);
    expect(lines.length).toBeGreaterThanOrEqual(2_000);
    expect(lines.length).toBeLessThan(6_000);
    expect(lines.slice(0, 3)).toEqual(['line 0', 'line 1', 'line 2']);
  });
});
