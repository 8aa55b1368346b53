import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobData, QueueScalingPolicy } from '@flightdeck/workers';
import { JobTypeVersionModel } from '../db/models';
import { registeredQueueName } from './job-type-registry';
import type { RegisteredQueues } from './registered-queues';

/** One BullMQ queue of a workspace's registered types, and whose it is. */
export interface RegisteredQueue {
  workspaceId: string;
  /** The BullMQ queue's name (`ws-<workspace>-<queue>`). */
  name: string;
  queue: Queue<JobData>;
}

/**
 * How a registered queue's workers scale when run with the `own-worker` kustomize component
 * (deploy/k8s/components/own-worker): its ScaledObject's numbers, for `GET /v1/queues`. One replica
 * runs the SDK's default concurrency (10); a test checks the component says the same.
 */
export const REGISTERED_QUEUE_SCALING: QueueScalingPolicy = {
  minReplicas: 0,
  maxReplicas: 10,
  jobsPerReplica: 10,
  activationBacklog: 0,
};

/**
 * Where the queues' names come from: every (workspace, queue) any version of any type named, of
 * every workspace or of one.
 */
export type RegisteredQueueSource = (workspaceId?: string) => Promise<{ workspaceId: string; queue: string }[]>;

/** Every (workspace, queue) pair a stored type version names, from MongoDB. */
export const storedRegisteredQueues: RegisteredQueueSource = async (workspaceId) => {
  const groups = await JobTypeVersionModel.aggregate<{ _id: { workspaceId: string; queue: string } }>([
    ...(workspaceId === undefined ? [] : [{ $match: { workspaceId } }]),
    { $group: { _id: { workspaceId: '$workspaceId', queue: '$queue' } } },
  ]);
  return groups.map(({ _id }) => _id);
};

/**
 * The queues of every workspace's registered types, for what looks after every queue of the
 * deployment (the due-job promoter, the attempt-end reconciler, /metrics, `GET /v1/queues`). Which
 * queues exist depends on what workspaces register, so the list is read from the registry and kept
 * for `refreshMs`. A queue that any version of a type ever named stays listed: a type that moved to
 * another queue may still have delayed retries or running jobs in the old one.
 */
export class RegisteredQueueDirectory {
  /** The last list read and when: answered until it is `refreshMs` old, and while a newer one is read. */
  private lastRead: { at: number; queues: RegisteredQueue[] } | undefined;
  private refreshing: Promise<RegisteredQueue[]> | undefined;

  constructor(
    private readonly producers: RegisteredQueues,
    private readonly refreshMs = 5_000,
    private readonly source: RegisteredQueueSource = storedRegisteredQueues,
  ) {}

  /**
   * Every workspace's registered queues, by name. Once a list has been read, a call never waits for
   * MongoDB: an older list starts a new read and is answered meanwhile, and while the registry cannot
   * be read (MongoDB away) the last list goes on being answered, so the queues found are still looked
   * after. Only the first read is waited for (and its failure thrown).
   */
  all(): Promise<RegisteredQueue[]> {
    const last = this.lastRead;
    if (last && Date.now() - last.at < this.refreshMs) return Promise.resolve(last.queues);
    this.refreshing ??= this.read()
      .then((queues) => {
        this.lastRead = { at: Date.now(), queues };
        return queues;
      })
      .finally(() => (this.refreshing = undefined));
    if (!last) return this.refreshing;
    this.refreshing.catch(() => undefined);
    return Promise.resolve(last.queues);
  }

  /**
   * The workspace's own registered queues, by name; never another workspace's. Read afresh (one
   * indexed query): a queue registered a moment ago is listed at once.
   */
  ofWorkspace(workspaceId: string): Promise<RegisteredQueue[]> {
    return this.read(workspaceId);
  }

  /**
   * Each registered queue's backlog: jobs in `wait`, `prioritized` and `active` (what a KEDA
   * ScaledObject of the workspace's own workers counts). One pipeline of three reads per queue.
   */
  async backlogs(redis: Redis): Promise<Map<string, number>> {
    const queues = await this.all();
    if (queues.length === 0) return new Map();
    const pipeline = redis.pipeline();
    for (const { queue } of queues) {
      pipeline.llen(queue.keys.wait!);
      pipeline.zcard(queue.keys.prioritized!);
      pipeline.llen(queue.keys.active!);
    }
    const answers = (await pipeline.exec()) ?? [];
    return new Map(
      queues.map(({ name }, index) => {
        let backlog = 0;
        for (const [error, count] of answers.slice(index * 3, index * 3 + 3)) {
          if (error) throw error;
          backlog += Number(count);
        }
        return [name, backlog];
      }),
    );
  }

  private async read(only?: string): Promise<RegisteredQueue[]> {
    const seen = new Map<string, RegisteredQueue>();
    for (const { workspaceId, queue } of await this.source(only)) {
      if (only !== undefined && workspaceId !== only) continue;
      const name = registeredQueueName(workspaceId, queue);
      if (seen.has(name)) continue;
      const producer = this.producers.get(name);
      if (producer) seen.set(name, { workspaceId, name, queue: producer });
    }
    return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
