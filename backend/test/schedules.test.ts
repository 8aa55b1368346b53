import { isDeepStrictEqual } from 'node:util';
import type { StreamEvent } from '@flightdeck/contract';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import type { HttpClient } from './support/http-client';
import { destroyAllProcesses, startProcess } from './support/process-harness';
import { closeAllClients, isFinal, RealtimeClient } from './support/realtime-client';
import { waitFor } from './support/test-services';

// Schedules (issue 5, "Schedules fire and stop when deleted"): CRUD over HTTP, each run an ordinary
// job (listed, readable by id, streamed with a whole `job.queued` first), and no run after a delete.

let app: TestFlightdeck;
beforeAll(async () => {
  app = await startTestFlightdeck();
});
afterEach(() => closeAllClients());
afterAll(() => app.stop());

const EVERY_SECOND = '* * * * * *';
const sleepJob = { type: 'demo.sleep', payload: { ms: 0 } };
const patch = (http: HttpClient, path: string, body: unknown) => http.request('PATCH', path, body);

async function createSchedule(body: Record<string, unknown>): Promise<{ id: string }> {
  const answer = await app.http.post('/v1/schedules', body);
  expect(answer.status).toBe(201);
  return answer.body as { id: string };
}

/** The ids of the schedule's runs that GET /v1/jobs lists (history), newest first. */
async function listedRuns(scheduleId: string): Promise<{ id: string; status: string; createdAt: string }[]> {
  const { status, body } = await app.http.get('/v1/jobs?limit=200');
  expect(status).toBe(200);
  return (body.items as { id: string; status: string; createdAt: string }[]).filter((job) =>
    job.id.startsWith(`repeat:${scheduleId}:`),
  );
}

/** Runs of the schedule that the stream (Redis) announced, by job id. */
async function announcedRuns(scheduleId: string): Promise<Set<string>> {
  const entries = await app.redis.xrange(app.keys.workspaceEvents(app.workspaceId), '-', '+');
  return new Set(
    entries
      .map(([, fields]) => JSON.parse(fields[fields.indexOf('e') + 1]!) as { type: string; jobId: string })
      .filter((event) => event.type === 'job.queued' && event.jobId.startsWith(`repeat:${scheduleId}:`))
      .map((event) => event.jobId),
  );
}

describe('a schedule', () => {
  it('is created, read, listed and validated like a submit', async () => {
    const answer = await app.http.post('/v1/schedules', {
      name: 'nightly',
      cron: '0 3 * * *',
      timezone: 'Europe/Paris',
      job: { type: 'demo.sleep', payload: { ms: 10 }, attempts: 3, backoff: { type: 'fixed', delayMs: 100 } },
    });
    expect(answer.status).toBe(201);
    const schedule = answer.body;
    expect(schedule).toMatchObject({
      name: 'nightly',
      cron: '0 3 * * *',
      timezone: 'Europe/Paris',
      job: { type: 'demo.sleep', payload: { ms: 10 }, attempts: 3 },
    });
    // 03:00 in Paris is 01:00 or 02:00 UTC, depending on the season.
    expect(new Date(schedule.nextRunAt).getUTCHours()).toBeGreaterThanOrEqual(1);
    expect(new Date(schedule.nextRunAt).getUTCHours()).toBeLessThanOrEqual(2);
    expect(Date.parse(schedule.nextRunAt)).toBeGreaterThan(Date.now());

    expect((await app.http.get(`/v1/schedules/${schedule.id}`)).body).toEqual(schedule);
    const list = await app.http.get('/v1/schedules');
    expect(list.body.items.map((item: { id: string }) => item.id)).toContain(schedule.id);

    // Mirrored into BullMQ: a job scheduler with the schedule's id on the type's queue.
    const scheduler = await app.queue('demo').getJobScheduler(schedule.id);
    expect(scheduler).toMatchObject({ pattern: '0 3 * * *', tz: 'Europe/Paris', name: 'demo.sleep' });
    expect(scheduler!.template!.data).toMatchObject({ workspaceId: app.workspaceId, scheduleId: schedule.id });

    const defaults = await createSchedule({ name: 'utc', cron: '@daily', job: sleepJob });
    expect((await app.http.get(`/v1/schedules/${defaults.id}`)).body.timezone).toBe('UTC');

    expect((await app.http.delete(`/v1/schedules/${schedule.id}`)).status).toBe(204);
    expect((await app.http.delete(`/v1/schedules/${defaults.id}`)).status).toBe(204);
    expect(await app.queue('demo').getJobScheduler(schedule.id)).toBeUndefined();
    expect((await app.http.get(`/v1/schedules/${schedule.id}`)).status).toBe(404);
  });

  it.each([
    ['a bad cron expression', { cron: 'every day' }, 'validation_failed', 'cron'],
    ['an out-of-range cron field', { cron: '61 * * * *' }, 'validation_failed', 'cron'],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'validation_failed', 'timezone'],
    ['an unknown job type', { job: { type: 'no.such' } }, 'unknown_job_type', 'job.type'],
    ['a bad payload', { job: { type: 'demo.sleep', payload: { ms: 'soon' } } }, 'invalid_payload', 'job.payload.ms'],
    ['an empty name', { name: '' }, 'validation_failed', 'name'],
    ['an unknown field', { every: 1000 }, 'validation_failed', '(body)'],
  ])('refuses %s with 422', async (_what, change, code, path) => {
    const answer = await app.http.post('/v1/schedules', { name: 'bad', cron: '@hourly', job: sleepJob, ...change });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe(code);
    expect(answer.body.error.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    expect(answer.body.error.message.length).toBeGreaterThan(10);
  });

  it('is invisible to another workspace', async () => {
    const schedule = await createSchedule({ name: 'mine', cron: '@hourly', job: sleepJob });
    const other = await app.createWorkspace('schedules-other');
    expect((await other.http.get(`/v1/schedules/${schedule.id}`)).status).toBe(404);
    expect((await patch(other.http, `/v1/schedules/${schedule.id}`, { name: 'theirs' })).status).toBe(404);
    expect((await other.http.delete(`/v1/schedules/${schedule.id}`)).status).toBe(404);
    expect((await other.http.get('/v1/schedules')).body.items).toEqual([]);
    // Still there, unchanged, for its own workspace.
    expect((await app.http.get(`/v1/schedules/${schedule.id}`)).body.name).toBe('mine');
    expect((await app.http.delete(`/v1/schedules/${schedule.id}`)).status).toBe(204);
  });

  it('is changed by PATCH: cron, time zone, job, and the job scheduler follows', async () => {
    const schedule = await createSchedule({ name: 'to change', cron: '@hourly', job: sleepJob });
    const answer = await patch(app.http, `/v1/schedules/${schedule.id}`, {
      name: 'changed',
      cron: '30 12 * * 1',
      timezone: 'America/New_York',
      job: { type: 'demo.sleep', payload: { ms: 5 }, priority: 4 },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: schedule.id,
      name: 'changed',
      cron: '30 12 * * 1',
      timezone: 'America/New_York',
      job: { type: 'demo.sleep', payload: { ms: 5 }, priority: 4 },
    });
    const scheduler = await app.queue('demo').getJobScheduler(schedule.id);
    expect(scheduler).toMatchObject({ pattern: '30 12 * * 1', tz: 'America/New_York' });
    expect(scheduler!.template!.data).toMatchObject({ payload: { ms: 5 } });

    expect((await patch(app.http, `/v1/schedules/${schedule.id}`, { cron: 'nope' })).status).toBe(422);
    expect((await app.http.get(`/v1/schedules/${schedule.id}`)).body.cron).toBe('30 12 * * 1');
    expect((await app.http.delete(`/v1/schedules/${schedule.id}`)).status).toBe(204);
  });

  it("is created, changed and deleted in its own workspace's audit log", async () => {
    const schedule = await createSchedule({ name: 'audited', cron: '@hourly', job: sleepJob });
    expect((await patch(app.http, `/v1/schedules/${schedule.id}`, { name: 'audited again' })).status).toBe(200);
    expect((await app.http.delete(`/v1/schedules/${schedule.id}`)).status).toBe(204);
    const target = { type: 'schedule', id: schedule.id };
    const entry = async (http: HttpClient, action: string) =>
      ((await http.get(`/v1/audit?action=${action}`)).body.items as { target: unknown }[]).find((item) =>
        isDeepStrictEqual(item.target, target),
      );
    expect(await entry(app.http, 'schedule.created')).toMatchObject({ details: { name: 'audited', cron: '@hourly' } });
    expect(await entry(app.http, 'schedule.updated')).toMatchObject({ details: { changed: ['name'] } });
    expect(await entry(app.http, 'schedule.deleted')).toMatchObject({ details: {} });
    const other = await app.createWorkspace('schedules-audit-other');
    expect(await entry(other.http, 'schedule.created')).toBeUndefined();
  });
});

describe('runs of a schedule', () => {
  it('fire as ordinary jobs, listed and streamed, and stop when the schedule is deleted', async () => {
    const client = await RealtimeClient.connect(app.url, app.apiKey);
    await client.subscribeOk({ topic: 'workspace' });
    const schedule = await createSchedule({ name: 'every second', cron: EVERY_SECOND, job: sleepJob });
    const prefix = `repeat:${schedule.id}:`;
    const isRun = (event: StreamEvent) => event.jobId.startsWith(prefix);

    // At least two runs complete, each streamed like a submitted job: a whole `job.queued` first.
    const events = await client.waitForEvents(
      'two runs to complete',
      (received) => received.filter((event) => isRun(event) && isFinal(event)).length >= 2,
      20_000,
    );
    const completed = events.filter((event) => isRun(event) && event.type === 'job.completed');
    expect(completed.length).toBeGreaterThanOrEqual(2);
    for (const { jobId } of completed.slice(0, 2)) {
      const types = events
        .filter((event) => event.jobId === jobId && event.type !== 'job.progress' && event.type !== 'job.log')
        .map((event) => event.type);
      expect(types).toEqual(['job.queued', 'job.active', 'job.completed']);
      const queued = events.find((event) => event.jobId === jobId && event.type === 'job.queued')!;
      expect(queued.job).toMatchObject({ id: jobId, type: 'demo.sleep', queue: 'demo', payload: { ms: 0 } });

      // Readable by id like any job.
      const job = await app.http.get(`/v1/jobs/${encodeURIComponent(jobId)}`);
      expect(job.status).toBe(200);
      expect(job.body).toMatchObject({ id: jobId, type: 'demo.sleep', status: 'completed', attempts: 1 });
      // Created when the cron fired: the time BullMQ put in the id.
      expect(Date.parse(job.body.createdAt)).toBe(Number(jobId.slice(prefix.length)));
    }

    // Listed in history, newest first by when they fired.
    const listed = await waitFor('two runs in GET /v1/jobs', async () => {
      const runs = await listedRuns(schedule.id);
      return runs.filter((job) => job.status === 'completed').length >= 2 ? runs : null;
    });
    const createdAts = listed.map((job) => Date.parse(job.createdAt));
    expect(createdAts).toEqual([...createdAts].sort((a, b) => b - a));

    // Pages of runs and submitted jobs together: cursors work with BullMQ's ids, nothing twice or lost.
    const submitted = await app.http.post('/v1/jobs', sleepJob);
    expect(submitted.status).toBe(202);
    const whole = (await app.http.get('/v1/jobs?limit=200')).body.items.map((job: { id: string }) => job.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await app.http.get(
        `/v1/jobs?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      paged.push(...page.body.items.map((job) => job.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged.slice(0, whole.length)).toEqual(whole);

    // Deleted: after a grace period for a run already under way, no new run appears.
    expect((await app.http.delete(`/v1/schedules/${schedule.id}`)).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const settled = await announcedRuns(schedule.id);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await announcedRuns(schedule.id)).toEqual(settled);
    expect(await app.queue('demo').getJobScheduler(schedule.id)).toBeUndefined();
    const leftover = (await app.queue('demo').getJobs(['delayed', 'wait'])).filter((job) => job.id?.startsWith(prefix));
    expect(leftover).toEqual([]);
  }, 40_000);

  it('follow a PATCHed cron', async () => {
    // Yearly, on a day that is not today: no run before the change.
    const schedule = await createSchedule({ name: 'rarely', cron: '0 0 1 1 *', job: sleepJob });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await announcedRuns(schedule.id)).toEqual(new Set());

    expect((await patch(app.http, `/v1/schedules/${schedule.id}`, { cron: EVERY_SECOND })).status).toBe(200);
    await waitFor('two runs after the change', async () => (await announcedRuns(schedule.id)).size >= 2, 20_000);
    expect((await app.http.delete(`/v1/schedules/${schedule.id}`)).status).toBe(204);
  }, 40_000);
});

describe('a run of a schedule', () => {
  it('is cancelled while it runs and retried after it failed, like any job', async () => {
    const client = await RealtimeClient.connect(app.url, app.apiKey);
    await client.subscribeOk({ topic: 'workspace' });
    const long = await createSchedule({
      name: 'long runs',
      cron: EVERY_SECOND,
      job: { type: 'demo.sleep', payload: { ms: 60_000, steps: 60 } },
    });
    const active = await client.waitForEvent(
      'a long run active',
      (event) => event.type === 'job.active' && event.jobId.startsWith(`repeat:${long.id}:`),
    );
    // Stop the schedule first, so only the run we cancel is running.
    expect((await app.http.delete(`/v1/schedules/${long.id}`)).status).toBe(204);
    const cancelled = await app.http.post(`/v1/jobs/${encodeURIComponent(active.jobId)}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');

    const failing = await createSchedule({
      name: 'failing runs',
      cron: EVERY_SECOND,
      job: { type: 'demo.sleep', payload: { ms: 0, fail: true } },
    });
    const failed = await client.waitForEvent(
      'a failed run',
      (event) => event.type === 'job.failed' && event.jobId.startsWith(`repeat:${failing.id}:`),
    );
    expect((await app.http.delete(`/v1/schedules/${failing.id}`)).status).toBe(204);
    const retried = await app.http.post(`/v1/jobs/${encodeURIComponent(failed.jobId)}/retry`);
    expect(retried.status).toBe(200);
    await client.waitForEvents(
      'the run to fail again after the retry',
      (received) => received.filter((event) => event.jobId === failed.jobId && event.type === 'job.failed').length >= 2,
    );
  }, 40_000);
});

describe('schedulers lost by Redis', () => {
  it('are re-created from MongoDB when an API process starts', async () => {
    const schedule = await createSchedule({ name: 'survives a Redis wipe', cron: '0 4 * * *', job: sleepJob });
    const queue = app.queue('demo');
    expect(await queue.removeJobScheduler(schedule.id)).toBe(true);
    expect(await queue.getJobScheduler(schedule.id)).toBeUndefined();

    const restarted = await startProcess({
      namespace: app.namespace,
      env: { ROLES: 'api', BOOTSTRAP_API_KEY: app.apiKey },
      waitFor: '/readyz',
    });
    try {
      expect(await queue.getJobScheduler(schedule.id)).toMatchObject({ pattern: '0 4 * * *', name: 'demo.sleep' });
      expect(restarted.logRecords()).toEqual(expect.arrayContaining([expect.objectContaining({ restored: 1 })]));
    } finally {
      await destroyAllProcesses();
    }
    expect((await app.http.delete(`/v1/schedules/${schedule.id}`)).status).toBe(204);
  }, 40_000);
});
