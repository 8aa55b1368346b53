import type { QueueOverview, QueueOverviewService } from '../jobs/queue-overview';
import { PolicyAutoscaling, workerReplicas, type AutoscalingReader, type AutoscalingState } from './autoscaling';
import type { ProcessHeartbeat, ProcessRegistry } from './process-registry';

export interface OpsOverview {
  queues: QueueOverview[];
  gateways: { id: string; connections: number; at: string }[];
  workers: {
    /**
     * Worker replicas running: inside Kubernetes the worker Deployments' ready replicas, elsewhere
     * the worker processes alive now (each serves every queue).
     */
    running: number;
    /**
     * Worker replicas asked for: inside Kubernetes what the workers' HPAs ask for, elsewhere the most
     * replicas any queue's scaling policy asks for (what KEDA would run).
     */
    desired: number;
    processes: { id: string; concurrency: number | null; at: string }[];
  };
  /** Where `workers.desired` and `running` come from, and what the autoscaler decides per Deployment. */
  autoscaling: AutoscalingState;
  at: string;
}

/** What the ops view shows: queue depth and scaling, gateways and their connections, workers running vs desired. */
export class OpsOverviewService {
  constructor(
    private readonly queues: QueueOverviewService,
    private readonly processes: ProcessRegistry,
    private readonly autoscaling: AutoscalingReader = new PolicyAutoscaling('not running in Kubernetes'),
  ) {}

  async describe(): Promise<OpsOverview> {
    const [queues, processes, autoscaling] = await Promise.all([
      this.queues.describe(),
      this.processes.live(),
      this.autoscaling.describe(),
    ]);
    const having = (role: string) => processes.filter((process: ProcessHeartbeat) => process.roles.includes(role));
    const workers = having('worker');
    const replicas =
      autoscaling.source === 'kubernetes'
        ? workerReplicas(autoscaling.scaledObjects)
        : {
            running: workers.length,
            desired: Math.max(0, ...queues.map((queue) => queue.scaling.desiredReplicas)),
          };
    return {
      queues,
      gateways: having('gateway').map(({ id, connections, at }) => ({ id, connections: connections ?? 0, at })),
      workers: {
        ...replicas,
        processes: workers.map(({ id, workerConcurrency, at }) => ({ id, concurrency: workerConcurrency, at })),
      },
      autoscaling,
      at: new Date().toISOString(),
    };
  }
}
