import type { Logger } from 'pino';
import type { AutoscalingState, ScaledObjectCondition, ScaledObjectState, ScalingEvent } from '@flightdeck/contract';

// What the ops view says about scaling. Inside Kubernetes: what the real autoscaler decides — KEDA's
// ScaledObjects, the HPAs they drive, the Deployments those scale and KEDA's Events. Elsewhere:
// Flightdeck's own scaling policy (workers/src/scaling-policy.ts), computed from the queues.

/** Kubernetes gives times as strings (custom objects) or Dates (typed objects of @kubernetes/client-node). */
type KubeTime = string | Date | null | undefined;

/** The parts of the Kubernetes objects read here: what @kubernetes/client-node returns, or a test's fakes. */
export interface KubeCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: KubeTime;
}

export interface KubeScaledObject {
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: {
    scaleTargetRef?: { name?: string; kind?: string };
    minReplicaCount?: number;
    maxReplicaCount?: number;
    advanced?: { horizontalPodAutoscalerConfig?: { name?: string } };
  };
  status?: { hpaName?: string; conditions?: KubeCondition[] };
}

export interface KubeHpa {
  metadata?: { name?: string };
  status?: { desiredReplicas?: number; currentReplicas?: number };
}

export interface KubeDeployment {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { replicas?: number };
  status?: { readyReplicas?: number };
}

export interface KubeEvent {
  involvedObject?: { kind?: string; name?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: KubeTime;
  eventTime?: KubeTime;
  firstTimestamp?: KubeTime;
  metadata?: { creationTimestamp?: KubeTime };
}

/** One reading of the namespace: the lists the mapping turns into {@link ScaledObjectState}s. */
export interface KubeScalingObjects {
  scaledObjects: KubeScaledObject[];
  hpas: KubeHpa[];
  deployments: KubeDeployment[];
  /** Events whose involved object is a ScaledObject. */
  events: KubeEvent[];
}

/** Where the lists come from: the Kubernetes API (kubernetes-scaling-source.ts) or a test's fakes. */
export interface KubeScalingSource {
  /** The namespace read, for the view. */
  readonly namespace: string;
  /** Gets ready to read (loads the client and its configuration): not counted in a reading's time. */
  prepare?(): Promise<void>;
  read(): Promise<KubeScalingObjects>;
}

/** How many Events per ScaledObject the view shows. */
export const EVENTS_PER_SCALED_OBJECT = 5;
const CONDITIONS = ['Ready', 'Active', 'Fallback', 'Paused'];

const isoOf = (time: KubeTime): string | null => {
  if (!time) return null;
  const ms = time instanceof Date ? time.getTime() : Date.parse(time);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

const eventTime = (event: KubeEvent) =>
  isoOf(event.lastTimestamp) ??
  isoOf(event.eventTime) ??
  isoOf(event.firstTimestamp) ??
  isoOf(event.metadata?.creationTimestamp);

/** Turns one reading of the namespace into what the view shows per ScaledObject, sorted by name. */
export function scaledObjectStates(objects: KubeScalingObjects): ScaledObjectState[] {
  const hpas = new Map(objects.hpas.map((hpa) => [hpa.metadata?.name, hpa]));
  const deployments = new Map(objects.deployments.map((deployment) => [deployment.metadata?.name, deployment]));
  const events = new Map<string, ScalingEvent[]>();
  for (const event of objects.events) {
    if (event.involvedObject?.kind !== 'ScaledObject' || !event.involvedObject.name) continue;
    const list = events.get(event.involvedObject.name) ?? [];
    list.push({
      type: event.type ?? 'Normal',
      reason: event.reason ?? '',
      message: event.message ?? '',
      at: eventTime(event),
      count: event.count ?? 1,
    });
    events.set(event.involvedObject.name, list);
  }
  return objects.scaledObjects
    .filter((scaled) => scaled.metadata?.name)
    .map((scaled): ScaledObjectState => {
      const name = scaled.metadata!.name!;
      // KEDA names the HPA `keda-hpa-<name>` unless the ScaledObject names it; status.hpaName says which.
      const hpaName =
        scaled.status?.hpaName ?? scaled.spec?.advanced?.horizontalPodAutoscalerConfig?.name ?? `keda-hpa-${name}`;
      const hpa = hpas.get(hpaName);
      const targetName = scaled.spec?.scaleTargetRef?.name;
      const isDeployment = (scaled.spec?.scaleTargetRef?.kind ?? 'Deployment') === 'Deployment';
      const deployment = isDeployment && targetName ? deployments.get(targetName) : undefined;
      const queues = scaled.metadata?.annotations?.['flightdeck.dev/queues'];
      return {
        name,
        queues: queues
          ? queues
              .split(',')
              .map((queue) => queue.trim())
              .filter(Boolean)
          : [],
        component: deployment?.metadata?.labels?.['app.kubernetes.io/component'] ?? null,
        minReplicas: scaled.spec?.minReplicaCount ?? null,
        maxReplicas: scaled.spec?.maxReplicaCount ?? null,
        hpa: hpa
          ? {
              name: hpaName,
              desiredReplicas: hpa.status?.desiredReplicas ?? 0,
              currentReplicas: hpa.status?.currentReplicas ?? 0,
            }
          : null,
        deployment:
          deployment && targetName
            ? {
                name: targetName,
                replicas: deployment.spec?.replicas ?? 0,
                readyReplicas: deployment.status?.readyReplicas ?? 0,
              }
            : null,
        conditions: (scaled.status?.conditions ?? [])
          .filter((condition) => CONDITIONS.includes(condition.type ?? ''))
          .sort((a, b) => CONDITIONS.indexOf(a.type!) - CONDITIONS.indexOf(b.type!))
          .map((condition) => ({
            type: condition.type!,
            status: condition.status === 'True' || condition.status === 'False' ? condition.status : 'Unknown',
            reason: condition.reason || null,
            message: condition.message || null,
            since: isoOf(condition.lastTransitionTime),
          })),
        events: (events.get(name) ?? [])
          .sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''))
          .slice(0, EVENTS_PER_SCALED_OBJECT),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Worker Deployments: `worker`, `worker-image`… (the api and gateways scale too, but are not workers). */
export const isWorkerScaling = (state: ScaledObjectState) => state.component?.startsWith('worker') ?? false;

/**
 * Worker replicas as the autoscaler sees them: desired is what the HPAs ask for (the Deployment's
 * own count where KEDA has no HPA reading, e.g. at zero), running is what the Deployments have ready.
 */
export function workerReplicas(states: ScaledObjectState[]): { desired: number; running: number } {
  const workers = states.filter(isWorkerScaling);
  return {
    desired: workers.reduce((sum, state) => sum + (state.hpa?.desiredReplicas ?? state.deployment?.replicas ?? 0), 0),
    running: workers.reduce((sum, state) => sum + (state.deployment?.readyReplicas ?? 0), 0),
  };
}

export interface AutoscalingReader {
  describe(): Promise<AutoscalingState>;
}

/** Outside Kubernetes, or told not to look: the policy, and why. */
export class PolicyAutoscaling implements AutoscalingReader {
  constructor(private readonly reason: string) {}

  describe(): Promise<AutoscalingState> {
    return Promise.resolve({
      source: 'policy',
      reason: `Flightdeck's scaling policy: ${this.reason}.`,
      namespace: null,
      readAt: null,
      error: null,
      scaledObjects: [],
    });
  }
}

export interface KubernetesAutoscalingOptions {
  /** How long one reading serves every caller (KEDA polls every 5 s). */
  cacheMs?: number;
  /** A reading that takes longer fails (the view says so), so `/v1/ops` never hangs on the API server. */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * The autoscaler's view, read from the Kubernetes API at most once per `cacheMs` however many people
 * watch the ops view (concurrent callers share one reading). A failed reading never fails the ops
 * API: the view shows the error, with the last good reading if there is one, else the policy's numbers.
 */
export class KubernetesAutoscaling implements AutoscalingReader {
  private readonly cacheMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private last: { states: ScaledObjectState[]; at: number } | null = null;
  private error: { message: string; at: number } | null = null;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly source: KubeScalingSource,
    private readonly logger: Logger,
    options: KubernetesAutoscalingOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 3_000;
    this.timeoutMs = options.timeoutMs ?? 2_500;
    this.now = options.now ?? Date.now;
  }

  async describe(): Promise<AutoscalingState> {
    const latest = Math.max(this.last?.at ?? -Infinity, this.error?.at ?? -Infinity);
    if (this.now() - latest >= this.cacheMs) {
      this.reading ??= this.read().finally(() => (this.reading = null));
      await this.reading;
    }
    const last = this.last;
    return {
      source: last ? 'kubernetes' : 'policy',
      reason: last
        ? `Kubernetes: KEDA's ScaledObjects in namespace ${this.source.namespace}, their HPAs and Deployments.`
        : `Flightdeck's scaling policy: the Kubernetes API could not be read yet.`,
      namespace: this.source.namespace,
      readAt: last ? new Date(last.at).toISOString() : null,
      error: this.error?.message ?? null,
      scaledObjects: last?.states ?? [],
    };
  }

  private async read(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await this.source.prepare?.();
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the Kubernetes API did not answer within ${this.timeoutMs} ms`)),
          this.timeoutMs,
        );
      });
      const objects = await Promise.race([this.source.read(), timeout]);
      this.last = { states: scaledObjectStates(objects), at: this.now() };
      this.error = null;
    } catch (error) {
      const message = kubernetesErrorMessage(error);
      if (this.error?.message !== message) this.logger.warn({ err: error }, 'reading the autoscaler failed');
      this.error = { message, at: this.now() };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A Kubernetes API error in words: its Status message (e.g. RBAC's "forbidden: …") where there is one. */
export function kubernetesErrorMessage(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, body } = error as { code?: unknown; body?: unknown };
    let status: { message?: unknown } | undefined;
    if (typeof body === 'string') {
      try {
        status = JSON.parse(body) as { message?: unknown };
      } catch {
        status = undefined;
      }
    } else if (body && typeof body === 'object') status = body as { message?: unknown };
    if (typeof status?.message === 'string') {
      return typeof code === 'number' ? `${status.message} (HTTP ${code})` : status.message;
    }
    if (typeof code === 'number' && !(error instanceof Error)) return `the Kubernetes API answered HTTP ${code}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export type { AutoscalingState, ScaledObjectCondition, ScaledObjectState, ScalingEvent };
