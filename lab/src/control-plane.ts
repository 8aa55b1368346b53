import { readFileSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ensureCertificates } from './certs';
import { goModuleDir, kubectl, serverSideApply } from './kubectl';
import { BIN, KUBECONFIG, LAB_NODE, PKI, PORTS, RUN } from './lab-env';
import { startLabProcess, waitUntil, type LabProcess } from './processes';
import { VERSIONS } from './versions';

// A real Kubernetes control plane on one machine, no containers: etcd, kube-apiserver,
// kube-controller-manager (its HPA controller is what KEDA drives), kube-scheduler, kwok keeping one
// fake node Ready, the KEDA operator and metrics adapter, and Prometheus. Every binary is upstream's,
// built by lab/scripts/build-binaries.sh. What had to be worked out to run it outside a cluster is in
// docs/scaling-lab.md.

export interface ControlPlane {
  /** Stops every component, last started first, waiting for each to exit. */
  stop(): Promise<void>;
}

const LOGS = path.join(RUN, 'logs');
const bin = (name: string) => path.join(BIN, name);

/** The CRDs the manifests use, from their own modules: KEDA, Gateway API, prometheus-operator. */
function crdFiles(): string[] {
  const keda = path.join(goModuleDir('github.com/kedacore/keda/v2', VERSIONS.keda), 'config', 'crd', 'bases');
  // The experimental channel: HTTPRoute session persistence (sticky Socket.IO polling) lives there.
  const gateway = path.join(
    goModuleDir('sigs.k8s.io/gateway-api', VERSIONS.gatewayApi),
    'config',
    'crd',
    'experimental',
  );
  const operator = path.join(
    goModuleDir('github.com/prometheus-operator/prometheus-operator', VERSIONS.prometheusOperator),
    'example',
    'prometheus-operator-crd',
  );
  return [keda, gateway, operator].flatMap((dir) =>
    readdirSync(dir)
      .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
      .map((file) => path.join(dir, file)),
  );
}

/** kwok keeps the lab node Ready (heartbeats); pods are left to the pod agent, so no pod stages. */
function kwokConfig(): string {
  const stages = path.join(goModuleDir('sigs.k8s.io/kwok', VERSIONS.kwok), 'kustomize', 'stage', 'node');
  const files = ['fast/node-initialize.yaml', 'heartbeat-with-lease/node-heartbeat-with-lease.yaml'];
  const config = path.join(RUN, 'kwok.yaml');
  writeFileSync(config, files.map((file) => `---\n${readFileSync(path.join(stages, file), 'utf8')}`).join('\n'));
  return config;
}

function prometheusConfig(targetsDir: string): string {
  // The PodMonitor (deploy/monitoring/podmonitor.yaml) as a scrape job: the pod agent writes the
  // running pods' addresses with their labels to file_sd targets, as Kubernetes discovery would.
  const config = path.join(RUN, 'prometheus.yml');
  writeFileSync(
    config,
    `global:
  scrape_interval: 5s
  evaluation_interval: 5s
scrape_configs:
  - job_name: podMonitor/flightdeck/flightdeck/0
    metrics_path: /metrics
    scrape_interval: 5s
    scrape_timeout: 4s
    file_sd_configs:
      - files: ['${targetsDir}/*.json']
        refresh_interval: 1s
`,
  );
  return config;
}

export async function startControlPlane(options: { pods: { targetsDir: string } }): Promise<ControlPlane> {
  const { kedaCertDir } = ensureCertificates();
  rmSync(path.join(RUN, 'etcd'), { recursive: true, force: true });
  rmSync(path.join(RUN, 'prometheus'), { recursive: true, force: true });
  mkdirSync(LOGS, { recursive: true });
  const started: LabProcess[] = [];
  const start = (name: string, args: string[], env?: NodeJS.ProcessEnv) => {
    const component = startLabProcess(name, bin(name), args, { logDir: LOGS, ...(env ? { env } : {}) });
    started.push(component);
    return component;
  };
  const stop = async () => {
    for (const component of started.reverse()) await component.stop(60_000);
  };
  const kube = [
    '--kubeconfig',
    KUBECONFIG,
    '--authentication-kubeconfig',
    KUBECONFIG,
    '--authorization-kubeconfig',
    KUBECONFIG,
  ];

  try {
    start('etcd', [
      '--name=lab',
      `--data-dir=${path.join(RUN, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${PORTS.etcd}`,
      `--advertise-client-urls=http://127.0.0.1:${PORTS.etcd}`,
      `--listen-peer-urls=http://127.0.0.1:${PORTS.etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${PORTS.etcdPeer}`,
      `--initial-cluster=lab=http://127.0.0.1:${PORTS.etcdPeer}`,
      // A throw-away store for one run: no fsync.
      '--unsafe-no-fsync',
    ]);
    await waitUntil('etcd', async () => (await fetch(`http://127.0.0.1:${PORTS.etcd}/health`)).ok, 60_000);

    start('kube-apiserver', [
      `--etcd-servers=http://127.0.0.1:${PORTS.etcd}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${PORTS.apiserver}`,
      `--tls-cert-file=${PKI}/apiserver.crt`,
      `--tls-private-key-file=${PKI}/apiserver.key`,
      `--client-ca-file=${PKI}/ca.crt`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${PKI}/sa.pub`,
      `--service-account-signing-key-file=${PKI}/sa.key`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=Node,RBAC',
      `--requestheader-client-ca-file=${PKI}/ca.crt`,
      '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      `--proxy-client-cert-file=${PKI}/front-proxy-client.crt`,
      `--proxy-client-key-file=${PKI}/front-proxy-client.key`,
    ]);
    await waitUntil(
      'kube-apiserver',
      async () => (await kubectl(['get', '--raw', '/readyz'])).trim() === 'ok',
      180_000,
      1000,
    );

    start('kube-controller-manager', [
      ...kube,
      '--bind-address=127.0.0.1',
      `--secure-port=${PORTS.controllerManager}`,
      `--service-account-private-key-file=${PKI}/sa.key`,
      `--root-ca-file=${PKI}/ca.crt`,
      `--cluster-signing-cert-file=${PKI}/ca.crt`,
      `--cluster-signing-key-file=${PKI}/ca.key`,
      '--leader-elect=false',
      '--controllers=*',
      // KEDA's pollingInterval (5 s) is only as good as the HPA's sync (15 s by default).
      '--horizontal-pod-autoscaler-sync-period=5s',
    ]);
    start('kube-scheduler', [
      ...kube,
      '--bind-address=127.0.0.1',
      `--secure-port=${PORTS.scheduler}`,
      '--leader-elect=false',
    ]);

    start('kwok', [
      `--config=${kwokConfig()}`,
      `--kubeconfig=${KUBECONFIG}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--cidr=10.244.0.1/16',
      '--node-ip=127.0.0.1',
      `--server-address=127.0.0.1:${PORTS.kwok}`,
    ]);
    await serverSideApply({
      yaml: `apiVersion: v1
kind: Node
metadata:
  name: ${LAB_NODE}
  annotations: { kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: '0' }
  labels:
    kubernetes.io/hostname: ${LAB_NODE}
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    topology.kubernetes.io/zone: lab
status:
  allocatable: { cpu: '64', memory: 256Gi, pods: '200' }
  capacity: { cpu: '64', memory: 256Gi, pods: '200' }
`,
    });
    await waitUntil(
      'the lab node to be Ready',
      () => kubectl(['wait', '--for=condition=Ready', `node/${LAB_NODE}`, '--timeout=2s']),
      120_000,
      500,
    );

    for (const file of crdFiles()) await serverSideApply({ file });
    await kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);

    const kedaEnv = {
      ...process.env,
      KUBECONFIG,
      POD_NAMESPACE: 'keda',
      KEDA_CLUSTER_OBJECT_NAMESPACE: 'keda',
      WATCH_NAMESPACE: '',
    };
    await serverSideApply({ yaml: 'apiVersion: v1\nkind: Namespace\nmetadata: { name: keda }\n' });
    start(
      'keda-operator',
      [
        `--kubeconfig=${KUBECONFIG}`,
        `--metrics-bind-address=127.0.0.1:${PORTS.kedaMetrics}`,
        `--health-probe-bind-address=127.0.0.1:${PORTS.kedaProbe}`,
        `--metrics-service-bind-address=127.0.0.1:${PORTS.kedaGrpc}`,
        `--cert-dir=${kedaCertDir}`,
        '--enable-cert-rotation=false',
        '--enable-webhook-patching=false',
        '--enable-apiservice-patching=false',
        '--leader-elect=false',
        '--zap-log-level=info',
      ],
      kedaEnv,
    );
    start(
      'keda-adapter',
      [
        `--kubeconfig=${KUBECONFIG}`,
        `--lister-kubeconfig=${KUBECONFIG}`,
        `--authentication-kubeconfig=${KUBECONFIG}`,
        `--authorization-kubeconfig=${KUBECONFIG}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${PORTS.kedaAdapter}`,
        `--tls-cert-file=${kedaCertDir}/tls.crt`,
        `--tls-private-key-file=${kedaCertDir}/tls.key`,
        `--client-ca-file=${PKI}/ca.crt`,
        `--cert-dir=${kedaCertDir}`,
        `--metrics-service-address=127.0.0.1:${PORTS.kedaGrpc}`,
        '--metrics-service-grpc-authority=localhost',
        '--zap-log-level=info',
      ],
      kedaEnv,
    );
    // The aggregated external-metrics API: an ExternalName Service to localhost (an Endpoints object
    // with a loopback address is refused), which kube-apiserver dials directly.
    await serverSideApply({
      yaml: `apiVersion: v1
kind: Service
metadata: { name: keda-metrics-apiserver, namespace: keda }
spec:
  type: ExternalName
  externalName: localhost
  ports: [{ name: https, port: ${PORTS.kedaAdapter}, targetPort: ${PORTS.kedaAdapter} }]
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: { name: v1beta1.external.metrics.k8s.io }
spec:
  group: external.metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
  insecureSkipTLSVerify: true
  service: { name: keda-metrics-apiserver, namespace: keda, port: ${PORTS.kedaAdapter} }
`,
    });
    await waitUntil(
      'the external metrics API',
      () =>
        kubectl(['wait', '--for=condition=Available', 'apiservice/v1beta1.external.metrics.k8s.io', '--timeout=2s']),
      180_000,
      1000,
    );

    mkdirSync(options.pods.targetsDir, { recursive: true });
    start('prometheus', [
      `--config.file=${prometheusConfig(options.pods.targetsDir)}`,
      `--storage.tsdb.path=${path.join(RUN, 'prometheus')}`,
      `--web.listen-address=127.0.0.1:${PORTS.prometheus}`,
      '--storage.tsdb.retention.time=2h',
    ]);
    await waitUntil('Prometheus', async () => (await fetch(`http://127.0.0.1:${PORTS.prometheus}/-/ready`)).ok, 60_000);
    return { stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
