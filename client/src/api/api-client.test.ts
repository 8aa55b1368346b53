import { ApiClient, ApiError } from './api-client';

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
