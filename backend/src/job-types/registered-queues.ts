import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { defaultJobOptions, type FinishedJobRetention, type JobData } from '@flightdeck/workers';

/**
 * BullMQ producers for the queues of registered job types (`ws-<workspace>-<queue>`), opened on first
 * use: unlike Flightdeck's own queues, which ones exist depends on what workspaces register.
 */
export class RegisteredQueues {
  private readonly queues = new Map<string, Queue<JobData>>();

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly retention: FinishedJobRetention,
    private readonly logger: Logger,
  ) {}

  /** The producer of a registered type's queue; undefined for names that are not such queues. */
  get(name: string): Queue<JobData> | undefined {
    if (!name.startsWith('ws-')) return undefined;
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue<JobData>(name, {
        connection: this.connection,
        prefix: this.prefix,
        defaultJobOptions: defaultJobOptions(this.retention),
      });
      // Without a listener BullMQ prints its errors to the console, past the logger.
      queue.on('error', (error) => this.logger.warn({ err: error, queue: name }, 'queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}
