import {
  ActivityModel,
  AuditEntryModel,
  CommentModel,
  JobLogModel,
  JobRecordModel,
  SavedViewModel,
} from '../src/db/models';
import { JobEventStream } from '@flightdeck/workers';
import pino from 'pino';
import { bootstrap } from '../src/accounts/bootstrap';
import { loadConfig } from '../src/config';
import { httpClient, sessionClient, sessionCookieFrom } from './support/http-client';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { waitFor } from './support/test-services';

let app: TestFlightdeck;
beforeAll(async () => {
  app = await startTestFlightdeck({ LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_SECONDS: '2' });
});
afterAll(() => app.stop());

const anonymous = () => httpClient(app.url, undefined, { origin: app.url });

describe('sign-up', () => {
  it('creates the user, a workspace they own, and a session cookie', async () => {
    const answer = await anonymous().post('/v1/auth/signup', {
      email: 'Grace.Hopper@Example.test',
      password: 'a long enough passphrase',
      name: 'Grace Hopper',
    });
    expect(answer.status).toBe(201);
    expect(answer.body.user).toEqual({
      id: expect.any(String),
      email: 'grace.hopper@example.test',
      name: 'Grace Hopper',
    });
    expect(answer.body.user.passwordHash).toBeUndefined();
    const setCookie = answer.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/fd_session=fds_[\w-]+/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);

    const me = await sessionClient(app.url, sessionCookieFrom(answer)).get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('grace.hopper@example.test');
    expect(me.body.workspaces).toEqual([
      {
        id: expect.any(String),
        slug: expect.stringMatching(/^grace-hopper/),
        name: "Grace Hopper's workspace",
        role: 'owner',
      },
    ]);
  });

  it('refuses weak passwords with a message that says why', async () => {
    for (const [password, reason] of [
      ['short', /at least 10 characters/],
      ['password123', /most common/],
      ['abcabcabcabc', /repeated/],
      ['weak.person@example.test', /email address or name/],
    ] as const) {
      const answer = await anonymous().post('/v1/auth/signup', {
        email: 'weak.person@example.test',
        password,
        name: 'Weak',
      });
      expect(answer.status).toBe(422);
      expect(answer.body.error.code).toBe('weak_password');
      expect(answer.body.error.message).toMatch(reason);
    }
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    const person = await app.signup('Dup');
    const answer = await anonymous().post('/v1/auth/signup', {
      email: person.user.email.toUpperCase(),
      password: 'another long passphrase',
      name: 'Dup again',
    });
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('email_taken');
  });

  it('validates the body', async () => {
    const answer = await anonymous().post('/v1/auth/signup', { email: 'not an email', password: 'x'.repeat(20) });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('validation_failed');
    expect(answer.body.error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['email', 'name']);
  });
});

describe('sign-in and sign-out', () => {
  it('signs in with the right password only, and signs out for good', async () => {
    const person = await app.signup('Login');
    const wrong = await anonymous().post('/v1/auth/login', { email: person.user.email, password: 'wrong password!' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const unknown = await anonymous().post('/v1/auth/login', { email: 'nobody@example.test', password: 'whatever123' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);

    const login = await anonymous().post('/v1/auth/login', { email: person.user.email, password: person.password });
    expect(login.status).toBe(200);
    expect(login.body.workspaces.map((w: { slug: string }) => w.slug)).toEqual([person.slug]);
    const session = sessionClient(app.url, sessionCookieFrom(login), person.slug);
    expect((await session.get('/v1/jobs')).status).toBe(200);

    const logout = await session.post('/v1/auth/logout');
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie().join()).toMatch(/fd_session=;.*Max-Age=0/i);
    const after = await session.get('/v1/jobs');
    expect(after.status).toBe(401);
    // The first session is untouched by the second's sign-out.
    expect((await person.http.get('/v1/jobs')).status).toBe(200);
  });

  it('throttles guessing: after LOGIN_MAX_FAILURES wrong passwords even the right one waits, then works', async () => {
    const person = await app.signup('Guessed');
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await anonymous().post('/v1/auth/login', {
        email: person.user.email,
        password: `guess number ${attempt}`,
      });
      expect(answer.status).toBe(401);
    }
    const blocked = await anonymous().post('/v1/auth/login', { email: person.user.email, password: person.password });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    await new Promise((resolve) => setTimeout(resolve, Number(blocked.headers.get('retry-after')) * 1000 + 200));
    const later = await anonymous().post('/v1/auth/login', { email: person.user.email, password: person.password });
    expect(later.status).toBe(200);
  });
});

describe('cross-site requests', () => {
  it('refuses cookie requests from another origin or site, but not reads, nor programs that send no browser headers', async () => {
    const person = await app.signup('Csrf');
    const evil = httpClient(app.url, undefined, {
      cookie: person.cookie,
      'x-workspace': person.slug,
      origin: 'https://evil.example',
    });
    const submit = await evil.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    expect(submit.status).toBe(403);
    expect(submit.body.error.code).toBe('csrf_rejected');
    // A browser that sends no Origin still says where the request comes from.
    for (const site of ['cross-site', 'same-site']) {
      const fromSite = httpClient(app.url, undefined, {
        cookie: person.cookie,
        'x-workspace': person.slug,
        'sec-fetch-site': site,
      });
      const refused = await fromSite.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
      expect([site, refused.status, refused.body.error?.code]).toEqual([site, 403, 'csrf_rejected']);
      expect((await fromSite.get('/v1/jobs')).status).toBe(200);
    }
    const ownPage = httpClient(app.url, undefined, {
      cookie: person.cookie,
      'x-workspace': person.slug,
      'sec-fetch-site': 'same-origin',
    });
    expect((await ownPage.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } })).status).toBe(202);
    // A program with the cookie (no Origin, Referer or Sec-Fetch-Site) uses it like a key.
    const program = httpClient(app.url, undefined, { cookie: person.cookie, 'x-workspace': person.slug });
    expect((await program.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } })).status).toBe(202);
    expect((await program.post('/v1/workspaces', { name: 'From a script' })).status).toBe(201);
    expect((await person.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } })).status).toBe(202);
  });

  it('answers CORS preflights only for configured origins', async () => {
    const preflight = await fetch(`${app.url}/v1/jobs`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends security headers', async () => {
    const answer = await fetch(`${app.url}/v1/me`);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(answer.headers.get('x-powered-by')).toBeNull();
  });
});

describe('workspaces', () => {
  it('creates workspaces with their creator as owner, and scopes session requests by X-Workspace', async () => {
    const person = await app.signup('Founder');
    const created = await person.http.post('/v1/workspaces', { name: 'Payments Team' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      slug: expect.stringMatching(/^payments-team/),
      name: 'Payments Team',
    });
    const me = await person.http.get('/v1/me');
    expect(me.body.workspaces.map((w: { slug: string; role: string }) => [w.slug, w.role]).sort()).toEqual(
      [
        [person.slug, 'owner'],
        [created.body.slug, 'owner'],
      ].sort(),
    );
    // The same name again gets a different slug.
    const again = await person.http.post('/v1/workspaces', { name: 'Payments Team' });
    expect(again.body.slug).not.toBe(created.body.slug);

    const job = await person.in(created.body.slug).post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    expect(job.status).toBe(202);
    expect((await person.in(created.body.slug).get(`/v1/jobs/${job.body.id}`)).status).toBe(200);
    expect((await person.http.get(`/v1/jobs/${job.body.id}`)).status).toBe(404);

    const noWorkspace = sessionClient(app.url, person.cookie);
    const missing = await noWorkspace.get('/v1/jobs');
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('workspace_required');
    const stranger = await app.signup('Stranger');
    const notMine = await stranger.in(created.body.slug).get('/v1/jobs');
    expect(notMine.status).toBe(404);
    expect((await stranger.in('no-such-workspace').get('/v1/jobs')).status).toBe(404);
  });

  it('lets API keys read /v1/me but not create workspaces', async () => {
    const me = await app.http.get('/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toBeNull();
    expect(me.body.apiKey).toEqual({
      id: expect.any(String),
      name: 'bootstrap',
      scopes: expect.arrayContaining(['admin']),
    });
    expect(me.body.workspaces).toEqual([{ id: app.workspaceId, slug: 'default', name: 'Default', role: null }]);
    expect((await app.http.post('/v1/workspaces', { name: 'By a key' })).status).toBe(403);
  });
});

describe('members', () => {
  it('adds, re-roles and removes members; only owners make owners; the last owner stays', async () => {
    const owner = await app.signup('Owner');
    const ada = await app.signup('Ada');
    const bob = await app.signup('Bob');

    const added = await owner.http.post('/v1/members', { email: ada.user.email, role: 'admin' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      userId: ada.user.id,
      email: ada.user.email,
      name: 'Ada',
      role: 'admin',
      addedAt: expect.any(String),
    });
    expect((await owner.http.post('/v1/members', { email: ada.user.email, role: 'member' })).body.error.code).toBe(
      'already_member',
    );
    const nobody = await owner.http.post('/v1/members', { email: 'nobody@example.test', role: 'member' });
    expect(nobody.status).toBe(404);
    expect(nobody.body.error.code).toBe('user_not_found');

    const adaThere = ada.in(owner.slug);
    expect((await adaThere.post('/v1/members', { email: bob.user.email, role: 'owner' })).status).toBe(403);
    expect((await adaThere.post('/v1/members', { email: bob.user.email, role: 'viewer' })).status).toBe(201);
    expect((await adaThere.patch(`/v1/members/${owner.user.id}`, { role: 'member' })).status).toBe(403);

    const list = await bob.in(owner.slug).get('/v1/members');
    expect(list.body.items.map((m: { name: string; role: string }) => `${m.name}:${m.role}`)).toEqual([
      'Owner:owner',
      'Ada:admin',
      'Bob:viewer',
    ]);
    expect((await bob.in(owner.slug).post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } })).status).toBe(403);
    expect((await adaThere.patch(`/v1/members/${bob.user.id}`, { role: 'member' })).body.role).toBe('member');
    expect((await bob.in(owner.slug).post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } })).status).toBe(202);

    const lastOwner = await owner.http.patch(`/v1/members/${owner.user.id}`, { role: 'admin' });
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.body.error.code).toBe('last_owner');
    expect((await owner.http.delete(`/v1/members/${owner.user.id}`)).body.error.code).toBe('last_owner');

    // Bob leaves on his own; Ada is removed by the owner; both lose access at once.
    expect((await bob.in(owner.slug).delete(`/v1/members/${bob.user.id}`)).status).toBe(204);
    expect((await bob.in(owner.slug).get('/v1/jobs')).status).toBe(404);
    expect((await owner.http.delete(`/v1/members/${ada.user.id}`)).status).toBe(204);
    expect((await adaThere.get('/v1/jobs')).status).toBe(404);

    const audit = await owner.http.get('/v1/audit');
    expect(audit.status).toBe(200);
    const actions = audit.body.items.map((e: { action: string; actor: { name: string }; target: { id: string } }) => [
      e.action,
      e.actor.name,
    ]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['member.added', 'Owner'],
        ['member.added', 'Ada'],
        ['member.role_changed', 'Ada'],
        ['member.removed', 'Bob'],
        ['member.removed', 'Owner'],
        ['workspace.created', 'Owner'],
      ]),
    );
    const roleChange = audit.body.items.find((e: { action: string }) => e.action === 'member.role_changed');
    expect(roleChange).toMatchObject({
      target: { type: 'user', id: bob.user.id },
      details: { from: 'viewer', to: 'member' },
    });
    expect(roleChange.ip).toEqual(expect.any(String));
  });
});

describe('API keys', () => {
  it('shows a key once, stores it hashed, lists it without secrets, and revokes it at once', async () => {
    const owner = await app.signup('KeyOwner');
    const created = await owner.http.post('/v1/api-keys', { name: 'billing service' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'billing service',
      scopes: ['jobs:read', 'jobs:write', 'queues:read'],
      createdBy: { type: 'user', id: owner.user.id, name: 'KeyOwner' },
      revokedAt: null,
    });
    const key: string = created.body.key;
    expect(key).toMatch(/^fd_/);
    expect(created.body.prefix).toBe(key.slice(0, 7));

    const viaKey = httpClient(app.url, key);
    const submitted = await viaKey.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    expect(submitted.status).toBe(202);
    expect((await owner.http.get(`/v1/jobs/${submitted.body.id}`)).status).toBe(200);
    expect((await viaKey.get('/v1/api-keys')).status).toBe(403);

    const list = await owner.http.get('/v1/api-keys');
    expect(list.body.items).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(list.body.items[0].lastUsedAt).toEqual(expect.any(String));

    const revoked = await owner.http.delete(`/v1/api-keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    const refused = await viaKey.get('/v1/jobs');
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/revoked/);
    expect((await owner.http.delete(`/v1/api-keys/${created.body.id}`)).status).toBe(200);

    const other = await app.signup('OtherKeyOwner');
    expect((await other.http.delete(`/v1/api-keys/${created.body.id}`)).status).toBe(404);

    const audit = await owner.http.get('/v1/audit?action=api_key.revoked');
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actor: { type: 'user', name: 'KeyOwner' },
      target: { id: created.body.id },
    });
  });

  it('creates keys with chosen scopes and refuses unknown ones', async () => {
    const owner = await app.signup('Scoper');
    const readOnly = await owner.http.post('/v1/api-keys', { name: 'dashboard', scopes: ['jobs:read'] });
    expect(readOnly.body.scopes).toEqual(['jobs:read']);
    const viaKey = httpClient(app.url, readOnly.body.key);
    expect((await viaKey.get('/v1/jobs')).status).toBe(200);
    const submit = await viaKey.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    expect(submit.status).toBe(403);
    expect(submit.body.error.message).toMatch(/jobs:write/);
    const bad = await owner.http.post('/v1/api-keys', { name: 'x', scopes: ['root'] });
    expect(bad.status).toBe(422);
  });
});

describe('job tokens', () => {
  it('open exactly one job, for a while', async () => {
    const first = await app.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    const second = await app.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    const issued = await app.http.post(`/v1/jobs/${first.body.id}/token`, { ttlSeconds: 2 });
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({ token: expect.any(String), jobId: first.body.id, expiresAt: expect.any(String) });
    const viaToken = httpClient(app.url, issued.body.token);

    expect((await viaToken.get(`/v1/jobs/${first.body.id}`)).body.id).toBe(first.body.id);
    expect((await viaToken.get(`/v1/jobs/${second.body.id}`)).status).toBe(404);
    expect((await viaToken.get('/v1/jobs')).status).toBe(403);
    expect((await viaToken.post(`/v1/jobs/${first.body.id}/cancel`)).status).toBe(403);
    expect((await viaToken.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } })).status).toBe(403);
    expect((await viaToken.get('/v1/me')).status).toBe(403);

    const other = await app.signup('TokenStranger');
    expect((await other.http.post(`/v1/jobs/${first.body.id}/token`)).status).toBe(404);
    const forged = `${issued.body.token.slice(0, -4)}AAAA`;
    expect((await httpClient(app.url, forged).get(`/v1/jobs/${first.body.id}`)).status).toBe(401);

    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const expired = await viaToken.get(`/v1/jobs/${first.body.id}`);
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);
  });
});

describe('workspace changes', () => {
  it('are audited with the actor: renamed by an admin, deleted by the owner (its entry outlives it)', async () => {
    const owner = await app.signup('Renamer');
    const admin = await app.signup('Helper');
    await owner.http.post('/v1/members', { email: admin.user.email, role: 'admin' });
    const renamed = await admin.in(owner.slug).patch('/v1/workspace', { name: 'Night shift' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ id: owner.workspaceId, slug: owner.slug, name: 'Night shift' });
    expect((await admin.in(owner.slug).delete('/v1/workspace')).status).toBe(403);
    const audit = await owner.http.get('/v1/audit?action=workspace.updated');
    expect(audit.body.items[0]).toMatchObject({
      actor: { id: admin.user.id, name: 'Helper' },
      details: { name: 'Night shift' },
    });

    expect((await owner.http.delete('/v1/workspace')).status).toBe(204);
    expect((await owner.http.get('/v1/jobs')).status).toBe(404);
    expect((await admin.in(owner.slug).get('/v1/jobs')).status).toBe(404);
    const kept = await AuditEntryModel.findOne({ workspaceId: owner.workspaceId, action: 'workspace.deleted' }).lean();
    expect(kept).toMatchObject({ actor: { type: 'user', id: owner.user.id, name: 'Renamer' } });
  });

  it('deleting one takes its history, comments, activity and saved views along, and cancels what is open', async () => {
    const owner = await app.signup('Leaver');
    const other = await app.signup('Stayer');
    const done = await owner.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    const open = await Promise.all(
      Array.from({ length: 25 }, () =>
        owner.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 60_000 }, delayMs: 60_000 }),
      ),
    );
    await waitFor('the finished job in history with its activity', async () => {
      const activity = await owner.http.get(`/v1/jobs/${done.body.id}/activity`);
      return activity.body.items?.some((entry: { action: string }) => entry.action === 'completed');
    });
    expect((await owner.http.post(`/v1/jobs/${done.body.id}/comments`, { body: 'all good' })).status).toBe(201);
    expect((await owner.http.post('/v1/views', { name: 'Mine', filters: { status: 'failed' } })).status).toBe(201);
    const theirs = await other.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    expect((await other.http.post(`/v1/jobs/${theirs.body.id}/comments`, { body: 'not yours' })).status).toBe(201);

    expect((await owner.http.delete('/v1/workspace')).status).toBe(204);

    const left = async (workspaceId: string) => ({
      jobs: await JobRecordModel.countDocuments({ workspaceId }),
      logs: await JobLogModel.countDocuments({ workspaceId }),
      activity: await ActivityModel.countDocuments({ workspaceId }),
      comments: await CommentModel.countDocuments({ workspaceId }),
      views: await SavedViewModel.countDocuments({ workspaceId }),
    });
    expect(await left(owner.workspaceId)).toEqual({ jobs: 0, logs: 0, activity: 0, comments: 0, views: 0 });
    // The delayed jobs will not run for a workspace that is gone.
    const queued = await app.queue('demo').getJobs(['delayed', 'wait']);
    const ids = new Set(open.map((job) => job.body.id));
    expect(queued.filter((job) => ids.has(job.id))).toEqual([]);
    // Another workspace keeps everything.
    expect((await left(other.workspaceId)).comments).toBe(1);
    expect((await other.http.get(`/v1/jobs/${theirs.body.id}`)).status).toBe(200);
  });
  it("keeps what a job's worker reports after the delete out of history", async () => {
    const owner = await app.signup('Runner');
    const other = await app.signup('Witness');
    const job = await owner.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    await waitFor('the job in history', () => JobRecordModel.exists({ _id: job.body.id, status: 'completed' }));
    expect((await owner.http.delete('/v1/workspace')).status).toBe(204);

    // What a worker that noticed its cancellation late would append: the attempt's end, with logs.
    const stream = new JobEventStream(app.redis, app.keys, { retainedEvents: 1_000, snapshotTtlSeconds: 60 });
    await stream.append(owner.workspaceId, [
      {
        type: 'job.cancelled',
        jobId: job.body.id,
        job: { id: job.body.id, status: 'cancelled', finishedAt: new Date().toISOString() },
        lines: ['stopping'],
      },
    ]);
    // The projector writes in stream order: once a later job of another workspace is in history,
    // the late event has been through it.
    const later = await other.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    await waitFor('a later job in history', () => JobRecordModel.exists({ _id: later.body.id, status: 'completed' }));
    expect(await JobRecordModel.countDocuments({ workspaceId: owner.workspaceId })).toBe(0);
    expect(await JobLogModel.countDocuments({ workspaceId: owner.workspaceId })).toBe(0);
  });
});

describe('audit log', () => {
  it('records job actions, key creation and webhook secret rotation with the actor, newest first, paged', async () => {
    const owner = await app.signup('Auditor');
    const job = await owner.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 60_000 }, delayMs: 60_000 });
    expect((await owner.http.post(`/v1/jobs/${job.body.id}/cancel`)).status).toBe(200);
    expect((await owner.http.post(`/v1/jobs/${job.body.id}/retry`)).status).toBe(200);
    expect((await owner.http.post('/v1/webhooks/secret/rotate')).status).toBe(200);
    await owner.http.post('/v1/api-keys', { name: 'audited' });

    const page1 = await owner.http.get('/v1/audit?limit=2');
    expect(page1.body.items.map((e: { action: string }) => e.action)).toEqual([
      'api_key.created',
      'webhook_secret.rotated',
    ]);
    const page2 = await owner.http.get(`/v1/audit?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((e: { action: string }) => e.action)).toEqual(['job.retried', 'job.cancelled']);
    expect(page2.body.items[1]).toMatchObject({
      actor: { type: 'user', id: owner.user.id, name: 'Auditor' },
      target: { type: 'job', id: job.body.id },
    });
    expect((await owner.http.get('/v1/audit?limit=0')).status).toBe(422);
    // Another workspace's log is its own.
    const other = await app.signup('OtherAuditor');
    const theirs = await other.http.get('/v1/audit');
    expect(theirs.body.items.map((e: { action: string }) => e.action)).toEqual(['workspace.created']);
  });
});

describe('BOOTSTRAP_API_KEY', () => {
  it.each([
    ['a short one', 'k3y'],
    ['one shaped like a session token', 'fds_bootstrap'],
    ['one shaped like a job token', 'eyJhbGciOi.eyJzdWIiOi.signature'],
  ])('is valid exactly as given, %s included', async (_what, key) => {
    expect(loadConfig({ BOOTSTRAP_API_KEY: key }).BOOTSTRAP_API_KEY).toBe(key);
    // What a start with it does, on this test's database.
    const warnings: unknown[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
    await bootstrap(key, logger);
    expect(warnings).toHaveLength(key.length < 16 ? 1 : 0);

    const submitted = await httpClient(app.url, key).post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    expect(submitted.status).toBe(202);
    // A near miss is still refused.
    expect((await httpClient(app.url, `${key}x`).get('/v1/jobs')).status).toBe(401);
  });
});
