import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { httpClient, waitForJobStatus } from '../support/http-client';
import {
  destroyAllProcesses,
  destroyProcessesUnder,
  startProcess,
  type FlightdeckProcess,
} from '../support/process-harness';
import { testNamespace, waitFor } from '../support/test-services';
import { freePort, portAnswers, startFerretDb, startRedis } from '../../src/services/local-services';
import { reportFigure } from './fault-figures';

// A process given SIGTERM ends within SHUTDOWN_TIMEOUT_MS plus a few seconds whatever it cannot reach
// (Redis or MongoDB killed first: every close step is bounded), and a second signal ends it at once.

const SHUTDOWN_TIMEOUT_MS = 3_000;
/** What "a few seconds" may add: the shutdown's own slack (5 s) and a second of process start-up noise. */
const ALLOWED_EXIT_MS = SHUTDOWN_TIMEOUT_MS + 6_000;

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'flightdeck-faults-'));
});
afterEach(async () => {
  await destroyAllProcesses();
  destroyProcessesUnder(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

const newApiKey = () => `fd_test_${randomBytes(16).toString('hex')}`;

/** Starts every role on `env`, with a job running (the workers have something to hand back). */
async function startWithRunningJob(env: Record<string, string>): Promise<FlightdeckProcess> {
  const apiKey = newApiKey();
  const server = await startProcess({
    env: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS), BOOTSTRAP_API_KEY: apiKey, ...env },
    waitFor: '/readyz',
    timeoutMs: 60_000,
  });
  const http = httpClient(server.url, apiKey);
  const submitted = await http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 60_000, steps: 60 } });
  expect(submitted.status).toBe(202);
  await waitForJobStatus(http, submitted.body.id as string, 'active');
  return server;
}

/** SIGTERMs `server` and measures how long it takes to exit. */
async function timeShutdown(server: FlightdeckProcess) {
  const sigterm = Date.now();
  server.kill('SIGTERM');
  const exit = await server.waitForExit(ALLOWED_EXIT_MS + 30_000);
  return { exit, exitMs: Date.now() - sigterm };
}

describe('a process whose dependency is gone when it is told to stop', () => {
  it('exits within SHUTDOWN_TIMEOUT_MS + a few seconds when Redis was killed first', async () => {
    const namespace = testNamespace();
    const redis = await startRedis({ port: await freePort(), dataDir: path.join(dataDir, 'redis'), durable: false });
    const server = await startWithRunningJob({
      REDIS_URL: redis.url,
      MONGODB_URI: namespace.mongoUrl,
      REDIS_PREFIX: namespace.prefix,
    });

    // SIGKILL: no goodbye to the clients; they find out by retrying.
    destroyProcessesUnder(dataDir);
    await waitFor('Redis to be gone', async () => !(await portAnswers(Number(new URL(redis.url).port))));
    await waitFor('readiness to see it', async () => (await fetch(`${server.url}/readyz`)).status === 503);

    const { exit, exitMs } = await timeShutdown(server);
    reportFigure({ fault: 'redis-killed-then-sigterm', shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS, exitMs, ...exit });
    // Exit 0: every step ended within its bound (the last-resort timer exits 1).
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(ALLOWED_EXIT_MS);
  }, 120_000);

  it('exits within SHUTDOWN_TIMEOUT_MS + a few seconds when MongoDB (FerretDB) was killed first', async () => {
    const namespace = testNamespace();
    const ferret = await startFerretDb({
      port: await freePort(),
      dataDir: path.join(dataDir, 'ferretdb'),
      binary: namespace.ferretDbBinary,
    });
    const server = await startWithRunningJob({
      REDIS_URL: namespace.redisUrl,
      MONGODB_URI: ferret.url,
      REDIS_PREFIX: namespace.prefix,
    });

    destroyProcessesUnder(dataDir);
    await waitFor('FerretDB to be gone', async () => !(await portAnswers(Number(new URL(ferret.url).port))));
    await waitFor('readiness to see it', async () => (await fetch(`${server.url}/readyz`)).status === 503);

    const { exit, exitMs } = await timeShutdown(server);
    reportFigure({ fault: 'mongodb-killed-then-sigterm', shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS, exitMs, ...exit });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(ALLOWED_EXIT_MS);
  }, 120_000);
});

describe('a second SIGTERM', () => {
  it('ends the process at once, stops the embedded services, and the next start runs the job left behind', async () => {
    const redisPort = await freePort();
    const mongoPort = await freePort();
    const apiKey = newApiKey();
    const env = {
      DATA_DIR: dataDir,
      EMBEDDED_REDIS_PORT: String(redisPort),
      EMBEDDED_MONGODB_PORT: String(mongoPort),
      FERRETDB_BIN: testNamespace().ferretDbBinary,
      BOOTSTRAP_API_KEY: apiKey,
      // The first SIGTERM would wait this long for the running job; the second one does not wait.
      SHUTDOWN_TIMEOUT_MS: '30000',
      WORKER_LOCK_MS: '2000',
    };
    const first = await startProcess({ env, waitFor: '/readyz', timeoutMs: 60_000 });
    const http = httpClient(first.url, apiKey);
    const submitted = await http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 4_000, steps: 4 } });
    const id = submitted.body.id as string;
    await waitForJobStatus(http, id, 'active');

    first.kill('SIGTERM');
    await waitFor('the first signal to be handled', () =>
      first.logRecords().some((record) => record.msg === 'shutting down'),
    );
    // Still draining: the job has seconds to go.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(first.exitedWith).toBeNull();
    const second = Date.now();
    first.kill('SIGTERM');
    const exit = await first.waitForExit(10_000);
    const exitMs = Date.now() - second;
    expect(exit).toEqual({ code: 1, signal: null });
    expect(exitMs).toBeLessThan(2_000);
    // The embedded services were told to stop too (they run in process groups of their own).
    await waitFor(
      'the embedded Redis and FerretDB to stop',
      async () => !(await portAnswers(redisPort)) && !(await portAnswers(mongoPort)),
      5_000,
    );
    const servicesStoppedMs = Date.now() - second;

    // The next start on the same data finds the job, stalled under the dead process's lock, and runs it.
    const next = await startProcess({ env, waitFor: '/readyz', timeoutMs: 60_000 });
    const job = await waitForJobStatus(httpClient(next.url, apiKey), id, 'completed', 30_000);
    expect(job).toMatchObject({ status: 'completed', result: { slept: 4_000 } });
    reportFigure({ fault: 'second-sigterm', exitMs, exitCode: exit.code, servicesStoppedMs });
    next.kill('SIGTERM');
    expect(await next.waitForExit()).toEqual({ code: 0, signal: null });
  }, 150_000);
});
