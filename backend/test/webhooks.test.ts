import { createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { localHttpServer, type ReceivedRequest } from './support/local-http-server';
import { waitFor } from './support/test-services';

/** The statuses the receiver answers, per path, in turn (then 200). */
const answers = new Map<string, number[]>();
/** The webhook receiver. */
const receiver = localHttpServer((request, response) => {
  response.writeHead(answers.get(request.url)?.shift() ?? 200, { 'content-type': 'text/plain' });
  response.end('thanks');
});

/** The contract's `Flightdeck-Signature`: lowercase hex HMAC-SHA256 of the raw body under the secret. */
const bodySignature = (body: string, secret: string) => createHmac('sha256', secret).update(body).digest('hex');

/**
 * Checks the replay-protected extension the way a receiver would: `Flightdeck-Signature-Timestamped`
 * is `t=<t>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, `t` is `Flightdeck-Timestamp` and recent.
 */
function verifyTimestamped(headers: http.IncomingHttpHeaders, body: string, secret: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['flightdeck-signature-timestamped']));
  if (!match) return false;
  const [, timestamp, mac] = match as unknown as [string, string, string];
  if (headers['flightdeck-timestamp'] !== timestamp) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(mac, 'hex'));
}

/** Checks every signature header of a received delivery under `secret`. */
function verifyDelivery({ headers, body }: ReceivedRequest, secret: string): boolean {
  const signature = String(headers['flightdeck-signature']);
  if (!/^[0-9a-f]{64}$/.test(signature)) return false;
  const bodyOk = timingSafeEqual(Buffer.from(bodySignature(body, secret), 'hex'), Buffer.from(signature, 'hex'));
  return bodyOk && verifyTimestamped(headers, body, secret);
}

async function submit(app: TestFlightdeck, job: Record<string, unknown>): Promise<string> {
  const answer = await app.http.post('/v1/jobs', job);
  expect(answer.status).toBe(202);
  return answer.body.id as string;
}

const attemptsOf = (app: TestFlightdeck, id: string, count: number) =>
  waitFor(`${count} webhook attempts of ${id}`, async () => {
    const answer = await app.http.get(`/v1/jobs/${id}/webhooks`);
    return answer.status === 200 && answer.body.items.length >= count ? answer.body.items : null;
  });

describe('webhooks with the receiver in OUTBOUND_ALLOWLIST', () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck({ OUTBOUND_ALLOWLIST: '127.0.0.1', WEBHOOK_BACKOFF_MS: '50' });
  });
  afterAll(() => app.stop());

  it('POSTs a completed job once, signed with the workspace secret', async () => {
    const url = `${receiver.base}/completed`;
    const id = await submit(app, { type: 'demo.sleep', payload: { ms: 0 }, webhookUrl: url });
    expect((await app.http.get(`/v1/jobs/${id}`)).body.webhookUrl).toBe(url);
    const [attempt] = await attemptsOf(app, id, 1);
    expect(attempt).toMatchObject({
      deliveryId: expect.stringMatching(new RegExp(`^${id}:job\\.completed:\\d+$`)),
      eventType: 'job.completed',
      url,
      attempt: 1,
      status: 200,
      ok: true,
      error: null,
    });

    const requests = receiver.requestsTo('/completed');
    expect(requests).toHaveLength(1);
    const [request] = requests as [ReceivedRequest];
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['flightdeck-delivery']).toBe(attempt.deliveryId);
    const body = JSON.parse(request.body);
    expect(body).toEqual({ type: 'job.completed', job: expect.objectContaining({ id, status: 'completed' }) });
    expect(body.job.webhookUrl).toBe(url);

    const secret = await app.http.get('/v1/webhooks/secret');
    expect(secret.status).toBe(200);
    expect(secret.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await app.http.get('/v1/webhooks/secret')).body.secret).toBe(secret.body.secret);
    // Flightdeck-Signature is exactly hex(HMAC-SHA256(secret, raw body)), as the contract says.
    expect(request.headers['flightdeck-signature']).toBe(
      createHmac('sha256', secret.body.secret).update(request.body).digest('hex'),
    );
    expect(request.headers['flightdeck-timestamp']).toMatch(/^\d+$/);
    expect(request.headers['flightdeck-signature-timestamped']).toBe(
      `t=${request.headers['flightdeck-timestamp']},v1=${bodySignature(`${request.headers['flightdeck-timestamp']}.${request.body}`, secret.body.secret)}`,
    );
    expect(verifyTimestamped(request.headers, request.body, secret.body.secret)).toBe(true);
    expect(verifyDelivery(request, secret.body.secret)).toBe(true);
    // A changed body or a wrong secret does not verify.
    expect(verifyDelivery({ ...request, body: `${request.body} ` }, secret.body.secret)).toBe(false);
    const wrongSecret = `${secret.body.secret.slice(0, -1)}${secret.body.secret.endsWith('A') ? 'B' : 'A'}`;
    expect(request.headers['flightdeck-signature']).not.toBe(bodySignature(request.body, wrongSecret));
    expect(verifyTimestamped(request.headers, request.body, wrongSecret)).toBe(false);
    expect(verifyDelivery(request, wrongSecret)).toBe(false);
    // The timestamped signature is bound to its timestamp header.
    expect(
      verifyTimestamped(
        { ...request.headers, 'flightdeck-timestamp': String(Number(request.headers['flightdeck-timestamp']) - 1) },
        request.body,
        secret.body.secret,
      ),
    ).toBe(false);

    // Still once, a moment later (no duplicate from a replay or a retry).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requestsTo('/completed')).toHaveLength(1);
  });

  it('retries a receiver that answers 500 twice, then succeeds, and logs every attempt', async () => {
    answers.set('/flaky', [500, 500, 200]);
    const id = await submit(app, { type: 'demo.sleep', payload: { ms: 0 }, webhookUrl: `${receiver.base}/flaky` });
    const attempts = await attemptsOf(app, id, 3);
    expect(
      attempts.map((attempt: { attempt: number; status: number; ok: boolean }) => [
        attempt.attempt,
        attempt.status,
        attempt.ok,
      ]),
    ).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, true],
    ]);
    expect(attempts[0].error).toBe('the receiver answered 500');
    expect(receiver.requestsTo('/flaky')).toHaveLength(3);
    // All three carry the same delivery id.
    expect(new Set(receiver.requestsTo('/flaky').map((request) => request.headers['flightdeck-delivery'])).size).toBe(
      1,
    );
  });

  it('sends job.failed for a failed job and job.cancelled for a cancelled one', async () => {
    const failed = await submit(app, {
      type: 'demo.sleep',
      payload: { ms: 0, fail: true },
      webhookUrl: `${receiver.base}/failed`,
    });
    const cancelled = await submit(app, {
      type: 'demo.sleep',
      payload: { ms: 0 },
      delayMs: 60_000,
      webhookUrl: `${receiver.base}/cancelled`,
    });
    expect((await app.http.post(`/v1/jobs/${cancelled}/cancel`)).body.status).toBe('cancelled');

    expect((await attemptsOf(app, failed, 1))[0]).toMatchObject({ eventType: 'job.failed', ok: true });
    expect((await attemptsOf(app, cancelled, 1))[0]).toMatchObject({ eventType: 'job.cancelled', ok: true });
    const failedBody = JSON.parse(receiver.requestsTo('/failed')[0]!.body);
    expect(failedBody).toMatchObject({
      type: 'job.failed',
      job: { id: failed, status: 'failed', error: { message: 'demo failure' } },
    });
    const cancelledBody = JSON.parse(receiver.requestsTo('/cancelled')[0]!.body);
    expect(cancelledBody).toMatchObject({ type: 'job.cancelled', job: { id: cancelled, status: 'cancelled' } });
  });

  it('keeps the delivery log from other workspaces (404) and the secret behind admin', async () => {
    const id = await submit(app, { type: 'demo.sleep', payload: { ms: 0 }, webhookUrl: `${receiver.base}/private` });
    await attemptsOf(app, id, 1);
    const other = await app.createWorkspace(`webhooks-other-${Date.now()}`);
    expect((await other.http.get(`/v1/jobs/${id}/webhooks`)).status).toBe(404);
    const otherSecret = (await other.http.get('/v1/webhooks/secret')).body.secret;
    expect(otherSecret).not.toBe((await app.http.get('/v1/webhooks/secret')).body.secret);
  });

  it('rotates the secret', async () => {
    const before = (await app.http.get('/v1/webhooks/secret')).body.secret;
    const rotated = await app.http.post('/v1/webhooks/secret/rotate');
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(before);
    expect((await app.http.get('/v1/webhooks/secret')).body.secret).toBe(rotated.body.secret);
  });

  it('sends every final event of the workspace to its endpoints, as they ask, signed, until deleted', async () => {
    const created = await app.http.post('/v1/webhooks/endpoints', {
      url: `${receiver.base}/all-failures`,
      events: ['job.failed'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      url: `${receiver.base}/all-failures`,
      events: ['job.failed'],
      createdAt: expect.any(String),
    });
    const everything = await app.http.post('/v1/webhooks/endpoints', { url: `${receiver.base}/everything` });
    expect(everything.body.events).toEqual(['job.completed', 'job.failed', 'job.cancelled']);
    expect((await app.http.get('/v1/webhooks/endpoints')).body.items).toHaveLength(2);
    // Another workspace's jobs never reach these endpoints.
    const other = await app.createWorkspace('endpoint-neighbour');
    await other.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0, fail: true } });
    expect((await other.http.get('/v1/webhooks/endpoints')).body.items).toEqual([]);

    const failed = await submit(app, { type: 'demo.sleep', payload: { ms: 0, fail: true } });
    const completed = await submit(app, { type: 'demo.sleep', payload: { ms: 0 } });
    const secret = (await app.http.get('/v1/webhooks/secret')).body.secret;
    const failures = await waitFor('the failure at the endpoint', () => {
      const requests = receiver.requestsTo('/all-failures');
      return requests.length > 0 ? requests : null;
    });
    const body = JSON.parse(failures[0]!.body);
    expect(body).toMatchObject({ type: 'job.failed', job: { id: failed } });
    expect(failures[0]!.headers['flightdeck-signature']).toBe(bodySignature(failures[0]!.body, secret));
    expect(verifyDelivery(failures[0]!, secret)).toBe(true);
    await waitFor('both events at the catch-all endpoint', () => receiver.requestsTo('/everything').length >= 2);
    const ids = receiver.requestsTo('/everything').map((request) => JSON.parse(request.body).job.id);
    expect(ids.sort()).toEqual([failed, completed].sort());
    expect(receiver.requestsTo('/all-failures')).toHaveLength(1);

    expect((await app.http.delete(`/v1/webhooks/endpoints/${created.body.id}`)).status).toBe(204);
    expect((await app.http.delete(`/v1/webhooks/endpoints/${created.body.id}`)).status).toBe(404);
    await submit(app, { type: 'demo.sleep', payload: { ms: 0, fail: true } });
    await waitFor('the next failure at the catch-all endpoint', () => receiver.requestsTo('/everything').length >= 3);
    expect(receiver.requestsTo('/all-failures')).toHaveLength(1);
    expect((await app.http.post('/v1/webhooks/endpoints', { url: 'ftp://example.com/x' })).status).toBe(422);
    await app.http.delete(`/v1/webhooks/endpoints/${everything.body.id}`);
  });

  it("records adding and removing an endpoint in its own workspace's audit log", async () => {
    const url = `${receiver.base}/audited`;
    const created = await app.http.post('/v1/webhooks/endpoints', { url, events: ['job.failed'] });
    expect(created.status).toBe(201);
    expect((await app.http.delete(`/v1/webhooks/endpoints/${created.body.id}`)).status).toBe(204);
    const target = { type: 'webhook_endpoint', id: created.body.id };
    const added = await app.http.get('/v1/audit?action=webhook_endpoint.created');
    expect(added.body.items).toContainEqual(
      expect.objectContaining({ target, details: { url, events: ['job.failed'] } }),
    );
    const removed = await app.http.get('/v1/audit?action=webhook_endpoint.deleted');
    expect(removed.body.items).toContainEqual(expect.objectContaining({ target, details: {} }));
    const other = await app.createWorkspace('endpoint-audit-neighbour');
    expect((await other.http.get('/v1/audit?action=webhook_endpoint.created')).body.items).toEqual([]);
  });

  it('refuses a webhookUrl that is not http(s) or too long', async () => {
    for (const webhookUrl of ['ftp://127.0.0.1/x', 'not a url', `http://127.0.0.1/${'x'.repeat(2048)}`]) {
      const answer = await app.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 }, webhookUrl });
      expect(answer.status).toBe(422);
    }
  });
});

describe('webhooks without OUTBOUND_ALLOWLIST', () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck({ WEBHOOK_BACKOFF_MS: '50' });
  });
  afterAll(() => app.stop());

  it('refuses a loopback receiver before any connection, once, and logs why', async () => {
    const connectionsBefore = receiver.seen.connections;
    const id = await submit(app, { type: 'demo.sleep', payload: { ms: 0 }, webhookUrl: `${receiver.base}/refused` });
    const [attempt] = await attemptsOf(app, id, 1);
    expect(attempt).toMatchObject({ attempt: 1, status: null, ok: false });
    expect(attempt.error).toBe(
      'refused 127.0.0.1: it is a loopback address; list the host in OUTBOUND_ALLOWLIST to allow it',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await app.http.get(`/v1/jobs/${id}/webhooks`)).body.items).toHaveLength(1);
    expect(receiver.seen.connections).toBe(connectionsBefore);
  });
});
