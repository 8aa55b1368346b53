import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { ApiKeyResolver } from '../accounts/api-keys';
import type { JobService } from '../jobs/job-service';
import type { QueueOverviewService } from '../jobs/queue-overview';
import { httpRequestDuration } from '../metrics';
import { authenticate } from './authenticate';
import { errorHandler, routeNotFound } from './error-handler';
import { buildOpenApiDocument } from './openapi';
import { docsRoutes } from './routes/docs.routes';
import { healthRoutes, type Readiness } from './routes/health.routes';
import { jobsRoutes } from './routes/jobs.routes';
import { queuesRoutes } from './routes/queues.routes';
import { schedulesRoutes } from './routes/schedules.routes';
import { webhooksRoutes } from './routes/webhooks.routes';
import type { ScheduleService } from '../schedules/schedule-service';
import type { WebhookService } from '../webhooks/webhook-service';
import type { Redis } from 'ioredis';

export interface AppOptions {
  logger: Logger;
  redis: Redis;
  readiness: Readiness;
  /** Present when this process runs the `api` role. */
  api?: {
    jobs: JobService;
    queues: QueueOverviewService;
    webhooks: WebhookService;
    schedules: ScheduleService;
    apiKeys: ApiKeyResolver;
    bodyLimitBytes: number;
    batchBodyLimitBytes: number;
    /** The built console (client/dist), served at `/` when it exists. */
    consoleDir?: string;
  };
}

/** The HTTP app: probes and metrics for every role; the REST API, its docs and the console for `api`. */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use((req, res, next) => {
    const end = httpRequestDuration.startTimer();
    res.on('finish', () =>
      end({
        method: req.method,
        route: req.route ? `${req.baseUrl}${req.route.path}` : 'unmatched',
        status: res.statusCode,
      }),
    );
    next();
  });
  app.use(healthRoutes(options.redis, options.readiness));

  const { api } = options;
  if (api) {
    app.use(docsRoutes(buildOpenApiDocument()));
    app.use(
      '/v1',
      authenticate(api.apiKeys),
      jobsRoutes(api.jobs, { bodyBytes: api.bodyLimitBytes, batchBodyBytes: api.batchBodyLimitBytes }),
      queuesRoutes(api.queues),
      webhooksRoutes(api.webhooks),
      schedulesRoutes(api.schedules, { bodyBytes: api.bodyLimitBytes }),
    );
    if (api.consoleDir && existsSync(path.join(api.consoleDir, 'index.html'))) {
      const consoleDir = api.consoleDir;
      app.use(express.static(consoleDir, { index: 'index.html' }));
      // Console URLs (`/w/<slug>`, `/w/<slug>/jobs/<id>`) are the single-page app's.
      app.get(['/', '/w/*path'], (_req, res) => res.sendFile(path.join(consoleDir, 'index.html')));
    }
  }
  app.use(routeNotFound);
  app.use(errorHandler(options.logger));
  return app;
}
