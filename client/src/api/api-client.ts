import type { ErrorBody, ErrorCode, Job, JobStatus, SubmitJob } from '@flightdeck/contract';

/** A failed API call: the contract's error body when the server sent one, else what went wrong on the way. */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    message: string,
    /** The HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The contract's machine-readable code, or `network_error` / `invalid_response` for failures on the way. */
    readonly code: ErrorCode | 'network_error' | 'invalid_response',
    /** Which fields were wrong, for validation errors (paths as the API names them, e.g. `payload.ms`). */
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
  }

  /** True when the credentials are missing, invalid or revoked: asking again with the same key will not help. */
  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

export interface JobList {
  items: Job[];
  nextCursor: string | null;
}

export interface ListJobsQuery {
  status?: JobStatus;
  type?: string;
  limit?: number;
  cursor?: string;
}

export interface ApiClientOptions {
  /** The API key the calls act with (`Authorization: Bearer <token>`). */
  token: string;
  /** Origin of the API; the page's own origin when omitted. */
  baseUrl?: string;
  /** For tests. */
  fetch?: typeof fetch;
}

/** What the console needs of the REST API; components depend on this shape, not on the class. */
export interface JobsApi {
  submitJob(input: SubmitJob): Promise<Job>;
  listJobs(query?: ListJobsQuery): Promise<JobList>;
  getJob(id: string): Promise<Job>;
}

/** The REST API of one workspace, as its API key sees it. */
export class ApiClient implements JobsApi {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    // Bound so that a detached `fetch` does not lose its `this` (window) in browsers.
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** `POST /v1/jobs`: the accepted job (status `queued` or `delayed`). */
  submitJob(input: SubmitJob): Promise<Job> {
    return this.request<Job>('POST', '/v1/jobs', input);
  }

  /** `GET /v1/jobs`: newest first. */
  listJobs(query: ListJobsQuery = {}): Promise<JobList> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    const search = params.size > 0 ? `?${params}` : '';
    return this.request<JobList>('GET', `/v1/jobs${search}`);
  }

  /** `GET /v1/jobs/{id}`. */
  getJob(id: string): Promise<Job> {
    return this.request<Job>('GET', `/v1/jobs/${encodeURIComponent(id)}`);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      accept: 'application/json',
    };
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await this.fetch(`${this.baseUrl}${path}`, init);
    } catch (error) {
      throw new ApiError(`Could not reach Flightdeck (${errorText(error)}).`, 0, 'network_error');
    }
    const parsed = await readJson(response);
    if (response.ok) {
      if (parsed === undefined)
        throw new ApiError(
          `Flightdeck answered ${method} ${path} with a body that is not JSON.`,
          response.status,
          'invalid_response',
        );
      return parsed as T;
    }
    throw apiErrorFrom(response, parsed);
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as Partial<ErrorBody> | undefined)?.error;
  return (
    typeof error === 'object' && error !== null && typeof error.message === 'string' && typeof error.code === 'string'
  );
}

/** The error a failed response stands for, with a message a person can act on. */
export function apiErrorFrom(response: Pick<Response, 'status' | 'statusText'>, body: unknown): ApiError {
  if (!isErrorBody(body)) {
    const reason = response.statusText ? ` ${response.statusText}` : '';
    const code =
      response.status === 401 ? 'unauthorized' : response.status >= 500 ? 'internal_error' : 'invalid_response';
    return new ApiError(`Flightdeck answered HTTP ${response.status}${reason}.`, response.status, code);
  }
  const { code, message, issues = [] } = body.error;
  // Validation answers list each wrong field; that list reads better than a multi-line summary.
  const text =
    issues.length > 0 ? issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') : sentence(message);
  return new ApiError(text, response.status, code, issues);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'The request failed.';
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
