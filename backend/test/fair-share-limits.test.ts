import pino from 'pino';
import { createApiKey, generateApiKey } from '../src/accounts/api-keys';
import { WorkspaceModel } from '../src/db/models';
import { WorkspaceLimitsModel } from '../src/db/workspace-limits-model';
import { WorkspaceLimitsStore } from '../src/fair-share/workspace-limits';
import { startTestFlightdeck, type Person, type TestFlightdeck } from './support/flightdeck-harness';
import { httpClient, type HttpClient } from './support/http-client';
import { waitFor } from './support/test-services';

// Per-workspace fair-share limits (issue 14): operators set them (PUT /v1/workspaces/{id}/limits),
// MongoDB keeps them, Redis mirrors them for the dispatcher, the audit logs of both workspaces say
// who changed what; GET /v1/fair-share shows every workspace to an operator and only one's own to
// anyone else. Real Redis and FerretDB.

let app: TestFlightdeck;
/** An admin of the operator workspace ("default"), acting in it. */
let olga: Person;
let operator: HttpClient;
/** Owners of two ordinary workspaces. */
let ann: Person;
let bob: Person;

beforeAll(async () => {
  app = await startTestFlightdeck();
  olga = await app.signup('Olga Operator');
  expect((await app.http.post('/v1/members', { email: olga.user.email, role: 'admin' })).status).toBe(201);
  operator = olga.in('default');
  ann = await app.signup('Ann');
  bob = await app.signup('Bob');
});
afterAll(() => app.stop());

const setLimits = (client: HttpClient, workspaceId: string, body: unknown) =>
  client.request('PUT', `/v1/workspaces/${workspaceId}/limits`, body);
/** The limits the dispatcher reads from Redis (without the copy's version). */
async function mirrorOf(workspaceId: string): Promise<Record<string, string>> {
  const { version: _version, ...limits } = await app.redis.hgetall(app.keys.fairLimits(workspaceId));
  return limits;
}
const lineOf = (answer: { workspaces: { workspaceId: string }[] }, workspaceId: string) =>
  answer.workspaces.find((line) => line.workspaceId === workspaceId);

async function auditOf(client: HttpClient) {
  const answer = await client.get('/v1/audit?action=workspace.limits_changed');
  expect(answer.status).toBe(200);
  return answer.body.items;
}

describe('setting a workspace’s limits', () => {
  it('stores them, mirrors them into Redis and answers them with the limits in force', async () => {
    const answer = await setLimits(operator, ann.workspaceId, { maxRunning: 5, maxPending: 200, weight: 3 });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      workspaceId: ann.workspaceId,
      limits: { maxRunning: 5, maxPending: 200, weight: 3 },
      effective: { maxRunning: 5, maxPending: 200, weight: 3 },
    });
    expect(await mirrorOf(ann.workspaceId)).toEqual({ maxRunning: '5', maxPending: '200', weight: '3' });

    const { body } = await operator.get('/v1/fair-share');
    expect(lineOf(body, ann.workspaceId)).toMatchObject({
      name: "Ann's workspace",
      slug: ann.slug,
      limits: { maxRunning: 5, maxPending: 200, weight: 3 },
    });
  });

  it('replaces them whole: a field left out or null is the default, and leaves the mirror', async () => {
    expect((await setLimits(operator, bob.workspaceId, { maxRunning: 2, weight: 7 })).status).toBe(200);
    const answer = await setLimits(operator, bob.workspaceId, { maxPending: 50, weight: null });
    expect(answer.status).toBe(200);
    const { defaults } = (await operator.get('/v1/fair-share')).body;
    expect(defaults).toEqual({
      maxRunning: null,
      maxPending: app.config.FAIR_DEFAULT_MAX_PENDING,
      weight: app.config.FAIR_DEFAULT_WEIGHT,
    });
    expect(answer.body).toEqual({
      workspaceId: bob.workspaceId,
      limits: { maxRunning: null, maxPending: 50, weight: null },
      effective: { maxRunning: null, maxPending: 50, weight: defaults.weight },
    });
    expect(await mirrorOf(bob.workspaceId)).toEqual({ maxPending: '50' });

    expect((await setLimits(operator, bob.workspaceId, {})).status).toBe(200);
    expect(await mirrorOf(bob.workspaceId)).toEqual({});
  });

  it('is recorded in the audit logs of the operator workspace and of the workspace limited, with before and after', async () => {
    expect((await setLimits(operator, ann.workspaceId, { maxRunning: 4 })).status).toBe(200);
    const expected = {
      action: 'workspace.limits_changed',
      actor: { type: 'user', id: olga.user.id, name: 'Olga Operator' },
      target: { type: 'workspace', id: ann.workspaceId },
      details: {
        before: { maxRunning: 5, maxPending: 200, weight: 3 },
        after: { maxRunning: 4, maxPending: null, weight: null },
      },
    };
    const [operatorEntry] = await auditOf(operator);
    expect(operatorEntry).toMatchObject({ ...expected, ip: expect.any(String) });
    const [annEntry] = await auditOf(ann.http);
    // The workspace limited learns who did it, not from where.
    expect(annEntry).toMatchObject({ ...expected, ip: null, userAgent: null });
    // Nobody else hears of it.
    expect(
      (await auditOf(bob.http)).filter((entry: { target: { id: string } }) => entry.target.id === ann.workspaceId),
    ).toEqual([]);
  });

  it.each([
    ['a running cap of 0', { maxRunning: 0 }, 'maxRunning'],
    ['a negative pending cap', { maxPending: -1 }, 'maxPending'],
    ['a fractional weight', { weight: 1.5 }, 'weight'],
    ['a weight above 100', { weight: 101 }, 'weight'],
    ['a weight of 0', { weight: 0 }, 'weight'],
    ['a cap as a string', { maxRunning: '5' }, 'maxRunning'],
    ['an unknown field', { maxQueued: 5 }, '(body)'],
  ])('refuses %s with 422 validation_failed naming the field, and changes nothing', async (_what, body, path) => {
    const before = await mirrorOf(ann.workspaceId);
    const answer = await setLimits(operator, ann.workspaceId, body);
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('validation_failed');
    expect(answer.body.error.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    expect(await mirrorOf(ann.workspaceId)).toEqual(before);
  });

  it('refuses malformed JSON (400), a missing body (422) and an unknown workspace (404)', async () => {
    const malformed = await setLimits(operator, ann.workspaceId, '{"weight": ');
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 'invalid_json']);
    const missing = await operator.request('PUT', `/v1/workspaces/${ann.workspaceId}/limits`);
    expect([missing.status, missing.body.error.code]).toEqual([422, 'validation_failed']);
    const unknown = await setLimits(operator, '01JF0000000000000000000000', { weight: 2 });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
    expect(await app.redis.exists(app.keys.fairLimits('01JF0000000000000000000000'))).toBe(0);
  });

  it('refuses everyone but operators (403), and changes nothing', async () => {
    const before = await mirrorOf(bob.workspaceId);
    // The owner of another workspace, even for their own.
    const annOwn = await setLimits(ann.http, ann.workspaceId, { weight: 100 });
    // A viewer of the operator workspace.
    const vic = await app.signup('Vic Viewer');
    expect((await app.http.post('/v1/members', { email: vic.user.email, role: 'viewer' })).status).toBe(201);
    // A key of the operator workspace without `queues:write`.
    const key = generateApiKey();
    await createApiKey({ workspaceId: app.workspaceId, name: 'reader', key, scopes: ['jobs:read', 'queues:read'] });
    for (const refused of [
      annOwn,
      await setLimits(ann.http, bob.workspaceId, { weight: 100 }),
      await setLimits(vic.in('default'), bob.workspaceId, { weight: 100 }),
      await setLimits(httpClient(app.url, key), bob.workspaceId, { weight: 100 }),
    ]) {
      expect([refused.status, refused.body.error.code]).toEqual([403, 'forbidden']);
    }
    expect(await mirrorOf(bob.workspaceId)).toEqual(before);
    expect((await mirrorOf(ann.workspaceId)).weight).not.toBe('100');
  });
});

describe('GET /v1/fair-share', () => {
  it('shows an operator every workspace, with names', async () => {
    const { status, body } = await operator.get('/v1/fair-share');
    expect(status).toBe(200);
    expect(body.operator).toBe(true);
    expect(body.windowSeconds).toBe(60);
    const ids = body.workspaces.map((line: { workspaceId: string }) => line.workspaceId);
    expect(ids).toEqual(expect.arrayContaining([app.workspaceId, ann.workspaceId, bob.workspaceId]));
    expect(lineOf(body, bob.workspaceId)).toMatchObject({ name: "Bob's workspace", slug: bob.slug });
  });

  it("shows anyone else their own workspace's line only: no figure, name or limit of another crosses over", async () => {
    // Bob has work waiting and a limit of his own; Ann must see none of it.
    expect((await setLimits(operator, bob.workspaceId, { maxPending: 77, weight: 9 })).status).toBe(200);
    const submitted = await bob.http.post('/v1/jobs/batch', {
      jobs: Array.from({ length: 3 }, () => ({ type: 'demo.sleep', payload: { ms: 0 }, delayMs: 600_000 })),
    });
    expect(submitted.status).toBe(202);
    await waitFor('Bob’s jobs counted as pending', async () => {
      const line = lineOf((await operator.get('/v1/fair-share')).body, bob.workspaceId);
      return line && line.pending === 3;
    });

    const { status, body } = await ann.http.get('/v1/fair-share');
    expect(status).toBe(200);
    expect(body.operator).toBe(false);
    expect(body.workspaces).toEqual([
      expect.objectContaining({
        workspaceId: ann.workspaceId,
        name: "Ann's workspace",
        pending: 0,
        running: 0,
        limits: { maxRunning: 4, maxPending: null, weight: null },
      }),
    ]);
    const text = JSON.stringify(body);
    for (const foreign of [bob.workspaceId, bob.slug, "Bob's workspace", app.workspaceId])
      expect(text).not.toContain(foreign);

    // An admin of the operator workspace acting in a workspace of their own is no operator there.
    expect((await olga.http.get('/v1/fair-share')).body.workspaces).toHaveLength(1);
    // A viewer reads their own line too.
    const viewerKey = generateApiKey();
    await createApiKey({ workspaceId: bob.workspaceId, name: 'viewer', key: viewerKey, scopes: ['jobs:read'] });
    const bobsOwn = (await httpClient(app.url, viewerKey).get('/v1/fair-share')).body;
    expect(bobsOwn.workspaces).toEqual([
      expect.objectContaining({
        workspaceId: bob.workspaceId,
        pending: 3,
        limits: { maxRunning: null, maxPending: 77, weight: 9 },
      }),
    ]);
  });

  it('needs credentials (401)', async () => {
    const answer = await httpClient(app.url).get('/v1/fair-share');
    expect(answer.status).toBe(401);
  });
});

describe('the Redis mirror of the limits', () => {
  const store = (mirrorEveryMs: number) =>
    new WorkspaceLimitsStore({
      redis: app.redis,
      limitsKey: app.keys.fairLimits,
      defaults: { maxRunning: null, maxPending: 1_000_000, weight: 1 },
      logger: pino({ level: 'silent' }),
      mirrorEveryMs,
    });

  it('is re-written when a process starts, and every period after the hash is lost', async () => {
    expect((await setLimits(operator, ann.workspaceId, { maxRunning: 6, weight: 2 })).status).toBe(200);
    const mirrored = { maxRunning: '6', weight: '2' };
    expect(await mirrorOf(ann.workspaceId)).toEqual(mirrored);

    // Redis lost it (a restart without persistence, a flush): a process starting writes it back.
    await app.redis.del(app.keys.fairLimits(ann.workspaceId));
    const starting = store(60_000);
    starting.start();
    try {
      await waitFor('the mirror re-written at start', async () => (await mirrorOf(ann.workspaceId)).weight === '2');
    } finally {
      await starting.stop();
    }

    // Lost while processes run: the next period writes it back.
    const running = store(200);
    running.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await app.redis.del(app.keys.fairLimits(ann.workspaceId));
      await waitFor(
        'the mirror re-written by the period',
        async () => (await mirrorOf(ann.workspaceId)).weight === '2',
      );
      expect(await mirrorOf(ann.workspaceId)).toEqual(mirrored);
    } finally {
      await running.stop();
    }
  });

  it('is never put back to an older copy by a re-write that read MongoDB before a change', async () => {
    expect((await setLimits(operator, bob.workspaceId, { weight: 2 })).status).toBe(200);
    const older = await WorkspaceLimitsModel.findById(bob.workspaceId).lean();
    expect((await setLimits(operator, bob.workspaceId, { weight: 4 })).status).toBe(200);
    expect(await mirrorOf(bob.workspaceId)).toEqual({ weight: '4' });
    // A re-write still holding what it read before the change (as if MongoDB answered it then).
    await WorkspaceLimitsModel.updateOne({ _id: bob.workspaceId }, { $set: { weight: 2, version: older!.version } });
    await store(60_000).mirrorAll();
    expect(await mirrorOf(bob.workspaceId)).toEqual({ weight: '4' });
    // Once Redis has lost it, any copy is better than none.
    await app.redis.del(app.keys.fairLimits(bob.workspaceId));
    await store(60_000).mirrorAll();
    expect(await mirrorOf(bob.workspaceId)).toEqual({ weight: '2' });
    await setLimits(operator, bob.workspaceId, {});
  });

  it('forgets the limits of a workspace that was deleted', async () => {
    const gone = await app.createWorkspace(`gone-${Date.now()}`);
    expect((await setLimits(operator, gone.workspaceId, { weight: 5 })).status).toBe(200);
    await WorkspaceModel.deleteOne({ _id: gone.workspaceId });
    expect(await store(60_000).mirrorAll()).toBeGreaterThan(0);
    expect(await app.redis.exists(app.keys.fairLimits(gone.workspaceId))).toBe(0);
    expect(
      (await operator.get('/v1/fair-share')).body.workspaces.map((line: { workspaceId: string }) => line.workspaceId),
    ).not.toContain(gone.workspaceId);
  });
});
