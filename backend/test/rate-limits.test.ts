import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisKeys } from '@flightdeck/workers';
import { redisLimiter, spendOrPass } from '../src/edge/rate-limiter';
import { freePort } from '../src/services/local-services';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { httpClient, type HttpAnswer } from './support/http-client';
import { destroyAllProcesses, startProcess, type FlightdeckProcess } from './support/process-harness';
import { closeAllClients, RealtimeClient, type ConnectError } from './support/realtime-client';

// Rate limits (issue 4): per caller and per client address for REST, sign-ups per address, events
// per socket and socket handshakes per address — 429 `rate_limited` with Retry-After (a handshake's
// connect_error carries retryAfterSeconds), one caller's limit never touches another's, and every
// limit recovers once its window has passed. One in-process Flightdeck at a time (mongoose
// is a singleton): each describe starts its own with the limits it tests, and stops it.

const WINDOW_SECONDS = 1;
const LIMIT = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

function expectRateLimited(answer: HttpAnswer, maxRetryAfterSeconds: number): number {
  expect(answer.status).toBe(429);
  expect(answer.body.error).toEqual({ code: 'rate_limited', message: expect.any(String) });
  const retryAfter = answer.headers.get('retry-after');
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(maxRetryAfterSeconds);
  return Number(retryAfter);
}

/** Waits out a 429's Retry-After (and a little more, for the clock's rounding). */
const waitOut = (retryAfterSeconds: number) => sleep(retryAfterSeconds * 1000 + 150);

describe(`per caller (RATE_LIMIT_PER_CALLER=${LIMIT} per ${WINDOW_SECONDS} s) and per socket`, () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck({
      RATE_LIMIT_PER_CALLER: String(LIMIT),
      RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      SOCKET_EVENTS_PER_SECOND: '3',
    });
  });
  afterEach(() => closeAllClients());
  afterAll(() => app.stop());

  it(`answers the ${LIMIT + 1}th request of a key with 429 and Retry-After, leaves other callers alone, and recovers`, async () => {
    // Keys made directly in MongoDB: setting them up spends nobody's budget.
    const limited = await app.createWorkspace(unique('limited'));
    const other = await app.createWorkspace(unique('other'));
    const person = await app.signup('Bystander');

    for (let request = 1; request <= LIMIT; request++) {
      expect([request, (await limited.http.get('/v1/jobs')).status]).toEqual([request, 200]);
    }
    const refused = await limited.http.get('/v1/jobs');
    const retryAfter = expectRateLimited(refused, WINDOW_SECONDS);
    // Every endpoint and method counts against the same budget.
    expectRateLimited(await limited.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } }), WINDOW_SECONDS);

    expect((await other.http.get('/v1/jobs')).status).toBe(200);
    expect((await app.http.get('/v1/jobs')).status).toBe(200);
    expect((await person.http.get('/v1/jobs')).status).toBe(200);

    await waitOut(retryAfter);
    expect((await limited.http.get('/v1/jobs')).status).toBe(200);
  });

  it('limits a signed-in person the same way, across the workspaces they act in', async () => {
    const person = await app.signup('Busy');
    const second = await person.http.post('/v1/workspaces', { name: unique('second') });
    expect(second.status).toBe(201);
    const slugs = [person.slug, second.body.slug as string];
    // Alternating between two workspaces, the budget still runs out within LIMIT + 1 requests (the
    // workspace created above may or may not count in the same window): it is the person's, not a
    // per-workspace one.
    let answer: HttpAnswer | undefined;
    for (let request = 0; request <= LIMIT; request++) {
      answer = await person.in(slugs[request % 2]!).get('/v1/jobs');
      if (answer.status === 429) break;
    }
    const retryAfter = expectRateLimited(answer!, WINDOW_SECONDS);
    await waitOut(retryAfter);
    expect((await person.http.get('/v1/jobs')).status).toBe(200);
  });

  it('refuses socket events past SOCKET_EVENTS_PER_SECOND with a rate_limited ack, per socket, and recovers', async () => {
    const busy = await RealtimeClient.connect(app.url, app.apiKey);
    const calm = await RealtimeClient.connect(app.url, app.apiKey);
    const acks = [];
    for (let event = 0; event < 4; event++) acks.push(await busy.subscribe({ topic: 'workspace' }));
    expect(acks.map((ack) => ack.ok)).toEqual([true, true, true, false]);
    expect(acks[3]).toEqual({ ok: false, error: { code: 'rate_limited', message: expect.any(String) } });
    // The refused event was not processed, and the socket stays open.
    expect(busy.connected).toBe(true);
    // Another socket of the same key has a budget of its own.
    expect(await calm.subscribe({ topic: 'workspace' })).toMatchObject({ ok: true });

    await sleep(1_100);
    expect(await busy.subscribe({ topic: 'workspace' })).toMatchObject({ ok: true });
  });
});

describe(`job tokens (RATE_LIMIT_PER_CALLER=${LIMIT} per ${WINDOW_SECONDS} s), per viewer address`, () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck({
      RATE_LIMIT_PER_CALLER: String(LIMIT),
      RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      TRUST_PROXY: '1',
    });
  });
  afterAll(() => app.stop());

  it('gives each address that shows a job through one token a budget of its own', async () => {
    const job = await app.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    const issued = await app.http.post(`/v1/jobs/${job.body.id}/token`);
    expect(issued.status).toBe(201);
    await sleep(WINDOW_SECONDS * 1000 + 150);
    const viewer = (ip: string) => httpClient(app.url, issued.body.token, { 'x-forwarded-for': ip });

    for (let request = 1; request <= LIMIT; request++) {
      expect([request, (await viewer('198.51.100.1').get(`/v1/jobs/${job.body.id}`)).status]).toEqual([request, 200]);
    }
    expectRateLimited(await viewer('198.51.100.1').get(`/v1/jobs/${job.body.id}`), WINDOW_SECONDS);
    // Another viewer of the same embedded status, from elsewhere, is not refused.
    expect((await viewer('198.51.100.2').get(`/v1/jobs/${job.body.id}`)).status).toBe(200);
  });
});

describe(`per client address (RATE_LIMIT_PER_IP=${LIMIT} per ${WINDOW_SECONDS} s) and sign-ups per address`, () => {
  const SIGNUPS = 2;
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck({
      RATE_LIMIT_PER_IP: String(LIMIT),
      RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      SIGNUPS_PER_HOUR: String(SIGNUPS),
      // One proxy in front: the client address is the last X-Forwarded-For entry, so one test can
      // speak from several addresses (documentation ones, RFC 5737; nothing is sent to them).
      TRUST_PROXY: '1',
    });
  });
  afterAll(() => app.stop());

  let addresses = 0;
  /** A fresh client address, as the proxy in front reports it. */
  const address = () => `203.0.113.${++addresses}`;
  const from = (ip: string, apiKey?: string) => httpClient(app.url, apiKey, { 'x-forwarded-for': ip, origin: app.url });

  it('limits unauthenticated requests too, leaves other addresses alone, and recovers', async () => {
    const ip = address();
    for (let request = 1; request <= LIMIT; request++) {
      // Without credentials: the address's budget is spent before authentication refuses them.
      expect([request, (await from(ip).get('/v1/me')).status]).toEqual([request, 401]);
    }
    const retryAfter = expectRateLimited(await from(ip).get('/v1/me'), WINDOW_SECONDS);
    // Good credentials do not lift an address's limit…
    expectRateLimited(await from(ip, app.apiKey).get('/v1/jobs'), WINDOW_SECONDS);
    // …and another address is not affected by it, with or without credentials.
    const elsewhere = address();
    expect((await from(elsewhere, app.apiKey).get('/v1/jobs')).status).toBe(200);
    expect((await from(elsewhere).get('/v1/me')).status).toBe(401);

    await waitOut(retryAfter);
    expect((await from(ip, app.apiKey).get('/v1/jobs')).status).toBe(200);
  });

  it(`lets one address create ${SIGNUPS} accounts an hour (SIGNUPS_PER_HOUR), then answers 429 with Retry-After`, async () => {
    const signup = (ip: string) =>
      from(ip).post('/v1/auth/signup', {
        email: `${unique('signup')}@example.test`,
        password: `correct horse ${randomBytes(6).toString('hex')}`,
        name: 'Signup',
      });
    const ip = address();
    for (let account = 1; account <= SIGNUPS; account++) {
      expect([account, (await signup(ip)).status]).toEqual([account, 201]);
    }
    expectRateLimited(await signup(ip), 3600);
    // Other addresses still sign up; the address itself still signs in and calls the API.
    expect((await signup(address())).status).toBe(201);
    expect((await from(ip, app.apiKey).get('/v1/jobs')).status).toBe(200);
  });
});

describe(`socket handshakes per client address (SOCKET_HANDSHAKES_PER_IP=3 per 3 s), on every gateway of one Redis`, () => {
  const HANDSHAKES = 3;
  const HANDSHAKE_WINDOW_SECONDS = 3;
  const limits = {
    SOCKET_HANDSHAKES_PER_IP: String(HANDSHAKES),
    RATE_LIMIT_WINDOW_SECONDS: String(HANDSHAKE_WINDOW_SECONDS),
    // As above: the client address is the last X-Forwarded-For entry.
    TRUST_PROXY: '1',
  };
  let app: TestFlightdeck;
  /** A second gateway process on the same Redis and MongoDB. */
  let otherGateway: FlightdeckProcess;
  beforeAll(async () => {
    app = await startTestFlightdeck(limits);
    otherGateway = await startProcess({
      namespace: app.namespace,
      env: { ROLES: 'gateway', ...limits },
      waitFor: '/readyz',
    });
  });
  afterEach(() => closeAllClients());
  afterAll(async () => {
    await destroyAllProcesses();
    await app.stop();
  });

  let addresses = 0;
  const address = () => `198.51.100.${++addresses}`;
  const connectFrom = (url: string, ip: string, token: string) =>
    RealtimeClient.open(url, { auth: { token }, headers: { 'x-forwarded-for': ip } });
  /** The `connect_error` of a handshake that must be refused. */
  async function refusalOf(handshake: Promise<RealtimeClient>): Promise<ConnectError> {
    const outcome = await handshake.then(
      () => null,
      (error: ConnectError) => error,
    );
    if (!outcome) throw new Error('the handshake was accepted');
    return outcome;
  }
  function expectHandshakeRateLimited(error: ConnectError): number {
    expect(error.message).toMatch(/^rate_limited: /);
    expect(error.data).toEqual({
      code: 'rate_limited',
      message: expect.any(String),
      retryAfterSeconds: expect.any(Number),
    });
    const { retryAfterSeconds } = error.data!;
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds).toBeLessThanOrEqual(HANDSHAKE_WINDOW_SECONDS);
    return retryAfterSeconds!;
  }

  it('refuses an address past the limit (failed handshakes count, credentials are not looked at), leaves other addresses alone, and recovers', async () => {
    const ip = address();
    // A failed handshake spends the budget too: credential guessing is throttled.
    expect((await refusalOf(connectFrom(app.url, ip, 'fd_wrong_key'))).data?.code).toBe('unauthorized');
    for (let handshake = 2; handshake <= HANDSHAKES; handshake++) {
      expect((await connectFrom(app.url, ip, app.apiKey)).connected).toBe(true);
    }
    const retryAfter = expectHandshakeRateLimited(await refusalOf(connectFrom(app.url, ip, app.apiKey)));
    // Past the limit the answer is rate_limited whatever the credentials: it comes before them.
    expectHandshakeRateLimited(await refusalOf(connectFrom(app.url, ip, 'fd_wrong_key')));

    // Another address is not affected, on this gateway or the other.
    const elsewhere = address();
    expect((await connectFrom(app.url, elsewhere, app.apiKey)).connected).toBe(true);
    expect((await connectFrom(otherGateway.url, elsewhere, app.apiKey)).connected).toBe(true);

    await waitOut(retryAfter);
    expect((await connectFrom(app.url, ip, app.apiKey)).connected).toBe(true);
  });

  it('counts an address once across gateway processes sharing Redis', async () => {
    const ip = address();
    expect((await connectFrom(app.url, ip, app.apiKey)).connected).toBe(true);
    expect((await connectFrom(otherGateway.url, ip, app.apiKey)).connected).toBe(true);
    expect((await connectFrom(app.url, ip, app.apiKey)).connected).toBe(true);
    expectHandshakeRateLimited(await refusalOf(connectFrom(otherGateway.url, ip, app.apiKey)));
    expectHandshakeRateLimited(await refusalOf(connectFrom(app.url, ip, app.apiKey)));
  });
});

describe('when Redis cannot answer a limiter', () => {
  it('lets the request or handshake through rather than refuse it', async () => {
    // Nothing listens on this port: every command fails at once (no offline queue).
    const redis = new Redis({
      port: await freePort(),
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    redis.on('error', () => undefined);
    const limiter = redisLimiter(redis, redisKeys('unreachable'), 'handshake', 1, 60);
    expect(
      await limiter.consume('203.0.113.9').then(
        () => 'consumed',
        (error: unknown) => (error instanceof Error ? 'redis error' : 'refused'),
      ),
    ).toBe('redis error');
    // spendOrPass is what the sign-up limit calls (REST's per-request limits and the gateway's
    // handshake limit are SyncedBudgets: synced-budget.test.ts).
    for (let attempt = 0; attempt < 3; attempt++) expect(await spendOrPass(limiter, '203.0.113.9')).toBeNull();
    redis.disconnect();
  });
});
