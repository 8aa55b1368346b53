import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import {
  API_KEY_SCOPES,
  MEMBER_ROLES,
  PERMISSIONS,
  type ApiKeyScope,
  type ErrorCode,
  type MemberRole,
  type Permission,
} from '@flightdeck/contract';
import { createApiKey, generateApiKey } from '../src/accounts/api-keys';
import { MembershipModel, UserModel, WorkspaceModel } from '../src/db/models';
import { startTestFlightdeck, type Person, type TestFlightdeck } from './support/flightdeck-harness';
import { httpClient, sessionClient, type HttpAnswer, type HttpClient } from './support/http-client';
import { closeAllClients, RealtimeClient, refusedHandshake } from './support/realtime-client';

// The permission matrix (issue 4): every REST endpoint under /v1 × every kind of caller (each member
// role, an API key with each single scope, a job token) × own workspace / another workspace, and the
// same for socket subscriptions. What each cell must answer is derived from PERMISSIONS (the one
// table in contract/src/permissions.ts) and the endpoint → permission map below, never written per
// cell: permitted → the endpoint's success status; permission missing → 403 `forbidden`; another
// workspace's resource → 404 `not_found`.

const ALLOWED_ORIGIN = 'https://console.example';

let app: TestFlightdeck;

// ---------------------------------------------------------------------------------------------
// Callers, and what the table says they may do

type Caller = { kind: 'person'; role: MemberRole } | { kind: 'apiKey'; scope: ApiKeyScope } | { kind: 'jobToken' };

const CALLERS: Caller[] = [
  ...MEMBER_ROLES.map((role) => ({ kind: 'person' as const, role })),
  ...API_KEY_SCOPES.map((scope) => ({ kind: 'apiKey' as const, scope })),
  { kind: 'jobToken' },
];

const labelOf = (caller: Caller): string =>
  caller.kind === 'person' ? caller.role : caller.kind === 'apiKey' ? `key[${caller.scope}]` : 'job token';

/**
 * Whether the table grants `permission` to the caller: a member whose role is at least as powerful
 * as the permission's least role (MEMBER_ROLES runs from the most to the least powerful); a key
 * holding the permission's scope, or `admin`, which includes every scope; people-only permissions
 * (scope null) to no key. A job token reads its own job and nothing else (`jobToken` routes).
 */
function granted(caller: Caller, permission: Permission, jobTokenRoute: boolean): boolean {
  const rule = PERMISSIONS[permission];
  switch (caller.kind) {
    case 'person':
      return MEMBER_ROLES.indexOf(caller.role) <= MEMBER_ROLES.indexOf(rule.role);
    case 'apiKey':
      return rule.scope !== null && (caller.scope === rule.scope || caller.scope === 'admin');
    case 'jobToken':
      return jobTokenRoute && permission === 'jobs:read';
  }
}

// ---------------------------------------------------------------------------------------------
// Workspaces and their resources

/** A workspace with one of each resource, and an admin key to set things up in it. */
interface Workspace {
  id: string;
  slug: string;
  /** Acts with an admin-scoped key of the workspace (set-up only, never a cell's caller). */
  admin: HttpClient;
  /** The callers' API keys, by scope, and a job token for `job` (A: all; fresh workspaces: the one a cell needs). */
  keys: Partial<Record<ApiKeyScope, string>>;
  jobToken?: string;
  job: string;
  /** A second job, which the job token does not open. */
  otherJob: string;
  schedule: string;
  artifact: string;
  /** A job type registered in the workspace (its name, unique to it). */
  jobType: string;
  /** A member (role viewer) that the matrix re-roles. */
  memberUserId: string;
  /** Every id of the workspace's resources: none may show in another workspace's answers. */
  ids: string[];
}

/** The matrix's callers' workspace, where `people` hold their roles. */
let A: Workspace;
/** Another workspace, owned by someone else, with one of everything. */
let B: Workspace;
const people = {} as Record<MemberRole, Person>;

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
/** A job that waits an hour: submits are cheap, and nothing runs during the matrix. */
const delayedJob = { type: 'demo.sleep', payload: { ms: 0 }, delayMs: 3_600_000 };
const yearlySchedule = (name: string) => ({ name, cron: '0 0 1 1 *', job: { type: 'demo.sleep', payload: { ms: 0 } } });

async function ok(answer: Promise<HttpAnswer>, status: number, what: string): Promise<HttpAnswer> {
  const settled = await answer;
  if (settled.status !== status)
    throw new Error(`${what}: expected ${status}, got ${settled.status} ${JSON.stringify(settled.body)}`);
  return settled;
}

/** A workspace made directly in MongoDB (cheap), with an admin key for setting it up. */
async function bareWorkspace(name: string): Promise<Pick<Workspace, 'id' | 'slug' | 'admin' | 'keys'>> {
  const id = ulid();
  const slug = unique(name);
  await WorkspaceModel.create({ _id: id, slug, name: slug });
  const key = generateApiKey();
  await createApiKey({ workspaceId: id, name: 'set-up', key, scopes: ['admin'] });
  return { id, slug, admin: httpClient(app.url, key), keys: {} };
}

/** A user who exists but never signs in (no password check happens for them). */
async function bareUser(): Promise<{ id: string; email: string }> {
  const id = ulid();
  const email = `${unique('user')}@example.test`;
  await UserModel.create({ _id: id, email, name: email, passwordHash: 'never-signs-in' });
  return { id, email };
}

async function addMembership(workspaceId: string, userId: string, role: MemberRole): Promise<void> {
  await MembershipModel.create({ _id: ulid(), workspaceId, userId, role });
}

async function submitDelayed(ws: Pick<Workspace, 'admin'>): Promise<string> {
  return (await ok(ws.admin.post('/v1/jobs', delayedJob), 202, 'submit')).body.id;
}

/** A new delayed job on which the set-up key has done `action` first (`POST /v1/jobs/:id/<action>`). */
const delayedJobAfter = (action: string) => async (ws: Pick<Workspace, 'admin'>) => {
  const id = await submitDelayed(ws);
  await ok(ws.admin.post(`/v1/jobs/${id}/${action}`), 200, action);
  return id;
};

async function issueJobToken(ws: Pick<Workspace, 'admin'>, jobId: string): Promise<string> {
  return (await ok(ws.admin.post(`/v1/jobs/${jobId}/token`, {}), 201, 'job token')).body.token;
}

/** A workspace with one of each resource and a key per scope. */
async function furnish(base: Pick<Workspace, 'id' | 'slug' | 'admin'>): Promise<Workspace> {
  const keys: Partial<Record<ApiKeyScope, string>> = {};
  for (const scope of API_KEY_SCOPES) {
    keys[scope] = (
      await ok(base.admin.post('/v1/api-keys', { name: `key ${scope}`, scopes: [scope] }), 201, 'key')
    ).body.key;
  }
  const job = await submitDelayed(base);
  const otherJob = await submitDelayed(base);
  const schedule = (await ok(base.admin.post('/v1/schedules', yearlySchedule('fixture')), 201, 'schedule')).body.id;
  const artifact = (
    await ok(
      base.admin.request('POST', `/v1/artifacts?name=fixture.txt&jobId=${job}`, 'fixture', {
        'content-type': 'text/plain',
      }),
      201,
      'artifact',
    )
  ).body.id;
  const jobType = unique('fixture.type').replace('-', '.');
  await ok(base.admin.request('PUT', `/v1/job-types/${jobType}`, { payloadSchema: { type: 'object' } }), 201, 'type');
  const member = await bareUser();
  await addMembership(base.id, member.id, 'viewer');
  const keyList = (await ok(base.admin.get('/v1/api-keys'), 200, 'keys')).body.items as { id: string }[];
  return {
    ...base,
    keys,
    jobToken: await issueJobToken(base, job),
    job,
    otherJob,
    schedule,
    artifact,
    jobType,
    memberUserId: member.id,
    ids: [base.id, job, otherJob, schedule, artifact, jobType, member.id, ...keyList.map((key) => key.id)],
  };
}

/**
 * For DELETE /v1/workspace: a new workspace whose only caller is `caller` (a person of A with that
 * role made a member of it, a key with that scope, or a job token of one of its jobs), so a
 * permitted cell deletes nothing the other cells need.
 */
async function freshHome(caller: Caller): Promise<Workspace> {
  const base = await bareWorkspace('matrix-doomed');
  const home: Workspace = {
    ...base,
    job: '',
    otherJob: '',
    schedule: '',
    artifact: '',
    jobType: '',
    memberUserId: '',
    ids: [base.id],
  };
  if (caller.kind === 'person') await addMembership(base.id, people[caller.role].user.id, caller.role);
  if (caller.kind === 'apiKey') {
    const key = generateApiKey();
    await createApiKey({ workspaceId: base.id, name: 'caller', key, scopes: [caller.scope] });
    home.keys[caller.scope] = key;
  }
  if (caller.kind === 'jobToken') home.jobToken = await issueJobToken(base, (home.job = await submitDelayed(base)));
  return home;
}

// ---------------------------------------------------------------------------------------------
// Every endpoint under /v1 that acts in a workspace, and the permission it needs

interface CellRequest {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  permission: Permission;
  /** A second permission, checked only once the resource is found (so another workspace's is still 404). */
  afterLookup?: Permission;
  /** The route opens to a job token for its own job (`requirePermission(…, { jobToken: true })`). */
  jobToken?: boolean;
  /**
   * What the request names. `resource`: something of a workspace by id (another workspace's: 404);
   * `workspace`: the workspace it acts in as a whole; `deployment`: deployment-wide (queues).
   */
  scope: 'resource' | 'workspace' | 'deployment';
  /** The status of a permitted request: the action always applies, as every cell gets its own target. */
  success: number;
  /** The request in workspace `ws` (the caller's own, or for a `resource` of another workspace, that one). */
  request?: (ws: Workspace) => CellRequest | Promise<CellRequest>;
  /** Only the operator workspace (`default`) may call it, whatever the role: in A it is always 403. */
  operatorOnly?: boolean;
  /** Deletes the caller's own workspace: the caller gets a fresh one per cell (see `freshHome`). */
  freshHome?: boolean;
}

const jobId = (id: (ws: Workspace) => string | Promise<string>) => async (ws: Workspace) => ({
  params: { id: await id(ws) },
});
/** A request on the workspace's job (`ws.job`) that answers 200: a `jobs:read` GET unless `more` says otherwise. */
const onTheJob = (path: string, more: Partial<Endpoint> = {}): Endpoint => ({
  method: 'GET',
  path,
  permission: 'jobs:read',
  scope: 'resource',
  success: 200,
  request: jobId((ws) => ws.job),
  ...more,
});
/** An action that answers 200 on a job made for the cell (by `job`: a new delayed one unless said). */
const onANewJob = (
  method: Endpoint['method'],
  path: string,
  permission: Permission,
  job: (ws: Workspace) => Promise<string> = submitDelayed,
  more: Partial<Endpoint> = {},
): Endpoint => ({ method, path, permission, scope: 'resource', success: 200, request: jobId(job), ...more });
/** `params.id` of something the set-up key makes for the cell (`make` must answer 201 with its id). */
const madeForTheCell = (what: string, make: (ws: Workspace) => Promise<HttpAnswer>) => async (ws: Workspace) => ({
  params: { id: (await ok(make(ws), 201, what)).body.id as string },
});
/** The queue the matrix pauses and resumes: none of its tests run image jobs. */
const QUEUE = 'image';
/** POST /v1/queues/:name/<action> on QUEUE: the deployment's, so only the operator workspace ("default") may, never A. */
const onTheQueue = (action: 'pause' | 'resume' | 'drain', body?: unknown): Endpoint => ({
  method: 'POST',
  path: `/v1/queues/:name/${action}`,
  permission: 'queues:write',
  operatorOnly: true,
  scope: 'deployment',
  success: 200,
  request: () => ({ params: { name: QUEUE }, ...(body === undefined ? {} : { body }) }),
});

const ENDPOINTS: Endpoint[] = [
  // jobs.routes.ts
  {
    method: 'POST',
    path: '/v1/jobs/batch',
    permission: 'jobs:write',
    scope: 'workspace',
    success: 202,
    request: () => ({ body: { jobs: [delayedJob, delayedJob] } }),
  },
  {
    method: 'POST',
    path: '/v1/jobs',
    permission: 'jobs:write',
    scope: 'workspace',
    success: 202,
    request: () => ({ body: delayedJob }),
  },
  { method: 'GET', path: '/v1/jobs', permission: 'jobs:read', scope: 'workspace', success: 200 },
  onTheJob('/v1/jobs/:id', { jobToken: true }),
  // A delayed job can be cancelled and promoted, a cancelled one retried: each cell gets a new one.
  onANewJob('POST', '/v1/jobs/:id/cancel', 'jobs:write'),
  onANewJob('POST', '/v1/jobs/:id/retry', 'jobs:write', delayedJobAfter('cancel')),
  onANewJob('POST', '/v1/jobs/:id/promote', 'jobs:write'),
  onTheJob('/v1/jobs/:id/logs', { jobToken: true }),
  {
    method: 'POST',
    path: '/v1/jobs/:id/token',
    permission: 'jobs:share',
    scope: 'resource',
    success: 201,
    request: async (ws) => ({ params: { id: ws.job }, body: { ttlSeconds: 60 } }),
  },
  // collaboration.routes.ts
  {
    method: 'POST',
    path: '/v1/jobs/:id/comments',
    permission: 'jobs:collaborate',
    scope: 'resource',
    success: 201,
    request: (ws) => ({ params: { id: ws.job }, body: { body: 'matrix' } }),
  },
  onTheJob('/v1/jobs/:id/comments'),
  // A claim is exclusive: each cell claims a job of its own.
  onANewJob('POST', '/v1/jobs/:id/claim', 'jobs:collaborate'),
  // Someone else holds it (the set-up key): releasing it also takes claims:override.
  onANewJob('DELETE', '/v1/jobs/:id/claim', 'jobs:collaborate', delayedJobAfter('claim'), {
    afterLookup: 'claims:override',
  }),
  onTheJob('/v1/jobs/:id/activity'),
  { method: 'GET', path: '/v1/activity', permission: 'jobs:read', scope: 'workspace', success: 200 },
  // webhooks.routes.ts
  onTheJob('/v1/jobs/:id/webhooks', { permission: 'webhooks:read' }),
  { method: 'GET', path: '/v1/webhooks/secret', permission: 'webhooks:write', scope: 'workspace', success: 200 },
  { method: 'GET', path: '/v1/webhooks/endpoints', permission: 'webhooks:read', scope: 'workspace', success: 200 },
  {
    method: 'POST',
    path: '/v1/webhooks/endpoints',
    permission: 'webhooks:write',
    scope: 'workspace',
    success: 201,
    request: () => ({ body: { url: 'http://127.0.0.1:9/matrix' } }),
  },
  {
    method: 'DELETE',
    path: '/v1/webhooks/endpoints/:id',
    permission: 'webhooks:write',
    scope: 'resource',
    success: 204,
    request: madeForTheCell('endpoint', (ws) =>
      ws.admin.post('/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/x' }),
    ),
  },
  {
    method: 'POST',
    path: '/v1/webhooks/secret/rotate',
    permission: 'webhooks:write',
    scope: 'workspace',
    success: 200,
  },
  // artifacts.routes.ts (wired in api-app.ts)
  {
    method: 'POST',
    path: '/v1/artifacts',
    permission: 'jobs:write',
    // Attached to a job: another workspace's job is not found.
    scope: 'resource',
    success: 201,
    request: (ws) => ({
      query: { name: 'matrix.txt', jobId: ws.job },
      body: 'matrix',
      headers: { 'content-type': 'text/plain' },
    }),
  },
  {
    method: 'GET',
    path: '/v1/artifacts/:id',
    permission: 'jobs:read',
    scope: 'resource',
    success: 200,
    request: (ws) => ({ params: { id: ws.artifact } }),
  },
  // Each cell deletes an artifact of its own.
  {
    method: 'DELETE',
    path: '/v1/artifacts/:id',
    permission: 'artifacts:delete',
    scope: 'resource',
    success: 204,
    request: madeForTheCell('artifact', (ws) =>
      ws.admin.request('POST', '/v1/artifacts?name=doomed.txt', 'doomed', { 'content-type': 'text/plain' }),
    ),
  },
  onTheJob('/v1/jobs/:id/artifacts'),
  {
    method: 'POST',
    path: '/v1/jobs/bulk',
    permission: 'jobs:write',
    scope: 'workspace',
    success: 200,
    request: async (ws) => ({ body: { action: 'cancel', ids: [await submitDelayed(ws)] } }),
  },
  { method: 'GET', path: '/v1/views', permission: 'jobs:read', scope: 'workspace', success: 200 },
  {
    method: 'POST',
    path: '/v1/views',
    permission: 'jobs:collaborate',
    scope: 'workspace',
    success: 201,
    request: () => ({ body: { name: 'matrix', filters: { status: 'failed' } } }),
  },
  {
    method: 'DELETE',
    path: '/v1/views/:id',
    permission: 'jobs:collaborate',
    // Someone else made it (the set-up key): deleting it also takes claims:override.
    afterLookup: 'claims:override',
    scope: 'resource',
    success: 204,
    request: madeForTheCell('view', (ws) => ws.admin.post('/v1/views', { name: 'matrix', filters: {} })),
  },
  // queues.routes.ts: queues belong to the deployment, not to a workspace (every workspace's jobs
  // share them), so the "another workspace" dimension does not apply to them: own cells only.
  { method: 'GET', path: '/v1/queues', permission: 'queues:read', scope: 'deployment', success: 200 },
  { method: 'GET', path: '/v1/ops', permission: 'queues:read', scope: 'deployment', success: 200 },
  onTheQueue('pause'),
  onTheQueue('resume'),
  onTheQueue('drain', { delayed: false }),
  // fair-share.routes.ts: anyone who reads jobs sees their own workspace's line (never another's);
  // limits are the deployment's, set only from the operator workspace ("default"), never from A.
  { method: 'GET', path: '/v1/fair-share', permission: 'jobs:read', scope: 'workspace', success: 200 },
  {
    method: 'PUT',
    path: '/v1/workspaces/:workspaceId/limits',
    permission: 'queues:write',
    operatorOnly: true,
    scope: 'deployment',
    success: 200,
    request: (ws) => ({ params: { workspaceId: ws.id }, body: { weight: 2 } }),
  },
  // job-types.routes.ts
  { method: 'GET', path: '/v1/job-types', permission: 'job-types:read', scope: 'workspace', success: 200 },
  {
    method: 'GET',
    path: '/v1/job-types/:name',
    permission: 'job-types:read',
    scope: 'resource',
    success: 200,
    request: (ws) => ({ params: { name: ws.jobType } }),
  },
  // A new name per cell: registering it is a new type (201).
  {
    method: 'PUT',
    path: '/v1/job-types/:name',
    permission: 'job-types:write',
    scope: 'workspace',
    success: 201,
    request: () => ({
      params: { name: unique('cell.type').replace('-', '.') },
      body: { payloadSchema: { type: 'object' } },
    }),
  },
  // schedules.routes.ts
  {
    method: 'POST',
    path: '/v1/schedules',
    permission: 'schedules:write',
    scope: 'workspace',
    success: 201,
    request: () => ({ body: yearlySchedule('matrix') }),
  },
  { method: 'GET', path: '/v1/schedules', permission: 'schedules:read', scope: 'workspace', success: 200 },
  {
    method: 'GET',
    path: '/v1/schedules/:id',
    permission: 'schedules:read',
    scope: 'resource',
    success: 200,
    request: (ws) => ({ params: { id: ws.schedule } }),
  },
  {
    method: 'PATCH',
    path: '/v1/schedules/:id',
    permission: 'schedules:write',
    scope: 'resource',
    success: 200,
    request: (ws) => ({ params: { id: ws.schedule }, body: { name: 'fixture' } }),
  },
  {
    method: 'DELETE',
    path: '/v1/schedules/:id',
    permission: 'schedules:write',
    scope: 'resource',
    success: 204,
    request: madeForTheCell('schedule', (ws) => ws.admin.post('/v1/schedules', yearlySchedule('doomed'))),
  },
  // workspace.routes.ts
  { method: 'GET', path: '/v1/workspace', permission: 'jobs:read', scope: 'workspace', success: 200 },
  {
    method: 'PATCH',
    path: '/v1/workspace',
    permission: 'workspace:write',
    scope: 'workspace',
    success: 200,
    request: (ws) => ({ body: { name: ws.slug } }),
  },
  {
    method: 'DELETE',
    path: '/v1/workspace',
    permission: 'workspace:delete',
    scope: 'workspace',
    success: 204,
    freshHome: true,
  },
  { method: 'GET', path: '/v1/members', permission: 'members:read', scope: 'workspace', success: 200 },
  {
    method: 'POST',
    path: '/v1/members',
    permission: 'members:write',
    scope: 'workspace',
    success: 201,
    request: async () => ({ body: { email: (await bareUser()).email, role: 'viewer' } }),
  },
  {
    method: 'PATCH',
    path: '/v1/members/:userId',
    permission: 'members:write',
    scope: 'resource',
    success: 200,
    request: (ws) => ({ params: { userId: ws.memberUserId }, body: { role: 'viewer' } }),
  },
  // Removing someone else (leaving on one's own needs only jobs:read: see below).
  {
    method: 'DELETE',
    path: '/v1/members/:userId',
    permission: 'members:write',
    scope: 'resource',
    success: 204,
    request: async (ws) => {
      const user = await bareUser();
      await addMembership(ws.id, user.id, 'viewer');
      return { params: { userId: user.id } };
    },
  },
  // api-keys.routes.ts
  { method: 'GET', path: '/v1/api-keys', permission: 'api-keys:read', scope: 'workspace', success: 200 },
  {
    method: 'POST',
    path: '/v1/api-keys',
    permission: 'api-keys:write',
    scope: 'workspace',
    success: 201,
    request: () => ({ body: { name: 'matrix', scopes: ['jobs:read'] } }),
  },
  {
    method: 'DELETE',
    path: '/v1/api-keys/:id',
    permission: 'api-keys:write',
    scope: 'resource',
    success: 200,
    request: madeForTheCell('key', (ws) => ws.admin.post('/v1/api-keys', { name: 'doomed' })),
  },
  // audit.routes.ts
  { method: 'GET', path: '/v1/audit', permission: 'audit:read', scope: 'workspace', success: 200 },
];

// ---------------------------------------------------------------------------------------------
// The cells

type Where = 'own' | 'other';
type Expected = { status: number; code?: ErrorCode };

/**
 * What a cell must answer. A person naming another workspace (X-Workspace) they are not a member of
 * is not found before anything else; otherwise a missing permission is 403 (checked before the
 * resource is looked up, so it reveals nothing), and another workspace's resource is 404.
 */
function expectedOf(endpoint: Endpoint, caller: Caller, where: Where): Expected {
  if (where === 'other' && endpoint.scope === 'workspace' && caller.kind === 'person')
    return { status: 404, code: 'not_found' };
  if (!granted(caller, endpoint.permission, endpoint.jobToken === true)) return { status: 403, code: 'forbidden' };
  if (where === 'other' && endpoint.scope === 'resource') return { status: 404, code: 'not_found' };
  if (endpoint.afterLookup && !granted(caller, endpoint.afterLookup, false)) return { status: 403, code: 'forbidden' };
  if (endpoint.operatorOnly) return { status: 403, code: 'forbidden' };
  return { status: endpoint.success };
}

const describeExpected = ({ status, code }: Expected) => (code ? `${status} ${code}` : `${status}`);

/**
 * How "another workspace" is reached: a resource of B named by id while acting in A; or, for an
 * endpoint about the workspace as a whole, X-Workspace naming B — which a person is not a member of
 * (404), and which API keys and job tokens do not read (they act in their own workspace whatever the
 * header says: the answer is their own workspace's, with nothing of B in it).
 */
const whereLabel = (endpoint: Endpoint, where: Where) =>
  where === 'own'
    ? 'own workspace'
    : endpoint.scope === 'resource'
      ? "another workspace's resource"
      : 'X-Workspace: another workspace';

const cells = ENDPOINTS.flatMap((endpoint) =>
  CALLERS.flatMap((caller) =>
    (endpoint.scope === 'deployment' ? (['own'] as const) : (['own', 'other'] as const)).map((where) => {
      const expected = expectedOf(endpoint, caller, where);
      return {
        name: `${endpoint.method} ${endpoint.path} · ${labelOf(caller)} · ${whereLabel(endpoint, where)} → ${describeExpected(expected)}`,
        endpoint,
        caller,
        where,
        expected,
      };
    }),
  ),
);

/** The caller's client, acting in `home` — or naming `slug` instead (X-Workspace). */
function clientOf(caller: Caller, home: Workspace, slug: string): HttpClient {
  if (caller.kind === 'person') return sessionClient(app.url, people[caller.role].cookie, slug);
  const bearer = caller.kind === 'apiKey' ? home.keys[caller.scope] : home.jobToken;
  if (!bearer) throw new Error(`no ${labelOf(caller)} in workspace ${home.slug}`);
  return httpClient(app.url, bearer, slug === home.slug ? {} : { 'x-workspace': slug });
}

function pathOf(endpoint: Endpoint, request: CellRequest): string {
  const path = endpoint.path.replace(/:(\w+)/g, (_match, name: string) => {
    const value = request.params?.[name];
    if (!value) throw new Error(`no value for :${name} of ${endpoint.path}`);
    return encodeURIComponent(value);
  });
  return request.query ? `${path}?${new URLSearchParams(request.query)}` : path;
}

beforeAll(async () => {
  app = await startTestFlightdeck({ CORS_ORIGINS: ALLOWED_ORIGIN });
  const owner = await app.signup('Matrix Owner');
  people.owner = owner;
  const ownerHttp = owner.http;
  for (const role of ['admin', 'member', 'viewer'] as const) {
    people[role] = await app.signup(`Matrix ${role}`);
    await ok(ownerHttp.post('/v1/members', { email: people[role].user.email, role }), 201, `add ${role}`);
  }
  const adminKey = (await ok(ownerHttp.post('/v1/api-keys', { name: 'set-up', scopes: ['admin'] }), 201, 'admin key'))
    .body.key;
  A = await furnish({ id: owner.workspaceId, slug: owner.slug, admin: httpClient(app.url, adminKey) });

  const stranger = await app.signup('Matrix Stranger');
  const strangerKey = (await ok(stranger.http.post('/v1/api-keys', { name: 'set-up', scopes: ['admin'] }), 201, 'key'))
    .body.key;
  B = await furnish({ id: stranger.workspaceId, slug: stranger.slug, admin: httpClient(app.url, strangerKey) });
  B.ids.push(stranger.user.id);
});
afterEach(() => closeAllClients());
afterAll(() => app?.stop());

describe('REST: endpoint × caller × workspace', () => {
  test.each(cells)('$name', async ({ endpoint, caller, where, expected }) => {
    const home = endpoint.freshHome ? await freshHome(caller) : A;
    const addressed = where === 'other' && endpoint.scope === 'resource' ? B : home;
    const request = (await endpoint.request?.(addressed)) ?? {};
    const slug = where === 'other' && endpoint.scope === 'workspace' ? B.slug : home.slug;
    const answer = await clientOf(caller, home, slug).request(
      endpoint.method,
      pathOf(endpoint, request),
      request.body,
      request.headers,
    );

    expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({
      status: expected.status,
      code: expected.code,
    });
    if (answer.status < 300) {
      // Whatever a caller of A is shown, nothing of B is in it.
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null);
      expect(B.ids.filter((id) => text.includes(id))).toEqual([]);
    }
  });
});

describe('REST: beyond the matrix', () => {
  it('lets the operator workspace ("default") pause, resume and drain the shared queues', async () => {
    expect((await app.http.post(`/v1/queues/${QUEUE}/pause`)).body).toMatchObject({ name: QUEUE, paused: true });
    expect((await app.http.post(`/v1/queues/${QUEUE}/resume`)).body).toMatchObject({ name: QUEUE, paused: false });
    expect((await app.http.post(`/v1/queues/${QUEUE}/drain`)).body).toMatchObject({
      queue: { name: QUEUE },
      drained: 0,
    });
    for (const action of ['pause', 'drain']) {
      const refused = await people.owner.http.post(`/v1/queues/${QUEUE}/${action}`);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/operator workspace/);
    }
  });

  it('covers every operation of the OpenAPI document under /v1 (but the account routes, tested below)', async () => {
    const document = await httpClient(app.url).get('/v1/openapi.json');
    const documented = Object.entries(document.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const accountRoutes = /^(POST \/v1\/auth\/|GET \/v1\/me$|POST \/v1\/workspaces$)/;
    const inWorkspace = documented.filter((operation) => operation.includes(' /v1/') && !accountRoutes.test(operation));
    const matrix = ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(new Set(matrix).size).toBe(matrix.length);
    expect([...matrix].sort()).toEqual([...inWorkspace].sort());
  });

  const jobTokenEndpoints = ENDPOINTS.filter((endpoint) => endpoint.jobToken);

  test.each(jobTokenEndpoints.map((endpoint) => ({ name: `${endpoint.method} ${endpoint.path}`, endpoint })))(
    'a job token does not open another job of its own workspace: $name → 404',
    async ({ endpoint }) => {
      const answer = await httpClient(app.url, A.jobToken).request(
        endpoint.method,
        endpoint.path.replace(':id', A.otherJob),
      );
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
    },
  );

  it('every member may leave a workspace on their own (DELETE /v1/members/{their id} needs only jobs:read)', async () => {
    const leaver = await app.signup('Matrix Leaver');
    await ok(people.owner.http.post('/v1/members', { email: leaver.user.email, role: 'viewer' }), 201, 'add');
    const there = leaver.in(A.slug);
    expect((await there.get('/v1/jobs')).status).toBe(200);
    expect((await there.delete(`/v1/members/${leaver.user.id}`)).status).toBe(204);
    expect((await there.get('/v1/jobs')).status).toBe(404);
  });

  it('outside any workspace: /v1/me for people and keys, not job tokens; only people create workspaces', async () => {
    for (const role of MEMBER_ROLES) {
      const me = await sessionClient(app.url, people[role].cookie).get('/v1/me');
      expect(me.status).toBe(200);
      expect(me.body.workspaces).toContainEqual(expect.objectContaining({ id: A.id, role }));
      expect(JSON.stringify(me.body)).not.toContain(B.id);
    }
    for (const scope of API_KEY_SCOPES) {
      const me = await httpClient(app.url, A.keys[scope]).get('/v1/me');
      expect(me.status).toBe(200);
      expect(me.body.workspaces).toEqual([expect.objectContaining({ id: A.id, role: null })]);
      const create = await httpClient(app.url, A.keys[scope]).post('/v1/workspaces', { name: 'by a key' });
      expect(create.status).toBe(403);
    }
    const viaToken = httpClient(app.url, A.jobToken);
    expect((await viaToken.get('/v1/me')).status).toBe(403);
    expect((await viaToken.post('/v1/workspaces', { name: 'by a token' })).status).toBe(403);
    const created = await sessionClient(app.url, people.viewer.cookie).post('/v1/workspaces', { name: 'Viewer Own' });
    expect(created.status).toBe(201);
  });

  it('answers 401 without credentials or with bad ones, whatever the endpoint', async () => {
    for (const endpoint of ENDPOINTS) {
      const path = endpoint.path.replace(/:(\w+)/g, 'x');
      for (const client of [httpClient(app.url), httpClient(app.url, 'fd_not-a-key')]) {
        const answer = await client.request(endpoint.method, path);
        expect([endpoint.path, answer.status, answer.body.error.code]).toEqual([endpoint.path, 401, 'unauthorized']);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Socket subscriptions

type Topic = 'workspace' | 'token job' | 'another job' | "another workspace's job";
const TOPICS: Topic[] = ['workspace', 'token job', 'another job', "another workspace's job"];

/**
 * What a subscription must answer: the stream carries whole jobs, so subscribing needs `jobs:read`
 * (every role has it; keys need the scope); another workspace's job is not found; a job token
 * subscribes to its own job only (`forbidden` for the workspace topic, `not_found` for other jobs).
 */
function expectedAck(caller: Caller, topic: Topic): 'ok' | ErrorCode {
  if (caller.kind === 'jobToken')
    return topic === 'workspace' ? 'forbidden' : topic === 'token job' ? 'ok' : 'not_found';
  if (!granted(caller, 'jobs:read', false)) return 'forbidden';
  return topic === "another workspace's job" ? 'not_found' : 'ok';
}

const subscriptionOf = (topic: Topic) =>
  topic === 'workspace'
    ? { topic: 'workspace' as const }
    : { topic: 'job' as const, id: topic === 'token job' ? A.job : topic === 'another job' ? A.otherJob : B.job };

/** Connects as the caller of workspace A: people as the console does (cookie, Origin, auth.workspace). */
function connectAs(caller: Caller): Promise<RealtimeClient> {
  if (caller.kind === 'person') {
    return RealtimeClient.open(app.url, {
      auth: { workspace: A.slug },
      headers: { cookie: people[caller.role].cookie, origin: app.url },
    });
  }
  return RealtimeClient.connect(app.url, caller.kind === 'apiKey' ? A.keys[caller.scope] : A.jobToken);
}

describe('Socket.io: caller × subscription', () => {
  const subscriptionCells = CALLERS.flatMap((caller) =>
    TOPICS.map((topic) => {
      const expected = expectedAck(caller, topic);
      return { name: `${labelOf(caller)} · ${topic} → ${expected}`, caller, topic, expected };
    }),
  );

  test.each(subscriptionCells)('$name', async ({ caller, topic, expected }) => {
    const client = await connectAs(caller);
    const ack = await client.subscribe(subscriptionOf(topic));
    if (expected === 'ok') expect(ack).toEqual({ ok: true, seq: expect.any(Number) });
    else expect(ack).toEqual({ ok: false, error: { code: expected, message: expect.any(String) } });
  });
});

describe('Socket.io: handshake', () => {
  const session = (role: MemberRole, headers: Record<string, string>, workspace?: string) => ({
    ...(workspace === undefined ? {} : { auth: { workspace } }),
    headers: { cookie: people[role].cookie, ...headers },
  });

  it('accepts a session cookie from our own origin or a configured one', async () => {
    for (const origin of [app.url, ALLOWED_ORIGIN]) {
      const client = await RealtimeClient.open(app.url, session('viewer', { origin }, A.slug));
      expect(await client.subscribe({ topic: 'workspace' })).toMatchObject({ ok: true });
      client.close();
    }
  });

  it.each([
    ['another origin', 'https://evil.example'],
    ['a sandboxed page (Origin: null)', 'null'],
  ])('refuses a session cookie from %s: csrf_rejected', async (_what, origin) => {
    const error = await refusedHandshake(app.url, session('owner', { origin }, A.slug));
    expect(error.data?.code).toBe('csrf_rejected');
  });

  it('refuses a session naming a workspace they are not a member of: not_found', async () => {
    for (const slug of [B.slug, 'no-such-workspace']) {
      const error = await refusedHandshake(app.url, session('owner', { origin: app.url }, slug));
      expect(error.data?.code).toBe('not_found');
    }
  });

  it('puts a session that names no workspace in the first one the person joined, or the one X-Workspace names', async () => {
    // The viewer signed up (their own workspace) before they were added to A.
    const viewer = people.viewer;
    const own = await RealtimeClient.open(app.url, session('viewer', { origin: app.url }));
    const named = await RealtimeClient.open(app.url, session('viewer', { origin: app.url, 'x-workspace': A.slug }));
    await own.subscribeOk({ topic: 'workspace' });
    await named.subscribeOk({ topic: 'workspace' });
    const theirs = await viewer.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    const inA = await people.owner.in(A.slug).post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } });
    await own.waitForEvents('their own job', (events) => events.some((event) => event.jobId === theirs.body.id));
    await named.waitForEvents("A's job", (events) => events.some((event) => event.jobId === inA.body.id));
    expect(own.eventsOf(inA.body.id)).toEqual([]);
    expect(named.eventsOf(theirs.body.id)).toEqual([]);
    own.close();
    named.close();
  });

  it('refuses missing, unknown and ended credentials: unauthorized', async () => {
    expect((await refusedHandshake(app.url, { auth: { workspace: A.slug } })).data?.code).toBe('unauthorized');
    expect((await refusedHandshake(app.url, { auth: { token: 'fd_not-a-key' } })).data?.code).toBe('unauthorized');
    const ended = await refusedHandshake(app.url, {
      auth: { workspace: A.slug },
      headers: { cookie: 'fd_session=fds_ended-or-never-was', origin: app.url },
    });
    expect(ended.data).toEqual({ code: 'unauthorized', message: expect.stringMatching(/session/) });
  });
});
