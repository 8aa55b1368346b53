import { Router } from 'express';
import { z } from 'zod';
import type { WebhookService } from '../../webhooks/webhook-service';
import { requireScope, workspaceOf } from '../authenticate';
import { validate } from '../validate';

const jobIdSchema = z.strictObject({ id: z.string().min(1).max(64) });

export function webhooksRoutes(webhooks: WebhookService): Router {
  const router = Router();

  router.get('/webhooks/secret', requireScope('admin'), async (req, res) => {
    res.json({ secret: await webhooks.secret(workspaceOf(req.identity)) });
  });

  router.post('/webhooks/secret/rotate', requireScope('admin'), async (req, res) => {
    res.json({ secret: await webhooks.rotate(workspaceOf(req.identity)) });
  });

  router.get('/jobs/:id/webhooks', requireScope('jobs:read'), async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    res.json(await webhooks.attempts(workspaceOf(req.identity), id));
  });

  return router;
}
