import {
  MEMBER_ROLES,
  roleCan,
  roleCanAssign,
  scopesCan,
  type MemberRole,
  type Permission,
} from '@flightdeck/contract';

/**
 * What the console acts with in a workspace: a signed-in member's role, or an API key's scopes. The
 * console only hides what the contract's permission table denies; the server enforces the same table.
 */
export type WorkspaceAccess = { kind: 'member'; role: MemberRole } | { kind: 'api-key'; scopes: readonly string[] };

export const memberAccess = (role: MemberRole): WorkspaceAccess => ({ kind: 'member', role });
export const apiKeyAccess = (scopes: readonly string[]): WorkspaceAccess => ({ kind: 'api-key', scopes });

/** Whether the access allows `permission`. */
export function can(access: WorkspaceAccess, permission: Permission): boolean {
  return access.kind === 'member' ? roleCan(access.role, permission) : scopesCan(access.scopes, permission);
}

/**
 * The roles the access may give (and take away). A key with the `admin` scope counts as an admin
 * here: it manages members, but only owners make or unmake owners.
 */
export function assignableRoles(access: WorkspaceAccess): MemberRole[] {
  const role = actingRole(access);
  return role ? MEMBER_ROLES.filter((target) => roleCanAssign(role, target)) : [];
}

/** Whether the access may change the role of, or remove, a member who has `role` now. */
export function canManageMember(access: WorkspaceAccess, member: { role: MemberRole }): boolean {
  const role = actingRole(access);
  return role !== null && roleCanAssign(role, member.role);
}

function actingRole(access: WorkspaceAccess): MemberRole | null {
  if (access.kind === 'member') return access.role;
  return scopesCan(access.scopes, 'members:write') ? 'admin' : null;
}

/** How a role reads in the console. */
export const ROLE_LABELS: Record<MemberRole, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer',
};

/** One line on what a role may do, after the contract's permission table. */
export const ROLE_DESCRIPTIONS: Record<MemberRole, string> = {
  viewer: 'Sees jobs, queues and members.',
  member: 'Also submits, cancels, retries, comments on and claims jobs.',
  admin: 'Also manages members, API keys, queues and webhooks.',
  owner: 'Also deletes the workspace and makes other owners.',
};
