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
 * exactly these reads). The client is ESM-only: it is imported on first use, so processes that never
 * read Kubernetes never load it.
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

  async read(): Promise<KubeScalingObjects> {
    this.apis ??= this.connect().catch((error: unknown) => {
      this.apis = null; // a kubeconfig fixed later is picked up on the next reading
      throw error;
    });
    const { custom, autoscaling, apps, core } = await this.apis;
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
  return new KubernetesAutoscaling(new ClientNodeScalingSource(access), logger.child({ component: 'ops-autoscaling' }));
}
