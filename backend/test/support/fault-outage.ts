import { HIGH_RATE_LIMITS, listedJobs, msUntilReady, RequestLoad, submitLoad } from './fault-load';
import { startProcess, type FlightdeckProcess, type ProcessEnv } from './process-harness';
import { testNamespace, waitFor } from './test-services';

/**
 * What the dependency-outage tests (faults/redis-restart, faults/mongodb-outage) share: the
 * deployment under load, the outage itself (up, killed, away, restarted, up again), and waiting for
 * the history to catch up afterwards.
 */

/**
 * A process with the api and gateway roles (rate limits high enough for the load) and a worker
 * process (`workerEnv` on top), on `namespace`, both knowing `apiKey`; resolves with the API's.
 */
export async function startOutageDeployment(
  namespace: ReturnType<typeof testNamespace>,
  apiKey: string,
  workerEnv: ProcessEnv = {},
): Promise<FlightdeckProcess> {
  const api = await startProcess({
    namespace,
    env: { ROLES: 'api,gateway', BOOTSTRAP_API_KEY: apiKey, ...HIGH_RATE_LIMITS },
    waitFor: '/readyz',
  });
  await startProcess({ namespace, env: { ROLES: 'worker', BOOTSTRAP_API_KEY: apiKey, ...workerEnv } });
  return api;
}

/** Submissions of short demo jobs (50 to 130 ms), `perSecond`, not started yet. */
export const demoJobLoad = (url: string, apiKey: string, perSecond: number): RequestLoad =>
  submitLoad({
    url,
    apiKey,
    perSecond,
    job: (index) => ({ type: 'demo.sleep', payload: { ms: 50 + (index % 5) * 20 } }),
  });

/** Reads (`perSecond`) of the job `submissions` had accepted last: a job's snapshot, which lives in Redis. */
export const latestJobReads = (url: string, apiKey: string, submissions: RequestLoad, perSecond: number): RequestLoad =>
  new RequestLoad({
    url,
    apiKey,
    perSecond,
    request: () => {
      const latest = submissions.acceptedIds().at(-1);
      return latest ? { method: 'GET', path: `/v1/jobs/${latest}` } : null;
    },
  });

/** How long a dependency is up, away, then up again in an outage test (ms). */
export interface OutageTimes {
  upBeforeMs: number;
  downMs: number;
  /** How long the load goes on after the restart, the wait for the API's readiness included. */
  upAfterMs: number;
  /** How long the API may take to be ready again after the restart. */
  readyTimeoutMs: number;
}

/**
 * A dependency's outage while `load` runs: up for `upBeforeMs`, killed, away for `downMs`,
 * restarted, then up for `upAfterMs`; when (ms on the load's clock) it was killed and restarted, and
 * how long after the restart the API at `apiUrl` was ready again.
 */
export async function outage(
  load: RequestLoad,
  apiUrl: string,
  times: OutageTimes,
  dependency: { kill(): Promise<void>; restart(): Promise<void> },
): Promise<{ killedAtMs: number; restartedAtMs: number; readyAgainMs: number }> {
  await sleep(times.upBeforeMs);
  await dependency.kill();
  const killedAtMs = load.elapsedMs();
  await sleep(times.downMs);
  await dependency.restart();
  const restartedAtMs = load.elapsedMs();
  const readyAgainMs = await msUntilReady(apiUrl, times.readyTimeoutMs);
  await sleep(Math.max(0, times.upAfterMs - readyAgainMs));
  return { killedAtMs, restartedAtMs, readyAgainMs };
}

/**
 * Waits (`timeoutMs` at most) for the history (GET /v1/jobs) to list every one of `accepted` as
 * completed; resolves with those it does not yet, and what it listed last (id → status).
 */
export async function historyCatchUp(
  url: string,
  apiKey: string,
  accepted: string[],
  timeoutMs: number,
): Promise<{ unlisted: string[]; listed: Map<string, string> }> {
  let unlisted = accepted;
  let listed = new Map<string, string>();
  await waitFor(
    'history to list every accepted job, completed',
    async () => {
      listed = await listedJobs(url, apiKey);
      unlisted = accepted.filter((id) => listed.get(id) !== 'completed');
      return unlisted.length === 0;
    },
    timeoutMs,
    500,
  ).catch(() => undefined);
  return { unlisted, listed };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
