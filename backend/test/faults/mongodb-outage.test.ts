import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { freePort, startFerretDb, type LocalService } from '../../src/services/local-services';
import {
  faultDataDir,
  HIGH_RATE_LIMITS,
  jobsNotIn,
  killHard,
  listedJobs,
  msUntilReady,
  unexpected5xx,
  RequestLoad,
  submitLoad,
} from '../support/fault-load';
import { reportFigure } from './fault-figures';
import { destroyAllProcesses, startProcess, type FlightdeckProcess } from '../support/process-harness';
import { testNamespace, waitFor } from '../support/test-services';

// MongoDB (FerretDB here) goes away for 15 s under a steady stream of submissions, and comes back
// on the same port and data directory. Submitting does not touch MongoDB (design §3), so every
// submission is accepted throughout; history (GET /v1/jobs) cannot be read meanwhile (503, never
// 500) and catches up once MongoDB is back: every accepted job is listed, completed.

const RATE = 40;
const UP_BEFORE_MS = 3_000;
const DOWN_MS = 15_000;
const UP_AFTER_MS = 3_000;

const data = faultDataDir('mongodb');
const apiKey = `fd_test_${randomBytes(16).toString('hex')}`;
let ferret: LocalService;
let api: FlightdeckProcess;

afterAll(async () => {
  await destroyAllProcesses();
  await ferret?.stop();
  data.remove();
});

it('keeps accepting jobs through a 15 s MongoDB outage, and history catches up afterwards', async () => {
  const port = await freePort();
  // Our own FerretDB; Redis is the run's shared one, under this file's own prefix.
  const base = testNamespace();
  const startOwnFerret = () =>
    startFerretDb({ port, dataDir: path.join(data.dir, 'ferretdb'), binary: base.ferretDbBinary });
  ferret = await startOwnFerret();
  const namespace = { ...base, mongoUrl: `mongodb://127.0.0.1:${port}/${base.database}` };
  api = await startProcess({
    namespace,
    env: { ROLES: 'api,gateway', BOOTSTRAP_API_KEY: apiKey, ...HIGH_RATE_LIMITS },
    waitFor: '/readyz',
  });
  await startProcess({ namespace, env: { ROLES: 'worker', BOOTSTRAP_API_KEY: apiKey } });

  const load = submitLoad({
    url: api.url,
    apiKey,
    perSecond: RATE,
    job: (index) => ({ type: 'demo.sleep', payload: { ms: 50 + (index % 5) * 20 } }),
  }).start();
  // Reads of what lives in Redis (a job's snapshot) keep working; the history list needs MongoDB.
  const jobReads = new RequestLoad({
    url: api.url,
    apiKey,
    perSecond: 4,
    request: () => {
      const latest = load.acceptedIds().at(-1);
      return latest ? { method: 'GET', path: `/v1/jobs/${latest}` } : null;
    },
  }).start();
  const listReads = new RequestLoad({
    url: api.url,
    apiKey,
    perSecond: 2,
    request: () => ({ method: 'GET', path: '/v1/jobs?limit=10' }),
  }).start();

  await sleep(UP_BEFORE_MS);
  await killHard(ferret.pid!);
  const killedAt = load.elapsedMs();
  await sleep(DOWN_MS);
  ferret = await startOwnFerret();
  const restartedAt = load.elapsedMs();
  const readyAgainMs = await msUntilReady(api.url, 30_000);
  await sleep(Math.max(0, UP_AFTER_MS - readyAgainMs));
  const [summary, jobReadSummary, listSummary] = await Promise.all([load.stop(), jobReads.stop(), listReads.stop()]);
  const accepted = load.acceptedIds();
  const stoppedAt = Date.now();

  // History catches up: every accepted job listed, completed.
  let unlisted: string[] = accepted;
  let listed = new Map<string, string>();
  await waitFor(
    'history to list every accepted job, completed',
    async () => {
      listed = await listedJobs(api.url, apiKey);
      unlisted = accepted.filter((id) => listed.get(id) !== 'completed');
      return unlisted.length === 0;
    },
    40_000,
    500,
  ).catch(() => undefined);
  const caughtUpMs = Date.now() - stoppedAt;
  const notCompleted = await jobsNotIn(api.url, apiKey, accepted, 'completed');

  reportFigure({
    fault: 'mongodb-outage',
    ratePerSecond: RATE,
    killedAtMs: killedAt,
    restartedAtMs: restartedAt,
    ...summary,
    readyAgainMs,
    ended: accepted.length - notCompleted.length,
    listed: accepted.length - unlisted.length,
    historyCaughtUpMs: caughtUpMs,
    unlisted: Object.fromEntries(unlisted.slice(0, 5).map((id) => [id, listed.get(id) ?? 'absent'])),
    jobReads: jobReadSummary,
    listReads: listSummary,
  });

  // Submitting never needed MongoDB: every submission accepted, promptly.
  expect(summary.statuses).toEqual({ 202: summary.submitted });
  expect(summary.submitted).toBeGreaterThan(((UP_BEFORE_MS + DOWN_MS + UP_AFTER_MS) / 1000) * RATE * 0.8);
  expect(summary.maxLatencyMs).toBeLessThan(3_000);
  expect(summary.skipped).toBe(0);
  // A job's own page reads Redis: always answered.
  expect(jobReadSummary.statuses).toEqual({ 200: jobReadSummary.submitted });
  // The list needs MongoDB: 503 service_unavailable while it is away, never a 500 or a hang.
  expect(unexpected5xx(listSummary)).toEqual([]);
  expect((listSummary.statuses.hung ?? 0) + (listSummary.statuses.network ?? 0)).toBe(0);
  expect(listSummary.maxLatencyMs).toBeLessThan(10_000);
  expect(listSummary.statuses['200']).toBeGreaterThan(0);
  expect(readyAgainMs).toBeLessThan(15_000);
  expect(notCompleted).toEqual([]);
  expect(unlisted).toEqual([]);
}, 90_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
