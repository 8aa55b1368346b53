import type { AutoscalingState, ScaledObjectCondition, ScaledObjectState, ScalingEvent } from '@flightdeck/contract';

/**
 * What `GET /v1/ops` answers (see docs/openapi.json): queue depth and scaling, gateways and their
 * connections, worker replicas running against the ones asked for — by the real autoscaler inside
 * Kubernetes, else by Flightdeck's scaling policy. Queues,
 * gateways and workers are the deployment's, shared by every workspace.
 */
export interface QueueCounts {
  queued: number;
  delayed: number;
  active: number;
  completed: number;
  failed: number;
}

export interface QueueScaling {
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  jobsPerReplica: number;
}

export interface QueueOverview {
  name: string;
  paused: boolean;
  counts: QueueCounts;
  scaling: QueueScaling;
}

/** What `POST /v1/queues/{name}/drain` answers. */
export interface QueueDrain {
  queue: QueueOverview;
  /** Jobs cancelled, across every workspace. */
  drained: number;
  /** Jobs found waiting but not cancelled: taken by a worker or ended meanwhile, or a schedule's next run. */
  skipped: number;
}

export interface GatewayOverview {
  id: string;
  connections: number;
  /** The gateway's last heartbeat. */
  at: string;
}

export interface WorkerProcess {
  id: string;
  concurrency: number | null;
  at: string;
}

export interface OpsOverview {
  queues: QueueOverview[];
  gateways: GatewayOverview[];
  workers: {
    /** Worker replicas running: ready in the worker Deployments (Kubernetes), else worker processes alive. */
    running: number;
    /** Worker replicas asked for: by the workers' HPAs (Kubernetes), else the most any queue's policy asks for. */
    desired: number;
    processes: WorkerProcess[];
  };
  autoscaling: AutoscalingState;
  /** When the server read all this. */
  at: string;
  /** Whether this workspace operates the deployment's shared queues (only its admins pause and drain them). */
  operator: boolean;
}

export type { AutoscalingState, ScaledObjectCondition, ScaledObjectState, ScalingEvent };
