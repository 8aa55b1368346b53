import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { z } from 'zod';
import type { StreamEvent } from '@flightdeck/contract';
import { decodeWorkspaceEntry } from '../src/event-stream';
import { WorkerShutdownError } from '../src/job-hand-back';
import { defineJobType } from '../src/job-type';
import type { AnyJobType } from '../src/job-types';
import { redisKeys } from '../src/redis-keys';
import { sleep } from '../src/sleep';
import { startWorkers, WORKER_CLOSE_SLACK_MS, type WorkerRuntime } from '../src/worker-runtime';

// The worker runtime on a real Redis: a close that cannot wait for its running jobs any longer hands
// them back to their queue — the handler told why, nothing counted against the job — and a worker
// started afterwards runs them.

const redisUrl = process.env.FLIGHTDECK_TEST_REDIS_URL!;
const prefix = `t${randomBytes(5).toString('hex')}`;
const keys = redisKeys(prefix);
const redis = new Redis(redisUrl);
const queue = new Queue('demo', { connection: redis, prefix });
const runtimes: WorkerRuntime[] = [];

/** Why each run's signal fired, by job id. */
const abortReasons = new Map<string, unknown>();
/** Runs until its signal fires (then rejects with its reason), or for `ms` on a worker that is not stopping. */
const patient = defineJobType({
  type: 'test.patient',
  queue: 'demo',
  payloadSchema: z.strictObject({ ms: z.number() }),
  async run({ ms }, { jobId, signal }) {
    signal.addEventListener('abort', () => abortReasons.set(jobId, signal.reason), { once: true });
    await sleep(ms, signal);
    return { slept: ms };
  },
});
/** Ignores its signal: the runtime must end its attempt all the same. */
const deaf = defineJobType({
  type: 'test.deaf',
  queue: 'demo',
  payloadSchema: z.strictObject({ ms: z.number() }),
  async run({ ms }) {
    // Unref'd: the abandoned run must not hold the test process open.
    await new Promise((resolve) => setTimeout(resolve, ms).unref());
    return { slept: ms };
  },
});

function start(types: AnyJobType[]): Promise<WorkerRuntime> {
  return startWorkers({
    redisUrl,
    prefix,
    queues: ['demo'],
    concurrency: 4,
    jobTypes: new Map<string, AnyJobType>(types.map((type) => [type.type, type])),
    lockDurationMs: 5_000,
    progressIntervalMs: 0,
    events: { retainedEvents: 1_000, snapshotTtlSeconds: 60 },
    logger: pino({ level: 'silent' }),
  }).then((runtime) => {
    runtimes.push(runtime);
    return runtime;
  });
}

afterAll(async () => {
  await Promise.all(runtimes.map((runtime) => runtime.close(0)));
  await queue.close();
  await redis.quit();
});

async function stateOf(id: string, wanted: string, timeoutMs = 10_000): Promise<void> {
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    if ((await queue.getJobState(id)) === wanted) return;
    await sleep(50);
  }
  throw new Error(`job ${id} is ${await queue.getJobState(id)}, not ${wanted}`);
}

async function events(jobId: string): Promise<StreamEvent[]> {
  const entries = await redis.xrange(keys.workspaceEvents('ws'), '-', '+');
  return entries.map(decodeWorkspaceEntry).filter((event) => event.jobId === jobId);
}

describe('a worker runtime closed while jobs run past its timeout', () => {
  it('hands them back to the queue uncounted, and another worker runs them to completion', async () => {
    const first = await start([patient, deaf]);
    const data = (ms: number) => ({ workspaceId: 'ws', payload: { ms } });
    await queue.add('test.patient', data(60_000), { jobId: 'patient', attempts: 1 });
    await queue.add('test.deaf', data(60_000), { jobId: 'deaf', attempts: 1 });
    await stateOf('patient', 'active');
    await stateOf('deaf', 'active');

    const closing = Date.now();
    await first.close(300);
    const closeMs = Date.now() - closing;
    expect(closeMs).toBeLessThan(300 + WORKER_CLOSE_SLACK_MS);

    // The handler was told why; both jobs wait at the head of the queue with nothing counted.
    expect(abortReasons.get('patient')).toBeInstanceOf(WorkerShutdownError);
    for (const id of ['patient', 'deaf']) {
      expect(await queue.getJobState(id)).toBe('waiting');
      const job = (await queue.getJob(id))!;
      expect(job).toMatchObject({ attemptsMade: 0, stalledCounter: 0, stacktrace: [] });
      expect(job.failedReason).toBeUndefined();
      const announced = (await events(id)).map((event) => [event.type, event.reason ?? null, event.job?.status]);
      expect(announced).toEqual([
        ['job.active', null, 'active'],
        ['job.queued', 'shutdown', 'queued'],
      ]);
    }

    // A worker started afterwards (whose handlers finish at once) runs them, once each.
    const quick = (type: AnyJobType) => defineJobType({ ...type, run: async () => ({ slept: 0 }) }) as AnyJobType;
    await start([quick(patient), quick(deaf)]);
    for (const id of ['patient', 'deaf']) {
      await stateOf(id, 'completed');
      expect((await queue.getJob(id))!.attemptsMade).toBe(1);
      expect((await events(id)).map((event) => event.type)).toEqual([
        'job.active',
        'job.queued',
        'job.active',
        'job.completed',
      ]);
    }
  });
});
