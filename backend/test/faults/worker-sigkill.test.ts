import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import type { StreamEvent } from '@flightdeck/contract';
import { redisKeys } from '@flightdeck/workers';
import { httpClient, type HttpClient } from '../support/http-client';
import { destroyAllProcesses, startProcess, type FlightdeckProcess } from '../support/process-harness';
import { RealtimeClient, closeAllClients, isFinal, retainedEvents } from '../support/realtime-client';
import { testNamespace, waitFor } from '../support/test-services';
import { reportFigure } from './fault-figures';

// Issue 18, item 1. A worker SIGKILLed under load dies with final events still waiting in its append
// lane (group commit), after BullMQ already moved those jobs to `completed`. Every job must still
// reach its final state — in REST, in the workspace stream and on a subscribed socket, and the ends
// the reconciler appended in MongoDB history — with exactly one final event each, within a bounded
// time.
//
// How many completions a kill catches in flight varies from run to run: without the reconciler this
// failed in 2 of 6 runs on the 2-core test machine under load (1 and 4 jobs left active for good; the
// issue saw 11–16). attempt-end-reconciler.test.ts makes the loss certain.

const JOBS = 1_000;
const BATCH = 100;
const KILL_AFTER_MS = 2_500;
/** From the first submit until every job must be final: the killed worker's jobs wait out WORKER_LOCK_MS first. */
const FINAL_WITHIN_MS = 45_000;
/**
 * After the stream checks, for MongoDB history to hold the reconciled jobs final: history trails the
 * stream by a minute or more when FerretDB (SQLite) shares two loaded cores with other test files.
 */
const HISTORY_WITHIN_MS = 150_000;

const namespace = testNamespace();
const apiKey = `fd_test_${randomBytes(16).toString('hex')}`;
const keys = redisKeys(namespace.prefix);
// Room for every event of the run, so the stream we count is the whole story.
const common = { BOOTSTRAP_API_KEY: apiKey, EVENT_RETENTION: '100000', LOG_LEVEL: 'warn' };
const workerEnv = { ...common, ROLES: 'worker', WORKER_CONCURRENCY: '20', WORKER_LOCK_MS: '5000' };

let api: FlightdeckProcess;
let http: HttpClient;
let redis: Redis;
let mongo: mongoose.Connection;

beforeAll(async () => {
  api = await startProcess({
    namespace,
    env: { ...common, ROLES: 'api,gateway', RATE_LIMIT_PER_CALLER: '0', RATE_LIMIT_PER_IP: '0' },
    waitFor: '/readyz',
  });
  http = httpClient(api.url, apiKey);
  redis = new Redis(namespace.redisUrl);
  mongo = await mongoose.createConnection(namespace.mongoUrl).asPromise();
}, 60_000);

afterAll(async () => {
  closeAllClients();
  await destroyAllProcesses();
  redis?.disconnect();
  await mongo?.close();
});

/** Microseconds Redis spent in commands (INFO commandstats): all of them, and the reconciler's reads. */
function commandTime(info: string): { total: number; reconciler: number } {
  let total = 0;
  let reconciler = 0;
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=\d+,usec=(\d+)/gm)) {
    total += Number(match[2]);
    if (['xrange', 'hmget', 'lpos', 'time'].includes(match[1]!)) reconciler += Number(match[2]);
  }
  return { total, reconciler };
}

/** How many of these jobs MongoDB history holds as completed. */
const completedIn = (ids: string[]) =>
  mongo.collection<{ _id: string; status: string }>('jobs').countDocuments({ _id: { $in: ids }, status: 'completed' });

/** Final events per job among `events`. */
function finalsPerJob(events: StreamEvent[]): Map<string, StreamEvent[]> {
  const finals = new Map<string, StreamEvent[]>();
  for (const event of events.filter(isFinal)) {
    finals.set(event.jobId!, [...(finals.get(event.jobId!) ?? []), event]);
  }
  return finals;
}

describe('a worker SIGKILLed under load', () => {
  it('leaves no job without its final event, and announces none twice', async () => {
    const [workerA] = await Promise.all([
      startProcess({ namespace, env: workerEnv, waitFor: '/readyz' }),
      startProcess({ namespace, env: workerEnv, waitFor: '/readyz' }),
    ]);
    const socket = await RealtimeClient.connect(api.url, apiKey);
    await socket.subscribeOk({ topic: 'workspace' });
    // Redis's command time from here on, to see what the reconciler's reads cost per job.
    await redis.config('RESETSTAT');

    const startedAt = Date.now();
    const killed = new Promise<void>((resolve) =>
      setTimeout(() => {
        workerA!.kill('SIGKILL');
        resolve();
      }, KILL_AFTER_MS),
    );
    const ids: string[] = [];
    for (let batch = 0; batch < JOBS / BATCH; batch++) {
      const jobs = Array.from({ length: BATCH }, () => ({ type: 'demo.sleep', payload: { ms: 150, steps: 3 } }));
      const answer = await http.post('/v1/jobs/batch', { jobs });
      expect(answer.status).toBe(202);
      ids.push(...(answer.body.jobs as { id: string }[]).map((job) => job.id));
    }
    await killed;
    expect(await workerA!.waitForExit()).toEqual({ code: null, signal: 'SIGKILL' });
    await startProcess({ namespace, env: workerEnv, waitFor: '/readyz' });

    const workspaceId = JSON.parse((await redis.hget(keys.jobSnapshot(ids[0]!), 'workspaceId'))!) as string;
    const streamFinals = async () => finalsPerJob(await retainedEvents(redis, keys, workspaceId));
    let allFinalAfterMs: number | null = null;
    // Watched on the socket, so that this test's own reads do not count in Redis's command time; the
    // stream is read only if the socket had to resync.
    await waitFor(
      'every job to have a final event',
      async () =>
        finalsPerJob(socket.events).size >= JOBS || (socket.resyncs.length > 0 && (await streamFinals()).size >= JOBS),
      FINAL_WITHIN_MS - (Date.now() - startedAt),
      250,
    ).then(
      () => (allFinalAfterMs = Date.now() - startedAt),
      () => undefined,
    );
    // A late duplicate (the dead worker's lane cannot send one, but a reconciler racing a slow
    // worker could) would land within a few seconds: give it the time to show.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const redisTime = commandTime(await redis.info('commandstats'));

    const stream = await retainedEvents(redis, keys, workspaceId);
    const finals = finalsPerJob(stream);
    // Jobs the killed worker was running, which the stalled-job check handed to another worker.
    const activeTwice = new Set(
      ids.filter((id) => stream.filter((event) => event.jobId === id && event.type === 'job.active').length > 1),
    );
    const missing = ids.filter((id) => !finals.has(id));
    const duplicated = ids.filter((id) => (finals.get(id)?.length ?? 0) > 1);
    const notCompleted = ids.filter((id) => finals.get(id)?.some((event) => event.type !== 'job.completed'));
    const socketFinals = finalsPerJob(socket.events);
    const socketDuplicated = ids.filter((id) => (socketFinals.get(id)?.length ?? 0) > 1);

    // REST, one job at a time (the snapshot), and MongoDB history.
    const restStatuses: Record<string, number> = {};
    for (let start = 0; start < ids.length; start += 50) {
      const answers = await Promise.all(ids.slice(start, start + 50).map((id) => http.get(`/v1/jobs/${id}`)));
      for (const answer of answers) {
        const status = answer.status === 200 ? (answer.body.status as string) : `http ${answer.status}`;
        restStatuses[status] = (restStatuses[status] ?? 0) + 1;
      }
    }
    // The ends the reconciler appended (it logs each), and MongoDB history for them: history trails
    // the stream (batched writes, slow on FerretDB's SQLite under load), but in stream order, so the
    // reconciled ends — appended within seconds — are written long before the run's last events.
    const reconciled = api
      .logRecords()
      .filter((record) => record.msg === 'appended an attempt end that its worker did not announce')
      .map((record) => record.jobId as string);
    const historyOfReconciled = await waitFor(
      'MongoDB history to hold the reconciled jobs completed',
      async () => {
        const count = await completedIn(reconciled);
        return count === reconciled.length ? { count } : null;
      },
      HISTORY_WITHIN_MS,
      500,
    ).then(
      ({ count }) => count,
      () => completedIn(reconciled),
    );
    const historyCompleted = await mongo.collection('jobs').countDocuments({ status: 'completed' });

    const figures = {
      fault: 'worker-sigkill',
      jobs: ids.length,
      finalEvents: [...finals.values()].reduce((sum, events) => sum + events.length, 0),
      jobsWithoutFinal: missing.length,
      duplicates: duplicated.length,
      socketFinalEvents: [...socketFinals.values()].reduce((sum, events) => sum + events.length, 0),
      socketDuplicates: socketDuplicated.length,
      restStatuses,
      takenOverAfterKill: activeTwice.size,
      reconciled: reconciled.length,
      reconciledCompletedInHistory: historyOfReconciled,
      historyCompletedAtEnd: historyCompleted,
      timeToAllFinalMs: allFinalAfterMs,
      redisCommandUsecPerJob: Math.round(redisTime.total / JOBS),
      // XRANGE, HMGET, LPOS and TIME are the reconciler's alone here (the socket subscribed without `since`).
      reconcilerCommandUsecPerJob: Math.round(redisTime.reconciler / JOBS),
    };
    reportFigure(figures);

    expect(missing).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(notCompleted).toEqual([]);
    expect(allFinalAfterMs).not.toBeNull();
    expect(restStatuses).toEqual({ completed: JOBS });
    expect(historyOfReconciled).toBe(reconciled.length);
    expect(socketDuplicated).toEqual([]);
    expect(socketFinals.size).toBe(JOBS);
  }, 300_000);
});
