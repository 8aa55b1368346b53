import path from 'node:path';
import { z } from 'zod';

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
  BOOTSTRAP_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
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
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).optional(),
  WORKER_LOCK_MS: int(30_000, 1000),
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
   * First retry delay of a webhook delivery; later ones double (BullMQ exponential backoff). Tests
   * shorten it.
   */
  WEBHOOK_BACKOFF_MS: int(1_000, 1),
  /** How long a webhook receiver has to answer before the attempt counts as failed. */
  WEBHOOK_TIMEOUT_MS: int(10_000, 100),
  /**
   * Hosts outbound calls (`http.request` jobs and webhooks) may reach even when they resolve to loopback, private
   * or other internal addresses: exact host names or IP literals, comma-separated, case-insensitive.
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

export class ConfigError extends Error {
  override name = 'ConfigError';
}
