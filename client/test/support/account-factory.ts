import type { ApiKeyInfo, Member, User } from '@flightdeck/contract';
import type { CreatedApiKey, MyWorkspace, SessionAnswer } from '../../src/api/api-client';

let counter = 0;
const next = () => String(++counter).padStart(4, '0');

export function buildUser(overrides: Partial<User> = {}): User {
  const n = next();
  return { id: `user_${n}`, email: `person${n}@example.com`, name: `Person ${n}`, ...overrides };
}

export function buildWorkspace(overrides: Partial<MyWorkspace> = {}): MyWorkspace {
  const n = next();
  return { id: `ws_${n}`, slug: `workspace-${n}`, name: `Workspace ${n}`, role: 'owner', ...overrides };
}

export function buildSession(overrides: Partial<SessionAnswer> = {}): SessionAnswer {
  return { user: buildUser(), workspaces: [buildWorkspace()], ...overrides };
}

export function buildMember(overrides: Partial<Member> = {}): Member {
  const n = next();
  return {
    userId: `user_${n}`,
    email: `member${n}@example.com`,
    name: `Member ${n}`,
    role: 'member',
    addedAt: '2026-03-01T10:00:00.000Z',
    ...overrides,
  };
}

export function buildApiKey(overrides: Partial<ApiKeyInfo> = {}): ApiKeyInfo {
  const n = next();
  return {
    id: `key_${n}`,
    name: `key ${n}`,
    prefix: `fd_${n}ab`,
    scopes: ['jobs:read', 'jobs:write', 'queues:read'],
    createdAt: '2026-03-01T10:00:00.000Z',
    createdBy: { type: 'user', id: 'user_0001', name: 'Ada Lovelace' },
    lastUsedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

export function buildCreatedApiKey(overrides: Partial<CreatedApiKey> = {}): CreatedApiKey {
  const key = buildApiKey(overrides);
  return { ...key, key: overrides.key ?? `${key.prefix}_s3cr3t_${next()}` };
}
