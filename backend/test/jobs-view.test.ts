import { startTestFlightdeck, type Person, type TestFlightdeck } from './support/flightdeck-harness';
import { waitForJobStatus } from './support/http-client';
import { waitFor } from './support/test-services';

let app: TestFlightdeck;
let owner: Person;
let member: Person;
let viewer: Person;

beforeAll(async () => {
  app = await startTestFlightdeck();
  owner = await app.signup('Owner');
  member = await app.signup('Member');
  viewer = await app.signup('Viewer');
  await owner.http.post('/v1/members', { email: member.user.email, role: 'member' });
  await owner.http.post('/v1/members', { email: viewer.user.email, role: 'viewer' });
});
afterAll(() => app.stop());

const ids = (answer: { body: { items: { id: string }[] } }) => answer.body.items.map((job) => job.id);

describe('server-side filters of the jobs list', () => {
  it('filter by queue, claim, time range and text, and page within the filter', async () => {
    const before = new Date().toISOString();
    const failing = (await owner.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0, fail: true } })).body.id;
    const cpu = (await owner.http.post('/v1/jobs', { type: 'demo.cpu', payload: { iterations: 10 } })).body.id;
    const plain = (await owner.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } })).body.id;
    await waitForJobStatus(owner.http, failing, 'failed');
    await waitForJobStatus(owner.http, cpu, 'completed');
    await waitForJobStatus(owner.http, plain, 'completed');
    await member.in(owner.slug).post(`/v1/jobs/${failing}/claim`);

    expect(ids(await owner.http.get('/v1/jobs?q=demo%20FAILURE'))).toEqual([failing]);
    expect(ids(await owner.http.get('/v1/jobs?q=cpu'))).toEqual([cpu]);
    expect(ids(await owner.http.get(`/v1/jobs?q=${plain}`))).toEqual([plain]);
    expect(ids(await owner.http.get('/v1/jobs?q=.*'))).toEqual([]);
    expect(ids(await owner.http.get('/v1/jobs?queue=demo')).sort()).toEqual([failing, cpu, plain].sort());
    const claimed = await waitFor('the claim in the list', async () => {
      const answer = await owner.http.get(`/v1/jobs?claimedBy=${member.user.id}`);
      return answer.body.items.length ? answer : null;
    });
    expect(ids(claimed)).toEqual([failing]);
    expect(ids(await owner.http.get('/v1/jobs?claimedBy=nobody')).sort()).toEqual([cpu, plain].sort());
    const after = new Date(Date.now() + 1000).toISOString();
    expect(ids(await owner.http.get(`/v1/jobs?from=${encodeURIComponent(after)}`))).toEqual([]);
    expect(
      ids(await owner.http.get(`/v1/jobs?from=${encodeURIComponent(before)}&to=${encodeURIComponent(after)}`)),
    ).toHaveLength(3);
    const first = await owner.http.get('/v1/jobs?queue=demo&limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await owner.http.get(`/v1/jobs?queue=demo&limit=2&cursor=${first.body.nextCursor}`);
    expect([...ids(first), ...ids(second)].sort()).toEqual([failing, cpu, plain].sort());
    expect((await owner.http.get('/v1/jobs?from=yesterday')).status).toBe(422);
    expect(ids(await owner.http.get('/v1/jobs?range=1h&queue=demo')).sort()).toEqual([failing, cpu, plain].sort());
    expect((await owner.http.get('/v1/jobs?range=2h')).status).toBe(422);
    // Another workspace's search finds nothing of these.
    const stranger = await app.signup('Stranger');
    expect(ids(await stranger.http.get('/v1/jobs?q=demo'))).toEqual([]);
  });
});

describe('saved views', () => {
  it('are shared in the workspace; their creator or an admin deletes them', async () => {
    const created = await member
      .in(owner.slug)
      .post('/v1/views', { name: 'Failed demo', filters: { status: 'failed', queue: 'demo' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Failed demo',
      filters: { status: 'failed', queue: 'demo' },
      createdBy: { name: 'Member' },
    });
    expect((await viewer.in(owner.slug).get('/v1/views')).body.items.map((v: { name: string }) => v.name)).toEqual([
      'Failed demo',
    ]);
    expect((await viewer.in(owner.slug).post('/v1/views', { name: 'x', filters: {} })).status).toBe(403);
    expect(
      (await member.in(owner.slug).post('/v1/views', { name: 'bad', filters: { status: 'exploded' } })).status,
    ).toBe(422);
    const other = await owner.http.post('/v1/views', { name: 'Mine', filters: {} });
    expect((await member.in(owner.slug).delete(`/v1/views/${other.body.id}`)).status).toBe(403);
    expect((await owner.http.delete(`/v1/views/${created.body.id}`)).status).toBe(204);
    expect((await owner.http.get('/v1/views')).body.items.map((v: { name: string }) => v.name)).toEqual(['Mine']);
    const stranger = await app.signup('ViewStranger');
    expect((await stranger.http.get('/v1/views')).body.items).toEqual([]);
    expect((await stranger.http.delete(`/v1/views/${other.body.id}`)).status).toBe(404);
  });
});

describe('bulk actions', () => {
  it('retry and cancel many jobs, each attributed, with a result per id', async () => {
    const failed = await Promise.all(
      [1, 2, 3].map(
        async () => (await owner.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0, fail: true } })).body.id,
      ),
    );
    for (const id of failed) await waitForJobStatus(owner.http, id, 'failed');
    const running = (await owner.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 60_000 } })).body.id;

    const retried = await member
      .in(owner.slug)
      .post('/v1/jobs/bulk', { action: 'retry', ids: [...failed, running, 'missing'] });
    expect(retried.status).toBe(200);
    expect(retried.body.results.map((r: { id: string; ok: boolean }) => [r.id, r.ok])).toEqual([
      ...failed.map((id) => [id, true]),
      [running, false],
      ['missing', false],
    ]);
    expect(retried.body.results[3].error.code).toBe('job_not_retryable');
    expect(retried.body.results[4].error.code).toBe('not_found');
    const activity = await owner.http.get(`/v1/jobs/${failed[0]}/activity`);
    expect(activity.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'retried', actor: expect.objectContaining({ name: 'Member' }) }),
      ]),
    );

    const cancelled = await member.in(owner.slug).post('/v1/jobs/bulk', { action: 'cancel', ids: [running] });
    expect(cancelled.body.results[0]).toMatchObject({ ok: true, job: { status: 'cancelled' } });
    expect((await viewer.in(owner.slug).post('/v1/jobs/bulk', { action: 'cancel', ids: [running] })).status).toBe(403);
    expect((await owner.http.post('/v1/jobs/bulk', { action: 'explode', ids: [running] })).status).toBe(422);
    expect((await owner.http.post('/v1/jobs/bulk', { action: 'cancel', ids: [] })).status).toBe(422);
  });
});

describe('ops overview', () => {
  it('shows queues, gateways with their connections, and workers running against desired', async () => {
    const answer = await owner.http.get('/v1/ops');
    expect(answer.status).toBe(200);
    expect(answer.body.queues.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining(['demo', 'http']));
    expect(answer.body.gateways).toEqual([expect.objectContaining({ connections: expect.any(Number) })]);
    expect(answer.body.workers.running).toBe(1);
    // What the scaling policy asks for: the most any queue asks for, by the same numbers as /v1/queues.
    const desired = answer.body.queues.map(
      (queue: { scaling: { desiredReplicas: number } }) => queue.scaling.desiredReplicas,
    );
    expect(answer.body.workers.desired).toBe(Math.max(0, ...desired));
    expect(answer.body.operator).toBe(false);
    expect((await app.http.get('/v1/ops')).body.operator).toBe(true);
  });
});
