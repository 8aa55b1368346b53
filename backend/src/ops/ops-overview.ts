import type { QueueOverview, QueueOverviewService } from '../jobs/queue-overview';
import type { ProcessHeartbeat, ProcessRegistry } from './process-registry';

export interface OpsOverview {
  queues: QueueOverview[];
  gateways: { id: string; connections: number; at: string }[];
  workers: {
    /** Worker processes alive now (each serves every queue). */
    running: number;
    /** The most replicas any queue's scaling policy asks for: what KEDA would run. */
    desired: number;
    processes: { id: string; concurrency: number | null; at: string }[];
  };
  at: string;
}

/** What the ops view shows: queue depth and scaling, gateways and their connections, workers running vs desired. */
export class OpsOverviewService {
  constructor(
    private readonly queues: QueueOverviewService,
    private readonly processes: ProcessRegistry,
  ) {}

  async describe(): Promise<OpsOverview> {
    const [queues, processes] = await Promise.all([this.queues.describe(), this.processes.live()]);
    const having = (role: string) => processes.filter((process: ProcessHeartbeat) => process.roles.includes(role));
    const workers = having('worker');
    return {
      queues,
      gateways: having('gateway').map(({ id, connections, at }) => ({ id, connections: connections ?? 0, at })),
      workers: {
        running: workers.length,
        desired: Math.max(0, ...queues.map((queue) => queue.scaling.desiredReplicas)),
        processes: workers.map(({ id, workerConcurrency, at }) => ({ id, concurrency: workerConcurrency, at })),
      },
      at: new Date().toISOString(),
    };
  }
}
