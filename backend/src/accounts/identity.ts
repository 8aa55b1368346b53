import { roleCan, scopesCan, type Actor, type MemberRole, type Permission } from '@flightdeck/contract';

/**
 * Who is calling and in which workspace the call acts. Built once per request (or socket) by
 * authentication; every route and subscription asks it, and nothing else, what the caller may do.
 */
export type Identity =
  | { kind: 'apiKey'; workspaceId: string; actor: Actor; keyId: string; scopes: readonly string[] }
  | {
      kind: 'user';
      workspaceId: string;
      actor: Actor;
      userId: string;
      sessionId: string;
      role: MemberRole;
      /** When the session ends (epoch milliseconds), if known. */
      expiresAt?: number;
    }
  /** A scoped job token: reads one job and subscribes to it, nothing else. */
  | { kind: 'jobToken'; workspaceId: string; actor: Actor; jobId: string; expiresAt: number };

/** Whether the identity has a permission of the table in contract/src/permissions.ts. */
export function can(identity: Identity, permission: Permission): boolean {
  switch (identity.kind) {
    case 'apiKey':
      return scopesCan(identity.scopes, permission);
    case 'user':
      return roleCan(identity.role, permission);
    case 'jobToken':
      return permission === 'jobs:read';
  }
}

/** Whether the identity may see this one job (a job token sees only its own). */
export const canSeeJob = (identity: Identity, jobId: string): boolean =>
  identity.kind !== 'jobToken' || identity.jobId === jobId;
