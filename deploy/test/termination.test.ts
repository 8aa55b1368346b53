/**
 * Stopping a pod never cuts work short: Kubernetes' SIGKILL (terminationGracePeriodSeconds, which
 * counts the preStop hook too) comes after the process's own bounded shutdown, pods that serve
 * traffic wait for the endpoints to drop them before SIGTERM, and each worker Deployment's drain lets
 * the bounded jobs of its queues finish (the rest are handed back). Compose likewise.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { JOB_TYPES } from '@flightdeck/workers';
import { OVERLAYS, ROOT, envValue, has, renderOverlay, type Obj } from './render';

/**
 * What a shutdown may take beyond SHUTDOWN_TIMEOUT_MS: the process's own slack (SHUTDOWN_SLACK_MS,
 * 5 s, and its last-resort timer 1 s later; backend/src/shutdown-steps.ts) plus time for the kubelet
 * to deliver the signal and for the runtime to stop the container.
 */
const MARGIN_MS = 10_000;

/** How long endpoints take to drop a terminating pod, at least: what the preStop sleep must cover. */
const MIN_PRESTOP_SECONDS = 5;

/** Roles that take traffic through a Service (and the Gateway): they need the preStop delay. */
const SERVING_ROLES = ['api', 'gateway'];

/** SHUTDOWN_TIMEOUT_MS when unset: the default in backend/src/config.ts. */
const DEFAULT_SHUTDOWN_MS = Number(
  /SHUTDOWN_TIMEOUT_MS: int\(([\d_]+)/
    .exec(readFileSync(path.join(ROOT, 'backend', 'src', 'config.ts'), 'utf8'))![1]
    .replace(/_/g, ''),
);

/** The shutdown timeout a container runs with. */
const shutdownMs = (container: Obj) => Number(envValue(container.env, 'SHUTDOWN_TIMEOUT_MS') ?? DEFAULT_SHUTDOWN_MS);

/**
 * Jobs that may run longer than their worker's drain, by design: they are handed back to their
 * queue and start again on another worker (docs/scaling.md, "Scale-in and long jobs").
 */
const HANDED_BACK = new Set(['demo.sleep', 'demo.cpu']);

/** The longest a job of this type runs, where it is bounded (undefined: not bounded). */
function jobBoundMs(type: string): number | undefined {
  // http.request's payload caps its own timeoutMs at 60 s (workers/src/handlers/http.request.ts).
  if (type === 'http.request') return 60_000;
  return JOB_TYPES.get(type)!.defaults?.timeoutMs;
}

(has('kubectl') ? describe.each(OVERLAYS) : describe.skip.each(OVERLAYS))('overlay %s', (overlay) => {
  let deployments: Obj[];
  beforeAll(() => {
    deployments = renderOverlay(overlay).filter((o) => o.kind === 'Deployment');
  });

  it('gives every Deployment a grace period past preStop + SHUTDOWN_TIMEOUT_MS + margin', () => {
    expect(deployments.length).toBeGreaterThan(0);
    for (const deployment of deployments) {
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      const preStopMs = (container.lifecycle?.preStop?.sleep?.seconds ?? 0) * 1000;
      expect({ name: deployment.metadata.name, shutdown: envValue(container.env, 'SHUTDOWN_TIMEOUT_MS') }).toEqual({
        name: deployment.metadata.name,
        shutdown: expect.stringMatching(/^\d+$/),
      });
      const needed = preStopMs + shutdownMs(container) + MARGIN_MS;
      const graceMs = pod.terminationGracePeriodSeconds * 1000;
      expect({ name: deployment.metadata.name, graceMs, needed, enough: graceMs >= needed }).toEqual({
        name: deployment.metadata.name,
        graceMs,
        needed,
        enough: true,
      });
    }
  });

  it('delays SIGTERM with a native preStop sleep on every pod that serves traffic', () => {
    for (const deployment of deployments) {
      const role = envValue(deployment.spec.template.spec.containers[0].env, 'ROLES')!;
      if (!SERVING_ROLES.includes(role)) continue;
      const { lifecycle } = deployment.spec.template.spec.containers[0];
      // sleep, not exec: the image has no shell to run `sleep` in.
      expect({ name: deployment.metadata.name, lifecycle }).toEqual({
        name: deployment.metadata.name,
        lifecycle: { preStop: { sleep: { seconds: expect.any(Number) } } },
      });
      expect(lifecycle.preStop.sleep.seconds).toBeGreaterThanOrEqual(MIN_PRESTOP_SECONDS);
    }
  });

  it("lets every bounded job of a worker's queues finish within its drain; the others are handed back", () => {
    const workers = deployments.filter((d) => envValue(d.spec.template.spec.containers[0].env, 'ROLES') === 'worker');
    expect(workers.length).toBeGreaterThan(0);
    for (const worker of workers) {
      const [container] = worker.spec.template.spec.containers;
      const queues = envValue(container.env, 'WORKER_QUEUES')!.split(',');
      for (const [type, definition] of JOB_TYPES) {
        if (!queues.includes(definition.queue)) continue;
        const bound = jobBoundMs(type);
        const verdict = bound !== undefined && bound <= shutdownMs(container) ? 'finishes' : 'handed back';
        expect({ worker: worker.metadata.name, type, verdict }).toEqual({
          worker: worker.metadata.name,
          type,
          verdict: HANDED_BACK.has(type) ? verdict : 'finishes',
        });
      }
    }
  });
});

(has('docker-compose') ? it : it.skip)('compose stops each service after its shutdown, never during it', () => {
  const out = execFileSync('docker-compose', ['-f', path.join(ROOT, 'docker-compose.yml'), 'config'], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, BOOTSTRAP_API_KEY: '' },
  });
  const services = parse(out).services as Record<
    string,
    { environment?: Record<string, string>; stop_grace_period?: string }
  >;
  const flightdeck = Object.entries(services).filter(([, service]) => service.environment?.ROLES);
  expect(flightdeck.length).toBeGreaterThan(0);
  for (const [name, service] of flightdeck) {
    const needed = Number(service.environment!.SHUTDOWN_TIMEOUT_MS ?? DEFAULT_SHUTDOWN_MS) + MARGIN_MS;
    // docker-compose config normalises durations to Go's form (2m50s); 10 s is Docker's default.
    const [, minutes, seconds] = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(service.stop_grace_period ?? '10s')!;
    const graceMs = (Number(minutes ?? 0) * 60 + Number(seconds ?? 0)) * 1000;
    expect({ name, graceMs, needed, enough: graceMs >= needed }).toEqual({ name, graceMs, needed, enough: true });
  }
  // The compose worker runs every queue, image.transform's 120 s included.
  const worker = services.worker.environment!;
  expect(worker.WORKER_QUEUES).toBeUndefined();
  expect(Number(worker.SHUTDOWN_TIMEOUT_MS)).toBeGreaterThanOrEqual(jobBoundMs('image.transform')!);
});
