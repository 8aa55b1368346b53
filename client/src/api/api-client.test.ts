import { ApiClient, ApiError, retryAfterSeconds } from './api-client';

function fakeFetch(status: number, body: unknown, statusText = '') {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (url: string | URL | Request, init: RequestInit = {}) => {
    calls.push({ url: String(url), init });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(text, { status, statusText, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('ApiClient', () => {
  it('submits a job as JSON with the bearer token', async () => {
    const { fetch, calls } = fakeFetch(202, { id: 'j1', status: 'queued' });
    const api = new ApiClient({ token: 'fd_key', baseUrl: 'http://flightdeck.test/', fetch });
    await expect(api.submitJob({ type: 'demo.sleep', payload: { ms: 5 } })).resolves.toEqual({
      id: 'j1',
      status: 'queued',
    });
    expect(calls[0]?.url).toBe('http://flightdeck.test/v1/jobs');
    expect(calls[0]?.init).toMatchObject({
      method: 'POST',
      headers: { authorization: 'Bearer fd_key', 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'demo.sleep', payload: { ms: 5 } }),
    });
  });

  it('lists jobs with the query it is given', async () => {
    const { fetch, calls } = fakeFetch(200, { items: [], nextCursor: null });
    await new ApiClient({ token: 'k', fetch }).listJobs({ limit: 100, status: 'failed' });
    expect(calls[0]?.url).toBe('/v1/jobs?limit=100&status=failed');
  });

  it("turns the contract's error body into an ApiError with its code and message", async () => {
    const { fetch } = fakeFetch(401, { error: { code: 'unauthorized', message: 'invalid or revoked API key' } });
    const error = await failure(new ApiClient({ token: 'k', fetch }).listJobs());
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', message: 'Invalid or revoked API key.' });
    expect(error.isUnauthorized).toBe(true);
  });

  it('names every wrong field of a validation error', async () => {
    const { fetch } = fakeFetch(422, {
      error: {
        code: 'invalid_payload',
        message: 'invalid payload for demo.sleep: ✖ Too small\n  → at ms',
        issues: [
          { path: 'payload.ms', message: 'Too small: expected number to be >=0' },
          { path: 'payload.steps', message: 'Too big: expected number to be <=100' },
        ],
      },
    });
    const error = await failure(new ApiClient({ token: 'k', fetch }).submitJob({ type: 'demo.sleep' }));
    expect(error.message).toBe(
      'payload.ms: Too small: expected number to be >=0; payload.steps: Too big: expected number to be <=100',
    );
    expect(error.issues).toHaveLength(2);
  });

  it('says what happened when the answer is not the contract error body', async () => {
    const { fetch } = fakeFetch(502, '<html>bad gateway</html>', 'Bad Gateway');
    const error = await failure(new ApiClient({ token: 'k', fetch }).listJobs());
    expect(error).toMatchObject({ status: 502, message: 'Flightdeck answered HTTP 502 Bad Gateway.' });
  });

  it('says when the server cannot be reached', async () => {
    const fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof globalThis.fetch;
    const error = await failure(new ApiClient({ token: 'k', fetch }).listJobs());
    expect(error).toMatchObject({
      status: 0,
      code: 'network_error',
      message: 'Could not reach Flightdeck (Failed to fetch).',
    });
  });
});

describe('ApiClient with a session', () => {
  const session = { user: { id: 'u1', email: 'ada@example.com', name: 'Ada' }, workspaces: [] };

  it('sends the session cookie, no Authorization, and names the workspace only on workspace-scoped calls', async () => {
    const { fetch, calls } = fakeFetch(200, { items: [] });
    const api = new ApiClient({ workspace: 'acme', fetch });
    await api.listMembers();
    expect(calls[0]?.url).toBe('/v1/members');
    expect(calls[0]?.init).toMatchObject({ method: 'GET', credentials: 'same-origin' });
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(headers['x-workspace']).toBe('acme');
    expect(headers.authorization).toBeUndefined();

    const me = fakeFetch(200, { user: null, apiKey: null, workspaces: [] });
    await new ApiClient({ workspace: 'acme', fetch: me.fetch }).me();
    expect((me.calls[0]?.init.headers as Record<string, string>)['x-workspace']).toBeUndefined();
  });

  it('acts in another workspace with forWorkspace', async () => {
    const { fetch, calls } = fakeFetch(200, { items: [], nextCursor: null });
    await new ApiClient({ workspace: 'a', fetch }).forWorkspace('b').listJobs();
    expect((calls[0]?.init.headers as Record<string, string>)['x-workspace']).toBe('b');
  });

  it('keeps the cookie out of API-key calls', async () => {
    const { fetch, calls } = fakeFetch(200, { items: [] });
    await new ApiClient({ token: 'fd_key', workspace: 'ignored', fetch }).listApiKeys();
    expect(calls[0]?.init.credentials).toBe('omit');
    expect((calls[0]?.init.headers as Record<string, string>)['x-workspace']).toBeUndefined();
  });

  it('signs in and up with JSON bodies', async () => {
    const { fetch, calls } = fakeFetch(201, session);
    const api = new ApiClient({ fetch });
    await expect(api.signUp({ email: 'ada@example.com', password: 'correct horse', name: 'Ada' })).resolves.toEqual(
      session,
    );
    expect(calls[0]).toMatchObject({ url: '/v1/auth/signup', init: { method: 'POST' } });
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({
      email: 'ada@example.com',
      password: 'correct horse',
      name: 'Ada',
    });

    const notJson = fakeFetch(200, '<html>');
    const error = await failure(new ApiClient({ fetch: notJson.fetch }).signIn({ email: 'a@b.c', password: 'x' }));
    expect(error).toMatchObject({ code: 'invalid_response', status: 200 });
  });

  it('signs out with an empty 204 answer', async () => {
    const calls: string[] = [];
    const fetch = (async (url: string) => {
      calls.push(url);
      return new Response(null, { status: 204 });
    }) as unknown as typeof globalThis.fetch;
    await expect(new ApiClient({ fetch }).signOut()).resolves.toBeUndefined();
    expect(calls).toEqual(['/v1/auth/logout']);
  });

  it('reads Retry-After of a 429, in seconds or as a date', async () => {
    const fetch = (async () =>
      new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'too many attempts' } }), {
        status: 429,
        headers: { 'retry-after': '17' },
      })) as typeof globalThis.fetch;
    const error = await failure(new ApiClient({ fetch }).signIn({ email: 'a@b.c', password: 'x' }));
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 17 });

    expect(retryAfterSeconds('Wed, 01 Jan 2026 00:00:30 GMT', Date.UTC(2026, 0, 1))).toBe(30);
    expect(retryAfterSeconds('0')).toBe(1);
    expect(retryAfterSeconds(null)).toBeNull();
    expect(retryAfterSeconds('soon')).toBeNull();
  });

  it('tells onUnauthorized when the session ended, not when a password was wrong', async () => {
    const seen: string[] = [];
    const onUnauthorized = (error: ApiError) => seen.push(error.code);
    const ended = fakeFetch(401, { error: { code: 'unauthorized', message: 'session expired' } });
    await failure(new ApiClient({ workspace: 'a', fetch: ended.fetch, onUnauthorized }).listMembers());
    const wrong = fakeFetch(401, { error: { code: 'invalid_credentials', message: 'wrong email or password' } });
    await failure(new ApiClient({ fetch: wrong.fetch, onUnauthorized }).signIn({ email: 'a@b.c', password: 'x' }));
    expect(seen).toEqual(['unauthorized']);
  });

  it('creates, lists and revokes API keys and members at their paths', async () => {
    const key = {
      id: 'k/1',
      name: 'ci',
      prefix: 'fd_ab',
      scopes: ['jobs:read'],
      createdAt: '2026-01-01T00:00:00Z',
      createdBy: null,
      lastUsedAt: null,
      revokedAt: '2026-01-02T00:00:00Z',
    };
    const { fetch, calls } = fakeFetch(200, key);
    const api = new ApiClient({ workspace: 'acme', fetch });
    await expect(api.revokeApiKey('k/1')).resolves.toEqual(key);
    expect(calls[0]).toMatchObject({ url: '/v1/api-keys/k%2F1', init: { method: 'DELETE' } });

    const member = { userId: 'u1', email: 'a@b.c', name: 'A', role: 'admin', addedAt: '2026-01-01T00:00:00Z' };
    const members = fakeFetch(200, member);
    await new ApiClient({ workspace: 'acme', fetch: members.fetch }).updateMember('u1', { role: 'admin' });
    expect(members.calls[0]).toMatchObject({
      url: '/v1/members/u1',
      init: { method: 'PATCH', body: '{"role":"admin"}' },
    });
  });

  it("reads and acts on one job's page at its paths, in the session's workspace", async () => {
    const { fetch, calls } = fakeFetch(200, { items: [], nextCursor: null });
    const api = new ApiClient({ workspace: 'acme', fetch });
    await api.jobLogs('j/1', { cursor: 'c 2', limit: 500 });
    await api.jobComments('j/1');
    await api.addComment('j/1', 'on it');
    await api.claimJob('j/1');
    await api.releaseJob('j/1');
    await api.retryJob('j/1');
    await api.createJobToken('j/1');
    expect(calls.map(({ url, init }) => `${init.method} ${url}`)).toEqual([
      'GET /v1/jobs/j%2F1/logs?cursor=c+2&limit=500',
      'GET /v1/jobs/j%2F1/comments',
      'POST /v1/jobs/j%2F1/comments',
      'POST /v1/jobs/j%2F1/claim',
      'DELETE /v1/jobs/j%2F1/claim',
      'POST /v1/jobs/j%2F1/retry',
      'POST /v1/jobs/j%2F1/token',
    ]);
    expect(calls[2]?.init.body).toBe('{"body":"on it"}');
    expect(calls.every(({ init }) => (init.headers as Record<string, string>)['x-workspace'] === 'acme')).toBe(true);

    const activity = fakeFetch(200, { items: [{ action: 'created', actor: null, at: 't', details: {} }] });
    await expect(new ApiClient({ fetch: activity.fetch }).jobActivity('j1')).resolves.toHaveLength(1);
  });

  it('says who holds a job when a claim is refused', async () => {
    const { fetch } = fakeFetch(409, {
      error: { code: 'job_claimed', message: 'Bob is already on this job (claimed 2026-03-01T10:00:00.000Z)' },
    });
    const error = await failure(new ApiClient({ workspace: 'acme', fetch }).claimJob('j1'));
    expect(error).toMatchObject({ status: 409, code: 'job_claimed' });
    expect(error.message).toMatch(/^Bob is already on this job/);
  });

  it('lists jobs with every filter, and reads, saves and deletes saved views and acts in bulk at their paths', async () => {
    const { fetch, calls } = fakeFetch(200, { items: [], results: [], nextCursor: null });
    const api = new ApiClient({ workspace: 'acme', fetch });
    await api.listJobs({
      status: 'failed',
      claimedBy: 'nobody',
      from: '2026-03-01T10:00:00.000Z',
      q: 'time out',
      limit: 50,
    });
    await api.listSavedViews();
    await api.createSavedView({ name: 'Failed', filters: { status: 'failed' } });
    await api.bulkJobs({ action: 'retry', ids: ['a', 'b'] });
    const deleted: string[] = [];
    const noContent = (async (url: string, init: RequestInit) => {
      deleted.push(`${init.method} ${url}`);
      return new Response(null, { status: 204 });
    }) as unknown as typeof globalThis.fetch;
    await new ApiClient({ workspace: 'acme', fetch: noContent }).deleteSavedView('v/1');
    expect(calls.map(({ url, init }) => `${init.method} ${url}`)).toEqual([
      'GET /v1/jobs?status=failed&claimedBy=nobody&from=2026-03-01T10%3A00%3A00.000Z&q=time+out&limit=50',
      'GET /v1/views',
      'POST /v1/views',
      'POST /v1/jobs/bulk',
    ]);
    expect(calls[3]?.init.body).toBe('{"action":"retry","ids":["a","b"]}');
    expect(deleted).toEqual(['DELETE /v1/views/v%2F1']);
  });
});
