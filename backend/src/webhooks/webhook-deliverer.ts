import { createHmac } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  INTERNAL_QUEUES,
  OutboundGuard,
  OutboundUrlRefusedError,
  pinnedAgent,
  type FinishedJobRetention,
} from '@flightdeck/workers';
import { WebhookDeliveryModel } from '../db/models';
import type { JobReader } from '../jobs/job-reader';
import { webhookSecret } from './webhook-service';

export const WEBHOOK_EVENT_TYPES = ['job.completed', 'job.failed', 'job.cancelled'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** A delivery's BullMQ job data: ids and the URL only; the secret is read when sending. */
export interface WebhookDelivery {
  workspaceId: string;
  jobId: string;
  eventType: WebhookEventType;
  url: string;
  /** `<jobId>:<eventType>:<seq>` of the final event: the same for a replayed projector batch. */
  deliveryId: string;
}

/** What the history projector hands deliveries to. */
export interface WebhookEnqueuer {
  enqueue(deliveries: WebhookDelivery[]): Promise<void>;
}

export interface WebhookDelivererOptions {
  redisUrl: string;
  /** The API's fail-fast connection, for the producer. */
  producer: Redis;
  prefix: string;
  reader: JobReader;
  outboundAllowlist: readonly string[];
  backoffMs: number;
  timeoutMs: number;
  retention: FinishedJobRetention;
  logger: Logger;
}

const QUEUE = 'webhooks';
const DUPLICATE_KEY = 11000;
/** Most of a receiver's answer read (and dropped) before the connection is given back. */
const MAX_RESPONSE_BYTES = 65_536;

const hmacHex = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('hex');

/**
 * A delivery's signature headers, keyed with the secret's text:
 * - `flightdeck-signature`: lowercase hex HMAC-SHA256 of the raw body (the contract's signature);
 * - `flightdeck-timestamp`: `<unix seconds>`;
 * - `flightdeck-signature-timestamped`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, so a
 *   receiver can also refuse old deliveries (replays).
 */
export function signWebhook(secret: string, body: string, timestamp: number): Record<string, string> {
  return {
    'flightdeck-signature': hmacHex(secret, body),
    'flightdeck-timestamp': String(timestamp),
    'flightdeck-signature-timestamped': `t=${timestamp},v1=${hmacHex(secret, `${timestamp}.${body}`)}`,
  };
}

/**
 * Sends webhooks: a BullMQ queue the history projector fills as final events reach history, and a
 * worker (in the `api` role, which can read the secrets) that POSTs each signed event. Every
 * attempt is recorded in `webhook_deliveries`. A URL the outbound guard refuses fails at once;
 * non-2xx answers, network errors and timeouts are retried with exponential backoff.
 */
export class WebhookDeliverer implements WebhookEnqueuer {
  /** Read by /metrics (queue depth, oldest waiting delivery). */
  readonly queue: Queue<WebhookDelivery>;
  private readonly connection: Redis;
  private readonly worker: Worker<WebhookDelivery>;
  private readonly guard: OutboundGuard;

  constructor(private readonly options: WebhookDelivererOptions) {
    const { logger, prefix } = options;
    const { attempts } = INTERNAL_QUEUES.webhooks;
    this.queue = new Queue<WebhookDelivery>(QUEUE, {
      connection: options.producer,
      prefix,
      defaultJobOptions: {
        attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        removeOnComplete: options.retention.completed,
        removeOnFail: options.retention.failed,
      },
    });
    this.queue.on('error', (error) => logger.warn({ err: error, queue: QUEUE }, 'queue error'));
    this.guard = new OutboundGuard({ allowlist: options.outboundAllowlist });
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on('error', (error) => logger.warn({ err: error }, 'webhook redis connection error'));
    this.worker = new Worker<WebhookDelivery>(QUEUE, (job) => this.deliver(job), {
      connection: this.connection,
      prefix,
      concurrency: INTERNAL_QUEUES.webhooks.concurrency,
      autorun: false,
    });
    this.worker.on('error', (error) => logger.warn({ err: error, queue: QUEUE }, 'webhook worker error'));
  }

  start(): void {
    this.worker.run().catch((error: unknown) => this.worker.emit('error', error as Error));
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }

  /** Queues deliveries; the BullMQ job id comes from the delivery id, so a replay adds nothing twice. */
  async enqueue(deliveries: WebhookDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queue.addBulk(
      deliveries.map((delivery) => ({
        name: delivery.eventType,
        data: delivery,
        // BullMQ reserves ':' in custom ids.
        opts: { jobId: delivery.deliveryId.replaceAll(':', '_') },
      })),
    );
  }

  private async deliver(job: BullJob<WebhookDelivery>): Promise<void> {
    const delivery = job.data;
    // attemptsStarted also counts a run that stalled, so a re-run gets an entry of its own.
    const attempt = Math.max(job.attemptsStarted, job.attemptsMade + 1);
    const logger = this.options.logger.child({
      queue: QUEUE,
      jobId: delivery.jobId,
      deliveryId: delivery.deliveryId,
      attempt,
    });
    const record = (status: number | null, error: string | null) => this.record(delivery, attempt, status, error);

    let target;
    try {
      target = await this.guard.check(delivery.url);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await record(null, message);
      if (error instanceof OutboundUrlRefusedError) throw new UnrecoverableError(message);
      throw error;
    }
    const current = await this.options.reader.find(delivery.workspaceId, delivery.jobId);
    if (!current) {
      await record(null, 'the job no longer exists');
      throw new UnrecoverableError('the job no longer exists');
    }
    const secret = await webhookSecret(delivery.workspaceId);
    const body = JSON.stringify({ type: delivery.eventType, job: current });
    const signatureHeaders = signWebhook(secret, body, Math.floor(Date.now() / 1000));

    const agent = pinnedAgent(target);
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let status: number;
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signatureHeaders,
          'flightdeck-delivery': delivery.deliveryId,
        },
        body,
        redirect: 'manual',
        signal: timeout,
        dispatcher: agent,
      } as RequestInit); // `dispatcher` is undici's extension of fetch; DOM typings (the console's tests) lack it
      status = response.status;
      await drain(response);
    } catch (error) {
      const message = timeout.aborted
        ? `no answer within ${this.options.timeoutMs} ms`
        : `request failed: ${error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)}`;
      await record(null, message);
      logger.info({ error: message }, 'webhook delivery failed');
      throw new Error(message);
    } finally {
      void agent.destroy().catch(() => undefined);
    }
    if (status < 200 || status > 299) {
      const message = `the receiver answered ${status}`;
      await record(status, message);
      logger.info({ status }, 'webhook delivery failed');
      throw new Error(message);
    }
    await record(status, null);
  }

  private async record(delivery: WebhookDelivery, attempt: number, status: number | null, error: string | null) {
    try {
      await WebhookDeliveryModel.collection.insertOne({
        _id: `${delivery.deliveryId}:${attempt}`,
        workspaceId: delivery.workspaceId,
        jobId: delivery.jobId,
        deliveryId: delivery.deliveryId,
        url: delivery.url,
        eventType: delivery.eventType,
        attempt,
        status,
        ok: error === null,
        error,
        at: new Date(),
      } as never);
    } catch (failure) {
      if ((failure as { code?: number }).code !== DUPLICATE_KEY) throw failure;
    }
  }
}

/** Reads and drops up to `MAX_RESPONSE_BYTES` of the answer, so the connection can be reused or closed cleanly. */
async function drain(response: Response): Promise<void> {
  if (!response.body) return;
  let read = 0;
  const reader = response.body.getReader();
  try {
    while (read < MAX_RESPONSE_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
