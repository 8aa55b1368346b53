import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { ulid } from 'ulid';
import { redisKeys, startWorkers, type WorkerRuntime, type WorkerRuntimeOptions } from '@flightdeck/workers';
import { API_KEY_SCOPES } from '@flightdeck/contract';
import { createApiKey, generateApiKey } from '../../src/accounts/api-keys';
import { loadConfig, type Config } from '../../src/config';
import { WorkspaceModel } from '../../src/db/models';
import { startFlightdeck } from '../../src/flightdeck';
import { httpClient, sessionClient, sessionCookieFrom, type HttpClient } from './http-client';
import { testNamespace } from './test-services';

export interface TestFlightdeck {
  url: string;
  config: Config;
  apiKey: string;
  /** The default workspace's id. */
  workspaceId: string;
  /** An HTTP client authenticated as the default workspace. */
  http: HttpClient;
  /** A separate Redis client, for looking at what the app wrote. */
  redis: Redis;
  keys: ReturnType<typeof redisKeys>;
  namespace: ReturnType<typeof testNamespace>;
  /** The app's BullMQ queue of that name (one per name, closed by `stop`), to see what BullMQ itself holds. */
  queue(name: string): Queue;
  /** Signs up a new person (who owns a new workspace); `http` acts as them in it. */
  signup(name: string): Promise<Person>;
  /** A second workspace with its own key, for isolation tests. */
  createWorkspace(slug: string): Promise<{ workspaceId: string; apiKey: string; http: HttpClient }>;
  /**
   * In-process workers on the app (`startTestWorkers`), for an app without the worker role whose tests
   * start them; they run until `closeWorkers` (in an afterEach, or mid-test) or `stop`.
   */
  startWorkers(options?: Partial<WorkerRuntimeOptions>): Promise<WorkerRuntime>;
  /** Closes the workers `startWorkers` started, if any, each given `timeoutMs` to finish its jobs. */
  closeWorkers(timeoutMs?: number): Promise<void>;
  /** Closes the workers it started, its queues, then the app. */
  stop(): Promise<void>;
}

export interface Person {
  user: { id: string; email: string; name: string };
  password: string;
  cookie: string;
  /** The slug of the workspace they own. */
  slug: string;
  workspaceId: string;
  /** Acts as this person in their own workspace; `in(slug)` in another. */
  http: HttpClient;
  in(slug: string): HttpClient;
}

let people = 0;

/** Starts Flightdeck in this process (every role by default) on a fresh namespace of the real test services. */
export async function startTestFlightdeck(env: Record<string, string> = {}): Promise<TestFlightdeck> {
  const namespace = testNamespace();
  const apiKey = `fd_test_${randomBytes(16).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    REDIS_URL: namespace.redisUrl,
    MONGODB_URI: namespace.mongoUrl,
    REDIS_PREFIX: namespace.prefix,
    BOOTSTRAP_API_KEY: apiKey,
    WORKER_LOCK_MS: '5000',
    // A stop with sockets still open drains them quickly.
    GATEWAY_DRAIN_DELAY_MS: '0',
    GATEWAY_DRAIN_MS: '500',
    // Tests make many requests, sockets and accounts from one address; the rate-limit tests set their own.
    RATE_LIMIT_PER_CALLER: '1000000',
    RATE_LIMIT_PER_IP: '1000000',
    SIGNUPS_PER_HOUR: '100000',
    SOCKET_HANDSHAKES_PER_IP: '1000000',
    ...env,
  });
  const logger = pino({ level: config.LOG_LEVEL });
  const flightdeck = await startFlightdeck(config, logger);
  const url = `http://127.0.0.1:${flightdeck.port}`;
  const redis = new Redis(namespace.redisUrl);
  const queues = new Map<string, Queue>();
  let workers: WorkerRuntime[] = [];
  const closeWorkers = async (timeoutMs = 2_000) => {
    const running = workers;
    workers = [];
    await Promise.all(running.map((runtime) => runtime.close(timeoutMs)));
  };
  return {
    url,
    config,
    apiKey,
    workspaceId: flightdeck.bootstrap!.workspaceId,
    http: httpClient(url, apiKey),
    redis,
    keys: redisKeys(namespace.prefix),
    namespace,
    queue(name) {
      let queue = queues.get(name);
      if (!queue) queues.set(name, (queue = new Queue(name, { connection: redis, prefix: namespace.prefix })));
      return queue;
    },
    async signup(name) {
      const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${++people}.${Date.now()}@example.test`;
      const password = `correct horse ${randomBytes(6).toString('hex')}`;
      const answer = await httpClient(url).post('/v1/auth/signup', { email, password, name }, { origin: url });
      if (answer.status !== 201) throw new Error(`signup failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      const cookie = sessionCookieFrom(answer);
      const workspace = answer.body.workspaces[0];
      return {
        user: answer.body.user,
        password,
        cookie,
        slug: workspace.slug,
        workspaceId: workspace.id,
        http: sessionClient(url, cookie, workspace.slug),
        in: (slug: string) => sessionClient(url, cookie, slug),
      };
    },
    async createWorkspace(slug) {
      const workspaceId = ulid();
      await WorkspaceModel.create({ _id: workspaceId, slug, name: slug });
      const key = generateApiKey();
      await createApiKey({ workspaceId, name: 'test', key, scopes: API_KEY_SCOPES });
      return { workspaceId, apiKey: key, http: httpClient(url, key) };
    },
    async startWorkers(options) {
      const runtime = await startTestWorkers({ namespace, config }, options);
      workers.push(runtime);
      return runtime;
    },
    closeWorkers,
    async stop() {
      await closeWorkers();
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      await flightdeck.stop();
      await redis.quit();
    },
  };
}

/**
 * BullMQ workers in the test process against the app's Redis and prefix, as a `worker` role runs them
 * (short locks, every progress tick sent, quiet); `options` adds or overrides (queues, concurrency…).
 */
export function startTestWorkers(
  app: Pick<TestFlightdeck, 'namespace' | 'config'>,
  options: Partial<WorkerRuntimeOptions> = {},
): Promise<WorkerRuntime> {
  return startWorkers({
    redisUrl: app.namespace.redisUrl,
    prefix: app.namespace.prefix,
    lockDurationMs: 5_000,
    progressIntervalMs: 0,
    events: { retainedEvents: app.config.EVENT_RETENTION, snapshotTtlSeconds: app.config.SNAPSHOT_TTL_SECONDS },
    logger: pino({ level: 'silent' }),
    ...options,
  });
}
