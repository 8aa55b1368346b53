import type {
  ActivityEntry,
  ActivityFeed,
  ApiKeyInfo,
  Comment,
  ApiKeyScope,
  ErrorBody,
  ErrorCode,
  Job,
  JobFilters,
  JobLogLine,
  JobStatus,
  JobTypeInfo,
  ListActivityQuery,
  Login,
  Me,
  Member,
  MemberRole,
  SavedView,
  Signup,
  SubmitJob,
  User,
  Workspace,
} from '@flightdeck/contract';
import type { BulkAction, BulkResult } from '../jobs-view/bulk-actions';
import type { OpsOverview, QueueDrain, QueueOverview } from '../ops/ops-overview';

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
    /** For `429 rate_limited`: how many seconds the server asks to wait (its `Retry-After`), when it said. */
    readonly retryAfterSeconds: number | null = null,
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

export interface ListJobsQuery extends JobFilters {
  status?: JobStatus;
  type?: string;
  limit?: number;
  cursor?: string;
}

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

/** What the console needs of the REST API; components depend on this shape, not on the class. */
export interface JobsApi {
  submitJob(input: SubmitJob): Promise<Job>;
  listJobs(query?: ListJobsQuery): Promise<JobList>;
  getJob(id: string): Promise<Job>;
}

/** A page of a job's log lines (oldest first) or comments (oldest first); `nextCursor` reads on. */
export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/** A token that lets anyone who has it watch one job (`<fd-job-status>`), until it expires. */
export interface JobToken {
  token: string;
  jobId: string;
  expiresAt: string;
}

/** One job's page: its logs, comments, claim, activity and the actions people take on it. */
export interface JobDetailsApi {
  getJob(id: string): Promise<Job>;
  jobLogs(id: string, query?: { cursor?: string; limit?: number }): Promise<Page<JobLogLine>>;
  jobComments(id: string, query?: { cursor?: string; limit?: number }): Promise<Page<Comment>>;
  addComment(id: string, body: string): Promise<Comment>;
  jobActivity(id: string): Promise<ActivityEntry[]>;
  claimJob(id: string): Promise<Job>;
  releaseJob(id: string): Promise<Job>;
  cancelJob(id: string): Promise<Job>;
  retryJob(id: string): Promise<Job>;
  promoteJob(id: string): Promise<Job>;
  createJobToken(id: string): Promise<JobToken>;
}

/** A workspace the caller belongs to, with the caller's role in it (`null` for an API key). */
export type MyWorkspace = Me['workspaces'][number];

/** What signing up or in answers: who signed in and the workspaces they belong to. */
export interface SessionAnswer {
  user: User;
  workspaces: MyWorkspace[];
}

/** A new API key: the only time its secret (`key`) is ever shown. */
export type CreatedApiKey = ApiKeyInfo & { key: string };

/** Signing up, in and out, and who the caller is. */
export interface AuthApi {
  signUp(input: Signup): Promise<SessionAnswer>;
  signIn(input: Login): Promise<SessionAnswer>;
  signOut(): Promise<void>;
  me(): Promise<Me>;
}

export interface WorkspacesApi {
  createWorkspace(input: { name: string }): Promise<Workspace>;
}

/** The members of the client's workspace. */
export interface MembersApi {
  listMembers(): Promise<Member[]>;
  addMember(input: { email: string; role: MemberRole }): Promise<Member>;
  updateMember(userId: string, input: { role: MemberRole }): Promise<Member>;
  removeMember(userId: string): Promise<void>;
}

/** The API keys of the client's workspace. */
export interface ApiKeysApi {
  listApiKeys(): Promise<ApiKeyInfo[]>;
  createApiKey(input: { name: string; scopes?: ApiKeyScope[] }): Promise<CreatedApiKey>;
  revokeApiKey(id: string): Promise<ApiKeyInfo>;
}

/** The deployment's queues, gateways and workers (the ops view), and pausing or draining a queue. */
export interface OpsApi {
  getOps(): Promise<OpsOverview>;
  pauseQueue(name: string): Promise<QueueOverview>;
  resumeQueue(name: string): Promise<QueueOverview>;
  drainQueue(name: string, input: { delayed: boolean }): Promise<QueueDrain>;
}

/** The workspace's saved views of the jobs (named filters, shared by everyone in it). */
export interface SavedViewsApi {
  listSavedViews(): Promise<SavedView[]>;
  createSavedView(input: { name: string; filters: JobFilters }): Promise<SavedView>;
  deleteSavedView(id: string): Promise<void>;
}

/** Retry or cancel many jobs at once; one result per id, in order (see bulk-actions.ts). */
export interface BulkJobsApi {
  bulkJobs(input: { action: BulkAction; ids: readonly string[] }): Promise<BulkResult[]>;
}

/** The workspace's activity: who did what to which job, newest first (see activity/activity-feed.ts). */
export interface ActivityApi {
  listActivity(query?: Partial<ListActivityQuery>): Promise<ActivityFeed>;
}

export interface RequestOptions {
  body?: unknown;
  /** Whether the call acts in a workspace: a session names it with `X-Workspace`. */
  scoped?: boolean;
  /** The call answers `204` without a body. */
  empty?: boolean;
}

/**
 * The REST API, as an API key or the signed-in person sees it. With a key, every call acts in the
 * key's workspace; with a session, workspace-scoped calls act in `options.workspace`.
 */
export class ApiClient
  implements
    JobsApi,
    AuthApi,
    WorkspacesApi,
    MembersApi,
    ApiKeysApi,
    JobDetailsApi,
    SavedViewsApi,
    BulkJobsApi,
    ActivityApi
{
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ApiClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    // Bound so that a detached `fetch` does not lose its `this` (window) in browsers.
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** The workspace that workspace-scoped session calls act in. */
  get workspace(): string | undefined {
    return this.options.workspace;
  }

  /** The same credentials acting in another workspace. */
  forWorkspace(workspace: string): ApiClient {
    return new ApiClient({ ...this.options, workspace });
  }

  /** `POST /v1/jobs`: the accepted job (status `queued` or `delayed`). */
  submitJob(input: SubmitJob): Promise<Job> {
    return this.request<Job>('POST', '/v1/jobs', { body: input, scoped: true });
  }

  /** `GET /v1/job-types`: the built-in types and the workspace's own. */
  async listJobTypes(): Promise<JobTypeInfo[]> {
    return (await this.request<{ types: JobTypeInfo[] }>('GET', '/v1/job-types', { scoped: true })).types;
  }

  /** `GET /v1/jobs`: newest first. */
  listJobs(query: ListJobsQuery = {}): Promise<JobList> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    const search = params.size > 0 ? `?${params}` : '';
    return this.request<JobList>('GET', `/v1/jobs${search}`, { scoped: true });
  }

  /** `GET /v1/jobs/{id}`. */
  getJob(id: string): Promise<Job> {
    return this.request<Job>('GET', `/v1/jobs/${encodeURIComponent(id)}`, { scoped: true });
  }

  /** `GET /v1/jobs/{id}/logs`: log lines oldest first; `nextCursor` reads the newer ones. */
  jobLogs(id: string, query: { cursor?: string; limit?: number } = {}): Promise<Page<JobLogLine>> {
    return this.request<Page<JobLogLine>>('GET', `${jobPath(id)}/logs${searchOf(query)}`, { scoped: true });
  }

  /** `GET /v1/jobs/{id}/comments`: oldest first. */
  jobComments(id: string, query: { cursor?: string; limit?: number } = {}): Promise<Page<Comment>> {
    return this.request<Page<Comment>>('GET', `${jobPath(id)}/comments${searchOf(query)}`, { scoped: true });
  }

  /** `POST /v1/jobs/{id}/comments`. */
  addComment(id: string, body: string): Promise<Comment> {
    return this.request<Comment>('POST', `${jobPath(id)}/comments`, { body: { body }, scoped: true });
  }

  /** `GET /v1/jobs/{id}/activity`: what happened to the job and who did what, oldest first. */
  async jobActivity(id: string): Promise<ActivityEntry[]> {
    return (await this.request<{ items: ActivityEntry[] }>('GET', `${jobPath(id)}/activity`, { scoped: true })).items;
  }

  /** `POST /v1/jobs/{id}/claim`: "I'm on it"; `409 job_claimed` names who holds it. */
  claimJob(id: string): Promise<Job> {
    return this.request<Job>('POST', `${jobPath(id)}/claim`, { scoped: true });
  }

  /** `DELETE /v1/jobs/{id}/claim`. */
  releaseJob(id: string): Promise<Job> {
    return this.request<Job>('DELETE', `${jobPath(id)}/claim`, { scoped: true });
  }

  /** `POST /v1/jobs/{id}/cancel`. */
  cancelJob(id: string): Promise<Job> {
    return this.request<Job>('POST', `${jobPath(id)}/cancel`, { scoped: true });
  }

  /** `POST /v1/jobs/{id}/retry`. */
  retryJob(id: string): Promise<Job> {
    return this.request<Job>('POST', `${jobPath(id)}/retry`, { scoped: true });
  }

  /** `POST /v1/jobs/{id}/promote`: a delayed job runs now. */
  promoteJob(id: string): Promise<Job> {
    return this.request<Job>('POST', `${jobPath(id)}/promote`, { scoped: true });
  }

  /** `POST /v1/jobs/{id}/token`: a token to watch this one job, e.g. with `<fd-job-status>`. */
  createJobToken(id: string): Promise<JobToken> {
    return this.request<JobToken>('POST', `${jobPath(id)}/token`, { body: {}, scoped: true });
  }

  /** `POST /v1/auth/signup`: a new account, signed in (the answer sets the session cookie). */
  signUp(input: Signup): Promise<SessionAnswer> {
    return this.request<SessionAnswer>('POST', '/v1/auth/signup', { body: input });
  }

  /** `POST /v1/auth/login`. */
  signIn(input: Login): Promise<SessionAnswer> {
    return this.request<SessionAnswer>('POST', '/v1/auth/login', { body: input });
  }

  /** `POST /v1/auth/logout`: ends the session (the cookie is httpOnly: only the server can clear it). */
  signOut(): Promise<void> {
    return this.request<void>('POST', '/v1/auth/logout', { empty: true });
  }

  /** `GET /v1/me`: the caller and their workspaces. */
  me(): Promise<Me> {
    return this.request<Me>('GET', '/v1/me');
  }

  /** `POST /v1/workspaces`: a new workspace, owned by the signed-in person. */
  createWorkspace(input: { name: string }): Promise<Workspace> {
    return this.request<Workspace>('POST', '/v1/workspaces', { body: input });
  }

  /** `GET /v1/members`. */
  async listMembers(): Promise<Member[]> {
    return (await this.request<{ items: Member[] }>('GET', '/v1/members', { scoped: true })).items;
  }

  /** `POST /v1/members`: adds a person who already has an account. */
  addMember(input: { email: string; role: MemberRole }): Promise<Member> {
    return this.request<Member>('POST', '/v1/members', { body: input, scoped: true });
  }

  /** `PATCH /v1/members/{userId}`: changes a member's role. */
  updateMember(userId: string, input: { role: MemberRole }): Promise<Member> {
    return this.request<Member>('PATCH', `/v1/members/${encodeURIComponent(userId)}`, {
      body: input,
      scoped: true,
    });
  }

  /** `DELETE /v1/members/{userId}`. */
  removeMember(userId: string): Promise<void> {
    return this.request<void>('DELETE', `/v1/members/${encodeURIComponent(userId)}`, { scoped: true, empty: true });
  }

  /** `GET /v1/api-keys`: the workspace's keys, without their secrets. */
  async listApiKeys(): Promise<ApiKeyInfo[]> {
    return (await this.request<{ items: ApiKeyInfo[] }>('GET', '/v1/api-keys', { scoped: true })).items;
  }

  /** `POST /v1/api-keys`: the new key, with its secret this one time. */
  createApiKey(input: { name: string; scopes?: ApiKeyScope[] }): Promise<CreatedApiKey> {
    return this.request<CreatedApiKey>('POST', '/v1/api-keys', { body: input, scoped: true });
  }

  /** `DELETE /v1/api-keys/{id}`: revokes the key at once; the answer has `revokedAt` set. */
  revokeApiKey(id: string): Promise<ApiKeyInfo> {
    return this.request<ApiKeyInfo>('DELETE', `/v1/api-keys/${encodeURIComponent(id)}`, { scoped: true });
  }

  /** `GET /v1/ops`: queue depth and scaling, gateways, workers running vs desired. */
  getOps(): Promise<OpsOverview> {
    return this.request<OpsOverview>('GET', '/v1/ops', { scoped: true });
  }

  /** `POST /v1/queues/{name}/pause`: workers take no new jobs from it; the queue after the action. */
  pauseQueue(name: string): Promise<QueueOverview> {
    return this.request<QueueOverview>('POST', `/v1/queues/${encodeURIComponent(name)}/pause`, { scoped: true });
  }

  /** `POST /v1/queues/{name}/resume`. */
  resumeQueue(name: string): Promise<QueueOverview> {
    return this.request<QueueOverview>('POST', `/v1/queues/${encodeURIComponent(name)}/resume`, { scoped: true });
  }

  /**
   * `POST /v1/queues/{name}/drain`: cancels every job waiting in the queue (and delayed ones when
   * `delayed`), whichever workspace it belongs to; the queue after it, and how many were cancelled.
   */
  drainQueue(name: string, input: { delayed: boolean }): Promise<QueueDrain> {
    return this.request<QueueDrain>('POST', `/v1/queues/${encodeURIComponent(name)}/drain`, {
      body: input,
      scoped: true,
    });
  }

  /** `GET /v1/views`: the workspace's saved views, oldest first. */
  async listSavedViews(): Promise<SavedView[]> {
    return (await this.request<{ items: SavedView[] }>('GET', '/v1/views', { scoped: true })).items;
  }

  /** `POST /v1/views`: saves filters under a name, for the whole workspace. */
  createSavedView(input: { name: string; filters: JobFilters }): Promise<SavedView> {
    return this.request<SavedView>('POST', '/v1/views', { body: input, scoped: true });
  }

  /** `DELETE /v1/views/{id}`: its creator or an admin. */
  deleteSavedView(id: string): Promise<void> {
    return this.request<void>('DELETE', `/v1/views/${encodeURIComponent(id)}`, { scoped: true, empty: true });
  }

  /** `GET /v1/activity`: the workspace's activity, newest first; `nextCursor` reads older entries. */
  listActivity(query: Partial<ListActivityQuery> = {}): Promise<ActivityFeed> {
    return this.request<ActivityFeed>('GET', `/v1/activity${searchOf(query)}`, { scoped: true });
  }

  /** `POST /v1/jobs/bulk`: at most 200 ids; each result says whether that job was acted on. */
  async bulkJobs(input: { action: BulkAction; ids: readonly string[] }): Promise<BulkResult[]> {
    return (await this.request<{ results: BulkResult[] }>('POST', '/v1/jobs/bulk', { body: input, scoped: true }))
      .results;
  }

  /** One call with these credentials; the API modules beside this one (fair-share-api.ts) build on it. */
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

const jobPath = (id: string) => `/v1/jobs/${encodeURIComponent(id)}`;

function searchOf(query: Record<string, string | number | undefined>): string {
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

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as Partial<ErrorBody> | undefined)?.error;
  return (
    typeof error === 'object' && error !== null && typeof error.message === 'string' && typeof error.code === 'string'
  );
}

/** The error a failed response stands for, with a message a person can act on. */
export function apiErrorFrom(
  response: Pick<Response, 'status' | 'statusText'> & { headers?: Pick<Headers, 'get'> },
  body: unknown,
): ApiError {
  const retryAfter = response.status === 429 ? retryAfterSeconds(response.headers?.get('retry-after') ?? null) : null;
  if (!isErrorBody(body)) {
    const reason = response.statusText ? ` ${response.statusText}` : '';
    const code =
      response.status === 401
        ? 'unauthorized'
        : response.status === 429
          ? 'rate_limited'
          : response.status >= 500
            ? 'internal_error'
            : 'invalid_response';
    return new ApiError(`Flightdeck answered HTTP ${response.status}${reason}.`, response.status, code, [], retryAfter);
  }
  const { code, message, issues = [] } = body.error;
  // Validation answers list each wrong field; that list reads better than a multi-line summary.
  const text =
    issues.length > 0 ? issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') : sentence(message);
  return new ApiError(text, response.status, code, issues, retryAfter);
}

/**
 * Seconds to wait from a `Retry-After` header: a number of seconds or an HTTP date (RFC 9110),
 * rounded up, at least 1; `null` when absent or unreadable.
 */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Math.max(1, Number(value));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(1, Math.ceil((at - now) / 1000));
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
