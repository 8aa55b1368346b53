import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../../audit/audit-log';
import type { QueueOverviewService } from '../../jobs/queue-overview';
import type { OpsOverviewService } from '../../ops/ops-overview';
import { auditContextOf, requirePermission, workspaceOf } from '../authenticate';
import { forbidden } from '../http-errors';
import { validate } from '../validate';

const queueNameSchema = z.strictObject({ name: z.string().min(1).max(100) });

/**
 * Queues are shared by every workspace of the deployment, so changing one is the operators' call:
 * callers with `queues:write` in the operator workspace (`default`, the one the deployment bootstraps).
 */
function requireOperator(operatorWorkspaceId: string): RequestHandler {
  return (req, _res, next) => {
    if (workspaceOf(req) !== operatorWorkspaceId) {
      throw forbidden(
        'queues are shared by every workspace of this deployment: only the operator workspace ("default") may pause or resume them',
      );
    }
    next();
  };
}

export function queuesRoutes(
  overview: QueueOverviewService,
  ops: OpsOverviewService,
  audit: AuditLog,
  operatorWorkspaceId: string,
): Router {
  const router = Router();
  const operator = requireOperator(operatorWorkspaceId);
  router.get('/ops', requirePermission('queues:read'), async (req, res) => {
    res.json({ ...(await ops.describe()), operator: workspaceOf(req) === operatorWorkspaceId });
  });

  router.get('/queues', requirePermission('queues:read'), async (_req, res) => {
    res.json({ queues: await overview.describe() });
  });

  router.post('/queues/:name/pause', requirePermission('queues:write'), operator, async (req, res) => {
    const { name } = validate(queueNameSchema, req.params);
    const queue = await overview.pause(name);
    await audit.record(workspaceOf(req), auditContextOf(req), 'queue.paused', { type: 'queue', id: name });
    res.json(queue);
  });

  router.post('/queues/:name/resume', requirePermission('queues:write'), operator, async (req, res) => {
    const { name } = validate(queueNameSchema, req.params);
    const queue = await overview.resume(name);
    await audit.record(workspaceOf(req), auditContextOf(req), 'queue.resumed', { type: 'queue', id: name });
    res.json(queue);
  });
  return router;
}
