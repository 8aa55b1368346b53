import { Router } from 'express';
import { listAuditQuerySchema } from '@flightdeck/contract';
import type { AuditLog } from '../../audit/audit-log';
import { requirePermission, workspaceOf } from '../authenticate';
import { validateQuery } from '../validate';

export function auditRoutes(audit: AuditLog): Router {
  const router = Router();
  router.get('/audit', requirePermission('audit:read'), async (req, res) => {
    res.json(await audit.list(workspaceOf(req), validateQuery(listAuditQuerySchema, req.query)));
  });
  return router;
}
