/**
 * What `GET /v1/ops` answers (see docs/openapi.json): queue depth and scaling, gateways and their
 * connections, worker processes running against the replicas the scaling policy asks for. Queues,
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
    /** Worker processes alive now. */
    running: number;
    /** The most replicas any queue's scaling policy asks for. */
    desired: number;
    processes: WorkerProcess[];
  };
  /** When the server read all this. */
  at: string;
  /** Whether this workspace operates the deployment's shared queues (only its admins pause and drain them). */
  operator: boolean;
}
