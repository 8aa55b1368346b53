import { Router } from 'express';
import { z } from 'zod';
import {
  createCommentSchema,
  createSavedViewSchema,
  listActivityQuerySchema,
  listCommentsQuerySchema,
} from '@flightdeck/contract';
import { can } from '../../accounts/identity';
import type { CollaborationService } from '../../collaboration/collaboration-service';
import type { SavedViews } from '../../collaboration/saved-views';
import { identityOf, requirePermission } from '../authenticate';
import { jsonBody, requireJsonBody } from '../json-body';
import { validate, validateQuery } from '../validate';
import { resourceIdSchema } from '../path-params';

const jobIdSchema = z.strictObject({ id: resourceIdSchema });

const viewIdSchema = z.strictObject({ id: resourceIdSchema });

/** Comments, claims and activity of a job; the workspace's activity and saved views. */
export function collaborationRoutes(
  collaboration: CollaborationService,
  views: SavedViews,
  limits: { bodyBytes: number },
): Router {
  const router = Router();
  const json = jsonBody(limits.bodyBytes);

  router.post('/jobs/:id/comments', requirePermission('jobs:collaborate'), json, requireJsonBody, async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    const { body } = validate(createCommentSchema, req.body);
    const { workspaceId, actor } = identityOf(req);
    res.status(201).json(await collaboration.comment(workspaceId, id, body, actor));
  });

  router.get('/jobs/:id/comments', requirePermission('jobs:read'), async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    const query = validateQuery(listCommentsQuerySchema, req.query);
    res.json(await collaboration.comments(identityOf(req).workspaceId, id, query));
  });

  router.post('/jobs/:id/claim', requirePermission('jobs:collaborate'), async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    const { workspaceId, actor } = identityOf(req);
    res.json(await collaboration.claim(workspaceId, id, actor));
  });

  router.delete('/jobs/:id/claim', requirePermission('jobs:collaborate'), async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    const identity = identityOf(req);
    res.json(await collaboration.release(identity.workspaceId, id, identity.actor, can(identity, 'claims:override')));
  });

  router.get('/jobs/:id/activity', requirePermission('jobs:read'), async (req, res) => {
    const { id } = validate(jobIdSchema, req.params);
    res.json(await collaboration.activity(identityOf(req).workspaceId, id));
  });

  router.get('/activity', requirePermission('jobs:read'), async (req, res) => {
    const query = validateQuery(listActivityQuerySchema, req.query);
    res.json(await collaboration.workspaceActivity(identityOf(req).workspaceId, query));
  });

  router.get('/views', requirePermission('jobs:read'), async (req, res) => {
    res.json({ items: await views.list(identityOf(req).workspaceId) });
  });

  router.post('/views', requirePermission('jobs:collaborate'), json, requireJsonBody, async (req, res) => {
    const input = validate(createSavedViewSchema, req.body);
    const { workspaceId, actor } = identityOf(req);
    res.status(201).json(await views.create(workspaceId, input, actor));
  });

  router.delete('/views/:id', requirePermission('jobs:collaborate'), async (req, res) => {
    const { id } = validate(viewIdSchema, req.params);
    const identity = identityOf(req);
    await views.remove(identity.workspaceId, id, identity.actor, can(identity, 'claims:override'));
    res.status(204).end();
  });

  return router;
}
