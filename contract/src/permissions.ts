/**
 * Who may do what in a workspace: the one permission table. The server enforces it on every REST
 * route and socket subscription; the console reads it to show only the actions a person may take.
 */

/** Roles of a workspace member, from the most to the least powerful. */
export const MEMBER_ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * Scopes an API key can carry; `admin` includes every other scope. `workers:run` is for a workspace's
 * own workers: they register their job types and run the jobs of those types.
 */
export const API_KEY_SCOPES = [
  'jobs:read',
  'jobs:write',
  'queues:read',
  'queues:write',
  'workers:run',
  'admin',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
/** What a new key gets when its creator names no scopes: enough to submit and watch jobs. */
export const DEFAULT_API_KEY_SCOPES: readonly ApiKeyScope[] = ['jobs:read', 'jobs:write', 'queues:read'];

/**
 * Every permission, the least role that has it, and the API key scope that grants it (`null`: people
 * only). Viewers read; members also submit, cancel, retry, comment, claim and delete artifacts;
 * admins also manage keys, members, queues and webhooks; owners also delete the workspace.
 */
export const PERMISSIONS = {
  'jobs:read': { role: 'viewer', scope: 'jobs:read' },
  'jobs:write': { role: 'member', scope: 'jobs:write' },
  'jobs:collaborate': { role: 'member', scope: 'jobs:write' },
  /** Release a claim someone else holds; delete someone else's saved view. */
  'claims:override': { role: 'admin', scope: 'admin' },
  /** Issue a job token that lets someone outside the workspace watch one job. */
  'jobs:share': { role: 'member', scope: 'jobs:read' },
  /** Delete an artifact (uploading one takes `jobs:write`, reading one `jobs:read`). */
  'artifacts:delete': { role: 'member', scope: 'jobs:write' },
  'queues:read': { role: 'viewer', scope: 'queues:read' },
  /** See the job types the workspace can submit (built-in and its own). */
  'job-types:read': { role: 'viewer', scope: 'jobs:read' },
  /** Register (or change) the workspace's own job types, as its workers do. */
  'job-types:write': { role: 'admin', scope: 'workers:run' },
  'queues:write': { role: 'admin', scope: 'queues:write' },
  'schedules:read': { role: 'viewer', scope: 'jobs:read' },
  'schedules:write': { role: 'member', scope: 'jobs:write' },
  'webhooks:read': { role: 'viewer', scope: 'jobs:read' },
  'webhooks:write': { role: 'admin', scope: 'admin' },
  'members:read': { role: 'viewer', scope: 'admin' },
  'members:write': { role: 'admin', scope: 'admin' },
  'api-keys:read': { role: 'admin', scope: 'admin' },
  'api-keys:write': { role: 'admin', scope: 'admin' },
  'audit:read': { role: 'admin', scope: 'admin' },
  'workspace:write': { role: 'admin', scope: 'admin' },
  'workspace:delete': { role: 'owner', scope: null },
} as const satisfies Record<string, { role: MemberRole; scope: ApiKeyScope | null }>;
export type Permission = keyof typeof PERMISSIONS;

const rank = (role: MemberRole) => MEMBER_ROLES.length - MEMBER_ROLES.indexOf(role);

/** Whether a member with `role` has `permission`. */
export const roleCan = (role: MemberRole, permission: Permission): boolean =>
  rank(role) >= rank(PERMISSIONS[permission].role);

/** Whether an API key with `scopes` has `permission`. */
export function scopesCan(scopes: readonly string[], permission: Permission): boolean {
  const scope: ApiKeyScope | null = PERMISSIONS[permission].scope;
  return scope !== null && (scopes.includes(scope) || scopes.includes('admin'));
}

/** Whether `role` may give or take away `target` (only owners make or unmake owners). */
export const roleCanAssign = (role: MemberRole, target: MemberRole): boolean =>
  roleCan(role, 'members:write') && (target !== 'owner' || role === 'owner');
