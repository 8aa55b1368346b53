import { Router } from 'express';
import { z } from 'zod';
import type { QueueOverviewService } from '../../jobs/queue-overview';
import { requireScope } from '../authenticate';
import { validate } from '../validate';

const queueNameSchema = z.strictObject({ name: z.string().min(1).max(100) });

export function queuesRoutes(overview: QueueOverviewService): Router {
  const router = Router();
  router.get('/queues', requireScope('queues:read'), async (_req, res) => {
    res.json({ queues: await overview.describe() });
  });

  router.post('/queues/:name/pause', requireScope('queues:write'), async (req, res) => {
    const { name } = validate(queueNameSchema, req.params);
    res.json(await overview.pause(name));
  });

  router.post('/queues/:name/resume', requireScope('queues:write'), async (req, res) => {
    const { name } = validate(queueNameSchema, req.params);
    res.json(await overview.resume(name));
  });
  return router;
}
