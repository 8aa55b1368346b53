import { ApiError, apiErrorFrom } from './api-error';

export interface ApiClientOptions {
  /**
   * An API key: every call acts with it (`Authorization: Bearer <token>`) in the key's workspace.
   * Without it, calls go with the browser's session cookie, and workspace-scoped calls name `workspace`.
   */
  token?: string;
  /** With a session: the slug of the workspace that workspace-scoped calls act in (`X-Workspace`). */
  workspace?: string;
  /** Origin of the API; the page's own origin when omitted. */
  baseUrl?: string;
  /** For tests. */
  fetch?: typeof fetch;
  /**
   * Called when a call is answered `401 unauthorized`: the session ended or the key was revoked.
   * (A wrong password is `invalid_credentials`, not this.)
   */
  onUnauthorized?: (error: ApiError) => void;
}

export interface RequestOptions {
  body?: unknown;
  /** Whether the call acts in a workspace: a session names it with `X-Workspace`. */
  scoped?: boolean;
  /** The call answers `204` without a body. */
  empty?: boolean;
}

/** One call with a client's credentials: what every area's calls (jobs-api.ts, accounts-api.ts, …) build on. */
export interface ApiRequester {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

/**
 * A class the area mixins extend (`JobsCalls(AccountsCalls(ApiTransport))`): anything that makes
 * requests. Mixins must take any constructor arguments (TypeScript's rule for mixin classes).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Requesting = abstract new (...args: any[]) => ApiRequester;

/**
 * Requests with an API key or the browser's session: JSON in and out, the contract's error body
 * as an {@link ApiError}, and `onUnauthorized` when the credentials no longer hold.
 */
export class ApiTransport implements ApiRequester {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(protected readonly options: ApiClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    // Bound so that a detached `fetch` does not lose its `this` (window) in browsers.
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** One call with these credentials. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const { token, workspace } = this.options;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    else if (options.scoped && workspace) headers['x-workspace'] = workspace;
    // A key is the whole identity of its calls; a session travels in its (httpOnly) cookie.
    const init: RequestInit = { method, headers, credentials: token ? 'omit' : 'same-origin' };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await this.fetch(`${this.baseUrl}${path}`, init);
    } catch (error) {
      throw new ApiError(`Could not reach Flightdeck (${errorText(error)}).`, 0, 'network_error');
    }
    if (response.ok && options.empty) return undefined as T;
    const parsed = await readJson(response);
    if (!response.ok) {
      const error = apiErrorFrom(response, parsed);
      if (error.code === 'unauthorized') this.options.onUnauthorized?.(error);
      throw error;
    }
    // The shapes are the contract's (its zod schemas' types); the server validates its own answers.
    if (parsed === undefined)
      throw new ApiError(
        `Flightdeck answered ${method} ${path} with a body that is not JSON.`,
        response.status,
        'invalid_response',
      );
    return parsed as T;
  }
}

/** `?name=value&…` of the values that are set; empty when none is. */
export function searchOf(query: object): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  return params.size > 0 ? `?${params}` : '';
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
