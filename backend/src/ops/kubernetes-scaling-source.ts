import type { Logger } from 'pino';
import { kubernetesAccessOf, type Config, type KubernetesAccess } from '../config';
import {
  KubernetesAutoscaling,
  PolicyAutoscaling,
  type AutoscalingReader,
  type KubeScaledObject,
  type KubeScalingObjects,
  type KubeScalingSource,
} from './autoscaling';

/** Flightdeck's objects carry this label (deploy/k8s/base/kustomization.yaml). */
export const FLIGHTDECK_SELECTOR = 'app.kubernetes.io/part-of=flightdeck';

type ClientNode = typeof import('@kubernetes/client-node', { with: { 'resolution-mode': 'import' } });

/**
 * Reads the namespace's Flightdeck ScaledObjects, HPAs, Deployments and the Events about ScaledObjects
 * with @kubernetes/client-node (four list calls; the Role in deploy/k8s/base/ops-rbac.yaml allows
 * exactly these reads). The client is ESM-only and large: it is imported by `prepare()`, which the
 * api role calls at start-up only when it has access to Kubernetes; other processes never load it.
 */
export class ClientNodeScalingSource implements KubeScalingSource {
  private apis: Promise<{
    custom: InstanceType<ClientNode['CustomObjectsApi']>;
    autoscaling: InstanceType<ClientNode['AutoscalingV2Api']>;
    apps: InstanceType<ClientNode['AppsV1Api']>;
    core: InstanceType<ClientNode['CoreV1Api']>;
  }> | null = null;

  /** The kubeconfig context's namespace, once loaded. */
  private contextNamespace: string | undefined;

  constructor(private readonly access: Exclude<KubernetesAccess, { kind: 'none' }>) {}

  get namespace(): string {
    return this.access.namespace ?? this.contextNamespace ?? 'flightdeck';
  }

  /** Loads the client (seconds on a busy machine: thousands of modules) and the configuration, once. */
  async prepare(): Promise<void> {
    await this.client();
  }

  async read(): Promise<KubeScalingObjects> {
    const { custom, autoscaling, apps, core } = await this.client();
    const namespace = this.namespace;
    const [scaledObjects, hpas, deployments, events] = await Promise.all([
      custom.listNamespacedCustomObject({
        group: 'keda.sh',
        version: 'v1alpha1',
        namespace,
        plural: 'scaledobjects',
        labelSelector: FLIGHTDECK_SELECTOR,
      }) as Promise<{ items?: KubeScaledObject[] }>,
      autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }),
      apps.listNamespacedDeployment({ namespace, labelSelector: FLIGHTDECK_SELECTOR }),
      core.listNamespacedEvent({ namespace, fieldSelector: 'involvedObject.kind=ScaledObject' }),
    ]);
    return {
      scaledObjects: scaledObjects.items ?? [],
      hpas: hpas.items,
      deployments: deployments.items,
      events: events.items,
    };
  }

  private client() {
    this.apis ??= this.connect().catch((error: unknown) => {
      this.apis = null; // a kubeconfig fixed later is picked up on the next reading
      throw error;
    });
    return this.apis;
  }

  private async connect() {
    const k8s: ClientNode = await import('@kubernetes/client-node');
    const config = new k8s.KubeConfig();
    if (this.access.kind === 'kubeconfig') {
      config.loadFromFile(this.access.path);
      this.contextNamespace = config.getContextObject(config.getCurrentContext())?.namespace;
    } else {
      config.loadFromCluster();
    }
    return {
      custom: config.makeApiClient(k8s.CustomObjectsApi),
      autoscaling: config.makeApiClient(k8s.AutoscalingV2Api),
      apps: config.makeApiClient(k8s.AppsV1Api),
      core: config.makeApiClient(k8s.CoreV1Api),
    };
  }
}

/**
 * The ops view's autoscaling reader for this process: the Kubernetes API when there is access to it,
 * else the policy with the reason. The namespace: OPS_KUBERNETES_NAMESPACE, else the pod's own, else a
 * kubeconfig's current context's, else `flightdeck` (the manifests').
 */
export function autoscalingReaderFor(config: Config, logger: Logger): AutoscalingReader {
  const access = kubernetesAccessOf(config);
  if (access.kind === 'none') return new PolicyAutoscaling(access.reason);
  logger.info(
    { kubernetes: access.kind, ...(access.kind === 'kubeconfig' ? { kubeconfig: access.path } : {}) },
    'the ops view reads the autoscaler from Kubernetes',
  );
  const source = new ClientNodeScalingSource(access);
  // Loaded now rather than when the first operator opens the ops view; a failure shows there.
  source.prepare().catch(() => undefined);
  return new KubernetesAutoscaling(source, logger.child({ component: 'ops-autoscaling' }));
}
