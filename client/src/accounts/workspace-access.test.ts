import { MEMBER_ROLES, PERMISSIONS, roleCan, type Permission } from '@flightdeck/contract';
import { apiKeyAccess, assignableRoles, can, canManageMember, memberAccess } from './workspace-access';

describe('can', () => {
  it("follows the contract's permission table for members", () => {
    for (const role of MEMBER_ROLES)
      for (const permission of Object.keys(PERMISSIONS) as Permission[])
        expect(can(memberAccess(role), permission)).toBe(roleCan(role, permission));
  });

  it('lets viewers read members but not manage them, and only admins and owners see API keys', () => {
    expect(can(memberAccess('viewer'), 'members:read')).toBe(true);
    expect(can(memberAccess('member'), 'members:write')).toBe(false);
    expect(can(memberAccess('member'), 'api-keys:read')).toBe(false);
    expect(can(memberAccess('admin'), 'api-keys:write')).toBe(true);
    expect(can(memberAccess('viewer'), 'jobs:write')).toBe(false);
  });

  it("reads an API key's scopes, admin including every other scope", () => {
    expect(can(apiKeyAccess(['jobs:read', 'jobs:write']), 'jobs:write')).toBe(true);
    expect(can(apiKeyAccess(['jobs:read']), 'members:read')).toBe(false);
    expect(can(apiKeyAccess(['admin']), 'api-keys:write')).toBe(true);
    // People only:
    expect(can(apiKeyAccess(['admin']), 'workspace:delete')).toBe(false);
  });
});

describe('assignableRoles', () => {
  it('gives owners every role, admins every role but owner, others none', () => {
    expect(assignableRoles(memberAccess('owner'))).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(assignableRoles(memberAccess('admin'))).toEqual(['admin', 'member', 'viewer']);
    expect(assignableRoles(memberAccess('member'))).toEqual([]);
    expect(assignableRoles(memberAccess('viewer'))).toEqual([]);
  });

  it('treats a key with the admin scope as an admin', () => {
    expect(assignableRoles(apiKeyAccess(['admin']))).toEqual(['admin', 'member', 'viewer']);
    expect(assignableRoles(apiKeyAccess(['jobs:read', 'jobs:write']))).toEqual([]);
  });
});

describe('canManageMember', () => {
  it('lets only owners manage owners', () => {
    expect(canManageMember(memberAccess('owner'), { role: 'owner' })).toBe(true);
    expect(canManageMember(memberAccess('admin'), { role: 'owner' })).toBe(false);
    expect(canManageMember(memberAccess('admin'), { role: 'admin' })).toBe(true);
    expect(canManageMember(memberAccess('member'), { role: 'viewer' })).toBe(false);
    expect(canManageMember(apiKeyAccess(['admin']), { role: 'owner' })).toBe(false);
  });
});
