import { decodeWorkspaceEntry } from '@flightdeck/workers';
import type { StreamEvent } from '@flightdeck/contract';
import { createApiKey, generateApiKey } from '../src/accounts/api-keys';
import { registeredQueueName } from '../src/job-types/job-type-registry';
import { ExampleWorker, killAllExampleWorkers } from './support/example-worker';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { waitFor } from './support/test-services';

// What a pod of a team's own worker does when Kubernetes stops it (deploy/k8s/components/own-worker):
// SIGTERM to the SDK's worker runner (`stopOnSignals`, in examples/worker.js) takes no new job at
// once, lets the running ones finish for FLIGHTDECK_DRAIN_MS, hands the rest back at once (not after
// REMOTE_WORKER_GRACE_MS, and without counting the attempt), and exits 0 well inside the pod's grace
// period. Another worker then runs what was handed back; every job ends exactly once.

/** Much longer than the test: a hand-back that waited for the grace would not be seen. */
const GRACE_MS = 120_000;
const DRAIN_MS = 1_500;

let app: TestFlightdeck;
let workerKey: string;

async function submit(pages: number, msPerPage: number): Promise<string> {
  const answer = await app.http.post('/v1/jobs', {
    type: 'example.report-render',
    payload: { title: `${pages} pages`, pages, msPerPage },
  });
  expect(answer.status).toBe(202);
  return answer.body.id as string;
}

async function eventsOf(jobId: string): Promise<StreamEvent[]> {
  const entries = await app.redis.xrange(app.keys.workspaceEvents(app.workspaceId), '-', '+');
  return (entries.map(decodeWorkspaceEntry) as StreamEvent[]).filter((event) => event.jobId === jobId);
}

const ends = async (jobId: string) =>
  (await eventsOf(jobId))
    .filter((event) => ['job.completed', 'job.failed', 'job.cancelled'].includes(event.type))
    .map((event) => event.type);

beforeAll(async () => {
  app = await startTestFlightdeck({ REMOTE_WORKER_GRACE_MS: String(GRACE_MS) });
  workerKey = generateApiKey();
  await createApiKey({ workspaceId: app.workspaceId, name: 'own worker', key: workerKey, scopes: ['workers:run'] });
});

afterAll(async () => {
  await killAllExampleWorkers();
  await app?.stop();
});

it('on SIGTERM drains, hands back what is left at once, and exits 0; another worker runs it once', async () => {
  const first = await ExampleWorker.start(app.url, workerKey, 2, { FLIGHTDECK_DRAIN_MS: String(DRAIN_MS) });
  const short = await submit(1, 500);
  const long = await submit(40, 100);
  await waitFor('both jobs running on the first worker', () => first.started().length === 2, 20_000, 20);

  const signalledAt = Date.now();
  first.child.kill('SIGTERM');
  // Submitted while it drains: it must not be sent there.
  const late = await submit(1, 10);
  await first.exited;
  const stoppedMs = Date.now() - signalledAt;
  expect(first.child.exitCode).toBe(0);
  // The drain, then a prompt exit (a pod's grace period is set past it).
  expect(stoppedMs).toBeGreaterThanOrEqual(DRAIN_MS - 100);
  expect(stoppedMs).toBeLessThan(DRAIN_MS + 5_000);
  expect(first.started().sort()).toEqual([short, long].sort());

  // The short job finished during the drain; the long one is back in its queue, its attempt not counted.
  expect(await ends(short)).toEqual(['job.completed']);
  const queue = app.queue(registeredQueueName(app.workspaceId, 'reports'));
  await waitFor(
    'the long job back in its queue',
    async () => ['waiting', 'prioritized'].includes(await queue.getJobState(long)),
    5_000,
    50,
  );
  expect((await queue.getJob(long))!.attemptsMade).toBe(0);

  const second = await ExampleWorker.start(app.url, workerKey, 2);
  await waitFor(
    'the late and the long job to complete',
    async () => ((await ends(late)).length === 1 && (await ends(long)).length === 1 ? true : undefined),
    60_000,
    200,
  );
  expect(second.started().sort()).toEqual([late, long].sort());
  expect(await ends(long)).toEqual(['job.completed']);
  expect(await ends(late)).toEqual(['job.completed']);
  await second.kill();
}, 120_000);
