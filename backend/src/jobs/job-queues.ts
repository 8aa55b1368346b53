import { Job as BullJob, type JobsOptions, type Queue } from 'bullmq';
import type { Job } from '@flightdeck/contract';
import type { JobData } from '@flightdeck/workers';
import { UnavailableError } from '../domain-errors';
import type { RegisteredQueues } from '../job-types/registered-queues';
import type { QueueRegistry } from './queue-registry';

/** Where a job waits in BullMQ: its queue (built in or registered), its BullMQ job, what BullMQ is given. */
export class JobQueues {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly registeredQueues?: RegisteredQueues,
  ) {}

  queueFor(name: string): Queue<JobData> {
    const queue = this.queues.get(name) ?? this.registeredQueues?.get(name);
    if (!queue) throw new UnavailableError(`queue ${name} is not configured here`);
    return queue;
  }

  async bullJob(job: Job): Promise<BullJob<JobData> | undefined> {
    return BullJob.fromId<JobData>(this.queueFor(job.queue), job.id);
  }
}

/** What a job's BullMQ entry carries: its workspace, its payload and its timeout. */
export function jobData(workspaceId: string, job: Job): JobData {
  return { workspaceId, payload: job.payload, ...(job.timeoutMs ? { timeoutMs: job.timeoutMs } : {}) };
}

/** A job's BullMQ options: its id, attempts, priority, what is left of its delay, its backoff. */
export function jobOptions(job: Job): JobsOptions {
  const delayMs = job.runAt ? Math.max(0, Date.parse(job.runAt) - Date.now()) : 0;
  return {
    jobId: job.id,
    attempts: job.attempts,
    ...(job.priority ? { priority: job.priority } : {}),
    ...(delayMs ? { delay: delayMs } : {}),
    ...(job.backoff ? { backoff: { type: job.backoff.type, delay: job.backoff.delayMs } } : {}),
  };
}
