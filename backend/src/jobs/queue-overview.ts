import { SCALING_POLICIES, desiredReplicas, type QueueName } from '@flightdeck/workers';
import type { QueueRegistry } from './queue-registry';

export interface QueueOverview {
  name: string;
  paused: boolean;
  /** Jobs in Redis right now, across the deployment (finished ones only until Redis drops them). */
  counts: { queued: number; delayed: number; active: number; completed: number; failed: number };
  scaling: { desiredReplicas: number; minReplicas: number; maxReplicas: number; jobsPerReplica: number };
}

/** Queue depth and the worker replicas the scaling policy asks for at that depth. */
export class QueueOverviewService {
  constructor(private readonly queues: QueueRegistry) {}

  describe(): Promise<QueueOverview[]> {
    return Promise.all(
      [...this.queues].map(async ([name, queue]) => {
        const [counts, paused] = await Promise.all([
          queue.getJobCounts('wait', 'prioritized', 'waiting-children', 'delayed', 'active', 'completed', 'failed'),
          queue.isPaused(),
        ]);
        const n = (state: string) => counts[state] ?? 0;
        const policy = SCALING_POLICIES[name as QueueName];
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
            }),
            minReplicas: policy.minReplicas,
            maxReplicas: policy.maxReplicas,
            jobsPerReplica: policy.jobsPerReplica,
          },
        };
      }),
    );
  }
}
