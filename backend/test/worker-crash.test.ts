import { randomBytes } from 'node:crypto';
import { startProcess } from './support/process-harness';
import { testNamespace, waitFor } from './support/test-services';
import { apiProcessForWorkers } from './support/worker-process-fixture';

// A worker that dies mid-job (SIGKILL: no shutdown, no hand-back) leaves its job active under a lock
// that nobody renews; once the lock has expired, another worker must run the job to completion, and
// the job must end completed exactly once.

const namespace = testNamespace();
const apiKey = `fd_test_${randomBytes(16).toString('hex')}`;
const workerEnv = { ROLES: 'worker', WORKER_LOCK_MS: '2000', BOOTSTRAP_API_KEY: apiKey };

const deployment = apiProcessForWorkers(namespace, apiKey);
const { getJob } = deployment;

describe('a worker that crashes mid-job', () => {
  it('has its job picked up by another worker and completed exactly once', async () => {
    const workerA = await startProcess({ namespace, env: workerEnv });

    const submitted = await deployment.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 4000, steps: 8 } });
    expect(submitted.status).toBe(202);
    const id = submitted.body.id as string;

    await waitFor('the job to be active with progress', async () => {
      const job = await getJob(id);
      return job.status === 'active' && job.progress > 0;
    });
    workerA.kill('SIGKILL');
    expect(await workerA.waitForExit()).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await getJob(id)).status).toBe('active');

    const workerB = await startProcess({ namespace, env: workerEnv });
    // Worker B's stalled-jobs check (as often as WORKER_LOCK_MS) finds the job once A's lock has
    // expired, and hands it back to the queue; B then runs it from the start.
    const final = await deployment.completedJob('the job to be completed by worker B', id, 30_000, 100);
    expect(final).toMatchObject({ status: 'completed', progress: 100, result: { slept: 4000 }, error: null });
    expect(workerB.logs('stderr')).toEqual([]);

    // Exactly one completion, no failure, in the workspace's event stream.
    const events = await deployment.jobEvents(id);
    expect(events.filter((event) => event.type === 'job.completed')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'job.failed')).toHaveLength(0);
    expect(events.filter((event) => event.type === 'job.active').length).toBeGreaterThanOrEqual(2);

    // BullMQ agrees.
    const bull = await deployment.bullJob(id);
    expect(bull.state).toBe('completed');
    expect(bull.job?.returnvalue).toEqual({ slept: 4000 });

    // History lists it once among completed jobs.
    const listed = await waitFor('the history to list the completed job', async () => {
      const answer = await deployment.http.get('/v1/jobs?status=completed&limit=100');
      expect(answer.status).toBe(200);
      const items = (answer.body.items as { id: string; status: string }[]).filter((item) => item.id === id);
      return items.length > 0 ? items : null;
    });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id, status: 'completed' });
  });
});
