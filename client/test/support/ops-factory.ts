/** `GET /v1/ops` answers for tests (see client/src/ops/ops-overview.ts). */
export interface OpsOverrides {
  at: string;
  queues?: { name: string; paused?: boolean; queued?: number; delayed?: number; active?: number; failed?: number }[];
  gateways?: { id: string; connections: number }[];
  running?: number;
  desired?: number;
  /** Whether the workspace is the operator workspace (default: yes). */
  operator?: boolean;
}

export function buildOps({ at, queues = [], gateways = [], running = 1, desired = 0, operator = true }: OpsOverrides) {
  return {
    queues: queues.map(({ name, paused = false, queued = 0, delayed = 0, active = 0, failed = 0 }) => ({
      name,
      paused,
      counts: { queued, delayed, active, completed: 0, failed },
      scaling: { desiredReplicas: desired, minReplicas: 0, maxReplicas: 10, jobsPerReplica: 4 },
    })),
    gateways: gateways.map((gateway) => ({ ...gateway, at })),
    workers: {
      running,
      desired,
      processes: Array.from({ length: running }, (_, index) => ({ id: `worker-${index}`, concurrency: 4, at })),
    },
    at,
    operator,
  };
}
