import { Router } from 'express';
import { z } from 'zod';
import { createApiKeySchema, DEFAULT_API_KEY_SCOPES } from '@flightdeck/contract';
import type { ApiKeyService } from '../../accounts/api-keys';
import type { AuditLog } from '../../audit/audit-log';
import { identityOf, requirePermission, workspaceOf } from '../authenticate';
import { notFound } from '../http-errors';
import { recordAudit } from '../request-audit';
import { jsonBody, requireJsonBody } from '../json-body';
import { validate } from '../validate';
import { resourceIdSchema } from '../path-params';

const keyIdSchema = z.strictObject({ id: resourceIdSchema });

export function apiKeysRoutes(apiKeys: ApiKeyService, audit: AuditLog, limits: { bodyBytes: number }): Router {
  const router = Router();
  const json = jsonBody(limits.bodyBytes);

  router.get('/api-keys', requirePermission('api-keys:read'), async (req, res) => {
    res.json({ items: await apiKeys.list(workspaceOf(req)) });
  });

  router.post('/api-keys', requirePermission('api-keys:write'), json, requireJsonBody, async (req, res) => {
    const input = validate(createApiKeySchema, req.body);
    const identity = identityOf(req);
    const created = await apiKeys.create(
      identity.workspaceId,
      { name: input.name, scopes: input.scopes ?? DEFAULT_API_KEY_SCOPES },
      identity.actor,
    );
    const details = { name: created.name, scopes: created.scopes };
    await recordAudit(audit, req, 'api_key.created', { type: 'api_key', id: created.id }, details);
    res.status(201).json(created);
  });

  router.delete('/api-keys/:id', requirePermission('api-keys:write'), async (req, res) => {
    const { id } = validate(keyIdSchema, req.params);
    const workspaceId = workspaceOf(req);
    const revoked = await apiKeys.revoke(workspaceId, id);
    if (!revoked) throw notFound(`API key ${id} not found`);
    if (revoked.changed) {
      await recordAudit(audit, req, 'api_key.revoked', { type: 'api_key', id }, { name: revoked.key.name });
    }
    res.json(revoked.key);
  });

  return router;
}
