import type { DefaultJobOptions } from 'bullmq';

/**
 * The one place that owns queue names and their defaults. Job types name the queue they run on;
 * KEDA scales workers per queue on BullMQ's keys for these names.
 */
export const QUEUES = {
  demo: { concurrency: 50 },
  /** Outbound HTTP calls: waiting on the network, so many at once per process. */
  http: { concurrency: 50 },
  /**
   * Image work (sharp / libvips): CPU and memory bound, so few at once per process: libuv runs four
   * sharp operations in parallel by default, and each job holds its input and output in memory.
   */
  image: { concurrency: 4 },
} as const satisfies Record<string, { concurrency: number }>;

export type QueueName = keyof typeof QUEUES;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

/**
 * Flightdeck's own queues, which no job type names: the job workers never run them. `webhooks` is
 * processed by the backend's `api` role, which can read the workspaces' webhook secrets.
 */
export const INTERNAL_QUEUES = {
  /** Webhook deliveries: waiting on receivers, so many at once; retried with exponential backoff. */
  webhooks: { concurrency: 20, attempts: 8, backoffMs: 1_000 },
} as const satisfies Record<string, { concurrency: number; attempts: number; backoffMs: number }>;

export type InternalQueueName = keyof typeof INTERNAL_QUEUES;

/** How many finished jobs Redis keeps, and for how long (seconds); MongoDB keeps their history for good. */
export interface FinishedJobRetention {
  completed: { age: number; count: number };
  failed: { age: number; count: number };
}

export function defaultJobOptions(retention: FinishedJobRetention): DefaultJobOptions {
  return { attempts: 1, removeOnComplete: retention.completed, removeOnFail: retention.failed };
}
