import { Router } from 'express';
import { z } from 'zod';
import { addMemberSchema, updateMemberSchema, updateWorkspaceSchema, type MemberRole } from '@flightdeck/contract';
import type { AccountService } from '../../accounts/account-service';
import type { Identity } from '../../accounts/identity';
import type { MemberService } from '../../accounts/members';
import type { RevocationBus } from '../../accounts/revocations';
import type { ArtifactService } from '../../artifacts/artifact-service';
import type { AuditLog } from '../../audit/audit-log';
import type { JobService } from '../../jobs/job-service';
import type { ScheduleService } from '../../schedules/schedule-service';
import { assertCan, auditContextOf, identityOf, requirePermission, workspaceOf } from '../authenticate';
import { jsonBody, requireJsonBody } from '../json-body';
import { recordAudit } from '../request-audit';
import { validate } from '../validate';
import { resourceIdSchema } from '../path-params';

const userIdSchema = z.strictObject({ userId: resourceIdSchema });

/** The role a caller acts with when managing members: a person's own, an admin-scoped key's `admin`. */
const roleOf = (identity: Identity): MemberRole => (identity.kind === 'user' ? identity.role : 'admin');
const userIdOf = (identity: Identity): string | null => (identity.kind === 'user' ? identity.userId : null);

export interface WorkspaceRouteDeps {
  accounts: AccountService;
  members: MemberService;
  schedules: ScheduleService;
  jobs: JobService;
  artifacts: ArtifactService;
  revocations: RevocationBus;
  audit: AuditLog;
  bodyBytes: number;
}

/** The workspace the request acts in, and its members. */
export function workspaceRoutes(deps: WorkspaceRouteDeps): Router {
  const router = Router();
  const json = jsonBody(deps.bodyBytes);

  router.get('/workspace', requirePermission('jobs:read'), async (req, res) => {
    const identity = identityOf(req);
    const workspace = await deps.accounts.workspace(identity.workspaceId);
    res.json({ ...workspace, role: identity.kind === 'user' ? identity.role : null });
  });

  router.patch('/workspace', requirePermission('workspace:write'), json, requireJsonBody, async (req, res) => {
    const { name } = validate(updateWorkspaceSchema, req.body);
    const workspace = await deps.accounts.renameWorkspace(workspaceOf(req), name);
    await recordAudit(deps.audit, req, 'workspace.updated', { type: 'workspace', id: workspace.id }, { name });
    res.json(workspace);
  });

  router.delete('/workspace', requirePermission('workspace:delete'), async (req, res) => {
    const workspaceId = workspaceOf(req);
    const { items: schedules } = await deps.schedules.list(workspaceId);
    for (const schedule of schedules) await deps.schedules.remove(workspaceId, schedule.id);
    // Its unfinished jobs must not run for a workspace that no longer exists.
    await deps.jobs.cancelUnfinished(workspaceId, auditContextOf(req).actor);
    await deps.accounts.deleteWorkspace(workspaceId);
    await deps.artifacts.removeWorkspace(workspaceId);
    await deps.revocations.publish({ kind: 'workspace', workspaceId });
    await recordAudit(deps.audit, req, 'workspace.deleted', { type: 'workspace', id: workspaceId });
    res.status(204).end();
  });

  router.get('/members', requirePermission('members:read'), async (req, res) => {
    res.json({ items: await deps.members.list(workspaceOf(req)) });
  });

  router.post('/members', requirePermission('members:write'), json, requireJsonBody, async (req, res) => {
    const input = validate(addMemberSchema, req.body);
    const identity = identityOf(req);
    const member = await deps.members.add(identity.workspaceId, input, roleOf(identity));
    const details = { email: member.email, role: member.role };
    await recordAudit(deps.audit, req, 'member.added', { type: 'user', id: member.userId }, details);
    res.status(201).json(member);
  });

  router.patch('/members/:userId', requirePermission('members:write'), json, requireJsonBody, async (req, res) => {
    const { userId } = validate(userIdSchema, req.params);
    const { role } = validate(updateMemberSchema, req.body);
    const identity = identityOf(req);
    const { member, previousRole } = await deps.members.changeRole(
      identity.workspaceId,
      userId,
      role,
      roleOf(identity),
    );
    if (previousRole !== role) {
      const details = { email: member.email, from: previousRole, to: role };
      await recordAudit(deps.audit, req, 'member.role_changed', { type: 'user', id: userId }, details);
    }
    res.json(member);
  });

  // Anyone may leave; removing someone else needs members:write (checked by the service with the roles).
  router.delete('/members/:userId', requirePermission('jobs:read'), async (req, res) => {
    const { userId } = validate(userIdSchema, req.params);
    const identity = identityOf(req);
    if (userId !== userIdOf(identity)) assertCan(identity, 'members:write');
    const member = await deps.members.remove(identity.workspaceId, userId, {
      userId: userIdOf(identity),
      role: roleOf(identity),
    });
    const details = { email: member.email, role: member.role };
    await recordAudit(deps.audit, req, 'member.removed', { type: 'user', id: userId }, details);
    res.status(204).end();
  });

  return router;
}
