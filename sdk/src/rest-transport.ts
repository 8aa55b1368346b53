import { FlightdeckError } from './errors';

/** Answers worth asking again a little later: too many requests, or Flightdeck's Redis or MongoDB away. */
const RETRYABLE = new Set([429, 503]);
const MAX_RETRIES = 3;
const MAX_RETRY_WAIT_MS = 5_000;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * JSON over HTTP with an API key. 429 and 503 are retried a few times after `Retry-After`: Flightdeck
 * answers 503 to a submit only when nothing was queued, so asking again cannot run a job twice.
 */
export class RestTransport {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly apiKey: string,
    private readonly fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init),
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    for (let retry = 0; ; retry++) {
      const response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      const parsed: unknown = text ? safeJson(text) : undefined;
      if (response.ok) return parsed as T;
      if (!RETRYABLE.has(response.status) || retry >= MAX_RETRIES)
        throw FlightdeckError.fromBody(response.status, parsed);
      const retryAfterSeconds = Number(response.headers.get('retry-after') ?? '1');
      await delay(Math.min(MAX_RETRY_WAIT_MS, Math.max(100, (retryAfterSeconds || 1) * 1000)));
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
