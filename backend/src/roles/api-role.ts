import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { JobEventStream, type EventStreamOptions, type RedisKeys } from '@flightdeck/workers';
import type { AccountService } from '../accounts/account-service';
import { ApiKeyService } from '../accounts/api-keys';
import type { Authenticator } from '../accounts/authenticator';
import { bootstrap, type BootstrapResult } from '../accounts/bootstrap';
import { MemberService } from '../accounts/members';
import type { RevocationBus } from '../accounts/revocations';
import type { AppOptions } from '../api/api-app';
import { RateLimits } from '../api/rate-limits';
import { ArtifactService } from '../artifacts/artifact-service';
import type { GridFsArtifactStore } from '../artifacts/artifact-store';
import { ORPHAN_SWEEP_TIMING, OrphanChunkSweeper } from '../artifacts/orphan-chunk-sweeper';
import { AuditLog } from '../audit/audit-log';
import { CollaborationService } from '../collaboration/collaboration-service';
import { SavedViews } from '../collaboration/saved-views';
import { REPO_ROOT, type Config } from '../config';
import { HistoryProjector } from '../history/history-projector';
import { HistoryWatermark } from '../history/history-watermark';
import type { JobReader } from '../jobs/job-reader';
import { DueJobPromoter } from '../jobs/due-job-promoter';
import { FairDispatcher } from '../fair-share/fair-dispatcher';
import { FairShare } from '../fair-share/fair-share';
import { withLaneCounts } from '../fair-share/metered-lanes';
import { laneCounts, readFairShareUsage } from '../fair-share/fair-share-usage';
import { WorkspaceLimitsStore } from '../fair-share/workspace-limits';
import { FairShareOverview } from '../fair-share/workspace-limits-overview';
import { JobService } from '../jobs/job-service';
import { JobTypeCatalog } from '../job-types/job-type-catalog';
import { JobTypeRegistry } from '../job-types/job-type-registry';
import { RegisteredQueueDirectory } from '../job-types/registered-queue-directory';
import { RegisteredQueues } from '../job-types/registered-queues';
import { RemoteWorkerRoster } from '../remote-workers/remote-worker-roster';
import { QueueDrainService } from '../jobs/queue-drain';
import { QueueOverviewService } from '../jobs/queue-overview';
import { closeQueues, createQueues } from '../jobs/queue-registry';
import {
  reportDueDelayedJobs,
  reportHistoryBacklog,
  reportQueueDepths,
  reportQueuePauses,
  reportRegisteredQueueBacklogs,
  type MeteredQueue,
} from '../metrics';
import { autoscalingReaderFor } from '../ops/kubernetes-scaling-source';
import { OpsOverviewService } from '../ops/ops-overview';
import type { ProcessRegistry } from '../ops/process-registry';
import { RedisLease } from '../ops/redis-lease';
import { AttemptEndReconciler, RECONCILER_TIMING } from '../reconciler/attempt-end-reconciler';
import { ScheduleService } from '../schedules/schedule-service';
import { WebhookDeliverer } from '../webhooks/webhook-deliverer';
import { WebhookEndpoints } from '../webhooks/webhook-endpoints';
import { WebhookService } from '../webhooks/webhook-service';
import { dedicatedConnection } from '../redis-connections';

/** What the `api` role needs from the process: connections and the services every role shares. */
export interface ApiRoleContext {
  config: Config;
  logger: Logger;
  redisUrl: string;
  redis: Redis;
  keys: RedisKeys;
  events: EventStreamOptions;
  reader: JobReader;
  artifactStore: GridFsArtifactStore;
  registry: ProcessRegistry;
  revocations: RevocationBus;
  accounts: AccountService;
  authenticator: Authenticator;
}

export interface ApiRole {
  /** The REST API's services, for the HTTP app. */
  api: NonNullable<AppOptions['api']>;
  bootstrap: BootstrapResult;
  /**
   * Stops what runs in the background: the orphaned-chunk sweeper, the attempt-end reconciler, the
   * history projector, the webhook deliverer, the queues.
   */
  stop(): Promise<void>;
}

/**
 * The `api` role: makes sure the bootstrap workspace and key exist, opens the queues, starts the
 * history projector, the webhook deliverer, the sweep of orphaned artifact chunks and the attempt-end
 * reconciler, restores lost schedulers, and builds the REST API's services.
 */
export async function startApiRole(context: ApiRoleContext): Promise<ApiRole> {
  const { config, logger, redis, keys, reader } = context;
  const bootstrapResult = await bootstrap(config.BOOTSTRAP_API_KEY, logger);
  const retention = {
    completed: { count: config.KEEP_COMPLETED_JOBS, age: config.KEEP_COMPLETED_SECONDS },
    failed: { count: config.KEEP_FAILED_JOBS, age: config.KEEP_FAILED_SECONDS },
  };
  const queues = createQueues(redis, config.REDIS_PREFIX, retention, logger);
  reportQueuePauses(queues);
  reportHistoryBacklog(() => redis.xlen(keys.history));
  // Webhooks are sent from here, not by job workers: signing needs the secrets in MongoDB.
  const webhookDeliverer = new WebhookDeliverer({
    redisUrl: context.redisUrl,
    producer: redis,
    prefix: config.REDIS_PREFIX,
    reader,
    outboundAllowlist: config.OUTBOUND_ALLOWLIST,
    backoffMs: config.WEBHOOK_BACKOFF_MS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    retention,
    logger: logger.child({ component: 'webhooks' }),
  });
  webhookDeliverer.start();
  // Under fair share a shared queue's depth includes what waits in the workspaces' lanes.
  const metered = [...queues].map(
    ([name, queue]) =>
      [name, config.FAIR_SHARE === 'on' ? withLaneCounts(name, queue, redis, keys) : queue] as [string, MeteredQueue],
  );
  reportQueueDepths(new Map<string, MeteredQueue>([...metered, [webhookDeliverer.queue.name, webhookDeliverer.queue]]));
  // Its own connection, as it blocks on reads; duplicates do not inherit the error listener.
  const projectorRedis = dedicatedConnection(redis);
  projectorRedis.on('error', (error) => logger.warn({ err: error }, 'history redis connection error'));
  const projector = new HistoryProjector(
    projectorRedis,
    keys,
    config.HISTORY_BATCH_SIZE,
    logger.child({ component: 'history' }),
    webhookDeliverer,
  );
  projector.start();
  // Chunks of uploads cut short by a crash: one API process of the deployment sweeps them each period.
  const sweeper = new OrphanChunkSweeper(
    context.artifactStore,
    new RedisLease(redis, keys.artifactSweep, ORPHAN_SWEEP_TIMING.everyMs),
    logger.child({ component: 'artifacts' }),
  );
  sweeper.start();

  const jobTypeRegistry = new JobTypeRegistry();
  const registeredQueues = new RegisteredQueues(redis, config.REDIS_PREFIX, retention, logger);
  // The workspaces' registered queues, for the promoter, the reconciler, /metrics and GET /v1/queues.
  const registeredDirectory = new RegisteredQueueDirectory(registeredQueues);
  reportRegisteredQueueBacklogs(() => registeredDirectory.backlogs(redis));
  // At zero workers nothing else moves due delayed jobs to `wait`, where KEDA looks.
  const duePromoter = new DueJobPromoter(redis, keys, queues, logger.child({ component: 'due-jobs' }), {
    pollMs: config.DUE_JOB_POLL_MS,
    registered: registeredDirectory,
  });
  duePromoter.start();
  reportDueDelayedJobs(() => duePromoter.countDue());
  // Fair share: the shared queues are fed from per-workspace lanes, by a dispatcher in every api process.
  const fairShare = new FairShare(redis, keys, queues, {
    enabled: config.FAIR_SHARE === 'on',
    depth: config.FAIR_DISPATCH_DEPTH,
    defaults: {
      maxRunning: config.FAIR_DEFAULT_MAX_RUNNING,
      maxPending: config.FAIR_DEFAULT_MAX_PENDING,
      weight: config.FAIR_DEFAULT_WEIGHT,
    },
  });
  const fairDispatcher = new FairDispatcher(redis, fairShare, logger.child({ component: 'fair-share' }));
  fairDispatcher.start();
  const schedules = new ScheduleService(queues, { registry: jobTypeRegistry, queues: registeredQueues });
  const restored = await schedules.restoreMissing();
  if (restored > 0) logger.warn({ restored }, 'job schedulers missing from Redis were re-created from MongoDB');
  const events = new JobEventStream(redis, keys, context.events);
  // Attempt ends that a dying worker took with it, from BullMQ's own event streams. Its own
  // connection: its reads can be large. It appends through the API's stream (one lane per workspace).
  const reconcilerRedis = dedicatedConnection(redis);
  reconcilerRedis.on('error', (error) => logger.warn({ err: error }, 'reconciler redis connection error'));
  const reconciler = new AttemptEndReconciler(
    reconcilerRedis,
    keys,
    queues,
    events,
    logger.child({ component: 'reconciler' }),
    RECONCILER_TIMING,
    registeredDirectory,
  );
  reconciler.start();
  const queueOverview = new QueueOverviewService(queues, registeredDirectory, (queue) =>
    laneCounts(redis, keys, queue),
  );
  // Read only here: the gateways write their connected workers' entries.
  const remoteWorkers = new RemoteWorkerRoster(redis, keys, logger);
  const jobs = new JobService({
    redis,
    queues,
    registry: jobTypeRegistry,
    registeredQueues,
    events,
    keys,
    reader,
    history: new HistoryWatermark(redis, keys),
    cancelChannel: keys.cancellations,
    idempotencyTtlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
    historyReadWaitMs: config.HISTORY_READ_WAIT_MS,
    // Always: with FAIR_SHARE=off it admits straight to BullMQ, but cancels and drains still look in the lanes.
    fairShare,
  });
  // Operators' limits per workspace, mirrored into Redis for the dispatcher (now and every period).
  const fairLimits = new WorkspaceLimitsStore({
    redis,
    limitsKey: keys.fairLimits,
    defaults: {
      maxRunning: config.FAIR_DEFAULT_MAX_RUNNING ?? null,
      maxPending: config.FAIR_DEFAULT_MAX_PENDING,
      weight: config.FAIR_DEFAULT_WEIGHT,
    },
    logger: logger.child({ component: 'fair-limits' }),
    onChange: (workspaceId) => fairShare.forgetQuota(workspaceId),
  });
  fairLimits.start();
  const api: ApiRole['api'] = {
    jobs,
    jobTypes: {
      registry: jobTypeRegistry,
      catalog: new JobTypeCatalog({
        registry: jobTypeRegistry,
        liveProcesses: () => context.registry.live(),
        registeredWorkers: (workspaceId) => remoteWorkers.byType(workspaceId),
      }),
    },
    collaboration: new CollaborationService(redis, keys, events, jobs),
    views: new SavedViews(),
    queues: queueOverview,
    drains: new QueueDrainService(queueOverview, jobs, fairShare),
    fairShare: {
      limits: fairLimits,
      overview: new FairShareOverview(fairLimits, (ids) => readFairShareUsage(redis, keys, ids)),
    },
    ops: new OpsOverviewService(queueOverview, context.registry, autoscalingReaderFor(config, logger)),
    webhooks: new WebhookService(reader),
    webhookEndpoints: new WebhookEndpoints(),
    artifacts: new ArtifactService(context.artifactStore, reader),
    schedules,
    accounts: context.accounts,
    members: new MemberService(context.revocations),
    apiKeys: new ApiKeyService(context.revocations),
    audit: new AuditLog(),
    tokens: context.authenticator.jobTokens,
    revocations: context.revocations,
    authenticator: context.authenticator,
    limits: new RateLimits(redis, keys, {
      perCaller: config.RATE_LIMIT_PER_CALLER,
      perIp: config.RATE_LIMIT_PER_IP,
      windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
      loginFailures: config.LOGIN_MAX_FAILURES,
      loginWindowSeconds: config.LOGIN_WINDOW_SECONDS,
      signupsPerHour: config.SIGNUPS_PER_HOUR,
    }),
    cookie: {
      secure: config.COOKIE_SECURE ?? config.NODE_ENV === 'production',
      maxAgeSeconds: config.SESSION_TTL_SECONDS,
    },
    allowedOrigins: config.CORS_ORIGINS,
    operatorWorkspaceId: bootstrapResult.workspaceId,
    trustProxy: config.TRUST_PROXY,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    batchBodyLimitBytes: config.BATCH_BODY_LIMIT_BYTES,
    consoleDir: path.join(REPO_ROOT, 'client', 'dist'),
  };

  return {
    api,
    bootstrap: bootstrapResult,
    async stop() {
      await fairLimits.stop();
      await sweeper.stop();
      await duePromoter.stop();
      await fairDispatcher.stop();
      await reconciler.stop();
      await projector.stop();
      await webhookDeliverer.close();
      await closeQueues(queues);
      await registeredQueues.close();
    },
  };
}
