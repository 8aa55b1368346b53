import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { QUEUE_NAMES } from '@flightdeck/workers';

export const ROLES = ['api', 'gateway', 'worker'] as const;
export type Role = (typeof ROLES)[number];

/** The repository root, for the embedded services' data and binaries. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(8080).pipe(z.number().max(65535)),
  ROLES: z
    .string()
    .default(ROLES.join(','))
    .transform((value) =>
      value
        .split(',')
        .map((role) => role.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(ROLES)).min(1, 'name at least one role')),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` (coloured lines, pino-pretty) or `json` (one object a line); unset: pretty on a terminal. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** Any exact string (the contract's); a short one starts with a warning, not a refusal. */
  BOOTSTRAP_API_KEY: z.string().min(1, 'must not be empty').max(512, 'must be at most 512 characters').optional(),
  /** BullMQ key prefix; KEDA's triggers read `<prefix>:<queue>:wait`. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]+$/)
    .default('bull'),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, '.flightdeck')),
  EMBEDDED_REDIS_PORT: int(16379, 1),
  EMBEDDED_MONGODB_PORT: int(27117, 1),
  FERRETDB_BIN: z.string().optional(),
  BODY_LIMIT_BYTES: int(1_048_576, 1024),
  BATCH_BODY_LIMIT_BYTES: int(16_777_216, 1024),
  /** The largest artifact (an uploaded file or one a job produces), in bytes. */
  ARTIFACT_MAX_BYTES: int(52_428_800, 1024),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).optional(),
  /**
   * The job queues a `worker` process runs (comma list), so a queue can get Deployments of its own
   * (image work needs other resources than HTTP calls); every queue when unset.
   */
  WORKER_QUEUES: z
    .string()
    .optional()
    .transform((value) =>
      value
        ?.split(',')
        .map((queue) => queue.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(QUEUE_NAMES)).min(1, 'name at least one queue').optional()),
  WORKER_LOCK_MS: int(30_000, 1000),
  /** How long a workspace's own worker that went away keeps its jobs before they go back to their queue. */
  REMOTE_WORKER_GRACE_MS: int(10_000, 0),
  SHUTDOWN_TIMEOUT_MS: int(25_000, 0),
  /**
   * On SIGTERM a gateway waits this long (readiness already 503) so the load balancer stops routing
   * to it, then disconnects its sockets in batches spread over GATEWAY_DRAIN_MS.
   */
  GATEWAY_DRAIN_DELAY_MS: int(2_000, 0),
  GATEWAY_DRAIN_MS: int(10_000, 0),
  PROGRESS_INTERVAL_MS: int(100, 0),
  EVENT_RETENTION: int(10_000, 100),
  /** Packets a socket may have waiting before it is dropped to a resync (a slow client never slows others). */
  SOCKET_MAX_BUFFERED_PACKETS: int(1_000, 10),
  SNAPSHOT_TTL_SECONDS: int(86_400, 60),
  IDEMPOTENCY_TTL_SECONDS: int(7 * 86_400, 60),
  /** How many completed / failed jobs Redis keeps (history stays in MongoDB). */
  KEEP_COMPLETED_JOBS: int(1000, 0),
  KEEP_COMPLETED_SECONDS: int(3600, 0),
  KEEP_FAILED_JOBS: int(5000, 0),
  KEEP_FAILED_SECONDS: int(86_400, 0),
  HISTORY_BATCH_SIZE: int(500, 1),
  /** How long a list request waits for history to catch up with events already accepted. */
  HISTORY_READ_WAIT_MS: int(2_000, 0),
  /**
   * How often the `api` role moves due delayed jobs (delays, retry backoffs, schedule runs) to `wait`,
   * where KEDA sees them: at zero workers nothing else does. Part of how late such a job starts there.
   */
  DUE_JOB_POLL_MS: int(1_000, 50),
  /**
   * Fair share between workspaces (see docs/design.md, "Fair share"): `on` keeps each workspace's
   * waiting jobs of the shared queues in its own lane and feeds BullMQ round-robin; `off` is plain FIFO.
   */
  FAIR_SHARE: z.enum(['on', 'off']).default('on'),
  /**
   * Most jobs the dispatcher keeps in BullMQ's `wait` + `prioritized` of each shared queue; it adapts
   * below this to the rate workers drain them. Larger: more throughput headroom, less fairness.
   */
  FAIR_DISPATCH_DEPTH: int(400, 1),
  /** A workspace's jobs running at once (dispatched, not finished) unless an operator set its own; unset = unlimited. */
  FAIR_DEFAULT_MAX_RUNNING: z.coerce.number().int().min(1).optional(),
  /** A workspace's jobs waiting (queued or delayed) in the shared queues; past it submissions get 429 quota_exceeded. */
  FAIR_DEFAULT_MAX_PENDING: int(1_000_000, 1),
  /** A workspace's share of the workers relative to others' (1–100) unless an operator set its own. */
  FAIR_DEFAULT_WEIGHT: int(1, 1).pipe(z.number().max(100)),
  /**
   * First retry delay of a webhook delivery; later ones double (BullMQ exponential backoff). Tests
   * shorten it.
   */
  WEBHOOK_BACKOFF_MS: int(1_000, 1),
  /** How long a webhook receiver has to answer before the attempt counts as failed. */
  WEBHOOK_TIMEOUT_MS: int(10_000, 100),
  /**
   * Hosts outbound calls (`http.request` jobs and webhooks) may reach even when they resolve to loopback, private
   * or other internal addresses: exact host names or IP literals (`host:port` for one port only), comma-separated, case-insensitive.
   */
  OUTBOUND_ALLOWLIST: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    ),
  /** Origins (scheme://host[:port]) other than our own whose pages may call the API and Socket.io, comma-separated. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/ }))),
  /**
   * Express's `trust proxy`: how many proxies in front of us set X-Forwarded-For (the client address
   * rate limits and the audit log use). 0 trusts none (direct exposure); 1 behind one load balancer.
   */
  TRUST_PROXY: int(0, 0),
  SESSION_TTL_SECONDS: int(7 * 86_400, 1),
  /** Session cookies only over HTTPS; on by default in production. */
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true')),
  /** Key that signs job tokens (at least 32 characters); without it one is made and kept in Redis. */
  TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Rate limits: requests per RATE_LIMIT_WINDOW_SECONDS per API key / person, and per client address; 0 = off. */
  RATE_LIMIT_WINDOW_SECONDS: int(60, 1),
  RATE_LIMIT_PER_CALLER: int(6_000, 0),
  RATE_LIMIT_PER_IP: int(12_000, 0),
  /** Failed sign-ins per email and address within LOGIN_WINDOW_SECONDS before sign-in waits. */
  LOGIN_MAX_FAILURES: int(5, 1),
  LOGIN_WINDOW_SECONDS: int(900, 1),
  SIGNUPS_PER_HOUR: int(200, 0),
  /** Events (subscribe, unsubscribe…) a socket may send per second; past it they are refused with rate_limited. */
  SOCKET_EVENTS_PER_SECOND: int(200, 1),
  /**
   * Socket.io handshakes per client address per RATE_LIMIT_WINDOW_SECONDS, counted in Redis before the
   * credentials are looked at (failed ones count too); past it they are refused with rate_limited; 0 = off.
   */
  SOCKET_HANDSHAKES_PER_IP: int(600, 0),
  /**
   * Where the ops view's replica figures come from. `auto`: from the real autoscaler (KEDA's
   * ScaledObjects, their HPAs, Deployments and Events) when the Kubernetes API is reachable — a pod
   * with its service account token mounted, or OPS_KUBECONFIG — else from Flightdeck's scaling
   * policy; `off`: always the policy.
   */
  OPS_KUBERNETES: z.enum(['auto', 'off']).default('auto'),
  /** A kubeconfig file to read the autoscaler with instead of the pod's service account (the scaling lab). */
  OPS_KUBECONFIG: z.string().min(1).optional(),
  /** The ScaledObjects' namespace: by default the pod's own, else the kubeconfig context's, else `flightdeck`. */
  OPS_KUBERNETES_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name')
    .max(63)
    .optional(),
  /** Set by Kubernetes in every container: the API server's address. */
  KUBERNETES_SERVICE_HOST: z.string().optional(),
});

/** A gateway's drain must end while there is still time for the rest of the shutdown. */
const configSchema = envSchema.superRefine((config, context) => {
  const drain = config.GATEWAY_DRAIN_DELAY_MS + config.GATEWAY_DRAIN_MS;
  if (config.ROLES.includes('gateway') && drain >= config.SHUTDOWN_TIMEOUT_MS) {
    context.addIssue({
      code: 'custom',
      path: ['GATEWAY_DRAIN_MS'],
      message: `GATEWAY_DRAIN_DELAY_MS + GATEWAY_DRAIN_MS (${drain}) must be less than SHUTDOWN_TIMEOUT_MS (${config.SHUTDOWN_TIMEOUT_MS})`,
    });
  }
});

export type Config = z.infer<typeof configSchema>;

/** Reads and validates the environment once; reports every problem at once. No other module reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new ConfigError(`invalid configuration:\n${problems}`);
  }
  return parsed.data;
}

/** Where a pod's service account token, CA and namespace are mounted. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** How the ops view reads the autoscaler, or why it does not. */
export type KubernetesAccess =
  | { kind: 'in-cluster'; namespace: string }
  | { kind: 'kubeconfig'; path: string; namespace: string | undefined }
  | { kind: 'none'; reason: string };

/** Decides once, at start-up, whether the ops view reads Kubernetes, and how. */
export function kubernetesAccessOf(config: Config, serviceAccountDir = SERVICE_ACCOUNT_DIR): KubernetesAccess {
  if (config.OPS_KUBERNETES === 'off') return { kind: 'none', reason: 'OPS_KUBERNETES is off' };
  if (config.OPS_KUBECONFIG) {
    return { kind: 'kubeconfig', path: config.OPS_KUBECONFIG, namespace: config.OPS_KUBERNETES_NAMESPACE };
  }
  if (!config.KUBERNETES_SERVICE_HOST) return { kind: 'none', reason: 'not running in Kubernetes' };
  if (!fs.existsSync(path.join(serviceAccountDir, 'token'))) {
    return {
      kind: 'none',
      reason: 'running in Kubernetes without a service account token (automountServiceAccountToken is false)',
    };
  }
  const namespaceFile = path.join(serviceAccountDir, 'namespace');
  const podNamespace = fs.existsSync(namespaceFile) ? fs.readFileSync(namespaceFile, 'utf8').trim() : '';
  return { kind: 'in-cluster', namespace: config.OPS_KUBERNETES_NAMESPACE ?? (podNamespace || 'flightdeck') };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
