import { Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../../audit/audit-log';
import { createWebhookEndpointSchema } from '@flightdeck/contract';
import type { WebhookEndpoints } from '../../webhooks/webhook-endpoints';
import type { WebhookService } from '../../webhooks/webhook-service';
import { jsonBody, requireJsonBody } from '../json-body';
import { recordAudit } from '../request-audit';
import { requirePermission, workspaceOf } from '../authenticate';
import { validate } from '../validate';
import { resourceIdSchema } from '../path-params';

const jobIdSchema = z.strictObject({ id: resourceIdSchema });

const endpointIdSchema = z.strictObject({ id: resourceIdSchema });

export function webhooksRoutes(
  webhooks: WebhookService,
  endpoints: WebhookEndpoints,
  audit: AuditLog,
  limits: { bodyBytes: number },
): Router {
  const router = Router();
  const json = jsonBody(limits.bodyBytes);

  router.get('/webhooks/endpoints', requirePermission('webhooks:read'), async (req, res) => {
    res.json({ items: await endpoints.list(workspaceOf(req)) });
  });

  router.post('/webhooks/endpoints', requirePermission('webhooks:write'), json, requireJsonBody, async (req, res) => {
    const input = validate(createWebhookEndpointSchema, req.body);
    const endpoint = await endpoints.create(workspaceOf(req), input);
    const target = { type: 'webhook_endpoint', id: endpoint.id };
    await recordAudit(audit, req, 'webhook_endpoint.created', target, { url: endpoint.url, events: endpoint.events });
    res.status(201).json(endpoint);
  });

  router.delete('/webhooks/endpoints/:id', requirePermission('webhooks:write'), async (req, res) => {
    const { id } = validate(endpointIdSchema, req.params);
    await endpoints.remove(workspaceOf(req), id);
    await recordAudit(audit, req, 'webhook_endpoint.deleted', { type: 'webhook_endpoint', id });
    res.status(204).end();
  });

  router.get('/webhooks/secret', requirePermission('webhooks:write'), async (req, res) => {
    res.json({ secret: await webhooks.secret(workspaceOf(req)) });
  });

  router.post('/webhooks/secret/rotate', requirePermission('webhooks:write'), async (req, res) => {
    const secret = await webhooks.rotate(workspaceOf(req));
    await recordAudit(audit, req, 'webhook_secret.rotated', { type: 'workspace', id: workspaceOf(req) });
    res.json({ secret });
  });

  router.get('/jobs/:id/webhooks', requirePermission('webhooks:read'), async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    res.json(await webhooks.attempts(workspaceOf(req), id));
  });

  return router;
}
