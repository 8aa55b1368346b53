import type { AutoscalingState } from '../../src/ops/ops-overview';

/** `GET /v1/ops` answers for tests (see client/src/ops/ops-overview.ts). */
export interface OpsOverrides {
  at: string;
  queues?: { name: string; paused?: boolean; queued?: number; delayed?: number; active?: number; failed?: number }[];
  gateways?: { id: string; connections: number }[];
  running?: number;
  desired?: number;
  /** Whether the workspace is the operator workspace (default: yes). */
  operator?: boolean;
  /** What `autoscaling` says (default: Flightdeck's policy, outside Kubernetes). */
  autoscaling?: AutoscalingState;
}

/** `autoscaling` outside Kubernetes, as the server answers it. */
export const POLICY_AUTOSCALING: AutoscalingState = {
  source: 'policy',
  reason: "Flightdeck's scaling policy: not running in Kubernetes.",
  namespace: null,
  readAt: null,
  error: null,
  scaledObjects: [],
};

/** `autoscaling` inside Kubernetes at server time `now`: workers scaling up on a backlog, image workers at zero. */
export function kubernetesAutoscaling(now: number): AutoscalingState {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    source: 'kubernetes',
    reason: "Kubernetes: KEDA's ScaledObjects in namespace flightdeck, their HPAs and Deployments.",
    namespace: 'flightdeck',
    readAt: iso(now - 2_000),
    error: null,
    scaledObjects: [
      {
        name: 'flightdeck-worker',
        queues: ['demo', 'http'],
        component: 'worker',
        minReplicas: 0,
        maxReplicas: 10,
        hpa: { name: 'flightdeck-worker', desiredReplicas: 4, currentReplicas: 2 },
        deployment: { name: 'flightdeck-worker', replicas: 4, readyReplicas: 2 },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'ScaledObjectReady',
            message: 'ScaledObject is defined correctly and is ready for scaling',
            since: null,
          },
          {
            type: 'Active',
            status: 'True',
            reason: 'ScalerActive',
            message: 'Scaling is performed because triggers are active',
            since: iso(now - 65_000),
          },
          {
            type: 'Fallback',
            status: 'True',
            reason: 'FallbackExists',
            message: 'At least one trigger is falling back on this scaled object',
            since: null,
          },
          { type: 'Paused', status: 'False', reason: null, message: null, since: null },
        ],
        events: [
          {
            type: 'Normal',
            reason: 'KEDAScaleTargetActivated',
            message: 'Scaled apps/v1.Deployment flightdeck/flightdeck-worker from 0 to 1, triggered by redisScaler',
            at: iso(now - 30_000),
            count: 1,
          },
          {
            type: 'Warning',
            reason: 'KEDAScalerFailed',
            message: 'error inspecting prometheus metrics',
            at: iso(now - 90_000),
            count: 3,
          },
          {
            type: 'Normal',
            reason: 'KEDAScalersStarted',
            message: 'Scaler redis is built.',
            at: iso(now - 600_000),
            count: 1,
          },
        ],
      },
      {
        name: 'flightdeck-worker-image',
        queues: ['image'],
        component: 'worker-image',
        minReplicas: 0,
        maxReplicas: 10,
        hpa: null,
        deployment: { name: 'flightdeck-worker-image', replicas: 0, readyReplicas: 0 },
        conditions: [],
        events: [],
      },
    ],
  };
}

export function buildOps({
  at,
  queues = [],
  gateways = [],
  running = 1,
  desired = 0,
  operator = true,
  autoscaling = POLICY_AUTOSCALING,
}: OpsOverrides) {
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
    autoscaling,
    at,
    operator,
  };
}
