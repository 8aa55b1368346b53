import type { Queue } from 'bullmq';
import {
  SCALING_POLICIES,
  desiredReplicas,
  type JobData,
  type QueueName,
  type QueueScalingPolicy,
} from '@flightdeck/workers';
import { NotFoundError } from '../domain-errors';
import { REGISTERED_QUEUE_SCALING, type RegisteredQueueDirectory } from '../job-types/registered-queue-directory';
import type { QueueRegistry } from './queue-registry';

export interface LaneCounts {
  queued: number;
  delayed: number;
}

export interface QueueOverview {
  name: string;
  paused: boolean;
  /** Jobs in Redis right now, across the deployment (finished ones only until Redis drops them). */
  counts: { queued: number; delayed: number; active: number; completed: number; failed: number };
  scaling: { desiredReplicas: number; minReplicas: number; maxReplicas: number; jobsPerReplica: number };
}

/**
 * Queue depth and the worker replicas the scaling policy asks for at that depth; pausing and resuming.
 * Flightdeck's own queues are shared by the deployment; the queues of registered types are each
 * workspace's own, and only their workspace sees them.
 */
export class QueueOverviewService {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly registered?: Pick<RegisteredQueueDirectory, 'ofWorkspace'>,
    /** A shared queue's jobs still in the workspaces' lanes (fair share), not yet in BullMQ. */
    private readonly lanes?: (queue: string) => Promise<LaneCounts>,
  ) {}

  /** Flightdeck's queues, then (given a workspace) that workspace's own registered queues, by name. */
  async describe(workspaceId?: string): Promise<QueueOverview[]> {
    const own = workspaceId && this.registered ? await this.registered.ofWorkspace(workspaceId) : [];
    return Promise.all([
      ...[...this.queues].map(([name, queue]) => this.describeQueue(name, queue)),
      // Registered queues are one workspace's own: no lanes, BullMQ holds all of their work.
      ...own.map(({ name, queue }) => this.describeQueue(name, queue, REGISTERED_QUEUE_SCALING)),
    ]);
  }

  /**
   * Workers take no new jobs from the queue (active ones finish). BullMQ 6 keeps paused jobs in
   * `wait`, so the queue still counts them as queued, but asks for no replicas for them.
   */
  async pause(name: string): Promise<QueueOverview> {
    const queue = this.queueNamed(name);
    await queue.pause();
    return this.describeQueue(name, queue);
  }

  async resume(name: string): Promise<QueueOverview> {
    const queue = this.queueNamed(name);
    await queue.resume();
    return this.describeQueue(name, queue);
  }

  /** One queue as `describe` shows it; an unknown name is 404. */
  describeNamed(name: string): Promise<QueueOverview> {
    return this.describeQueue(name, this.queueNamed(name));
  }

  /** The queue of this name; an unknown name is 404. */
  queueNamed(name: string): Queue<JobData> {
    const queue = this.queues.get(name);
    if (!queue) throw new NotFoundError(`queue ${name} not found`);
    return queue;
  }

  private async describeQueue(
    name: string,
    queue: Queue,
    policy: QueueScalingPolicy = SCALING_POLICIES[name as QueueName],
  ): Promise<QueueOverview> {
    const laned = this.lanes && this.queues.get(name) === queue;
    const [counts, paused, lanes] = await Promise.all([
      queue.getJobCounts('wait', 'prioritized', 'waiting-children', 'delayed', 'active', 'completed', 'failed'),
      queue.isPaused(),
      laned ? this.lanes!(name) : { queued: 0, delayed: 0 },
    ]);
    // Jobs waiting in the workspaces' lanes count as BullMQ's `wait` and `delayed` would.
    const n = (state: string) =>
      (counts[state] ?? 0) + (state === 'wait' ? lanes.queued : state === 'delayed' ? lanes.delayed : 0);
    return {
      name,
      paused,
      counts: {
        queued: n('wait') + n('prioritized') + n('waiting-children'),
        delayed: n('delayed'),
        active: n('active'),
        completed: n('completed'),
        failed: n('failed'),
      },
      scaling: {
        desiredReplicas: desiredReplicas(policy, {
          wait: n('wait'),
          prioritized: n('prioritized'),
          active: n('active'),
          paused,
        }),
        minReplicas: policy.minReplicas,
        maxReplicas: policy.maxReplicas,
        jobsPerReplica: policy.jobsPerReplica,
      },
    };
  }
}
