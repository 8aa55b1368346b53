/**
 * What `GET /v1/ops` says of autoscaling: inside Kubernetes, KEDA's ScaledObjects with their HPAs,
 * Deployments, conditions and events (read by backend/src/ops/autoscaling.ts); outside, Flightdeck's
 * scaling policy. Shared by the backend, which builds it, and the console, which shows it.
 */

export interface ScaledObjectCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string | null;
  message: string | null;
  since: string | null;
}

export interface ScalingEvent {
  type: string;
  reason: string;
  message: string;
  /** When it last happened. */
  at: string | null;
  count: number;
}

export interface ScaledObjectState {
  name: string;
  /** The Flightdeck queues it scales on (its `flightdeck.dev/queues` annotation). */
  queues: string[];
  /** `app.kubernetes.io/component` of the Deployment it scales (api, gateway, worker…). */
  component: string | null;
  minReplicas: number | null;
  maxReplicas: number | null;
  /** The HPA KEDA drives: the replicas it asks for and the ones it counts. Null when there is none (yet). */
  hpa: { name: string; desiredReplicas: number; currentReplicas: number } | null;
  /** The Deployment it scales: replicas asked for (spec) and ready. Null when it is missing. */
  deployment: { name: string; replicas: number; readyReplicas: number } | null;
  /** Ready, Active, Fallback and Paused, as KEDA reports them. */
  conditions: ScaledObjectCondition[];
  /** KEDA's Events about it, newest first. */
  events: ScalingEvent[];
}

export interface AutoscalingState {
  /** Where the worker replicas (desired and running) come from. */
  source: 'kubernetes' | 'policy';
  /** Why that source, in words. */
  reason: string;
  /** The namespace read; null outside Kubernetes. */
  namespace: string | null;
  /** When the Kubernetes API was last read successfully. */
  readAt: string | null;
  /** Why the last reading failed; null when it did not. */
  error: string | null;
  scaledObjects: ScaledObjectState[];
}
