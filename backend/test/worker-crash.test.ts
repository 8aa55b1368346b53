import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { redisKeys } from '@flightdeck/workers';
import { httpClient, type HttpClient } from './support/http-client';
import { destroyAllProcesses, startProcess, type FlightdeckProcess } from './support/process-harness';
import { testNamespace, waitFor } from './support/test-services';

// A worker that dies mid-job (SIGKILL: no shutdown, no hand-back) leaves its job active under a lock
// that nobody renews; once the lock has expired, another worker must run the job to completion, and
// the job must end completed exactly once.

const namespace = testNamespace();
const apiKey = `fd_test_${randomBytes(16).toString('hex')}`;
const workerEnv = { ROLES: 'worker', WORKER_LOCK_MS: '2000', BOOTSTRAP_API_KEY: apiKey };

let api: FlightdeckProcess;
let http: HttpClient;
let redis: Redis;
let mongo: mongoose.Connection;

beforeAll(async () => {
  api = await startProcess({ namespace, env: { ROLES: 'api', BOOTSTRAP_API_KEY: apiKey }, waitFor: '/readyz' });
  http = httpClient(api.url, apiKey);
  redis = new Redis(namespace.redisUrl);
  mongo = await mongoose.createConnection(namespace.mongoUrl).asPromise();
});

afterAll(async () => {
  await destroyAllProcesses();
  redis?.disconnect();
  await mongo?.close();
});

const getJob = async (id: string) => {
  const answer = await http.get(`/v1/jobs/${id}`);
  expect(answer.status).toBe(200);
  return answer.body;
};

/** The events of the default workspace's stream that concern one job, oldest first. */
async function jobEvents(jobId: string): Promise<{ type: string; jobId?: string }[]> {
  const workspace = await mongo.collection<{ _id: string }>('workspaces').findOne({ slug: 'default' });
  expect(workspace).not.toBeNull();
  const entries = await redis.xrange(redisKeys(namespace.prefix).workspaceEvents(workspace!._id), '-', '+');
  return entries
    .map(([, fields]) => JSON.parse(fields[fields.indexOf('e') + 1]!) as { type: string; jobId?: string })
    .filter((event) => event.jobId === jobId);
}

describe('a worker that crashes mid-job', () => {
  it('has its job picked up by another worker and completed exactly once', async () => {
    const workerA = await startProcess({ namespace, env: workerEnv });

    const submitted = await http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 4000, steps: 8 } });
    expect(submitted.status).toBe(202);
    const id = submitted.body.id as string;

    await waitFor('the job to be active with progress', async () => {
      const job = await getJob(id);
      return job.status === 'active' && job.progress > 0;
    });
    workerA.kill('SIGKILL');
    expect(await workerA.waitForExit()).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await getJob(id)).status).toBe('active');

    const workerB = await startProcess({ namespace, env: workerEnv });
    // Worker B's stalled-jobs check (as often as WORKER_LOCK_MS) finds the job once A's lock has
    // expired, and hands it back to the queue; B then runs it from the start.
    const final = await waitFor(
      'the job to be completed by worker B',
      async () => {
        const job = await getJob(id);
        if (job.status === 'failed') throw new Error(`the job failed: ${JSON.stringify(job.error)}`);
        return job.status === 'completed' ? job : null;
      },
      30_000,
      100,
    );
    expect(final).toMatchObject({ status: 'completed', progress: 100, result: { slept: 4000 }, error: null });
    expect(workerB.logs('stderr')).toEqual([]);

    // Exactly one completion, no failure, in the workspace's event stream.
    const events = await jobEvents(id);
    expect(events.filter((event) => event.type === 'job.completed')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'job.failed')).toHaveLength(0);
    expect(events.filter((event) => event.type === 'job.active').length).toBeGreaterThanOrEqual(2);

    // BullMQ agrees.
    const queue = new Queue('demo', { connection: redis, prefix: namespace.prefix });
    try {
      expect(await queue.getJobState(id)).toBe('completed');
      expect((await queue.getJob(id))?.returnvalue).toEqual({ slept: 4000 });
    } finally {
      await queue.close();
    }

    // History lists it once among completed jobs.
    const listed = await waitFor('the history to list the completed job', async () => {
      const answer = await http.get('/v1/jobs?status=completed&limit=100');
      expect(answer.status).toBe(200);
      const items = (answer.body.items as { id: string; status: string }[]).filter((item) => item.id === id);
      return items.length > 0 ? items : null;
    });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id, status: 'completed' });
  });
});
