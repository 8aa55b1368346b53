import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { z } from 'zod';
import { defineJobType } from '../src/job-type';
import type { AnyJobType } from '../src/job-types';
import { startWorkers, type WorkerRuntime } from '../src/worker-runtime';

// The worker runtime on a real Redis, with job types of the test's own.
const redisUrl = process.env.FLIGHTDECK_TEST_REDIS_URL!;
const prefix = `t${randomBytes(5).toString('hex')}`;
const redis = new Redis(redisUrl);
const queue = new Queue('demo', { connection: redis, prefix });
let runtime: WorkerRuntime;

const liar = defineJobType({
  type: 'test.liar',
  queue: 'demo',
  payloadSchema: z.strictObject({ answer: z.unknown() }),
  resultSchema: z.strictObject({ total: z.number() }),
  async run({ answer }) {
    return answer as { total: number };
  },
});

beforeAll(async () => {
  runtime = await startWorkers({
    redisUrl,
    prefix,
    queues: ['demo'],
    jobTypes: new Map<string, AnyJobType>([[liar.type, liar]]),
    lockDurationMs: 5_000,
    progressIntervalMs: 0,
    events: { retainedEvents: 1_000, snapshotTtlSeconds: 60 },
    outboundAllowlist: [],
    logger: pino({ level: 'silent' }),
  });
});
afterAll(async () => {
  await runtime.close(1_000);
  await queue.close();
  await redis.quit();
});

async function finished(id: string) {
  for (let waited = 0; waited < 15_000; waited += 50) {
    const state = await queue.getJobState(id);
    if (state === 'completed' || state === 'failed') return { state, job: (await queue.getJob(id))! };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

describe('result schemas', () => {
  it('completes a job whose result matches the type’s result schema', async () => {
    await queue.add('test.liar', { workspaceId: 'ws', payload: { answer: { total: 3 } } }, { jobId: 'good' });
    const { state, job } = await finished('good');
    expect(state).toBe('completed');
    expect(job.returnvalue).toEqual({ total: 3 });
  });

  it('fails a job whose result breaks the schema, without retrying it', async () => {
    await queue.add(
      'test.liar',
      { workspaceId: 'ws', payload: { answer: { total: 'three' } } },
      { jobId: 'bad', attempts: 3 },
    );
    const { state, job } = await finished('bad');
    expect(state).toBe('failed');
    expect(job.failedReason).toMatch(/^invalid result/);
    expect(job.attemptsMade).toBe(1);
  });
});
