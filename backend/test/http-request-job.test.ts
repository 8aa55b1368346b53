import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { waitForJobStatus } from './support/http-client';
import { localHttpServer } from './support/local-http-server';

/** What the jobs call: answers by path, and echoes the request as JSON for any other path. */
const target = localHttpServer((request, response) => {
  if (request.url === '/hang') return; // never answers
  if (request.url === '/big') {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('x'.repeat(1_048_576 + 10_000));
    return;
  }
  if (request.url === '/missing') {
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('no such thing');
    return;
  }
  response.writeHead(request.method === 'POST' ? 201 : 200, {
    'content-type': 'application/json',
    'x-target': 'yes',
  });
  response.end(
    JSON.stringify({
      method: request.method,
      url: request.url,
      body: request.body,
      greeting: request.headers['x-greeting'] ?? null,
    }),
  );
});

async function submit(app: TestFlightdeck, payload: Record<string, unknown>, options: Record<string, unknown> = {}) {
  const answer = await app.http.post('/v1/jobs', { type: 'http.request', payload, ...options });
  expect(answer.status).toBe(202);
  return answer.body.id as string;
}

const finished = (app: TestFlightdeck, id: string) => waitForJobStatus(app.http, id, ['completed', 'failed']);

describe('http.request with the target host in OUTBOUND_ALLOWLIST', () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck({ OUTBOUND_ALLOWLIST: '127.0.0.1' });
  });
  afterAll(() => app.stop());

  it('completes a GET with the status, headers and body, sending the given headers', async () => {
    const id = await submit(app, { url: `${target.base}/hello?x=1`, headers: { 'X-Greeting': 'hi' } });
    const job = await finished(app, id);
    expect(job).toMatchObject({ status: 'completed', type: 'http.request', error: null, attemptsMade: 1 });
    expect(job.result.status).toBe(200);
    expect(job.result.headers).toMatchObject({ 'content-type': 'application/json', 'x-target': 'yes' });
    expect(JSON.parse(job.result.body)).toEqual({ method: 'GET', url: '/hello?x=1', body: '', greeting: 'hi' });
    expect(job.result).not.toHaveProperty('truncated');
  });

  it('sends a POST with its body (the method in any case)', async () => {
    const id = await submit(app, {
      url: `${target.base}/things`,
      method: 'post',
      headers: { 'content-type': 'text/plain' },
      body: 'hello there',
    });
    const job = await finished(app, id);
    expect(job.status).toBe('completed');
    expect(job.result.status).toBe(201);
    expect(JSON.parse(job.result.body)).toMatchObject({ method: 'POST', url: '/things', body: 'hello there' });
    expect(target.seen.requests.at(-1)?.headers['content-type']).toBe('text/plain');
  });

  it('completes with a non-2xx status too (the call was made; the status is the answer)', async () => {
    const job = await finished(app, await submit(app, { url: `${target.base}/missing` }));
    expect(job).toMatchObject({ status: 'completed', result: { status: 404, body: 'no such thing' } });
  });

  it('caps the body at 1 MiB and says it was truncated', async () => {
    const job = await finished(app, await submit(app, { url: `${target.base}/big` }));
    expect(job.status).toBe('completed');
    expect(job.result.body).toHaveLength(1_048_576);
    expect(job.result.truncated).toBe(true);
  });

  it('fails with a timeout message when the server never answers within timeoutMs', async () => {
    const started = Date.now();
    const job = await finished(app, await submit(app, { url: `${target.base}/hang`, timeoutMs: 200 }));
    expect(job).toMatchObject({ status: 'failed', attemptsMade: 1 });
    expect(job.error.message).toBe(`GET ${target.base} timed out after 200 ms`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses invalid payloads at submit with 422', async () => {
    for (const payload of [
      { url: 'ftp://127.0.0.1/file' },
      { url: `${target.base}/`, method: 'TRACE' },
      { url: `${target.base}/`, body: 'a GET with a body' },
      { url: `${target.base}/`, timeoutMs: 60_001 },
      { url: `${target.base}/`, headers: { 'bad\nname': 'x' } },
    ]) {
      const answer = await app.http.post('/v1/jobs', { type: 'http.request', payload });
      expect(answer.status).toBe(422);
    }
  });
});

describe('http.request without OUTBOUND_ALLOWLIST', () => {
  let app: TestFlightdeck;
  beforeAll(async () => {
    app = await startTestFlightdeck();
  });
  afterAll(() => app.stop());

  it('refuses a loopback URL before any connection, unrecoverably (no retries)', async () => {
    const connectionsBefore = target.seen.connections;
    const id = await submit(app, { url: `${target.base}/hello` }, { attempts: 3 });
    const job = await finished(app, id);
    expect(job).toMatchObject({ status: 'failed', attemptsMade: 1, result: null });
    expect(job.error.message).toBe(
      'refused 127.0.0.1: it is a loopback address; list the host in OUTBOUND_ALLOWLIST to allow it',
    );
    // Give a would-be retry or late connection a moment to show up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(target.seen.connections).toBe(connectionsBefore);
    expect((await app.http.get(`/v1/jobs/${id}`)).body).toMatchObject({ status: 'failed', attemptsMade: 1 });
  });

  it('refuses a host name that resolves to loopback (localhost) the same way', async () => {
    const connectionsBefore = target.seen.connections;
    const port = new URL(target.base).port;
    const job = await finished(app, await submit(app, { url: `http://localhost:${port}/hello` }));
    expect(job.status).toBe('failed');
    expect(job.error.message).toMatch(
      /^refused localhost: it resolves to (127\.0\.0\.1|::1), which is a loopback address/,
    );
    expect(target.seen.connections).toBe(connectionsBefore);
  });
});
