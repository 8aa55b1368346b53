import { Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../../audit/audit-log';
import type { WebhookService } from '../../webhooks/webhook-service';
import { auditContextOf, requirePermission, workspaceOf } from '../authenticate';
import { validate } from '../validate';

const jobIdSchema = z.strictObject({ id: z.string().min(1).max(64) });

export function webhooksRoutes(webhooks: WebhookService, audit: AuditLog): Router {
  const router = Router();

  router.get('/webhooks/secret', requirePermission('webhooks:write'), async (req, res) => {
    res.json({ secret: await webhooks.secret(workspaceOf(req)) });
  });

  router.post('/webhooks/secret/rotate', requirePermission('webhooks:write'), async (req, res) => {
    const secret = await webhooks.rotate(workspaceOf(req));
    await audit.record(workspaceOf(req), auditContextOf(req), 'webhook_secret.rotated', {
      type: 'workspace',
      id: workspaceOf(req),
    });
    res.json({ secret });
  });

  router.get('/jobs/:id/webhooks', requirePermission('webhooks:read'), async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    res.json(await webhooks.attempts(workspaceOf(req), id));
  });

  return router;
}
