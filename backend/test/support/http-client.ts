// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are read loosely
export interface HttpAnswer<Body = any> {
  status: number;
  headers: Headers;
  body: Body;
}

/** A tiny JSON client for tests: real HTTP against a running Flightdeck. */
export function httpClient(baseUrl: string, apiKey?: string) {
  const request = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> => {
    const init: RequestInit = {
      method,
      headers: {
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
    delete: (path: string) => request('DELETE', path),
  };
}
export type HttpClient = ReturnType<typeof httpClient>;
