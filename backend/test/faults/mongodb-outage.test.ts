import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { freePort, startFerretDb, type LocalService } from '../../src/services/local-services';
import { faultDataDir, jobsNotIn, killHard, unexpected5xx, RequestLoad } from '../support/fault-load';
import { demoJobLoad, historyCatchUp, latestJobReads, outage, startOutageDeployment } from '../support/fault-outage';
import { reportFigure } from './fault-figures';
import { destroyAllProcesses } from '../support/process-harness';
import { testNamespace } from '../support/test-services';

// MongoDB (FerretDB here) goes away for 15 s under a steady stream of submissions, and comes back
// on the same port and data directory. Submitting does not touch MongoDB (design §3), so every
// submission is accepted throughout; history (GET /v1/jobs) cannot be read meanwhile (503, never
// 500) and catches up once MongoDB is back: every accepted job is listed, completed.

const RATE = 40;
const OUTAGE = { upBeforeMs: 3_000, downMs: 15_000, upAfterMs: 3_000, readyTimeoutMs: 30_000 };

const data = faultDataDir('mongodb');
const apiKey = `fd_test_${randomBytes(16).toString('hex')}`;
let ferret: LocalService;

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
  const api = await startOutageDeployment(namespace, apiKey);

  const load = demoJobLoad(api.url, apiKey, RATE).start();
  // Reads of what lives in Redis (a job's snapshot) keep working; the history list needs MongoDB.
  const jobReads = latestJobReads(api.url, apiKey, load, 4).start();
  const listReads = new RequestLoad({
    url: api.url,
    apiKey,
    perSecond: 2,
    request: () => ({ method: 'GET', path: '/v1/jobs?limit=10' }),
  }).start();

  const timeline = await outage(load, api.url, OUTAGE, {
    kill: () => killHard(ferret.pid!),
    restart: async () => {
      ferret = await startOwnFerret();
    },
  });
  const [summary, jobReadSummary, listSummary] = await Promise.all([load.stop(), jobReads.stop(), listReads.stop()]);
  const accepted = load.acceptedIds();
  const stoppedAt = Date.now();

  // History catches up: every accepted job listed, completed.
  const { unlisted, listed } = await historyCatchUp(api.url, apiKey, accepted, 40_000);
  const caughtUpMs = Date.now() - stoppedAt;
  const notCompleted = await jobsNotIn(api.url, apiKey, accepted, 'completed');

  reportFigure({
    fault: 'mongodb-outage',
    ratePerSecond: RATE,
    ...timeline,
    ...summary,
    ended: accepted.length - notCompleted.length,
    listed: accepted.length - unlisted.length,
    historyCaughtUpMs: caughtUpMs,
    unlisted: Object.fromEntries(unlisted.slice(0, 5).map((id) => [id, listed.get(id) ?? 'absent'])),
    jobReads: jobReadSummary,
    listReads: listSummary,
  });

  // Submitting never needed MongoDB: every submission accepted, promptly.
  expect(summary.statuses).toEqual({ 202: summary.submitted });
  expect(summary.submitted).toBeGreaterThan(
    ((OUTAGE.upBeforeMs + OUTAGE.downMs + OUTAGE.upAfterMs) / 1000) * RATE * 0.8,
  );
  expect(summary.maxLatencyMs).toBeLessThan(3_000);
  expect(summary.skipped).toBe(0);
  // A job's own page reads Redis: always answered.
  expect(jobReadSummary.statuses).toEqual({ 200: jobReadSummary.submitted });
  // The list needs MongoDB: 503 service_unavailable while it is away, never a 500 or a hang.
  expect(unexpected5xx(listSummary)).toEqual([]);
  expect((listSummary.statuses.hung ?? 0) + (listSummary.statuses.network ?? 0)).toBe(0);
  expect(listSummary.maxLatencyMs).toBeLessThan(10_000);
  expect(listSummary.statuses['200']).toBeGreaterThan(0);
  expect(timeline.readyAgainMs).toBeLessThan(15_000);
  expect(notCompleted).toEqual([]);
  expect(unlisted).toEqual([]);
}, 90_000);
