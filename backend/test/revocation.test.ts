import { randomBytes } from 'node:crypto';
import type { RevokedNotice } from '@flightdeck/contract';
import { startTestFlightdeck } from './support/flightdeck-harness';
import { httpClient, sessionClient, sessionCookieFrom, type HttpClient } from './support/http-client';
import { startScaledDeployment } from './support/process-harness';
import { closeAllClients, RealtimeClient, refusedConnection, refusedHandshake } from './support/realtime-client';
import { waitFor } from './support/test-services';

// Revocation takes effect at once (issue 4), on REST and on open sockets: a revoked API key, a member
// removed from a workspace, a session signed out. The same scenarios run against one in-process
// Flightdeck and against a scaled deployment of real processes (one API+worker process, two gateway
// processes), where the revocation is made on the API process and must reach the sockets of both
// gateways through Redis.

interface Deployment {
  /** Serves the REST API. */
  api: string;
  /** Where sockets connect: two gateways (the same one twice in process). */
  gateways: [string, string];
  /** An admin key of the default workspace. */
  apiKey: string;
  /** How soon every socket concerned must be gone, from the moment the revoking request is sent. */
  withinMs: number;
  stop(): Promise<void>;
}

const DEPLOYMENTS: [string, () => Promise<Deployment>][] = [
  [
    'one process',
    async () => {
      const app = await startTestFlightdeck();
      return { api: app.url, gateways: [app.url, app.url], apiKey: app.apiKey, withinMs: 500, stop: () => app.stop() };
    },
  ],
  [
    'an API+worker process and two gateway processes',
    async () => {
      const deployment = await startScaledDeployment();
      const [first, second] = deployment.gateways;
      return {
        api: deployment.api.url,
        gateways: [first.url, second.url],
        apiKey: deployment.apiKey,
        withinMs: 1_000,
        stop: () => deployment.stop(),
      };
    },
  ],
];

interface Someone {
  userId: string;
  email: string;
  password: string;
  cookie: string;
  slug: string;
}

describe.each(DEPLOYMENTS)('revocation with %s', (_name, start) => {
  let deployment: Deployment;
  beforeAll(async () => {
    deployment = await start();
  }, 90_000);
  afterEach(() => closeAllClients());
  afterAll(() => deployment?.stop());

  const anonymous = () => httpClient(deployment.api, undefined, { origin: deployment.api });
  const as = (someone: Pick<Someone, 'cookie'>, slug?: string): HttpClient =>
    sessionClient(deployment.api, someone.cookie, slug);

  async function signup(name: string): Promise<Someone> {
    const email = `${name.toLowerCase()}.${randomBytes(4).toString('hex')}@example.test`;
    const password = `correct horse ${randomBytes(6).toString('hex')}`;
    const answer = await anonymous().post('/v1/auth/signup', { email, password, name });
    expect(answer.status).toBe(201);
    return {
      userId: answer.body.user.id,
      email,
      password,
      cookie: sessionCookieFrom(answer),
      slug: answer.body.workspaces[0].slug,
    };
  }

  /** A socket of a session, as the console opens it: the cookie, our Origin, the workspace's slug. */
  async function sessionSocket(gateway: string, cookie: string, slug: string): Promise<RealtimeClient> {
    const client = await RealtimeClient.open(gateway, {
      auth: { workspace: slug },
      headers: { cookie, origin: gateway },
    });
    expect(await client.subscribe({ topic: 'workspace' })).toMatchObject({ ok: true });
    return client;
  }

  async function keySocket(gateway: string, key: string): Promise<RealtimeClient> {
    const client = await RealtimeClient.connect(gateway, key);
    expect(await client.subscribe({ topic: 'workspace' })).toMatchObject({ ok: true });
    return client;
  }

  /**
   * Runs the revoking request and expects every one of `revoked` to get a `revoked` notice with
   * `reason` and then be disconnected, within `withinMs` of the request being sent; `kept` stay.
   */
  async function expectRevokes(
    revoke: () => Promise<{ status: number }>,
    expectedStatus: number,
    reason: RevokedNotice['reason'],
    revoked: RealtimeClient[],
    kept: RealtimeClient[],
  ): Promise<void> {
    const sentAt = Date.now();
    expect((await revoke()).status).toBe(expectedStatus);
    await waitFor(
      'the sockets to be disconnected',
      () => revoked.every((client) => client.disconnectedAt !== null),
      5_000,
      10,
    );
    for (const client of revoked) {
      expect(client.disconnectedAt! - sentAt).toBeLessThan(deployment.withinMs);
      expect(client.revocations).toEqual([{ reason }]);
      expect(client.revokedBeforeDisconnect).toBe(true);
      expect(client.disconnectReason).toBe('io server disconnect');
    }
    for (const client of kept) {
      expect(client.connected).toBe(true);
      expect(client.revocations).toEqual([]);
      expect(await client.subscribe({ topic: 'workspace' })).toMatchObject({ ok: true });
    }
  }

  it("revoking an API key ends its sockets on every gateway and its REST access at once; the workspace's other keys stay", async () => {
    const admin = httpClient(deployment.api, deployment.apiKey);
    const leaked = await admin.post('/v1/api-keys', { name: 'leaked', scopes: ['jobs:read'] });
    const kept = await admin.post('/v1/api-keys', { name: 'kept', scopes: ['jobs:read'] });
    expect([leaked.status, kept.status]).toEqual([201, 201]);
    const [first, second] = deployment.gateways;
    const leakedSockets = [await keySocket(first, leaked.body.key), await keySocket(second, leaked.body.key)];
    const keptSockets = [await keySocket(first, kept.body.key), await keySocket(second, kept.body.key)];

    await expectRevokes(
      () => admin.delete(`/v1/api-keys/${leaked.body.id}`),
      200,
      'apiKey',
      leakedSockets,
      keptSockets,
    );

    const rest = await httpClient(deployment.api, leaked.body.key).get('/v1/jobs');
    expect(rest.status).toBe(401);
    expect(rest.body.error.message).toMatch(/revoked/);
    for (const gateway of deployment.gateways) {
      expect((await refusedConnection(gateway, leaked.body.key)).data?.code).toBe('unauthorized');
    }
    expect((await httpClient(deployment.api, kept.body.key).get('/v1/jobs')).status).toBe(200);
  });

  it("removing a member ends their sockets in that workspace on every gateway, not in their own or other people's", async () => {
    const owner = await signup('Owner');
    const removed = await signup('Removed');
    const colleague = await signup('Colleague');
    for (const person of [removed, colleague]) {
      expect((await as(owner, owner.slug).post('/v1/members', { email: person.email, role: 'member' })).status).toBe(
        201,
      );
    }
    const [first, second] = deployment.gateways;
    const inOwners = [
      await sessionSocket(first, removed.cookie, owner.slug),
      await sessionSocket(second, removed.cookie, owner.slug),
    ];
    const inOwn = await sessionSocket(second, removed.cookie, removed.slug);
    const colleagues = await sessionSocket(first, colleague.cookie, owner.slug);

    await expectRevokes(() => as(owner, owner.slug).delete(`/v1/members/${removed.userId}`), 204, 'member', inOwners, [
      inOwn,
      colleagues,
    ]);

    expect((await as(removed, owner.slug).get('/v1/jobs')).status).toBe(404);
    expect(
      (
        await refusedHandshake(first, {
          auth: { workspace: owner.slug },
          headers: { cookie: removed.cookie, origin: first },
        })
      ).data?.code,
    ).toBe('not_found');
  });

  it("signing out ends that session's sockets on every gateway, not the person's other sessions", async () => {
    const person = await signup('Leaving');
    const login = await anonymous().post('/v1/auth/login', { email: person.email, password: person.password });
    expect(login.status).toBe(200);
    const otherCookie = sessionCookieFrom(login);
    const [first, second] = deployment.gateways;
    const signedOut = [
      await sessionSocket(first, person.cookie, person.slug),
      await sessionSocket(second, person.cookie, person.slug),
    ];
    const stillIn = await sessionSocket(second, otherCookie, person.slug);

    await expectRevokes(() => as(person).post('/v1/auth/logout'), 204, 'session', signedOut, [stillIn]);

    expect((await as(person, person.slug).get('/v1/jobs')).status).toBe(401);
    expect(
      (
        await refusedHandshake(second, {
          auth: { workspace: person.slug },
          headers: { cookie: person.cookie, origin: second },
        })
      ).data?.code,
    ).toBe('unauthorized');
    expect((await as({ cookie: otherCookie }, person.slug).get('/v1/jobs')).status).toBe(200);
  });

  it("a job token's socket ends when the token expires, and it cannot connect again", async () => {
    const admin = httpClient(deployment.api, deployment.apiKey);
    const job = await admin.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 3_600_000 });
    // Expiry is in whole seconds: a 2-second token has 1 to 2 seconds left.
    const token = await admin.post(`/v1/jobs/${job.body.id}/token`, { ttlSeconds: 2 });
    expect(token.status).toBe(201);
    const client = await RealtimeClient.connect(deployment.gateways[0], token.body.token);
    expect(await client.subscribe({ topic: 'job', id: job.body.id })).toMatchObject({ ok: true });

    await waitFor('the socket to be disconnected', () => client.disconnectedAt !== null, 5_000, 20);
    expect(client.disconnectedAt).toBeGreaterThanOrEqual(Date.parse(token.body.expiresAt));
    expect(client.disconnectedAt! - Date.parse(token.body.expiresAt)).toBeLessThan(deployment.withinMs);
    expect(client.disconnectReason).toBe('io server disconnect');
    const refused = await refusedConnection(deployment.gateways[1], token.body.token);
    expect(refused.data).toEqual({ code: 'unauthorized', message: expect.stringMatching(/expired/) });
  });

  it('deleting a workspace ends every socket in it: members, keys and job tokens', async () => {
    const owner = await signup('Doomed');
    const other = await signup('Survivor');
    const key = await as(owner, owner.slug).post('/v1/api-keys', { name: 'doomed', scopes: ['admin'] });
    const job = await httpClient(deployment.api, key.body.key).post('/v1/jobs', {
      type: 'demo.sleep',
      payload: { ms: 0 },
      delayMs: 3_600_000,
    });
    const token = await httpClient(deployment.api, key.body.key).post(`/v1/jobs/${job.body.id}/token`, {});
    expect([key.status, job.status, token.status]).toEqual([201, 202, 201]);
    const [first, second] = deployment.gateways;
    const member = await sessionSocket(first, owner.cookie, owner.slug);
    const viaKey = await keySocket(second, key.body.key);
    const viaToken = await RealtimeClient.connect(first, token.body.token);
    expect(await viaToken.subscribe({ topic: 'job', id: job.body.id })).toMatchObject({ ok: true });
    const elsewhere = await sessionSocket(second, other.cookie, other.slug);

    await expectRevokes(
      () => as(owner, owner.slug).delete('/v1/workspace'),
      204,
      'workspace',
      [member, viaKey, viaToken],
      [elsewhere],
    );

    // Nothing of it opens anything any more, job tokens included (they are not stored anywhere).
    expect((await httpClient(deployment.api, key.body.key).get('/v1/jobs')).status).toBe(401);
    expect((await httpClient(deployment.api, token.body.token).get(`/v1/jobs/${job.body.id}`)).status).toBe(401);
    expect((await refusedConnection(first, token.body.token)).data?.code).toBe('unauthorized');
    expect((await refusedConnection(second, key.body.key)).data?.code).toBe('unauthorized');
  });
});
