import { Router } from 'express';
import type { QueueOverviewService } from '../../jobs/queue-overview';
import { requireScope } from '../authenticate';

export function queuesRoutes(overview: QueueOverviewService): Router {
  const router = Router();
  router.get('/queues', requireScope('queues:read'), async (_req, res) => {
    res.json({ queues: await overview.describe() });
  });
  return router;
}
