import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAMES, defaultJobOptions, type FinishedJobRetention, type JobData } from '@flightdeck/workers';

export type QueueRegistry = ReadonlyMap<string, Queue<JobData>>;

/** One BullMQ producer per queue, on the API's fail-fast Redis connection. */
export function createQueues(connection: Redis, prefix: string, retention: FinishedJobRetention): QueueRegistry {
  return new Map(
    QUEUE_NAMES.map((name) => [
      name,
      new Queue<JobData>(name, { connection, prefix, defaultJobOptions: defaultJobOptions(retention) }),
    ]),
  );
}

export async function closeQueues(queues: QueueRegistry): Promise<void> {
  await Promise.all([...queues.values()].map((queue) => queue.close()));
}
