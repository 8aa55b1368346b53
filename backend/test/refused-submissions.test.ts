import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Job } from '@flightdeck/contract';
import { JobEventStream, redisKeys, storedJob } from '@flightdeck/workers';
import { RefusedSubmissions } from '../src/jobs/refused-submissions';
import { testNamespace } from './support/test-services';

// A submission refused with 503 may have left its `job.queued` event and its BullMQ job in Redis
// (Redis applied them and died before answering). The undo takes back what it can and says so.

const namespace = testNamespace();
const keys = redisKeys(namespace.prefix);
const workspaceId = 'ws-refused';
let redis: Redis;
let queue: Queue;
let events: JobEventStream;
let refused: RefusedSubmissions;

beforeAll(() => {
  redis = new Redis(namespace.redisUrl, { maxRetriesPerRequest: null });
  queue = new Queue('demo', { connection: redis, prefix: namespace.prefix });
  events = new JobEventStream(redis, keys, { retainedEvents: 1_000, snapshotTtlSeconds: 60 });
  refused = new RefusedSubmissions({ redis, keys, events, queueFor: (name) => (name === 'demo' ? queue : undefined) });
});
afterAll(async () => {
  await queue.close();
  await redis.quit();
});

let counter = 0;
const buildJob = (overrides: Partial<Job> = {}): Job => ({
  id: `01REFUSED${String(++counter).padStart(17, '0')}`,
  type: 'demo.sleep',
  queue: 'demo',
  status: 'queued',
  progress: 0,
  payload: { ms: 0 },
  result: null,
  error: null,
  errorStack: null,
  attemptsMade: 0,
  attempts: 1,
  priority: 0,
  backoff: null,
  timeoutMs: null,
  idempotencyKey: `key-${counter}`,
  webhookUrl: null,
  createdAt: new Date().toISOString(),
  runAt: null,
  startedAt: null,
  finishedAt: null,
  claimedBy: null,
  ...overrides,
});

/** What landed before Redis "died": the event (its snapshot), the BullMQ job, the idempotency key. */
async function landed(job: Job, { event = true, bull = true } = {}): Promise<void> {
  await redis.set(keys.idempotency(workspaceId, job.idempotencyKey!), job.id);
  if (event) await events.append(workspaceId, [{ type: 'job.queued', jobId: job.id, job: storedJob(job) }]);
  if (bull) await queue.add(job.type, { workspaceId, payload: job.payload }, { jobId: job.id });
}

const snapshotStatus = async (id: string) => {
  const status = await redis.hget(keys.jobSnapshot(id), 'status');
  return status === null ? null : (JSON.parse(status) as string);
};
const keyHolder = (job: Job) => redis.get(keys.idempotency(workspaceId, job.idempotencyKey!));

it('takes a waiting job out of BullMQ, announces it failed and frees its idempotency key', async () => {
  const job = buildJob();
  await landed(job);
  await refused.refuse(workspaceId, [job], new Error('Connection is closed.'));
  expect(await queue.getJob(job.id)).toBeUndefined();
  expect(await snapshotStatus(job.id)).toBe('failed');
  expect(await keyHolder(job)).toBeNull();
});

it('announces nothing for a job whose event never landed', async () => {
  const job = buildJob();
  await landed(job, { event: false, bull: false });
  await refused.refuse(workspaceId, [job], new Error('Connection is closed.'));
  expect(await redis.exists(keys.jobSnapshot(job.id))).toBe(0);
  expect(await keyHolder(job)).toBeNull();
});

it('leaves a job a worker already holds to run, with its idempotency key', async () => {
  const job = buildJob();
  await landed(job);
  // A worker takes it (and holds its lock) before the undo comes.
  const connection = redis.duplicate();
  const worker = new Worker('demo', null, { connection, prefix: namespace.prefix });
  try {
    const taken = await worker.getNextJob('token-1');
    expect(taken?.id).toBe(job.id);
    await refused.refuse(workspaceId, [job], new Error('Connection is closed.'));
    expect(await queue.getJobState(job.id)).toBe('active');
    expect(await snapshotStatus(job.id)).toBe('queued');
    expect(await keyHolder(job)).toBe(job.id);
  } finally {
    await worker.close(true);
    connection.disconnect();
  }
});
