import { Queue, Worker, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import type { StreamEvent } from '@flightdeck/contract';
import { JobEventStream, type JobData } from '@flightdeck/workers';
import { registeredQueueName } from '../src/job-types/job-type-registry';
import { RegisteredQueueDirectory, type RegisteredQueueSource } from '../src/job-types/registered-queue-directory';
import type { RegisteredQueues } from '../src/job-types/registered-queues';
import { boundedBacklogs } from '../src/metrics';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { httpClient, type HttpClient } from './support/http-client';
import { retainedEvents } from './support/realtime-client';
import { waitFor } from './support/test-services';

// Issue 13: the queues of a workspace's registered types (`ws-<workspace>-<queue>`) are looked after
// like Flightdeck's own — GET /v1/queues (the caller's own only), /metrics (a backlog KEDA can scale
// a team's in-cluster workers on), the due-job promoter (at zero workers) and the attempt-end
// reconciler (a gateway that dies holding its remote workers' jobs). An api-only process: no gateway,
// no worker, so nothing but these moves the jobs. Two workspaces register the same type name.

/** Slack on top of DUE_JOB_POLL_MS for a loaded test machine (2 shared cores). */
const SLACK_MS = 1_500;
/** The directory's cache (5 s), the reconciler's grace (2 s) and a few polls. */
const RECONCILED_WITHIN_MS = 15_000;

const definition = {
  queue: 'reports',
  payloadSchema: z.toJSONSchema(z.strictObject({ n: z.number().int() }), { io: 'input' }),
};

interface Tenant {
  workspaceId: string;
  http: HttpClient;
  /** The BullMQ queue of its `reports` queue. */
  queueName: string;
}

let app: TestFlightdeck;
let a: Tenant;
let b: Tenant;
const opened: Queue[] = [];

async function register(http: HttpClient): Promise<void> {
  const answer = await http.request('PUT', '/v1/job-types/report.build', definition);
  expect([200, 201]).toContain(answer.status);
}

async function submit(tenant: Tenant, extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await tenant.http.post('/v1/jobs', { type: 'report.build', payload: { n: 1 }, ...extra });
  expect(answer.status).toBe(202);
  return answer.body.id as string;
}

const queueOf = (name: string) => {
  const queue = new Queue(name, { connection: app.redis, prefix: app.namespace.prefix });
  opened.push(queue);
  return queue;
};

async function listedQueues(tenant: Tenant): Promise<{ name: string; counts: Record<string, number> }[]> {
  const answer = await tenant.http.get('/v1/queues');
  expect(answer.status).toBe(200);
  return answer.body.queues;
}

beforeAll(async () => {
  app = await startTestFlightdeck({ ROLES: 'api', DUE_JOB_POLL_MS: '200' });
  a = { workspaceId: app.workspaceId, http: app.http, queueName: registeredQueueName(app.workspaceId, 'reports') };
  const other = await app.createWorkspace(`registered-queues-${Date.now()}`);
  b = {
    workspaceId: other.workspaceId,
    http: httpClient(app.url, other.apiKey),
    queueName: registeredQueueName(other.workspaceId, 'reports'),
  };
  await register(a.http);
  await register(b.http);
});

afterAll(async () => {
  await Promise.all(opened.map((queue) => queue.close()));
  await app?.stop();
});

describe('GET /v1/queues', () => {
  it("lists Flightdeck's queues and the caller's own registered queues with their counts, never another workspace's", async () => {
    for (let index = 0; index < 3; index++) await submit(a);
    await submit(b);
    const seenByA = await listedQueues(a);
    const seenByB = await listedQueues(b);
    expect(seenByA.map((queue) => queue.name)).toEqual(['demo', 'http', 'image', a.queueName]);
    expect(seenByB.map((queue) => queue.name)).toEqual(['demo', 'http', 'image', b.queueName]);
    expect(seenByA.find((queue) => queue.name === a.queueName)).toMatchObject({
      paused: false,
      counts: { queued: 3, delayed: 0, active: 0 },
      scaling: { desiredReplicas: 1, minReplicas: 0, maxReplicas: 10, jobsPerReplica: 10 },
    });
    expect(seenByB.find((queue) => queue.name === b.queueName)!.counts.queued).toBe(1);
    // Another workspace's queue is not theirs to pause.
    expect((await b.http.post(`/v1/queues/${a.queueName}/pause`, {})).status).toBe(403);
  });
});

describe('/metrics', () => {
  it("reports each registered queue's backlog (wait + prioritized + active) under its own label", async () => {
    // A prioritized job counts too (BullMQ keeps it in a sorted set, not in `wait`).
    await submit(a, { priority: 5 });
    expect(await queueOf(a.queueName).getJobCounts('wait', 'prioritized')).toEqual({ wait: 3, prioritized: 1 });
    const metrics = await waitFor(
      'registered backlogs in /metrics',
      async () => {
        const text = String((await httpClient(app.url).get('/metrics')).body);
        return text.includes(`queue="${b.queueName}"`) ? text : undefined;
      },
      10_000,
      250,
    );
    const backlogOf = (queue: string) =>
      Number(new RegExp(`flightdeck_registered_queue_backlog\\{queue="${queue}"\\} (\\d+)`).exec(metrics)?.[1]);
    expect(backlogOf(a.queueName)).toBe(4);
    expect(backlogOf(b.queueName)).toBe(1);
    expect(metrics).toMatch(/flightdeck_registered_queues_unreported 0/);
  });

  it('keeps the largest backlogs past the series limit and counts the rest, leaving out queues with none', () => {
    const backlogs = new Map([
      ['ws-x-a', 5],
      ['ws-x-b', 0],
      ['ws-x-c', 9],
      ['ws-x-d', 1],
      ['ws-x-e', 5],
    ]);
    expect(boundedBacklogs(backlogs, 3)).toEqual({
      reported: [
        ['ws-x-c', 9],
        ['ws-x-a', 5],
        ['ws-x-e', 5],
      ],
      unreported: 1,
    });
    expect(boundedBacklogs(backlogs, 10).reported).toHaveLength(4);
  });
});

describe('due delayed jobs of a registered queue at zero workers', () => {
  it('reach wait within DUE_JOB_POLL_MS of their due time, never before', async () => {
    const queue = queueOf(a.queueName);
    const delayMs = 2_000;
    const submittedAt = Date.now();
    const id = await submit(a, { delayMs });
    expect(await queue.getJobState(id)).toBe('delayed');
    const movedAt = await waitFor(
      `${id} in wait`,
      async () => ((await queue.getJobState(id)) === 'waiting' ? Date.now() : undefined),
      delayMs + 10_000,
      50,
    );
    expect(movedAt - submittedAt).toBeGreaterThanOrEqual(delayMs);
    expect(movedAt - submittedAt).toBeLessThan(delayMs + app.config.DUE_JOB_POLL_MS + SLACK_MS);
    // B's queue was not touched: its one job is still the only one, still waiting.
    expect(await queueOf(b.queueName).getJobCounts('wait', 'delayed')).toEqual({ wait: 1, delayed: 0 });
  });
});

describe('an attempt end its gateway took with it', () => {
  let workerRedis: Redis;
  let worker: Worker<JobData>;
  afterAll(async () => {
    await worker?.close();
    workerRedis?.disconnect();
  });

  it("is appended by the reconciler to the job's own workspace stream, once", async () => {
    // This test is the gateway that dies: it takes B's job from BullMQ, announces it active as the
    // gateway's reporter would, completes it in BullMQ and says nothing more.
    workerRedis = new Redis(app.namespace.redisUrl, { maxRetriesPerRequest: null });
    worker = new Worker<JobData>(b.queueName, null, {
      connection: workerRedis,
      prefix: app.namespace.prefix,
      lockDuration: 60_000,
      autorun: false,
    });
    const events = new JobEventStream(app.redis, app.keys, { retainedEvents: 10_000, snapshotTtlSeconds: 3600 });
    const bull = (await worker.getNextJob('dying-gateway')) as BullJob<JobData>;
    expect(bull.data.workspaceId).toBe(b.workspaceId);
    await events.append(b.workspaceId, [
      {
        type: 'job.active',
        jobId: bull.id!,
        job: { id: bull.id!, status: 'active', startedAt: new Date().toISOString(), attemptsMade: 0 },
      },
    ]);
    await bull.moveToCompleted({ rows: 1 }, 'dying-gateway', false);

    const eventsOf = async (workspaceId: string) =>
      (await retainedEvents(app.redis, app.keys, workspaceId)).filter((event) => event.jobId === bull.id);
    const completed = await waitFor<StreamEvent>(
      `job.completed of ${bull.id}`,
      async () => (await eventsOf(b.workspaceId)).find((event) => event.type === 'job.completed'),
      RECONCILED_WITHIN_MS,
      200,
    );
    expect(completed).toMatchObject({ jobId: bull.id, job: { status: 'completed', result: { rows: 1 } } });
    // A later pass adds nothing; A's stream never hears of B's job.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await eventsOf(b.workspaceId)).filter((event) => event.type === 'job.completed')).toHaveLength(1);
    expect(await eventsOf(a.workspaceId)).toEqual([]);
  });
});

describe('the directory of registered queues', () => {
  const producers = { get: (name: string) => ({ name }) } as unknown as RegisteredQueues;

  it("lists a workspace's own queues only, and keeps answering the last list while the registry cannot be read", async () => {
    let failing = false;
    let reads = 0;
    const source: RegisteredQueueSource = async (workspaceId) => {
      reads++;
      if (failing) throw new Error('MongoDB away');
      const all = [
        { workspaceId: 'WA', queue: 'reports' },
        { workspaceId: 'WA', queue: 'default' },
        { workspaceId: 'WB', queue: 'reports' },
      ];
      return all.filter((entry) => workspaceId === undefined || entry.workspaceId === workspaceId);
    };
    const directory = new RegisteredQueueDirectory(producers, 0, source);
    expect((await directory.all()).map((queue) => queue.name)).toEqual([
      'ws-wa-default',
      'ws-wa-reports',
      'ws-wb-reports',
    ]);
    expect((await directory.ofWorkspace('WB')).map((queue) => queue.name)).toEqual(['ws-wb-reports']);
    failing = true;
    const readsBefore = reads;
    expect((await directory.all()).map((queue) => queue.name)).toHaveLength(3);
    expect(reads).toBe(readsBefore + 1);
    await expect(directory.ofWorkspace('WB')).rejects.toThrow('MongoDB away');
    await expect(new RegisteredQueueDirectory(producers, 0, source).all()).rejects.toThrow('MongoDB away');
  });
});
