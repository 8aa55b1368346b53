/**
 * A scripted Flightdeck REST API for component tests, bundled into the test page: `fetch` answers
 * from `answers` (keyed `"<METHOD> <path>"`, the query included) and records every request. A test
 * changes `answers` and reads `requests` through `page.evaluate` (the page keeps the server as
 * `window.server`). Unknown routes answer 404 `route_not_found`, as the real server does.
 */
export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  credentials: RequestCredentials | undefined;
  body: unknown;
}

export interface FakeServer {
  /** An array answers its items in turn, then keeps answering the last. */
  answers: Record<string, FakeAnswer | FakeAnswer[]>;
  requests: RecordedRequest[];
  fetch: typeof fetch;
}

export function fakeServer(answers: Record<string, FakeAnswer | FakeAnswer[]> = {}): FakeServer {
  const server: FakeServer = {
    answers,
    requests: [],
    fetch: async (input, init = {}) => {
      const url = new URL(String(input), window.location.href);
      const method = (init.method ?? 'GET').toUpperCase();
      const path = `${url.pathname}${url.search}`;
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
      server.requests.push({ method, path, headers, credentials: init.credentials, body });
      const scripted = server.answers[`${method} ${path}`];
      const answer: FakeAnswer = Array.isArray(scripted)
        ? (scripted.length > 1 ? scripted.shift() : scripted[0])!
        : (scripted ?? {
            status: 404,
            body: { error: { code: 'route_not_found', message: `no route ${method} ${path}` } },
          });
      const text = answer.body === undefined ? null : JSON.stringify(answer.body);
      return new Response(answer.status === 204 ? null : text, {
        status: answer.status,
        headers: { 'content-type': 'application/json', ...answer.headers },
      });
    },
  };
  return server;
}

/** Common answers. */
export const answer = {
  ok: (body: unknown, status = 200): FakeAnswer => ({ status, body }),
  noContent: (): FakeAnswer => ({ status: 204 }),
  error: (status: number, code: string, message: string, extra: Record<string, unknown> = {}): FakeAnswer => ({
    status,
    body: { error: { code, message, ...extra } },
  }),
};
