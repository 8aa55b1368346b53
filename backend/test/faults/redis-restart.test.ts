import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { freePort, startRedis, type LocalService } from '../../src/services/local-services';
import { faultDataDir, jobsNotIn, jobStates, killHard, unexpected5xx } from '../support/fault-load';
import { demoJobLoad, historyCatchUp, latestJobReads, outage, startOutageDeployment } from '../support/fault-outage';
import { reportFigure } from './fault-figures';
import { destroyAllProcesses } from '../support/process-harness';
import { httpClient, sessionClient, sessionCookieFrom } from '../support/http-client';
import { closeAllClients, finishedJobs, RealtimeClient } from '../support/realtime-client';
import { testNamespace, waitFor } from '../support/test-services';

// Redis dies (SIGKILL) under a steady stream of submissions and comes back on the same port and data
// directory (AOF, fsync on every write). While it is away the API may refuse (503
// service_unavailable) but never answers 500 or leaves a request hanging; afterwards it is ready
// again, and every job it accepted (202) runs to completion, in REST and in the workspace's stream.

const RATE = 40;
const OUTAGE = { upBeforeMs: 3_000, downMs: 12_000, upAfterMs: 5_000, readyTimeoutMs: 20_000 };

const data = faultDataDir('redis');
const apiKey = `fd_test_${randomBytes(16).toString('hex')}`;
let redis: LocalService;
let prefix: string;

afterAll(async () => {
  closeAllClients();
  await destroyAllProcesses();
  await redis?.stop();
  data.remove();
});

const startOwnRedis = (port: number) =>
  startRedis({ port, dataDir: path.join(data.dir, 'redis'), durable: true, appendFsync: 'always' });

it('survives a Redis SIGKILL and restart under load: no 500, nothing hangs, every accepted job ends', async () => {
  const port = await freePort();
  redis = await startOwnRedis(port);
  // Our own Redis; MongoDB is the run's shared FerretDB, in a database of this file's own.
  const namespace = { ...testNamespace(), redisUrl: redis.url };
  prefix = namespace.prefix;
  // A short lock, so a job whose lock lapsed while Redis was away is taken over within seconds.
  const api = await startOutageDeployment(namespace, apiKey, { WORKER_LOCK_MS: '5000' });
  const stream = await RealtimeClient.connect(api.url, apiKey);
  await stream.subscribeOk({ topic: 'workspace' });

  const load = demoJobLoad(api.url, apiKey, RATE).start();
  // Reads too: a job's snapshot lives in Redis, so they meet the outage like submissions do.
  const reads = latestJobReads(api.url, apiKey, load, 5).start();
  const timeline = await outage(load, api.url, OUTAGE, {
    kill: () => killHard(redis.pid!),
    restart: async () => {
      redis = await startOwnRedis(port);
    },
  });
  const [summary, readSummary] = await Promise.all([load.stop(), reads.stop()]);
  const accepted = load.acceptedIds();

  // Every accepted job completes: in REST, and in the stream the socket was subscribed to throughout.
  let notCompleted = accepted;
  await waitFor(
    'every accepted job to be completed in REST',
    async () => (notCompleted = await jobsNotIn(api.url, apiKey, notCompleted, 'completed')).length === 0,
    30_000,
    500,
  ).catch(() => undefined);
  await stream.waitForFinished(accepted, 10_000).catch(() => undefined);
  // History (MongoDB, fed from the Redis history stream) resumes too: every accepted job listed, completed.
  const { unlisted, listed } = await historyCatchUp(api.url, apiKey, accepted, 15_000);
  // A refused submission (503) must not leave a job behind that looks as if it will still run.
  const stranded = [...listed].filter(([, status]) => status !== 'completed' && status !== 'failed');
  const finished = finishedJobs(stream.events);
  const completions = new Map<string, number>();
  for (const event of stream.events)
    if (event.type === 'job.completed') completions.set(event.jobId!, (completions.get(event.jobId!) ?? 0) + 1);
  const missingInStream = accepted.filter((id) => !completions.has(id));

  // A workspace the gateway starts to follow only now, with the streams quiet: its first event comes
  // at once (the tailer interrupts its blocking read), not when that read times out seconds later.
  const firstEventOfNewWorkspaceMs = await firstEventOfNewWorkspace(api.url);

  const figure = {
    fault: 'redis-restart',
    ratePerSecond: RATE,
    ...timeline,
    ...summary,
    ended: accepted.length - notCompleted.length,
    endedInStream: accepted.filter((id) => finished.has(id)).length,
    completedInStream: accepted.length - missingInStream.length,
    listed: accepted.length - unlisted.length,
    refusedButListed: listed.size - accepted.length,
    stranded: Object.fromEntries(stranded.slice(0, 5)),
    // A Lua append in flight when Redis died may be sent again after the restart (ioredis resends).
    duplicateCompletions: [...completions.values()].filter((count) => count > 1).length,
    socketConnected: stream.connected,
    firstEventOfNewWorkspaceMs,
    notCompleted: await jobStates(api.url, apiKey, notCompleted.slice(0, 5)),
    notCompletedInBullMq: await bullStates(notCompleted.slice(0, 5)),
    reads: readSummary,
  };
  reportFigure(figure);

  // While Redis is away the only 5xx is 503 service_unavailable, told at once; nothing is a 500 or hangs.
  for (const answers of [summary, readSummary]) {
    expect(unexpected5xx(answers)).toEqual([]);
    expect((answers.statuses.hung ?? 0) + (answers.statuses.network ?? 0)).toBe(0);
    expect(answers.maxLatencyMs).toBeLessThan(10_000);
    expect(answers.skipped).toBe(0);
  }
  expect(summary.latencyMs['503 service_unavailable']?.max ?? 0).toBeLessThan(3_000);
  // Roughly the time Redis was up, at the rate (the 503s cover the outage, not much more).
  const upMs = OUTAGE.upBeforeMs + Math.max(OUTAGE.upAfterMs, timeline.readyAgainMs);
  expect(summary.accepted).toBeGreaterThan(((upMs / 1000) * RATE) / 2);
  expect(summary.submitted).toBeGreaterThan(
    ((OUTAGE.upBeforeMs + OUTAGE.downMs + OUTAGE.upAfterMs) / 1000) * RATE * 0.8,
  );
  expect(timeline.readyAgainMs).toBeLessThan(10_000);
  expect(notCompleted).toEqual([]);
  expect(missingInStream).toEqual([]);
  expect(unlisted).toEqual([]);
  expect(stranded).toEqual([]);
  expect(stream.connected).toBe(true);
  expect(firstEventOfNewWorkspaceMs).toBeLessThan(2_000);
}, 90_000);

/** Ms from submitting a new workspace's first job to its `job.queued` event on a socket subscribed just before. */
async function firstEventOfNewWorkspace(url: string): Promise<number> {
  const signup = await httpClient(url, undefined, { origin: url }).post('/v1/auth/signup', {
    email: `fault-${randomBytes(4).toString('hex')}@example.test`,
    password: 'a long enough passphrase',
    name: 'Fault Tester',
  });
  const cookie = sessionCookieFrom(signup);
  const slug = (await sessionClient(url, cookie).get('/v1/me')).body.workspaces[0].slug as string;
  const key = (await sessionClient(url, cookie, slug).post('/v1/api-keys', { name: 'fault' })).body.key as string;
  const socket = await RealtimeClient.connect(url, key);
  await socket.subscribeOk({ topic: 'workspace' });
  const submittedAt = Date.now();
  const submitted = await httpClient(url, key).post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
  await socket.waitForEvent("the new workspace's first event", (event) => event.jobId === submitted.body.id, 10_000);
  return Date.now() - submittedAt;
}

/** Where BullMQ has each job (diagnosis of a failure: did the job end in BullMQ but not in our events?). */
async function bullStates(ids: string[]): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  const connection = new Redis(redis.url);
  const queue = new Queue('demo', { connection, prefix });
  try {
    return Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await queue.getJobState(id)])));
  } finally {
    await queue.close();
    connection.disconnect();
  }
}
