import type { StreamEvent } from '@flightdeck/contract';
import { DISPATCH } from '../src/fair-share/dispatch.script';
import { STARTED_BUCKET_MS } from '../src/fair-share/fair-share-keys';
import { destroyAllProcesses } from './support/process-harness';
import { startFairShareDeployment, submitAll, type FairShareDeployment } from './support/fair-share-deployment';
import { waitFor } from './support/test-services';

// Nothing lost, nothing run twice, when the process that dispatches dies (issue 14): real processes,
// an api process (which dispatches) and a worker process. Two workspaces flood the demo queue; the
// api process is SIGKILLed mid-flood, and — as a dispatcher killed between taking a batch from the
// lanes and adding it to BullMQ would — a batch is left taken and never added. Another api process
// starts: its dispatcher carries on and its recovery pass re-adds the orphaned batch. Every job
// runs exactly once (one `job.active` and one `job.completed` each), and nothing is left behind.

const PER_WORKSPACE = 1_500;
let deployment: FairShareDeployment;

afterAll(async () => {
  await destroyAllProcesses();
  await deployment?.stop();
});

/** Takes `count` jobs from the lanes into a dispatching batch and never adds them: a dispatcher's death at the worst moment. */
async function orphanBatch(count: number): Promise<number> {
  const { redis, keys, namespace } = deployment;
  const now = Date.now();
  const [taken] = (await redis.eval(
    DISPATCH,
    0,
    keys.fairPrefix,
    'demo',
    `${namespace.prefix}:demo:`,
    1_000_000,
    0,
    1,
    now,
    'orphan',
    Math.floor(now / STARTED_BUCKET_MS),
    count,
  )) as [number, number, string];
  return taken;
}

it('runs every job exactly once across a SIGKILLed dispatcher and a batch it left half done', async () => {
  deployment = await startFairShareDeployment({ FAIR_DISPATCH_DEPTH: '50' });
  await deployment.startWorker({ WORKER_CONCURRENCY: '8' });
  const { a, b } = deployment;
  const job = () => ({ type: 'demo.sleep', payload: { ms: 2 } });
  const [aIds, bIds] = await Promise.all([
    submitAll(a.http, Array.from({ length: PER_WORKSPACE }, job)),
    submitAll(b.http, Array.from({ length: PER_WORKSPACE }, job)),
  ]);
  // Mid-flood: the lanes still hold most of it.
  expect(await deployment.redis.zcard(deployment.keys.fairBacklog('demo'))).toBeGreaterThan(500);
  deployment.api.kill('SIGKILL');
  await deployment.api.waitForExit(10_000);
  expect(await orphanBatch(40)).toBe(40);
  expect(await deployment.redis.hexists(deployment.keys.fairDispatching('demo'), 'orphan')).toBe(1);

  await deployment.replaceApi();
  await deployment.drained(120_000);
  // The orphaned batch was re-added (after the recovery delay) and cleared.
  expect(await deployment.redis.hexists(deployment.keys.fairDispatching('demo'), 'orphan')).toBe(0);

  for (const [workspace, ids] of [
    [a, aIds],
    [b, bIds],
  ] as const) {
    const events = await waitFor(
      'every job to complete in the stream',
      async () => {
        const all = await deployment.events(workspace.workspaceId);
        return all.filter((event) => event.type === 'job.completed').length >= ids.length ? all : null;
      },
      30_000,
      200,
    );
    const count = (type: StreamEvent['type']) => {
      const perJob = new Map<string, number>();
      for (const event of events) if (event.type === type) perJob.set(event.jobId, (perJob.get(event.jobId) ?? 0) + 1);
      return perJob;
    };
    const active = count('job.active');
    const completed = count('job.completed');
    expect(ids.filter((id) => active.get(id) !== 1)).toEqual([]);
    expect(ids.filter((id) => completed.get(id) !== 1)).toEqual([]);
    expect(await deployment.redis.scard(deployment.keys.fairRunning(workspace.workspaceId))).toBe(0);
  }
  expect(await deployment.redis.zcard(deployment.keys.fairReady('demo'))).toBe(0);
}, 180_000);
