import { AppsV1Api, AutoscalingV2Api, KubeConfig } from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import { KUBECONFIG, NAMESPACE, PORTS } from './lab-env';
import type { PodAgent } from './pod-agent';

// One sample a second while a scenario runs: what the queues hold, what the autoscaler wants and
// has, what runs, and how many sockets each gateway holds. Written to the scenario's recording and
// drawn in docs/scaling-report.md.

export interface QueueDepth {
  wait: number;
  prioritized: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

export interface ScalingState {
  /** The HPA KEDA drives: what it wants and what it has. */
  desired: number | null;
  current: number | null;
  /** The Deployment: replicas asked for and ready. */
  replicas: number;
  ready: number;
}

export interface Sample {
  /** Seconds since the scenario started. */
  t: number;
  queues: Record<string, QueueDepth>;
  /** By Deployment name (flightdeck-worker, flightdeck-gateway, …). */
  scaling: Record<string, ScalingState>;
  /** Processes running per component (the pod agent's view), terminating ones included. */
  processes: Record<string, number>;
  /** Open Socket.IO connections per gateway pod (its /metrics). */
  connections: Record<string, number>;
  /** Jobs the scenario's observer has seen end so far. */
  ended: number;
}

const QUEUES = ['demo', 'http', 'image'];

async function connectionsOf(port: number): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(900) }).then((r) =>
    r.text(),
  );
  const line = text.split('\n').find((row) => row.startsWith('flightdeck_realtime_connections'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

export class Sampler {
  private readonly redis = new Redis(PORTS.redis, '127.0.0.1', { maxRetriesPerRequest: 1 });
  private readonly apps: AppsV1Api;
  private readonly autoscaling: AutoscalingV2Api;
  private timer?: NodeJS.Timeout;
  private started = 0;
  readonly samples: Sample[] = [];

  constructor(
    private readonly agent: PodAgent,
    private readonly endedJobs: () => number,
  ) {
    const config = new KubeConfig();
    config.loadFromFile(KUBECONFIG);
    this.apps = config.makeApiClient(AppsV1Api);
    this.autoscaling = config.makeApiClient(AutoscalingV2Api);
    this.redis.on('error', () => undefined);
  }

  start(): void {
    this.started = Date.now();
    const tick = async () => {
      const at = Date.now();
      this.samples.push(
        await this.sample((at - this.started) / 1000).catch(() => this.empty((at - this.started) / 1000)),
      );
      this.timer = setTimeout(() => void tick(), Math.max(0, 1000 - (Date.now() - at)));
    };
    void tick();
  }

  stop(): Sample[] {
    clearTimeout(this.timer);
    this.redis.disconnect();
    return this.samples;
  }

  private empty(t: number): Sample {
    return { t, queues: {}, scaling: {}, processes: {}, connections: {}, ended: this.endedJobs() };
  }

  private async sample(t: number): Promise<Sample> {
    const pipeline = this.redis.pipeline();
    for (const queue of QUEUES) {
      pipeline.llen(`bull:${queue}:wait`).zcard(`bull:${queue}:prioritized`).llen(`bull:${queue}:active`);
      pipeline.zcard(`bull:${queue}:delayed`).zcard(`bull:${queue}:completed`).zcard(`bull:${queue}:failed`);
    }
    const [counts, deployments, hpas] = await Promise.all([
      pipeline.exec(),
      this.apps.listNamespacedDeployment({ namespace: NAMESPACE }),
      this.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace: NAMESPACE }),
    ]);
    const value = (index: number) => Number(counts?.[index]?.[1] ?? 0);
    const queues: Record<string, QueueDepth> = {};
    QUEUES.forEach((queue, i) => {
      const base = i * 6;
      queues[queue] = {
        wait: value(base),
        prioritized: value(base + 1),
        active: value(base + 2),
        delayed: value(base + 3),
        completed: value(base + 4),
        failed: value(base + 5),
      };
    });
    const scaling: Record<string, ScalingState> = {};
    for (const deployment of deployments.items) {
      const name = deployment.metadata!.name!;
      const hpa = hpas.items.find((item) => item.spec?.scaleTargetRef.name === name);
      scaling[name] = {
        desired: hpa?.status?.desiredReplicas ?? null,
        current: hpa?.status?.currentReplicas ?? null,
        replicas: deployment.spec?.replicas ?? 0,
        ready: deployment.status?.readyReplicas ?? 0,
      };
    }
    const pods = this.agent.list();
    const processes: Record<string, number> = {};
    for (const pod of pods) processes[pod.component] = (processes[pod.component] ?? 0) + 1;
    const connections: Record<string, number> = {};
    await Promise.all(
      pods
        .filter((pod) => pod.component === 'gateway' && !pod.terminating)
        .map(async (pod) => {
          connections[pod.name] = await connectionsOf(pod.port).catch(() => 0);
        }),
    );
    return { t, queues, scaling, processes, connections, ended: this.endedJobs() };
  }
}
