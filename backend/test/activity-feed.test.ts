import type { ActivityFeedItem, StreamEvent } from '@flightdeck/contract';
import { startTestFlightdeck, type Person, type TestFlightdeck } from './support/flightdeck-harness';
import { httpClient, waitForJobStatus, type HttpClient } from './support/http-client';
import { RealtimeClient } from './support/realtime-client';

// The workspace's activity feed (GET /v1/activity): what people did across every job, newest first,
// paged, filtered, scoped to the workspace — and named in the live events by the same ids.

let app: TestFlightdeck;
let owner: Person;
let ada: Person;
let bob: Person;
let carol: Person;
let watcher: RealtimeClient;
/** The jobs the actions were taken on. */
const jobs = { failing: '', promoted: '', cancelled: '', bulk: '', running: '' };
const LONG_COMMENT = `upstream timed out; ${'retrying after the backoff, '.repeat(8)}then we look again`;

const feed = async (client: HttpClient, query = '') => {
  const answer = await client.get(`/v1/activity${query}`);
  expect(answer.status).toBe(200);
  return answer.body as { items: ActivityFeedItem[]; nextCursor: string | null };
};

const submit = async (payload: Record<string, unknown>, options: Record<string, unknown> = {}) => {
  const answer = await owner.http.post('/v1/jobs', { type: 'demo.sleep', payload, ...options });
  expect(answer.status).toBe(202);
  return answer.body.id as string;
};

const ok = async (request: Promise<{ status: number; body: unknown }>, status = 200) =>
  expect((await request).status).toBe(status);

beforeAll(async () => {
  app = await startTestFlightdeck();
  owner = await app.signup('Olivia Owner');
  ada = await app.signup('Ada');
  bob = await app.signup('Bob');
  carol = await app.signup('Carol');
  await ok(owner.http.post('/v1/members', { email: ada.user.email, role: 'member' }), 201);
  await ok(owner.http.post('/v1/members', { email: bob.user.email, role: 'member' }), 201);
  await ok(owner.http.post('/v1/members', { email: carol.user.email, role: 'viewer' }), 201);
  watcher = await RealtimeClient.open(app.url, {
    auth: { workspace: owner.slug },
    headers: { cookie: owner.cookie, origin: app.url },
  });
  await watcher.subscribeOk({ topic: 'workspace' });

  jobs.failing = await submit({ ms: 0, fail: true });
  jobs.promoted = await submit({ ms: 0 }, { delayMs: 600_000 });
  jobs.cancelled = await submit({ ms: 0 }, { delayMs: 600_000 });
  jobs.bulk = await submit({ ms: 0 }, { delayMs: 600_000 });
  jobs.running = await submit({ ms: 30_000, steps: 30 });
  await waitForJobStatus(owner.http, jobs.failing, 'failed');
  await waitForJobStatus(owner.http, jobs.running, 'active');

  const asAda = ada.in(owner.slug);
  const asBob = bob.in(owner.slug);
  await ok(asAda.post(`/v1/jobs/${jobs.failing}/claim`));
  await ok(asAda.post(`/v1/jobs/${jobs.failing}/comments`, { body: LONG_COMMENT }), 201);
  await ok(asAda.post(`/v1/jobs/${jobs.failing}/retry`));
  await ok(asBob.post(`/v1/jobs/${jobs.promoted}/promote`));
  await ok(asBob.post(`/v1/jobs/${jobs.cancelled}/cancel`));
  await ok(asBob.post('/v1/jobs/bulk', { action: 'cancel', ids: [jobs.bulk] }));
  // An active job: its job.cancelled event comes from the worker that ran it.
  await ok(asBob.post(`/v1/jobs/${jobs.running}/cancel`));
  await waitForJobStatus(owner.http, jobs.failing, 'failed');
  await waitForJobStatus(owner.http, jobs.promoted, 'completed');
  await ok(asAda.delete(`/v1/jobs/${jobs.failing}/claim`));
  await watcher.waitForEvent('the release', (e) => e.type === 'job.released' && e.jobId === jobs.failing);
});
afterAll(async () => {
  watcher?.close();
  await app.stop();
});

/** What people did, as the test did it: newest first. */
const PEOPLE_ACTIONS = () => [
  { action: 'released', actor: 'Ada', jobId: jobs.failing },
  { action: 'cancelled', actor: 'Bob', jobId: jobs.running },
  { action: 'cancelled', actor: 'Bob', jobId: jobs.bulk },
  { action: 'cancelled', actor: 'Bob', jobId: jobs.cancelled },
  { action: 'promoted', actor: 'Bob', jobId: jobs.promoted },
  { action: 'retried', actor: 'Ada', jobId: jobs.failing },
  { action: 'commented', actor: 'Ada', jobId: jobs.failing },
  { action: 'claimed', actor: 'Ada', jobId: jobs.failing },
];

describe('GET /v1/activity', () => {
  it("lists what people did across the workspace's jobs, newest first, with who, the job and its type", async () => {
    const { items, nextCursor } = await feed(owner.http);
    expect(nextCursor).toBeNull();
    expect(items.map(({ action, actor, jobId }) => ({ action, actor: actor?.name, jobId }))).toEqual(PEOPLE_ACTIONS());
    for (const item of items) {
      expect(item).toEqual({
        id: expect.any(String),
        jobId: expect.any(String),
        jobType: 'demo.sleep',
        action: expect.any(String),
        actor: { type: 'user', id: expect.any(String), name: expect.any(String) },
        at: expect.any(String),
        details: expect.any(Object),
      });
    }
    const times = items.map((item) => Date.parse(item.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
    expect(items.find((item) => item.jobId === jobs.bulk)?.details).toEqual({ bulk: true });
    const comment = items.find((item) => item.action === 'commented')!;
    expect(comment.details).toEqual({ commentId: expect.any(String), excerpt: expect.stringMatching(/…$/) });
    expect((comment.details.excerpt as string).length).toBe(140);
    expect(LONG_COMMENT.startsWith((comment.details.excerpt as string).slice(0, -1))).toBe(true);
  });

  it('names each entry in the live event of its action, by the same id', async () => {
    const { items } = await feed(owner.http);
    const live = watcher.events.filter((event) => event.actor);
    expect(live).toHaveLength(items.length);
    expect(live.map((event) => event.activity).sort(byId)).toEqual(
      items.map(({ id, action }) => ({ id, action })).sort(byId),
    );
    for (const event of live) {
      const item = items.find((entry) => entry.id === event.activity?.id)!;
      expect({ jobId: item.jobId, actor: item.actor }).toEqual({ jobId: event.jobId, actor: event.actor });
    }
    // The active job's cancellation was announced by its worker, which was told the id.
    const cancelled = live.find((event) => event.jobId === jobs.running)!;
    expect(cancelled.type).toBe('job.cancelled');
    expect(cancelled.activity?.action).toBe('cancelled');
  });

  it('pages with limit and cursor, every entry once, in the same order', async () => {
    const whole = (await feed(owner.http, '?actor=all&limit=200')).items;
    const paged: ActivityFeedItem[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await feed(owner.http, `?actor=all&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      paged.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(paged.map((item) => item.id)).toEqual(whole.map((item) => item.id));
    expect((await feed(owner.http, '?limit=2')).items).toHaveLength(2);
    expect((await feed(owner.http)).items.length).toBeLessThanOrEqual(50);

    for (const query of ['limit=0', 'limit=201', 'limit=x', 'cursor=bm9wZQ', 'actor=bots', 'action=created', 'x=1']) {
      const refused = await owner.http.get(`/v1/activity?${query}`);
      expect({ query, status: refused.status, code: refused.body.error.code }).toEqual({
        query,
        status: 422,
        code: 'validation_failed',
      });
    }
  });

  it("shows the jobs' own milestones too with actor=all, each named by its event's seq", async () => {
    const all = (await feed(owner.http, '?actor=all&limit=200')).items;
    const milestones = all.filter((item) => item.actor === null);
    expect(milestones.length).toBeGreaterThan(0);
    expect(new Set(milestones.map((item) => item.action))).toEqual(new Set(['started', 'failed', 'completed']));
    expect(all.filter((item) => item.actor !== null).map((item) => item.id)).toEqual(
      (await feed(owner.http)).items.map((item) => item.id),
    );
    const failedEvents = watcher.events.filter((e: StreamEvent) => e.type === 'job.failed' && e.jobId === jobs.failing);
    expect(failedEvents).toHaveLength(2);
    const failedItems = all.filter((item) => item.action === 'failed' && item.jobId === jobs.failing);
    expect(failedItems.map((item) => item.id).sort()).toEqual(failedEvents.map((e) => `${e.jobId}:${e.seq}`).sort());
    expect(failedItems[0]).toMatchObject({ actor: null, jobType: 'demo.sleep', details: { error: 'demo failure' } });
    const times = all.map((item) => Date.parse(item.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('keeps one action with action=…', async () => {
    const cancelled = (await feed(owner.http, '?action=cancelled')).items;
    expect(cancelled.map((item) => item.jobId)).toEqual([jobs.running, jobs.bulk, jobs.cancelled]);
    const comments = (await feed(owner.http, '?action=commented&actor=all')).items;
    expect(comments.map((item) => item.actor?.name)).toEqual(['Ada']);
    const failed = (await feed(owner.http, '?action=failed&actor=all')).items;
    expect(failed.map((item) => item.jobId)).toEqual([jobs.failing, jobs.failing]);
    // A milestone has no actor: among people's actions there is none.
    expect((await feed(owner.http, '?action=failed')).items).toEqual([]);
    const page = await feed(owner.http, '?action=cancelled&limit=2');
    const rest = await feed(owner.http, `?action=cancelled&limit=2&cursor=${page.nextCursor}`);
    expect([...page.items, ...rest.items].map((item) => item.jobId)).toEqual(cancelled.map((item) => item.jobId));
    expect(rest.nextCursor).toBeNull();
  });

  it("never shows another workspace's entries, whoever asks", async () => {
    const stranger = await app.signup('Stranger');
    const theirJob = (await stranger.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } })).body.id;
    await ok(stranger.http.post(`/v1/jobs/${theirJob}/comments`, { body: 'mine' }), 201);
    await waitForJobStatus(stranger.http, theirJob, 'completed');

    const theirs = (await feed(stranger.http, '?actor=all&limit=200')).items;
    expect(theirs.length).toBeGreaterThan(0);
    expect(new Set(theirs.map((item) => item.jobId))).toEqual(new Set([theirJob]));
    const ours = (await feed(owner.http, '?actor=all&limit=200')).items;
    expect(ours.some((item) => item.jobId === theirJob)).toBe(false);
    expect(JSON.stringify(ours)).not.toContain(stranger.user.id);

    // A person naming a workspace they are not in: not found. A key acts in its own workspace only.
    expect((await owner.in(stranger.slug).get('/v1/activity')).status).toBe(404);
    const key = (await owner.http.post('/v1/api-keys', { name: 'reader', scopes: ['jobs:read'] })).body.key;
    const viaKey = await feed(httpClient(app.url, key, { 'x-workspace': stranger.slug }), '?actor=all&limit=200');
    expect(viaKey.items.map((item) => item.id)).toEqual(ours.map((item) => item.id));
  });

  it('is read with jobs:read: viewers and keys that have it, not keys without it', async () => {
    expect((await feed(carol.in(owner.slug))).items.map((item) => item.action)).toEqual(
      PEOPLE_ACTIONS().map((entry) => entry.action),
    );
    const withoutRead = (await owner.http.post('/v1/api-keys', { name: 'ops', scopes: ['queues:read'] })).body.key;
    const refused = await httpClient(app.url, withoutRead).get('/v1/activity');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    const withRead = (await owner.http.post('/v1/api-keys', { name: 'watcher', scopes: ['jobs:read'] })).body.key;
    expect((await httpClient(app.url, withRead).get('/v1/activity')).status).toBe(200);
    expect((await httpClient(app.url).get('/v1/activity')).status).toBe(401);
  });
});

const byId = (a: { id: string } | undefined, b: { id: string } | undefined) => (a!.id < b!.id ? -1 : 1);
