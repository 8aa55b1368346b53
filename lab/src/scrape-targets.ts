import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalPod } from './pod-agent';

// Prometheus's view of the pods, as the PodMonitor (deploy/monitoring/podmonitor.yaml) describes it:
// every Flightdeck pod's `http` port at /metrics, with the labels Kubernetes discovery and the
// monitor's relabelings give it (namespace, pod, container, role from app.kubernetes.io/component).
// Written atomically to a file_sd file that Prometheus re-reads every second.

export function writeScrapeTargets(targetsDir: string, pods: LocalPod[]): void {
  const groups = pods
    .filter((pod) => pod.labels['app.kubernetes.io/name'] === 'flightdeck' && !pod.terminating)
    .map((pod) => ({
      targets: [`127.0.0.1:${pod.port}`],
      labels: {
        namespace: pod.namespace,
        pod: pod.name,
        container: 'flightdeck',
        endpoint: 'http',
        role: pod.component,
        app_kubernetes_io_component: pod.component,
      },
    }));
  const file = path.join(targetsDir, 'pods.json');
  writeFileSync(`${file}.tmp`, JSON.stringify(groups));
  renameSync(`${file}.tmp`, file);
}
