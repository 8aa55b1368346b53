import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CoreV1Api, KubeConfig, PatchStrategy, Watch, setHeaderOptions, type V1Pod } from '@kubernetes/client-node';
import { freePort } from '@flightdeck/backend/dist/services/local-services';
import { labKubeconfig } from './kubeconfig';
import { KUBECONFIG, LAB_NODE, REPO_ROOT, RUN } from './lab-env';
import { containerEnv } from './pod-env';
import { startLabProcess, type LabProcess } from './processes';

// The lab's stand-in for the kubelet. kwok keeps the lab node Ready; this agent runs every pod the
// scheduler binds to it as a real local process — `node backend/dist/main.js` with the pod's
// environment, ConfigMaps and Secrets resolved and a port of its own — reports its phase and
// readiness (from the readiness probe, as a kubelet would), restarts it if it dies, and on deletion
// runs the preStop sleep, sends SIGTERM, waits out the grace period, then SIGKILL. So hand-back and
// drain on scale-in happen for real.

/** A pod as it runs here. */
export interface LocalPod {
  namespace: string;
  name: string;
  /** app.kubernetes.io/component: api, gateway, worker, worker-image… */
  component: string;
  labels: Record<string, string>;
  port: number;
  ready: boolean;
  terminating: boolean;
}

/**
 * Pods get addresses of the node's pod range (the API refuses loopback ones in Endpoints); nothing
 * routes to them — the load balancer and Prometheus use each process's local port.
 */
let nextIp = 2;
const podIp = () => {
  const n = nextIp++;
  return `10.244.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
};

/** What happened to a pod's process, one JSON line each in `<run>/pod-events.jsonl`. */
export interface PodEvent {
  at: string;
  pod: string;
  component: string;
  event: 'started' | 'ready' | 'unready' | 'terminating' | 'sigterm' | 'exited' | 'sigkill' | 'restarted' | 'refused';
  detail?: unknown;
}

interface Entry extends LocalPod {
  pod: V1Pod;
  ip: string;
  process?: LabProcess;
  restarts: number;
  probe?: NodeJS.Timeout;
  stopping?: Promise<void>;
}

/** Images the agent knows how to run: Flightdeck's (any registry or tag), as the built backend. */
const runsFlightdeck = (image: string | undefined) => /(^|\/)flightdeck(:|@|$)/.test(image ?? '');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class PodAgent {
  private readonly core: CoreV1Api;
  private readonly watch: Watch;
  private readonly pods = new Map<string, Entry>();
  private abort?: AbortController;
  private closed = false;
  private readonly eventsFile = path.join(RUN, 'pod-events.jsonl');

  /** `onChange` is told whenever the set of running or ready pods changes (load balancer, Prometheus targets). */
  constructor(private readonly onChange: (pods: LocalPod[]) => void) {
    const config = new KubeConfig();
    config.loadFromFile(KUBECONFIG);
    this.core = config.makeApiClient(CoreV1Api);
    this.watch = new Watch(config);
    mkdirSync(RUN, { recursive: true });
  }

  async start(): Promise<void> {
    await this.follow();
  }

  /** The pods running here now. */
  list(): LocalPod[] {
    return [...this.pods.values()].map(({ namespace, name, component, labels, port, ready, terminating }) => ({
      namespace,
      name,
      component,
      labels,
      port,
      ready,
      terminating,
    }));
  }

  /** Stops watching and stops every pod's process as a node shutdown would (SIGTERM, grace, SIGKILL). */
  async close(): Promise<void> {
    this.closed = true;
    this.abort?.abort();
    await Promise.all([...this.pods.values()].map((entry) => this.terminate(entry, { deletePod: false })));
  }

  /** Watches the pods bound to the lab node; a watch that ends (timeouts, restarts) is opened again. */
  private async follow(): Promise<void> {
    if (this.closed) return;
    this.abort = await this.watch.watch(
      '/api/v1/pods',
      { fieldSelector: `spec.nodeName=${LAB_NODE}` },
      (type: string, pod: V1Pod) => void this.handle(type, pod),
      () => {
        if (!this.closed) setTimeout(() => void this.follow(), 500);
      },
    );
  }

  private async handle(type: string, pod: V1Pod): Promise<void> {
    const key = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
    const entry = this.pods.get(key);
    if (type === 'DELETED') {
      // Deleted outright (grace 0, or the agent's own final delete): nothing may keep running.
      if (entry) await this.terminate(entry, { deletePod: false, graceSeconds: 0 });
      return;
    }
    if (pod.metadata!.deletionTimestamp) {
      if (entry) await this.terminate({ ...entry, pod }, { deletePod: true });
      else await this.finalize(pod);
      return;
    }
    if (!entry) {
      if (!this.closed) await this.launch(key, pod);
      return;
    }
    // The node lifecycle controller marks pods not ready while the node's heartbeat is late (kwok
    // under load); a kubelet sets them right at its next status sync, and so does the agent.
    const ready = pod.status?.conditions?.find((condition) => condition.type === 'Ready')?.status === 'True';
    if (pod.status?.phase === 'Running' && ready !== entry.ready && !entry.terminating) {
      await this.patchStatus(entry).catch(() => undefined);
    }
  }

  private async launch(key: string, pod: V1Pod): Promise<void> {
    const container = pod.spec!.containers[0]!;
    const labels = pod.metadata!.labels ?? {};
    const component = labels['app.kubernetes.io/component'] ?? 'unknown';
    if (!runsFlightdeck(container.image)) {
      this.record(key, component, 'refused', { image: container.image, reason: 'the lab runs only Flightdeck images' });
      return;
    }
    const entry: Entry = {
      namespace: pod.metadata!.namespace!,
      name: pod.metadata!.name!,
      component,
      labels,
      port: await freePort(),
      ip: podIp(),
      ready: false,
      terminating: false,
      pod,
      restarts: 0,
    };
    this.pods.set(key, entry);
    try {
      const env = { ...(await containerEnv(this.core, pod, container)), ...(await this.serviceAccountEnv(pod)) };
      this.run(entry, key, env);
    } catch (error) {
      this.record(key, component, 'refused', { error: error instanceof Error ? error.message : String(error) });
      this.pods.delete(key);
      return;
    }
    await this.patchStatus(entry);
    this.probeReadiness(entry, key);
    this.changed();
  }

  /** Starts the pod's process; if it exits on its own, it is started again (restartPolicy Always). */
  private run(entry: Entry, key: string, env: Record<string, string>): void {
    const process_ = startLabProcess(
      `${entry.namespace}.${entry.name}${entry.restarts ? `.${entry.restarts}` : ''}`,
      process.execPath,
      [path.join(REPO_ROOT, 'backend', 'dist', 'main.js')],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, PORT: String(entry.port) },
        logDir: path.join(RUN, 'pods'),
      },
    );
    entry.process = process_;
    this.record(key, entry.component, entry.restarts ? 'restarted' : 'started', {
      port: entry.port,
      pid: process_.child.pid,
    });
    void process_.exited.then(async (how) => {
      this.record(key, entry.component, 'exited', how);
      if (entry.terminating || this.closed || this.pods.get(key) !== entry) return;
      entry.restarts += 1;
      entry.ready = false;
      this.changed();
      await sleep(Math.min(10_000, 1000 * entry.restarts));
      if (!entry.terminating && !this.closed) this.run(entry, key, env);
    });
  }

  /** Polls the readiness probe as the pod spec says; Ready follows success and failure thresholds. */
  private probeReadiness(entry: Entry, key: string): void {
    const probe = entry.pod.spec!.containers[0]!.readinessProbe;
    const route = probe?.httpGet?.path ?? '/readyz';
    const periodMs = (probe?.periodSeconds ?? 10) * 1000;
    const failureThreshold = probe?.failureThreshold ?? 3;
    let failures = 0;
    const tick = async () => {
      if (entry.terminating) return;
      const ok = await fetch(`http://127.0.0.1:${entry.port}${route}`, {
        signal: AbortSignal.timeout((probe?.timeoutSeconds ?? 1) * 1000),
      })
        .then((response) => response.ok)
        .catch(() => false);
      failures = ok ? 0 : failures + 1;
      const ready = ok ? true : entry.ready && failures < failureThreshold;
      if (ready !== entry.ready && !entry.terminating) {
        entry.ready = ready;
        this.record(key, entry.component, ready ? 'ready' : 'unready');
        this.changed();
        await this.patchStatus(entry).catch(() => undefined);
      }
      // Until the first success, probe every second, so a pod is Ready as soon as it is (the kubelet
      // starts probing after initialDelaySeconds, then every periodSeconds).
      entry.probe = setTimeout(() => void tick(), entry.ready ? periodMs : 1000);
    };
    entry.probe = setTimeout(() => void tick(), 500);
  }

  /**
   * Stops a pod as the kubelet does: marks it not ready, runs the preStop sleep, SIGTERM, then
   * SIGKILL when the grace period (counted from the deletion, preStop included) runs out; then
   * deletes the pod object for good.
   */
  private terminate(entry: Entry, options: { deletePod: boolean; graceSeconds?: number }): Promise<void> {
    const key = `${entry.namespace}/${entry.name}`;
    const current = this.pods.get(key);
    if (!current) return Promise.resolve();
    if (current.stopping) return current.stopping;
    current.terminating = true;
    current.ready = false;
    clearTimeout(current.probe);
    this.changed();
    const spec = entry.pod.spec!;
    const graceSeconds =
      options.graceSeconds ??
      entry.pod.metadata?.deletionGracePeriodSeconds ??
      spec.terminationGracePeriodSeconds ??
      30;
    const preStopSeconds = Math.min(graceSeconds, spec.containers[0]?.lifecycle?.preStop?.sleep?.seconds ?? 0);
    this.record(key, current.component, 'terminating', { graceSeconds, preStopSeconds });
    current.stopping = (async () => {
      const started = Date.now();
      if (preStopSeconds > 0) await sleep(preStopSeconds * 1000);
      const process_ = current.process;
      if (process_) {
        this.record(key, current.component, 'sigterm');
        const remainingMs = Math.max(0, graceSeconds * 1000 - (Date.now() - started));
        const killed = setTimeout(() => this.record(key, current.component, 'sigkill'), remainingMs);
        await process_.stop(remainingMs);
        clearTimeout(killed);
      }
      this.pods.delete(key);
      this.changed();
      if (options.deletePod) await this.finalize(entry.pod);
    })();
    return current.stopping;
  }

  /**
   * The kubelet mounts the pod's service account token when the pod (or else its service account)
   * asks for it; a process here gets the same token — from the TokenRequest API, so RBAC applies as
   * in a cluster — in a kubeconfig named by OPS_KUBECONFIG, the backend's way to read the cluster
   * from outside one.
   */
  private async serviceAccountEnv(pod: V1Pod): Promise<Record<string, string>> {
    const namespace = pod.metadata!.namespace!;
    const name = pod.spec!.serviceAccountName ?? 'default';
    let mount = pod.spec!.automountServiceAccountToken;
    if (mount === undefined) {
      const account = await this.core.readNamespacedServiceAccount({ name, namespace });
      mount = account.automountServiceAccountToken !== false;
    }
    if (!mount) return {};
    const request = await this.core.createNamespacedServiceAccountToken({
      name,
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 86_400 } },
    });
    const file = path.join(RUN, 'pods', `${namespace}.${pod.metadata!.name}.kubeconfig`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, labKubeconfig(name, { token: request.status!.token! }, namespace), { mode: 0o600 });
    return { OPS_KUBECONFIG: file, OPS_KUBERNETES_NAMESPACE: namespace };
  }

  /** Removes a terminated pod's object (the kubelet's final delete with grace 0). */
  private async finalize(pod: V1Pod): Promise<void> {
    await this.core
      .deleteNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, gracePeriodSeconds: 0 })
      .catch(() => undefined);
  }

  private async patchStatus(entry: Entry): Promise<void> {
    const now = new Date();
    const condition = (type: string, status: boolean) => ({
      type,
      status: status ? 'True' : 'False',
      lastTransitionTime: now,
    });
    const container = entry.pod.spec!.containers[0]!;
    await this.core.patchNamespacedPodStatus(
      {
        name: entry.name,
        namespace: entry.namespace,
        body: {
          status: {
            phase: 'Running',
            hostIP: '10.1.0.1',
            podIP: entry.ip,
            podIPs: [{ ip: entry.ip }],
            startTime: now,
            conditions: [
              condition('PodScheduled', true),
              condition('Initialized', true),
              condition('ContainersReady', entry.ready),
              condition('Ready', entry.ready),
            ],
            containerStatuses: [
              {
                name: container.name,
                image: container.image ?? '',
                imageID: '',
                ready: entry.ready,
                started: true,
                restartCount: entry.restarts,
                state: { running: { startedAt: now } },
              },
            ],
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }

  private changed(): void {
    this.onChange(this.list());
  }

  private record(pod: string, component: string, event: PodEvent['event'], detail?: unknown): void {
    const line: PodEvent = {
      at: new Date().toISOString(),
      pod,
      component,
      event,
      ...(detail === undefined ? {} : { detail }),
    };
    appendFileSync(this.eventsFile, `${JSON.stringify(line)}\n`);
  }
}
