import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startControlPlane } from './control-plane';
import { startFlightdeckServices } from './flightdeck-services';
import { kubectl, serverSideApply } from './kubectl';
import { NAMESPACE, PORTS, REPO_ROOT, RUN } from './lab-env';
import { LoadBalancer } from './load-balancer';
import { PodAgent } from './pod-agent';
import { portAnswers, waitUntil } from './processes';
import { writeScrapeTargets } from './scrape-targets';

/** The lab, up: a control plane with KEDA, Flightdeck's services, the pod agent and the load balancer. */
export interface Lab {
  agent: PodAgent;
  /** Where clients reach Flightdeck (the load balancer). */
  url: string;
  /** The API key the lab overlay's Secret bootstraps. */
  apiKey: string;
  stop(): Promise<void>;
}

export const LAB_API_KEY = 'fd_lab_bootstrap_key_for_the_scaling_lab_only';
const log = (message: string) => process.stderr.write(`[lab] ${message}\n`);

export async function startLab(): Promise<Lab> {
  if (await portAnswers(PORTS.apiserver)) {
    throw new Error(
      `something already listens on the lab's API server port ${PORTS.apiserver}: is another lab running?`,
    );
  }
  // A run's logs, pod events and data start empty (the certificates and binaries are kept).
  rmSync(RUN, { recursive: true, force: true });
  mkdirSync(RUN, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch((error: unknown) => log(`stop failed: ${String(error)}`));
  };
  try {
    const t0 = Date.now();
    const services = await startFlightdeckServices();
    stops.push(() => services.stop());
    log('Redis and FerretDB up');
    const targetsDir = path.join(RUN, 'prometheus-targets');
    mkdirSync(targetsDir, { recursive: true });
    writeScrapeTargets(targetsDir, []);
    const controlPlane = await startControlPlane({ pods: { targetsDir } });
    stops.push(() => controlPlane.stop());
    log(`control plane, KEDA and Prometheus up in ${Math.round((Date.now() - t0) / 1000)} s`);

    const balancer = new LoadBalancer();
    const agent = new PodAgent((pods) => {
      balancer.update(pods);
      writeScrapeTargets(targetsDir, pods);
    });
    await balancer.start([]);
    stops.push(() => balancer.stop());
    await agent.start();
    // Pods go before the control plane: the agent stops their processes as a node shutdown would.
    stops.push(() => agent.close());

    await serverSideApply({ kustomization: path.join(REPO_ROOT, 'deploy', 'k8s', 'overlays', 'lab') });
    log('deploy/k8s/overlays/lab applied (server-side)');
    await waitUntil(
      'the API and gateway Deployments to be available',
      () =>
        kubectl([
          '-n',
          NAMESPACE,
          'wait',
          '--for=condition=Available',
          'deployment/flightdeck-api',
          'deployment/flightdeck-gateway',
          '--timeout=2s',
        ]),
      180_000,
      1000,
    );
    const url = `http://127.0.0.1:${PORTS.loadBalancer}`;
    await waitUntil('Flightdeck through the load balancer', async () => (await fetch(`${url}/readyz`)).ok, 60_000);
    log(`Flightdeck ready at ${url} in ${Math.round((Date.now() - t0) / 1000)} s`);
    return { agent, url, apiKey: LAB_API_KEY, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
