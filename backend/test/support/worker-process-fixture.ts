import { Queue, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import type { StreamEvent } from '@flightdeck/contract';
import { redisKeys } from '@flightdeck/workers';
import { httpClient, type HttpClient } from './http-client';
import { destroyAllProcesses, startProcess } from './process-harness';
import { retainedEvents } from './realtime-client';
import { testNamespace, waitFor } from './test-services';

/**
 * For a test file about worker processes, which its tests start and stop: an API process of its own
 * (ROLES=api, the default workspace's key `apiKey`) on `namespace`, started before all tests, and
 * what the tests read behind it (REST, Redis, MongoDB). After all tests every process is destroyed.
 */
export function apiProcessForWorkers(namespace: ReturnType<typeof testNamespace>, apiKey: string) {
  let http: HttpClient;
  let redis: Redis;
  let mongo: mongoose.Connection;

  beforeAll(async () => {
    const api = await startProcess({ namespace, env: { ROLES: 'api', BOOTSTRAP_API_KEY: apiKey }, waitFor: '/readyz' });
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

  return {
    /** REST as the default workspace. */
    get http(): HttpClient {
      return http;
    },
    /** The job as REST shows it (the answer must be 200). */
    getJob,
    /** Polls the job until it is completed, `timeoutMs` at most (a failure is named when that times out). */
    completedJob: (what: string, id: string, timeoutMs: number, intervalMs: number) =>
      waitFor(
        what,
        async () => {
          const job = await getJob(id);
          if (job.status === 'failed') throw new Error(`the job failed: ${JSON.stringify(job.error)}`);
          return job.status === 'completed' ? job : null;
        },
        timeoutMs,
        intervalMs,
      ),
    /** The default workspace's retained events about one job, oldest first. */
    async jobEvents(jobId: string): Promise<StreamEvent[]> {
      const workspace = await mongo.collection<{ _id: string }>('workspaces').findOne({ slug: 'default' });
      expect(workspace).not.toBeNull();
      const events = await retainedEvents(redis, redisKeys(namespace.prefix), workspace!._id);
      return events.filter((event) => event.jobId === jobId);
    },
    /** What BullMQ itself holds of a job of the demo queue: its state, and the job. */
    async bullJob(id: string): Promise<{ state: string; job: BullJob | undefined }> {
      const queue = new Queue('demo', { connection: redis, prefix: namespace.prefix });
      try {
        return { state: await queue.getJobState(id), job: await queue.getJob(id) };
      } finally {
        await queue.close();
      }
    },
  };
}
