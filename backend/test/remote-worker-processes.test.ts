import { FlightdeckClient, type StreamEvent } from '@flightdeck/sdk';
import { decodeWorkspaceEntry } from '@flightdeck/workers';
import { createApiKey, generateApiKey } from '../src/accounts/api-keys';
import { ExampleWorker, killAllExampleWorkers } from './support/example-worker';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { waitFor } from './support/test-services';

// The examples/ project's worker (examples/worker.js, which depends on @flightdeck/sdk as an outside
// project would) as separate processes against a real Flightdeck on the real test services: it
// registers its types and runs REST-submitted jobs with progress and logs; two of them share a load
// without either ever holding more than its concurrency; one killed mid-run loses no job and runs
// none twice. Needs the built SDK (`npm run build`).

let app: TestFlightdeck;
let workerKey: string;
let client: FlightdeckClient;

async function workspaceEvents(): Promise<StreamEvent[]> {
  const entries = await app.redis.xrange(app.keys.workspaceEvents(app.workspaceId), '-', '+');
  return entries.map(decodeWorkspaceEntry) as StreamEvent[];
}

async function submitReports(count: number, pages: number, msPerPage: number): Promise<string[]> {
  const jobs = Array.from({ length: count }, (_, index) => ({
    type: 'example.report-render',
    payload: { title: `report ${index}`, pages, msPerPage },
  }));
  const answer = await app.http.post('/v1/jobs/batch', { jobs });
  expect(answer.status).toBe(202);
  return (answer.body.jobs as { id: string }[]).map((job) => job.id);
}

/** Every job has ended completed, with exactly one job.completed event each. */
async function expectEachCompletedOnce(ids: string[]): Promise<void> {
  await waitFor(
    'every job to complete',
    async () => {
      const events = await workspaceEvents();
      const completed = new Set(events.filter((e) => e.type === 'job.completed').map((e) => e.jobId));
      return ids.every((id) => completed.has(id));
    },
    60_000,
    200,
  );
  const events = await workspaceEvents();
  const ends = new Map<string, string[]>();
  for (const event of events) {
    if (!event.jobId || !ids.includes(event.jobId)) continue;
    if (['job.completed', 'job.failed', 'job.cancelled'].includes(event.type))
      ends.set(event.jobId, [...(ends.get(event.jobId) ?? []), event.type]);
  }
  expect([...ends.values()].filter((types) => types.join() !== 'job.completed')).toEqual([]);
  expect(ends.size).toBe(ids.length);
}

beforeAll(async () => {
  app = await startTestFlightdeck({ REMOTE_WORKER_GRACE_MS: '500' });
  workerKey = generateApiKey();
  await createApiKey({ workspaceId: app.workspaceId, name: 'example worker', key: workerKey, scopes: ['workers:run'] });
  client = new FlightdeckClient({ url: app.url, apiKey: app.apiKey });
});
afterEach(() => killAllExampleWorkers());
afterAll(async () => {
  client?.close();
  await app?.stop();
});

it('registers the example types; a REST-submitted job runs on the worker with progress and logs', async () => {
  const worker = await ExampleWorker.start(app.url, workerKey, 5);
  expect(worker.lines[0]).toMatchObject({ event: 'ready' });
  const types = (await app.http.get('/v1/job-types')).body.types as { name: string; source: string; workers: object }[];
  expect(types.filter((type) => type.source === 'registered')).toEqual([
    expect.objectContaining({
      name: 'example.flaky-fetch',
      workers: expect.objectContaining({ count: 1, concurrency: 5 }),
    }),
    expect.objectContaining({
      name: 'example.report-render',
      workers: expect.objectContaining({ count: 1, concurrency: 5 }),
    }),
  ]);

  const submitted = await app.http.post('/v1/jobs', {
    type: 'example.report-render',
    payload: { title: 'Quarterly', pages: 4, msPerPage: 20 },
  });
  expect(submitted.status).toBe(202);
  const done = await client.waitFor(submitted.body.id, { timeoutMs: 20_000 });
  expect(done).toMatchObject({ status: 'completed', progress: 100, result: { title: 'Quarterly', pages: 4 } });
  const own = (await workspaceEvents()).filter((event) => event.jobId === submitted.body.id);
  expect(own.some((event) => event.type === 'job.progress' || (event.type === 'job.log' && event.job))).toBe(true);
  expect(own.flatMap((event) => event.lines ?? [])).toEqual(
    [1, 2, 3, 4].map((page) => `rendered page ${page} of 4 of "Quarterly"`),
  );
  expect(worker.started()).toEqual([submitted.body.id]);

  // The one that fails first is retried (on the worker) and completes on its second attempt.
  const flaky = await app.http.post('/v1/jobs', { type: 'example.flaky-fetch', payload: { failures: 1 } });
  expect(await client.waitFor(flaky.body.id, { timeoutMs: 20_000 })).toMatchObject({
    status: 'completed',
    attemptsMade: 2,
    result: { attempt: 2 },
  });
});

it('shares 200 jobs between two workers of concurrency 5: both get work, neither ever holds more than 5', async () => {
  const [first, second] = await Promise.all([
    ExampleWorker.start(app.url, workerKey, 5),
    ExampleWorker.start(app.url, workerKey, 5),
  ]);
  const ids = await submitReports(200, 2, 15);
  await expectEachCompletedOnce(ids);
  expect(first!.started().length).toBeGreaterThan(20);
  expect(second!.started().length).toBeGreaterThan(20);
  expect(first!.started().length + second!.started().length).toBe(200);
  expect(first!.maxRunning()).toBeLessThanOrEqual(5);
  expect(second!.maxRunning()).toBeLessThanOrEqual(5);
  // They did run five at once: the limit is the concurrency, not something lower.
  expect(Math.max(first!.maxRunning(), second!.maxRunning())).toBe(5);
});

it('loses no job and runs none twice when a worker is SIGKILLed mid-run', async () => {
  const [victim, survivor] = await Promise.all([
    ExampleWorker.start(app.url, workerKey, 5),
    ExampleWorker.start(app.url, workerKey, 5),
  ]);
  const ids = await submitReports(40, 5, 100);
  await waitFor(
    'both workers to be busy',
    () => victim!.started().length >= 3 && survivor!.started().length >= 3,
    20_000,
  );
  await victim!.kill('SIGKILL');
  const cutOff = victim!.started().filter((id) => !victim!.lines.some((l) => l.event === 'end' && l.jobId === id));
  expect(cutOff.length).toBeGreaterThan(0);

  await expectEachCompletedOnce(ids);
  // What the killed worker was running went back to its queue and ran on the survivor.
  for (const id of cutOff) expect(survivor!.started()).toContain(id);
  const events = await workspaceEvents();
  const handedBack = events.filter(
    (e) => e.type === 'job.queued' && e.reason === 'shutdown' && cutOff.includes(e.jobId!),
  );
  expect(new Set(handedBack.map((e) => e.jobId))).toEqual(new Set(cutOff));
});
