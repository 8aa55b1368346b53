// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are read loosely
export interface HttpAnswer<Body = any> {
  status: number;
  headers: Headers;
  body: Body;
}

/** A tiny JSON client for tests: real HTTP against a running Flightdeck, with an API key or other default headers. */
export function httpClient(baseUrl: string, apiKey?: string, defaultHeaders: Record<string, string> = {}) {
  const request = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> => {
    const init: RequestInit = {
      method,
      headers: {
        ...defaultHeaders,
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const response = await fetch(`${baseUrl}${path}`, init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (metrics, HTML): keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  return {
    request,
    get: (path: string, headers?: Record<string, string>) => request('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => request('POST', path, body, headers),
    patch: (path: string, body?: unknown, headers?: Record<string, string>) => request('PATCH', path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => request('DELETE', path, undefined, headers),
  };
}
export type HttpClient = ReturnType<typeof httpClient>;

/** The session cookie a sign-up or sign-in answer set (`fd_session=…`). */
export function sessionCookieFrom(answer: HttpAnswer): string {
  const cookie = answer.headers.getSetCookie().find((line) => line.startsWith('fd_session='));
  if (!cookie) throw new Error(`no session cookie in the answer (status ${answer.status})`);
  return cookie.split(';')[0]!;
}

/** A client that acts as a signed-in person in one workspace, as the console does (cookie, Origin, X-Workspace). */
export function sessionClient(baseUrl: string, cookie: string, workspaceSlug?: string): HttpClient {
  return httpClient(baseUrl, undefined, {
    cookie,
    origin: baseUrl,
    ...(workspaceSlug ? { 'x-workspace': workspaceSlug } : {}),
  });
}

/** Polls `GET /v1/jobs/{id}` until the job is in one of `statuses`; resolves with the job. */
export async function waitForJobStatus(
  http: HttpClient,
  id: string,
  statuses: string | readonly string[],
  timeoutMs = 20_000,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are read loosely
): Promise<any> {
  const wanted = typeof statuses === 'string' ? [statuses] : statuses;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await http.get(`/v1/jobs/${id}`);
    if (wanted.includes(body?.status)) return body;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for job ${id} to be ${wanted.join(' or ')} (it is ${body?.status})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
