import { Router, type Request } from 'express';
import { z } from 'zod';
import { setWorkspaceLimitsSchema } from '@flightdeck/contract';
import { can } from '../../accounts/identity';
import type { AuditLog } from '../../audit/audit-log';
import type { FairShareOverview } from '../../fair-share/workspace-limits-overview';
import type { WorkspaceLimitsStore } from '../../fair-share/workspace-limits';
import { auditContextOf, identityOf, requirePermission } from '../authenticate';
import { forbidden, notFound } from '../http-errors';
import { jsonBody, requireJsonBody } from '../json-body';
import { resourceIdSchema } from '../path-params';
import { validate } from '../validate';

const workspaceIdParams = z.strictObject({ workspaceId: resourceIdSchema });

export interface FairShareRouteDeps {
  limits: WorkspaceLimitsStore;
  overview: FairShareOverview;
  audit: AuditLog;
  /** The `default` workspace: its admins (and keys with `queues:write`) operate the deployment. */
  operatorWorkspaceId: string;
  bodyBytes: number;
}

/** Fair share between workspaces: what each gets, and the limits operators set. */
export function fairShareRoutes({
  limits,
  overview,
  audit,
  operatorWorkspaceId,
  bodyBytes,
}: FairShareRouteDeps): Router {
  const router = Router();
  // The same rule as pausing a shared queue: `queues:write` in the operator workspace.
  const isOperator = (req: Request) => {
    const identity = identityOf(req);
    return identity.workspaceId === operatorWorkspaceId && can(identity, 'queues:write');
  };

  router.get('/fair-share', requirePermission('jobs:read'), async (req, res) => {
    res.json(await overview.describe({ workspaceId: identityOf(req).workspaceId, operator: isOperator(req) }));
  });

  router.put(
    '/workspaces/:workspaceId/limits',
    requirePermission('queues:write'),
    jsonBody(bodyBytes),
    requireJsonBody,
    async (req, res) => {
      if (!isOperator(req))
        throw forbidden(
          'workspace limits are the deployment\'s: only callers with "queues:write" in the operator workspace ("default") may set them',
        );
      const { workspaceId } = validate(workspaceIdParams, req.params);
      const input = validate(setWorkspaceLimitsSchema, req.body);
      const change = await limits.set(workspaceId, input);
      if (!change) throw notFound(`no workspace ${workspaceId}`);
      const context = auditContextOf(req);
      const target = { type: 'workspace', id: workspaceId };
      const details = { before: change.before, after: change.after };
      await audit.record(identityOf(req).workspaceId, context, 'workspace.limits_changed', target, details);
      // The workspace limited hears who did it, not from which address.
      if (workspaceId !== identityOf(req).workspaceId)
        await audit.record(
          workspaceId,
          { actor: context.actor, ip: null, userAgent: null },
          'workspace.limits_changed',
          target,
          details,
        );
      res.json({ workspaceId, limits: change.after, effective: limits.effective(change.after) });
    },
  );
  return router;
}
