import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Job, StreamEvent } from '@flightdeck/contract';
import { decodeWorkspaceEntry, redisKeys } from '@flightdeck/workers';
import { httpClient, sessionClient, sessionCookieFrom, type HttpClient } from './http-client';
import { startProcess, type FlightdeckProcess, type ProcessEnv } from './process-harness';
import { testNamespace, waitFor } from './test-services';

/** A workspace of the deployment: its id and a client acting in it. */
export interface TestWorkspace {
  workspaceId: string;
  http: HttpClient;
}

/**
 * Real processes for the fair-share tests: `api` processes (each runs a dispatcher) and `worker`
 * processes on one fresh namespace, and two workspaces — the bootstrap one (A) and one signed up (B).
 */
export async function startFairShareDeployment(env: ProcessEnv = {}) {
  const namespace = testNamespace();
  const apiKey = `fd_test_${randomBytes(16).toString('hex')}`;
  const common: ProcessEnv = {
    BOOTSTRAP_API_KEY: apiKey,
    RATE_LIMIT_PER_CALLER: '1000000',
    RATE_LIMIT_PER_IP: '1000000',
    EVENT_RETENTION: '200000',
    LOG_LEVEL: 'warn',
    ...env,
  };
  const processes: FlightdeckProcess[] = [];
  const track = async (started: Promise<FlightdeckProcess>) => {
    processes.push(await started);
    return processes[processes.length - 1]!;
  };
  const startApi = () => track(startProcess({ namespace, env: { ...common, ROLES: 'api' }, waitFor: '/readyz' }));
  const startWorker = (extra: ProcessEnv = {}) =>
    track(startProcess({ namespace, env: { ...common, ROLES: 'worker', ...extra }, waitFor: '/healthz' }));
  let api: FlightdeckProcess = await startApi();
  const redis = new Redis(namespace.redisUrl);
  const keys = redisKeys(namespace.prefix);
  const queue = new Queue('demo', { connection: redis, prefix: namespace.prefix });
  const a: TestWorkspace = { workspaceId: '', http: httpClient(api.url, apiKey) };
  a.workspaceId = (await a.http.get('/v1/me')).body.workspaces[0].id;
  const email = `b.${Date.now()}.${randomBytes(3).toString('hex')}@example.test`;
  const signup = await httpClient(api.url).post(
    '/v1/auth/signup',
    { email, password: `correct horse ${randomBytes(6).toString('hex')}`, name: 'B' },
    { origin: api.url },
  );
  if (signup.status !== 201) throw new Error(`signup failed: ${signup.status} ${JSON.stringify(signup.body)}`);
  const workspace = signup.body.workspaces[0] as { id: string; slug: string };
  const cookie = sessionCookieFrom(signup);
  const b: TestWorkspace = { workspaceId: workspace.id, http: sessionClient(api.url, cookie, workspace.slug) };

  return {
    namespace,
    redis,
    keys,
    queue,
    a,
    b,
    get api() {
      return api;
    },
    startWorker,
    /** Starts another api process and points both workspaces' clients at it. */
    async replaceApi(): Promise<FlightdeckProcess> {
      api = await startApi();
      a.http = httpClient(api.url, apiKey);
      b.http = sessionClient(api.url, cookie, workspace.slug);
      return api;
    },
    /** Jobs of the demo queue not finished: in the lanes, or in BullMQ's wait, prioritized or active. */
    async backlog(): Promise<number> {
      const counts = await queue.getJobCounts('wait', 'prioritized', 'active');
      return (
        (await redis.zcard(keys.fairBacklog('demo'))) + Object.values(counts).reduce((sum, count) => sum + count, 0)
      );
    },
    /** Waits until the demo queue's lanes, dispatching batches and BullMQ's wait/prioritized/active are empty. */
    async drained(timeoutMs: number): Promise<void> {
      await waitFor(
        'the demo queue to drain',
        async () =>
          (await redis.zcard(keys.fairBacklog('demo'))) === 0 &&
          (await redis.zcard(keys.fairDispatchingAt('demo'))) === 0 &&
          Object.values(await queue.getJobCounts('wait', 'prioritized', 'active')).every((count) => count === 0),
        timeoutMs,
        100,
      );
    },
    /** Every event the workspace's stream retains. */
    async events(workspaceId: string): Promise<StreamEvent[]> {
      const entries = await redis.xrange(keys.workspaceEvents(workspaceId), '-', '+');
      return entries.map(decodeWorkspaceEntry);
    },
    /** SIGKILLs this deployment's processes (not other tests' or deployments'). */
    async destroyProcesses() {
      await Promise.all(processes.map((started) => started.destroy()));
    },
    async stop() {
      await queue.close();
      await redis.quit();
    },
  };
}
export type FairShareDeployment = Awaited<ReturnType<typeof startFairShareDeployment>>;

/** Submits jobs in batches of 500; returns their ids in order. */
export async function submitAll(http: HttpClient, jobs: Record<string, unknown>[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < jobs.length; start += 500) {
    const answer = await http.post('/v1/jobs/batch', { jobs: jobs.slice(start, start + 500) });
    if (answer.status !== 202) throw new Error(`batch refused: ${answer.status} ${JSON.stringify(answer.body)}`);
    ids.push(...answer.body.jobs.map((job: { id: string }) => job.id));
  }
  return ids;
}

/** The jobs, as the API shows them. */
export function jobsOf(http: HttpClient, ids: string[]): Promise<Job[]> {
  return Promise.all(ids.map(async (id) => (await http.get(`/v1/jobs/${id}`)).body as Job));
}

/** The q-quantile (0–1) of the values. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}
