import { existsSync } from 'node:fs';
import path from 'node:path';
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { AccountService } from '../accounts/account-service';
import type { ApiKeyService } from '../accounts/api-keys';
import type { Authenticator } from '../accounts/authenticator';
import type { JobTokens } from '../accounts/job-tokens';
import type { MemberService } from '../accounts/members';
import type { RevocationBus } from '../accounts/revocations';
import type { AuditLog } from '../audit/audit-log';
import type { CollaborationService } from '../collaboration/collaboration-service';
import type { SavedViews } from '../collaboration/saved-views';
import type { JobService } from '../jobs/job-service';
import type { JobTypeCatalog } from '../job-types/job-type-catalog';
import type { JobTypeRegistry } from '../job-types/job-type-registry';
import type { QueueDrainService } from '../jobs/queue-drain';
import type { QueueOverviewService } from '../jobs/queue-overview';
import type { OpsOverviewService } from '../ops/ops-overview';
import type { FairShareOverview } from '../fair-share/workspace-limits-overview';
import type { WorkspaceLimitsStore } from '../fair-share/workspace-limits';
import { httpRequestDuration } from '../metrics';
import { authenticate, inWorkspace } from './authenticate';
import { trustedProxies } from '../edge/client-address';
import { errorHandler, routeNotFound } from './error-handler';
import { methodNotAllowed } from './method-not-allowed';
import { buildOpenApiDocument } from './openapi';
import { docsRoutes } from './routes/docs.routes';
import { healthRoutes, type Readiness } from './routes/health.routes';
import type { RateLimits } from './rate-limits';
import { apiKeysRoutes } from './routes/api-keys.routes';
import { auditRoutes } from './routes/audit.routes';
import { collaborationRoutes } from './routes/collaboration.routes';
import { accountRoutes, publicAuthRoutes } from './routes/auth.routes';
import { jobsRoutes } from './routes/jobs.routes';
import { jobTypesRoutes } from './routes/job-types.routes';
import { workspaceRoutes } from './routes/workspace.routes';
import type { CookieSettings } from '../edge/session-cookie';
import { queuesRoutes } from './routes/queues.routes';
import { schedulesRoutes } from './routes/schedules.routes';
import { webhooksRoutes } from './routes/webhooks.routes';
import { artifactsRoutes } from './routes/artifacts.routes';
import { fairShareRoutes } from './routes/fair-share.routes';
import type { ArtifactService } from '../artifacts/artifact-service';
import type { ScheduleService } from '../schedules/schedule-service';
import type { WebhookEndpoints } from '../webhooks/webhook-endpoints';
import type { WebhookService } from '../webhooks/webhook-service';
import type { Redis } from 'ioredis';

export interface AppOptions {
  logger: Logger;
  redis: Redis;
  readiness: Readiness;
  /** Present when this process runs the `api` role. */
  api?: {
    jobs: JobService;
    jobTypes: { registry: JobTypeRegistry; catalog: JobTypeCatalog };
    queues: QueueOverviewService;
    drains: QueueDrainService;
    ops: OpsOverviewService;
    fairShare: { limits: WorkspaceLimitsStore; overview: FairShareOverview };
    webhooks: WebhookService;
    webhookEndpoints: WebhookEndpoints;
    schedules: ScheduleService;
    artifacts: ArtifactService;
    accounts: AccountService;
    members: MemberService;
    apiKeys: ApiKeyService;
    audit: AuditLog;
    collaboration: CollaborationService;
    views: SavedViews;
    tokens: JobTokens;
    revocations: RevocationBus;
    authenticator: Authenticator;
    limits: RateLimits;
    cookie: CookieSettings;
    /** The `default` workspace: its admins operate what the whole deployment shares (queues). */
    operatorWorkspaceId: string;
    /** Origins other than our own allowed to call the API (CORS) and to use sessions. */
    allowedOrigins: readonly string[];
    /** Express `trust proxy`: how many proxies in front set X-Forwarded-For. */
    trustProxy: number;
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
    // The one client-address rule, shared with the gateway's handshake limit (see client-address.ts).
    app.set('trust proxy', trustedProxies(api.trustProxy));
    app.use(
      helmet({
        contentSecurityPolicy: {
          // Plain-http deployments (local, tests) must keep loading their own scripts.
          directives: { upgradeInsecureRequests: null },
        },
      }),
    );
    // Cross-origin calls only from the configured origins (and then with credentials); none otherwise.
    app.use('/v1', cors({ origin: [...api.allowedOrigins], credentials: true, maxAge: 600 }));
    const openApiDocument = buildOpenApiDocument();
    app.use(docsRoutes(openApiDocument));
    const bodyBytes = api.bodyLimitBytes;
    const auth = {
      accounts: api.accounts,
      authenticator: api.authenticator,
      revocations: api.revocations,
      audit: api.audit,
      limits: api.limits,
      cookie: api.cookie,
      allowedOrigins: api.allowedOrigins,
      bodyBytes,
    };
    app.use(
      '/v1',
      api.limits.perIp(),
      publicAuthRoutes(auth),
      authenticate(api.authenticator, api.allowedOrigins),
      api.limits.perCaller(),
      accountRoutes(auth),
      inWorkspace(api.authenticator),
      jobsRoutes({
        jobs: api.jobs,
        audit: api.audit,
        tokens: api.tokens,
        bodyBytes,
        batchBodyBytes: api.batchBodyLimitBytes,
      }),
      jobTypesRoutes({ ...api.jobTypes, audit: api.audit, bodyBytes }),
      collaborationRoutes(api.collaboration, api.views, { bodyBytes }),
      queuesRoutes({
        overview: api.queues,
        ops: api.ops,
        drains: api.drains,
        audit: api.audit,
        operatorWorkspaceId: api.operatorWorkspaceId,
        bodyBytes,
      }),
      fairShareRoutes({
        ...api.fairShare,
        audit: api.audit,
        operatorWorkspaceId: api.operatorWorkspaceId,
        bodyBytes,
      }),
      webhooksRoutes(api.webhooks, api.webhookEndpoints, api.audit, { bodyBytes }),
      schedulesRoutes(api.schedules, api.audit, { bodyBytes }),
      artifactsRoutes(api.artifacts, api.audit),
      workspaceRoutes({
        accounts: api.accounts,
        members: api.members,
        schedules: api.schedules,
        jobs: api.jobs,
        artifacts: api.artifacts,
        revocations: api.revocations,
        audit: api.audit,
        bodyBytes,
      }),
      apiKeysRoutes(api.apiKeys, api.audit, { bodyBytes }),
      auditRoutes(api.audit),
    );
    if (api.consoleDir && existsSync(path.join(api.consoleDir, 'index.html'))) {
      const consoleDir = api.consoleDir;
      // The embeddable status (/embed/fd-job-status.js) is loaded by other sites' pages with a plain
      // <script src>: helmet's `Cross-Origin-Resource-Policy: same-origin` would make browsers refuse it.
      app.use('/embed', (_req, res, next) => {
        res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
        next();
      });
      app.use(express.static(consoleDir, { index: 'index.html' }));
      // Console URLs (`/sign-in`, `/sign-up`, `/w/<slug>`, `/w/<slug>/jobs/<id>`…) are the single-page app's.
      app.get(['/', '/sign-in', '/sign-up', '/w/*path'], (_req, res) =>
        res.sendFile(path.join(consoleDir, 'index.html')),
      );
    }
    app.use(methodNotAllowed(openApiDocument.paths ?? {}));
  }
  app.use(routeNotFound);
  app.use(errorHandler(options.logger));
  return app;
}
