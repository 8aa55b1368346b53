import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { drainQueueSchema } from '@flightdeck/contract';
import type { AuditLog } from '../../audit/audit-log';
import type { QueueDrainService } from '../../jobs/queue-drain';
import type { QueueOverviewService } from '../../jobs/queue-overview';
import type { OpsOverviewService } from '../../ops/ops-overview';
import { auditContextOf, requirePermission, workspaceOf } from '../authenticate';
import { forbidden } from '../http-errors';
import { optionalBody, validate } from '../validate';
import { jsonBody } from '../json-body';
import { queueNameSchema } from '../path-params';

const queueNameParams = z.strictObject({ name: queueNameSchema });

/**
 * Queues are shared by every workspace of the deployment, so changing one is the operators' call:
 * callers with `queues:write` in the operator workspace (`default`, the one the deployment bootstraps).
 */
function requireOperator(operatorWorkspaceId: string): RequestHandler {
  return (req, _res, next) => {
    if (workspaceOf(req) !== operatorWorkspaceId) {
      throw forbidden(
        'queues are shared by every workspace of this deployment: only the operator workspace ("default") may pause, resume or drain them',
      );
    }
    next();
  };
}

export interface QueuesRouteDeps {
  overview: QueueOverviewService;
  ops: OpsOverviewService;
  drains: QueueDrainService;
  audit: AuditLog;
  operatorWorkspaceId: string;
  bodyBytes: number;
}

export function queuesRoutes({
  overview,
  ops,
  drains,
  audit,
  operatorWorkspaceId,
  bodyBytes,
}: QueuesRouteDeps): Router {
  const router = Router();
  const operator = requireOperator(operatorWorkspaceId);
  const json = jsonBody(bodyBytes);
  router.get('/ops', requirePermission('queues:read'), async (req, res) => {
    res.json({ ...(await ops.describe()), operator: workspaceOf(req) === operatorWorkspaceId });
  });

  // Flightdeck's queues, and the caller's own workspace's registered queues (never another's).
  router.get('/queues', requirePermission('queues:read'), async (req, res) => {
    res.json({ queues: await overview.describe(workspaceOf(req)) });
  });

  router.post('/queues/:name/pause', requirePermission('queues:write'), operator, async (req, res) => {
    const { name } = validate(queueNameParams, req.params);
    const queue = await overview.pause(name);
    await audit.record(workspaceOf(req), auditContextOf(req), 'queue.paused', { type: 'queue', id: name });
    res.json(queue);
  });

  router.post('/queues/:name/resume', requirePermission('queues:write'), operator, async (req, res) => {
    const { name } = validate(queueNameParams, req.params);
    const queue = await overview.resume(name);
    await audit.record(workspaceOf(req), auditContextOf(req), 'queue.resumed', { type: 'queue', id: name });
    res.json(queue);
  });

  router.post('/queues/:name/drain', requirePermission('queues:write'), operator, json, async (req, res) => {
    const { name } = validate(queueNameParams, req.params);
    const { delayed = true } = validate(drainQueueSchema, optionalBody(req.body));
    // Each job cancelled and recorded, the drain audited (here and in each workspace it touched): `JobActions`.
    const { queue, drained, skipped } = await drains.drain(name, workspaceOf(req), auditContextOf(req), { delayed });
    res.json({ queue, drained, skipped });
  });
  return router;
}
