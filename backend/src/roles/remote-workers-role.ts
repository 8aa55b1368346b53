import type http from 'node:http';
import type { Logger } from 'pino';
import { startWorkers, type EventStreamOptions, type WorkerMetricsHook } from '@flightdeck/workers';
import type { RevocationBus } from '../accounts/revocations';
import type { Config } from '../config';
import type { HandshakeOptions } from '../gateway/socket-handshake';
import { JobTypeRegistry } from '../job-types/job-type-registry';
import { RemoteWorkerPool } from '../remote-workers/remote-worker-pool';
import { RemoteWorkerRoster } from '../remote-workers/remote-worker-roster';
import { startWorkerGateway, type WorkerGateway } from '../remote-workers/worker-gateway';

export interface RemoteWorkersContext {
  config: Config;
  redisUrl: string;
  handshake: HandshakeOptions;
  revocations: RevocationBus;
  events: EventStreamOptions;
  metrics: WorkerMetricsHook;
  logger: Logger;
}

/**
 * Part of the `gateway` role: the workspaces' own workers connect to the process that holds their
 * socket, so this process also holds the BullMQ jobs they run (one BullMQ worker per queue of
 * registered types that a connected worker serves), with the same reporter, lock and hand-back
 * rules as the built-in workers.
 */
export function startRemoteWorkers(server: http.Server, context: RemoteWorkersContext): WorkerGateway {
  const { config, logger } = context;
  const pool = new RemoteWorkerPool({
    graceMs: config.REMOTE_WORKER_GRACE_MS,
    logger,
    startRuntime: (queue, jobTypeFor, concurrency) =>
      startWorkers({
        redisUrl: context.redisUrl,
        prefix: config.REDIS_PREFIX,
        queues: [queue],
        concurrency,
        jobTypeFor,
        lockDurationMs: config.WORKER_LOCK_MS,
        progressIntervalMs: config.PROGRESS_INTERVAL_MS,
        events: context.events,
        logger: logger.child({ queue }),
        metrics: context.metrics,
      }),
  });
  return startWorkerGateway(server, {
    ...context.handshake,
    logger,
    pool,
    registry: new JobTypeRegistry(),
    roster: new RemoteWorkerRoster(context.handshake.redis, context.handshake.keys, logger),
    revocations: context.revocations,
  });
}
