import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { QUEUE_NAMES, defaultJobOptions, type FinishedJobRetention, type JobData } from '@flightdeck/workers';

export type QueueRegistry = ReadonlyMap<string, Queue<JobData>>;

/** One BullMQ producer per queue, on the API's fail-fast Redis connection. */
export function createQueues(
  connection: Redis,
  prefix: string,
  retention: FinishedJobRetention,
  logger: Logger,
): QueueRegistry {
  return new Map(
    QUEUE_NAMES.map((name) => {
      const queue = new Queue<JobData>(name, { connection, prefix, defaultJobOptions: defaultJobOptions(retention) });
      // Without a listener BullMQ prints its errors to the console, past the logger.
      queue.on('error', (error) => logger.warn({ err: error, queue: name }, 'queue error'));
      return [name, queue] as const;
    }),
  );
}

export async function closeQueues(queues: QueueRegistry): Promise<void> {
  await Promise.all([...queues.values()].map((queue) => queue.close()));
}
