import { INTERNAL_QUEUES, QUEUES, type InternalQueueName, type QueueName } from './queues';

/**
 * How many worker replicas each queue asks for. The KEDA ScaledObjects use the same numbers and the
 * same formula: the backlog (`wait` + `prioritized` + `active` + the fair-share lanes) over the jobs one
 * replica runs at once.
 * A paused queue's backlog is its active jobs only: BullMQ 6 leaves paused jobs in `wait`, where no
 * worker may take them, so counting them would scale workers up to sit idle.
 */
export interface QueueScalingPolicy {
  minReplicas: number;
  maxReplicas: number;
  /** One replica's concurrency: the KEDA target value. */
  jobsPerReplica: number;
  /** At or below this backlog, the queue scales to `minReplicas` (KEDA's activation target). */
  activationBacklog: number;
}

export const SCALING_POLICIES: Record<QueueName | InternalQueueName, QueueScalingPolicy> = {
  demo: { minReplicas: 0, maxReplicas: 10, jobsPerReplica: QUEUES.demo.concurrency, activationBacklog: 0 },
  http: { minReplicas: 0, maxReplicas: 10, jobsPerReplica: QUEUES.http.concurrency, activationBacklog: 0 },
  // Its own worker Deployment (`WORKER_QUEUES=image`): few jobs per replica, so more replicas.
  image: { minReplicas: 0, maxReplicas: 10, jobsPerReplica: QUEUES.image.concurrency, activationBacklog: 0 },
  // Delivered by the `api` role, which always runs: at least one replica.
  webhooks: {
    minReplicas: 1,
    maxReplicas: 10,
    jobsPerReplica: INTERNAL_QUEUES.webhooks.concurrency,
    activationBacklog: 0,
  },
};

export interface QueueDepth {
  wait: number;
  prioritized: number;
  active: number;
  /**
   * Jobs of the workspaces waiting, due, in the queue's fair-share lanes, not yet dispatched into
   * `wait` (the KEDA trigger `<queue>_lanes`); 0 when absent. Not counted while paused: nothing is
   * dispatched then.
   */
  lanes?: number;
  /** The queue is paused: waiting jobs cannot be taken, only active ones need workers. */
  paused: boolean;
}

export function desiredReplicas(policy: QueueScalingPolicy, depth: QueueDepth): number {
  const backlog = depth.paused ? depth.active : depth.wait + depth.prioritized + depth.active + (depth.lanes ?? 0);
  if (backlog <= policy.activationBacklog) return policy.minReplicas;
  const wanted = Math.ceil(backlog / policy.jobsPerReplica);
  return Math.min(policy.maxReplicas, Math.max(policy.minReplicas, 1, wanted));
}
