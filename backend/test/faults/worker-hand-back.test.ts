import { randomBytes } from 'node:crypto';
import { startProcess, type FlightdeckProcess } from '../support/process-harness';
import { testNamespace, waitFor } from '../support/test-services';
import { apiProcessForWorkers } from '../support/worker-process-fixture';
import { reportFigure } from './fault-figures';

// A worker process told to stop (SIGTERM) while a long job runs, with SHUTDOWN_TIMEOUT_MS far shorter
// than the job: at the timeout the job goes back to its queue (its attempt not counted), the stream
// says so, the process exits by itself, and another worker process runs the job to completion.

const SHUTDOWN_TIMEOUT_MS = 2_000;
const JOB_MS = 30_000;
const namespace = testNamespace();
const apiKey = `fd_test_${randomBytes(16).toString('hex')}`;
const workerEnv = { ROLES: 'worker', SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS), BOOTSTRAP_API_KEY: apiKey };

const deployment = apiProcessForWorkers(namespace, apiKey);
const { getJob } = deployment;

describe('a worker process stopped while a job runs longer than SHUTDOWN_TIMEOUT_MS', () => {
  it('hands the job back (attempt not counted), exits 0 by itself, and another worker completes it', async () => {
    const workerA: FlightdeckProcess = await startProcess({ namespace, env: workerEnv, waitFor: '/readyz' });
    const submitted = await deployment.http.post('/v1/jobs', {
      type: 'demo.sleep',
      payload: { ms: JOB_MS, steps: 30 },
    });
    expect(submitted.status).toBe(202);
    const id = submitted.body.id as string;
    const before = await waitFor('the job to run on worker A', async () => {
      const job = await getJob(id);
      return job.status === 'active' && job.progress > 0 ? job : null;
    });

    // Worker B is up before A stops, so the job has somewhere to go as soon as it is back.
    const workerB = await startProcess({ namespace, env: workerEnv, waitFor: '/readyz' });
    const sigterm = Date.now();
    workerA.kill('SIGTERM');
    expect(await workerA.waitForExit(SHUTDOWN_TIMEOUT_MS + 15_000)).toEqual({ code: 0, signal: null });
    const exitMs = Date.now() - sigterm;
    // It exits by itself once the job is back: well before the job would have ended, and within a
    // few seconds of the timeout.
    expect(exitMs).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS);
    expect(exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 3_000);
    expect(workerA.logRecords().some((record) => record.msg === 'job handed back to its queue')).toBe(true);
    // No error on the way out (a lock renewal or a move that failed would log one).
    expect(workerA.logRecords().filter((record) => (record.level as number) >= 50)).toEqual([]);
    expect(workerA.logs('stderr')).toEqual([]);

    const final = await deployment.completedJob('worker B to complete the job', id, JOB_MS + 20_000, 200);
    // One attempt counted: the one that completed (a run with no hand-back ends the same way).
    expect(final).toMatchObject({ status: 'completed', progress: 100, result: { slept: JOB_MS }, error: null });
    expect(before.attemptsMade).toBe(0);
    expect(final.attemptsMade).toBe(before.attemptsMade + 1);
    expect(workerB.logs('stderr')).toEqual([]);

    // The stream: active on A, back to queued because of the shutdown (attempts unchanged, no
    // failure), active again after A exited, completed once.
    const events = await deployment.jobEvents(id);
    const states = events.filter((event) => event.type !== 'job.progress' && event.type !== 'job.log');
    expect(states.map((event) => [event.type, event.reason ?? null])).toEqual([
      ['job.queued', null],
      ['job.active', null],
      ['job.queued', 'shutdown'],
      ['job.active', null],
      ['job.completed', null],
    ]);
    const [, firstActive, handedBack, secondActive] = states;
    expect(handedBack!.job).toMatchObject({ status: 'queued', progress: 0, attemptsMade: before.attemptsMade });
    expect(secondActive!.job).toMatchObject({ status: 'active', attemptsMade: before.attemptsMade });
    const handedBackAt = Date.parse(handedBack!.at);
    expect(handedBackAt - sigterm).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS - 100);
    expect(Date.parse(secondActive!.at)).toBeGreaterThanOrEqual(handedBackAt);
    expect(Date.parse(secondActive!.at)).toBeGreaterThan(Date.parse(firstActive!.at));

    // BullMQ agrees: completed, one attempt made, no failure recorded, never stalled.
    const bull = await deployment.bullJob(id);
    expect(bull.state).toBe('completed');
    expect(bull.job).toMatchObject({ attemptsMade: 1, stalledCounter: 0, stacktrace: [] });
    expect(bull.job?.failedReason).toBeUndefined();
    const attemptsStarted = bull.job?.attemptsStarted;

    reportFigure({
      fault: 'sigterm-during-long-job',
      shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS,
      exitMs,
      exitCode: 0,
      handBackAfterSigtermMs: handedBackAt - sigterm,
      pickedUpAfterHandBackMs: Date.parse(secondActive!.at) - handedBackAt,
      attemptsMadeBefore: before.attemptsMade,
      attemptsMadeFinal: final.attemptsMade,
      attemptsStarted,
    });
  }, 90_000);
});
