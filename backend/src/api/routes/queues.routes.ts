import { Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../../audit/audit-log';
import type { QueueOverviewService } from '../../jobs/queue-overview';
import type { OpsOverviewService } from '../../ops/ops-overview';
import { auditContextOf, requirePermission, workspaceOf } from '../authenticate';
import { validate } from '../validate';

const queueNameSchema = z.strictObject({ name: z.string().min(1).max(100) });

export function queuesRoutes(overview: QueueOverviewService, ops: OpsOverviewService, audit: AuditLog): Router {
  const router = Router();
  router.get('/ops', requirePermission('queues:read'), async (_req, res) => {
    res.json(await ops.describe());
  });

  router.get('/queues', requirePermission('queues:read'), async (_req, res) => {
    res.json({ queues: await overview.describe() });
  });

  router.post('/queues/:name/pause', requirePermission('queues:write'), async (req, res) => {
    const { name } = validate(queueNameSchema, req.params);
    const queue = await overview.pause(name);
    await audit.record(workspaceOf(req), auditContextOf(req), 'queue.paused', { type: 'queue', id: name });
    res.json(queue);
  });

  router.post('/queues/:name/resume', requirePermission('queues:write'), async (req, res) => {
    const { name } = validate(queueNameSchema, req.params);
    const queue = await overview.resume(name);
    await audit.record(workspaceOf(req), auditContextOf(req), 'queue.resumed', { type: 'queue', id: name });
    res.json(queue);
  });
  return router;
}
