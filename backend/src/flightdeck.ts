import http from 'node:http';
import path from 'node:path';
import mongoose from 'mongoose';
import type { Logger } from 'pino';
import { closeRedis, redisKeys, startWorkers, withDeadline, type WorkerRuntime } from '@flightdeck/workers';
import { AccountService } from './accounts/account-service';
import { ApiKeyResolver } from './accounts/api-keys';
import { Authenticator } from './accounts/authenticator';
import { JobTokens } from './accounts/job-tokens';
import { RevocationBus, type Revocation } from './accounts/revocations';
import { SessionStore } from './accounts/sessions';
import { ProcessRegistry } from './ops/process-registry';
import type { BootstrapResult } from './accounts/bootstrap';
import { createApp } from './api/api-app';
import { closeHttpServer } from './api/http-shutdown';
import { recordJobFinished, reportDependencyHealth } from './metrics';
import { startRealtimeGateway, type RealtimeGateway } from './gateway/realtime-gateway';
import { REPO_ROOT, type Config } from './config';
import { startApiRole } from './roles/api-role';
import { startRemoteWorkers } from './roles/remote-workers-role';
import type { WorkerGateway } from './remote-workers/worker-gateway';
import { connectMongo, pingMongo } from './db/connection';
import { JobReader } from './jobs/job-reader';
import { GridFsArtifactStore } from './artifacts/artifact-store';
import { startFerretDb, startRedis, type LocalService } from './services/local-services';
import { SHUTDOWN_SLACK_MS, ShutdownSteps } from './shutdown-steps';
import { sharedConnection } from './redis-connections';

export interface Flightdeck {
  port: number;
  bootstrap?: BootstrapResult;
  /**
   * Ordered shutdown: readiness first, then intake, socket drain and workers, queues, Redis, MongoDB,
   * embedded services. Every step is bounded: it ends within `SHUTDOWN_TIMEOUT_MS` +
   * `SHUTDOWN_SLACK_MS` whatever is unreachable.
   */
  stop(): Promise<void>;
  /**
   * For an exit that cannot wait (a second signal, the last-resort deadline): sends the embedded
   * services this process started SIGTERM and waits at most `waitMs` for them to exit. They close
   * their ports at once and go on exiting by themselves; a next start then starts them afresh.
   */
  stopEmbeddedServices(waitMs: number): Promise<void>;
}

/** Bounds of the closing steps (each also within what is left of `SHUTDOWN_SLACK_MS`). */
const STEP_MS = 500;
const API_ROLE_STOP_MS = 2_000;
const MONGODB_CLOSE_MS = 1_000;
const EMBEDDED_STOP_MS = 2_000;

interface EmbeddedServices {
  redisUrl: string;
  mongoUrl: string;
  services: LocalService[];
}

/**
 * Starts the embedded Redis / FerretDB for whichever URL the configuration leaves unset. They run in
 * process groups of their own: a Ctrl-C reaches only us, and `stop()` stops them after the jobs.
 */
async function startEmbeddedServices(config: Config, logger: Logger): Promise<EmbeddedServices> {
  const services: LocalService[] = [];
  let redisUrl = config.REDIS_URL;
  let mongoUrl = config.MONGODB_URI;
  if (!redisUrl) {
    const redis = await startRedis({
      port: config.EMBEDDED_REDIS_PORT,
      dataDir: path.join(config.DATA_DIR, 'redis'),
      durable: true,
      ownProcessGroup: true,
    });
    services.push(redis);
    redisUrl = redis.url;
    // A warning, so that it shows at every LOG_LEVEL but error: embedded services are for one machine.
    logger.warn(
      { url: redis.url, dataDir: redis.dataDir, reused: !redis.started },
      'REDIS_URL not set: using the embedded Redis',
    );
  }
  if (!mongoUrl) {
    const binary = config.FERRETDB_BIN ?? path.join(REPO_ROOT, '.tools', 'bin', 'ferretdb');
    const ferret = await startFerretDb({
      port: config.EMBEDDED_MONGODB_PORT,
      dataDir: path.join(config.DATA_DIR, 'ferretdb'),
      binary,
      ownProcessGroup: true,
    }).catch(async (error: unknown) => {
      await Promise.all(services.map((service) => service.stop()));
      throw error;
    });
    services.push(ferret);
    mongoUrl = ferret.url;
    logger.warn(
      { url: ferret.url, dataDir: ferret.dataDir, reused: !ferret.started },
      'MONGODB_URI not set: using the embedded FerretDB (MongoDB wire protocol)',
    );
  }
  return { redisUrl, mongoUrl, services };
}

const stopServices = (services: LocalService[]) => Promise.all(services.map((service) => service.stop()));

/** Answers every request while the process starts: alive (`/healthz` 200), not ready yet (503). */
const starting: http.RequestListener = (req, res) => {
  if (req.method === 'GET' && req.url?.split('?')[0] === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok' }));
    return;
  }
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(JSON.stringify({ error: { code: 'service_unavailable', message: 'Flightdeck is starting' } }));
};

export async function startFlightdeck(config: Config, logger: Logger): Promise<Flightdeck> {
  // The port is taken before anything else, so a port in use fails the start before it changes
  // anything (a first start would otherwise create the credentials it prints, and never print them).
  const server = http.createServer(starting);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, resolve);
  });
  let embedded: EmbeddedServices | undefined;
  try {
    embedded = await startEmbeddedServices(config, logger);
    return await startRoles(config, logger, server, embedded);
  } catch (error) {
    // Services this start launched must not outlive it: a later start would reuse them, never stopping them.
    server.close();
    await Promise.all((embedded?.services ?? []).map((service) => service.stop()));
    throw error;
  }
}

async function startRoles(
  config: Config,
  logger: Logger,
  server: http.Server,
  { redisUrl, mongoUrl, services }: EmbeddedServices,
): Promise<Flightdeck> {
  const roles = new Set(config.ROLES);

  const redis = sharedConnection(redisUrl);
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  await connectMongo(mongoUrl);
  mongoose.connection.on('error', (error) => logger.warn({ err: error }, 'mongodb connection error'));
  reportDependencyHealth({ redis: async () => (await redis.ping()) === 'PONG', mongodb: () => pingMongo(1_000) });

  const keys = redisKeys(config.REDIS_PREFIX);
  const eventStreamOptions = {
    retainedEvents: config.EVENT_RETENTION,
    snapshotTtlSeconds: config.SNAPSHOT_TTL_SECONDS,
  };
  const readiness = { accepting: true };

  let workers: WorkerRuntime | undefined;
  let gateway: RealtimeGateway | undefined;
  let workerGateway: WorkerGateway | undefined;
  const apiKeys = new ApiKeyResolver();
  const reader = new JobReader(redis, keys);
  // Artifacts live in MongoDB (GridFS): the API serves them, job handlers reach them through this store.
  const artifactStore = await GridFsArtifactStore.open(mongoose.connection, config.ARTIFACT_MAX_BYTES);
  const registry = new ProcessRegistry(redis, keys, logger.child({ component: 'registry' }));
  const revocations = new RevocationBus(redis, keys, logger.child({ component: 'revocations' }));
  const sessions = new SessionStore(redis, keys, config.SESSION_TTL_SECONDS);
  const accounts = new AccountService(sessions);
  const authenticator = new Authenticator(apiKeys, sessions, new JobTokens(redis, keys, config.TOKEN_SECRET), accounts);
  if (roles.has('api') || roles.has('gateway')) {
    await revocations.listen((revocation: Revocation) => {
      if (revocation.kind === 'apiKey') apiKeys.evict(revocation.keyId);
      if (revocation.kind === 'workspace') apiKeys.evictWorkspace(revocation.workspaceId);
    });
  }

  const apiRole = roles.has('api')
    ? await startApiRole({
        config,
        logger,
        redisUrl,
        redis,
        keys,
        events: eventStreamOptions,
        reader,
        artifactStore,
        registry,
        revocations,
        accounts,
        authenticator,
      })
    : undefined;
  if (roles.has('worker')) {
    workers = await startWorkers({
      redisUrl,
      prefix: config.REDIS_PREFIX,
      ...(config.WORKER_CONCURRENCY ? { concurrency: config.WORKER_CONCURRENCY } : {}),
      ...(config.WORKER_QUEUES ? { queues: config.WORKER_QUEUES } : {}),
      lockDurationMs: config.WORKER_LOCK_MS,
      progressIntervalMs: config.PROGRESS_INTERVAL_MS,
      events: eventStreamOptions,
      outboundAllowlist: config.OUTBOUND_ALLOWLIST,
      artifacts: artifactStore,
      logger: logger.child({ component: 'worker' }),
      metrics: { jobFinished: recordJobFinished },
    });
  }

  server.removeListener('request', starting);
  server.on('request', createApp({ logger, redis, readiness, ...(apiRole ? { api: apiRole.api } : {}) }));
  if (roles.has('gateway')) {
    gateway = startRealtimeGateway(server, {
      redis,
      keys,
      authenticator,
      revocations,
      allowedOrigins: config.CORS_ORIGINS,
      eventsPerSecond: config.SOCKET_EVENTS_PER_SECOND,
      handshakesPerIp: config.SOCKET_HANDSHAKES_PER_IP,
      handshakeWindowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
      trustProxy: config.TRUST_PROXY,
      jobs: reader,
      logger: logger.child({ component: 'gateway' }),
      maxBufferedPackets: config.SOCKET_MAX_BUFFERED_PACKETS,
      drainDelayMs: config.GATEWAY_DRAIN_DELAY_MS,
      drainMs: config.GATEWAY_DRAIN_MS,
    });
    const handshake = {
      redis,
      keys,
      authenticator,
      allowedOrigins: config.CORS_ORIGINS,
      handshakesPerIp: config.SOCKET_HANDSHAKES_PER_IP,
      handshakeWindowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
      trustProxy: config.TRUST_PROXY,
      logger: logger.child({ component: 'remote-workers' }),
    };
    workerGateway = startRemoteWorkers(server, {
      config,
      redisUrl,
      handshake,
      revocations,
      events: eventStreamOptions,
      metrics: { jobFinished: recordJobFinished },
      logger: handshake.logger,
    });
  }
  registry.start(() => ({
    roles: [...roles],
    connections: gateway ? gateway.connections() : null,
    workerConcurrency: roles.has('worker') ? (config.WORKER_CONCURRENCY ?? null) : null,
    workerQueues: roles.has('worker') ? (config.WORKER_QUEUES ?? null) : null,
  }));
  const port = (server.address() as { port: number }).port;
  logger.info({ port, roles: [...roles] }, 'flightdeck is up');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      readiness.accepting = false;
      // Redis or MongoDB may be gone: no step may wait on them for long (see ShutdownSteps).
      const steps = new ShutdownSteps(logger, Date.now() + config.SHUTDOWN_TIMEOUT_MS + SHUTDOWN_SLACK_MS);
      await steps.run('process registry', () => registry.stop(), STEP_MS);
      const closed = closeHttpServer(server, config.SHUTDOWN_TIMEOUT_MS);
      // The gateway drains its sockets (GATEWAY_DRAIN_DELAY_MS + GATEWAY_DRAIN_MS) while the workers
      // finish their jobs: both fit in SHUTDOWN_TIMEOUT_MS, not one after the other. The workers bound
      // their own close (the hand-back of jobs still running comes after SHUTDOWN_TIMEOUT_MS).
      await Promise.all([
        steps.run('gateway', () => gateway?.close(), config.SHUTDOWN_TIMEOUT_MS),
        steps.run('workers', () => workers?.close(config.SHUTDOWN_TIMEOUT_MS), Infinity),
        steps.run('remote workers', () => workerGateway?.close(config.SHUTDOWN_TIMEOUT_MS), Infinity),
      ]);
      await steps.run('http server', () => closed, STEP_MS);
      await steps.run('api role', () => apiRole?.stop(), API_ROLE_STOP_MS);
      await steps.run('revocations', () => revocations.close(), STEP_MS);
      await steps.run('redis', () => closeRedis(redis, STEP_MS), STEP_MS);
      await steps.run(
        'mongodb',
        () => mongoose.disconnect(),
        MONGODB_CLOSE_MS,
        () => {
          void mongoose.connection.close(true).catch(() => undefined);
        },
      );
      // Each is sent SIGTERM at once, however little time is left; only the wait for its exit is bounded.
      await steps.run('embedded services', () => stopServices(services), EMBEDDED_STOP_MS);
      logger.info('flightdeck stopped');
    })());

  return {
    port,
    ...(apiRole ? { bootstrap: apiRole.bootstrap } : {}),
    stop,
    stopEmbeddedServices: (waitMs) => withDeadline(stopServices(services), waitMs).then(() => undefined),
  };
}
