/**
 * The `own-worker` kustomize component (deploy/k8s/components/own-worker): a team's own worker image
 * (SDK worker runner) as a Deployment, scaled by KEDA on its registered queue's backlog, with a PDB.
 * Rendered on its own (placeholders left) and through the example overlay (placeholders replaced);
 * every object passes the model and strict-shape checks; the pods get no Redis or MongoDB
 * credentials; the grace period covers the SDK's drain (FLIGHTDECK_DRAIN_MS); the ScaledObject's
 * numbers are those GET /v1/queues shows for a registered queue and its query reads a metric
 * Flightdeck exports.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REGISTERED_QUEUE_SCALING } from '../../backend/src/job-types/registered-queue-directory';
import { CRD_SHAPES, strictChecker, type Shape } from './strict-shapes';
import { modelShapes } from './model-shapes';
import { flightdeckMetricNames, metricNames } from './promql-metrics';
import { validateModels } from './model-validation';
import { K8S, ROOT, envValue, has, render, type Obj } from './render';

const COMPONENT = path.join(K8S, 'components', 'own-worker');
const EXAMPLE = path.join(K8S, 'components', 'own-worker-example');
/** The placeholders a user replaces, and where each may appear (JSON paths in the rendered objects). */
const PLACEHOLDERS = ['REPLACE_ME_WORKER_IMAGE', 'REPLACE_ME_QUEUE'];
/** Time beyond the drain for the SDK to stop the rest, disconnect and exit, and for the kubelet. */
const MARGIN_SECONDS = 10;

const strictErrors = strictChecker({ ...modelShapes(ROOT), ...CRD_SHAPES } as Record<string, Shape>);

/** The component alone, as a kustomization that uses it and changes nothing. */
function renderComponentAlone(): Obj[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'own-worker-'));
  try {
    writeFileSync(
      path.join(dir, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ncomponents:\n  - ${path.relative(dir, COMPONENT)}\n`,
    );
    return render(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const byKind = (objects: Obj[], kind: string) => objects.find((object) => object.kind === kind)!;

(has('kubectl') ? describe : describe.skip)('the own-worker component', () => {
  let alone: Obj[];
  let example: Obj[];
  beforeAll(() => {
    alone = renderComponentAlone();
    example = render(EXAMPLE);
  });

  it('renders a Deployment, a ScaledObject and a PDB, each a valid object with no unknown fields', () => {
    for (const objects of [alone, example]) {
      expect(objects.map((object) => object.kind).sort()).toEqual([
        'Deployment',
        'PodDisruptionBudget',
        'ScaledObject',
      ]);
      const results = validateModels(objects);
      for (const [index, object] of objects.entries()) {
        const key = `${object.apiVersion}/${object.kind}`;
        expect(results[index]).toEqual({ name: results[index]!.name, known: true, errors: [] });
        expect({ key, unknown: strictErrors(key, object) }).toEqual({ key, unknown: [] });
      }
    }
  });

  it('marks what a user must replace, and the example replaces all of it', () => {
    const text = JSON.stringify(alone);
    expect([...new Set(text.match(/REPLACE_ME\w*/g))].sort()).toEqual([...PLACEHOLDERS].sort());
    expect(byKind(alone, 'Deployment').spec.template.spec.containers[0].image).toBe('REPLACE_ME_WORKER_IMAGE');
    expect(byKind(alone, 'ScaledObject').spec.triggers[0].metadata.query).toContain('queue="REPLACE_ME_QUEUE"');
    expect(JSON.stringify(example)).not.toMatch(/REPLACE_ME/);
    // Each placeholder is explained where a user looks: the component's header and docs/job-types.md.
    const header = readFileSync(path.join(COMPONENT, 'kustomization.yaml'), 'utf8');
    const docs = readFileSync(path.join(ROOT, 'docs', 'job-types.md'), 'utf8');
    for (const placeholder of PLACEHOLDERS) {
      expect({ placeholder, header: header.includes(placeholder) }).toEqual({ placeholder, header: true });
      expect({ placeholder, docs: docs.includes(placeholder) }).toEqual({ placeholder, docs: true });
    }
  });

  it('gives the pods the Flightdeck URL and a workers:run key from a Secret, and no Redis or MongoDB credentials', () => {
    const pod = byKind(example, 'Deployment').spec.template.spec;
    const [container] = pod.containers;
    const env = container.env as { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string } } }[];
    expect(envValue(env, 'FLIGHTDECK_URL')).toMatch(/^https?:\/\//);
    expect(env.find((e) => e.name === 'FLIGHTDECK_WORKER_KEY')!.valueFrom!.secretKeyRef).toEqual({
      name: 'own-worker-key',
      key: 'FLIGHTDECK_WORKER_KEY',
    });
    expect(env.map((e) => e.name).filter((name) => /REDIS|MONGO/.test(name))).toEqual([]);
    expect(container.envFrom).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(byKind(example, 'Deployment').spec.replicas).toBeUndefined();
    expect(byKind(example, 'Deployment').metadata).toMatchObject({ namespace: 'email-team' });
  });

  it("gives a stopping pod time for the SDK's drain and hand-back before SIGKILL", () => {
    const pod = byKind(example, 'Deployment').spec.template.spec;
    const [container] = pod.containers;
    const drainMs = Number(envValue(container.env, 'FLIGHTDECK_DRAIN_MS'));
    expect(drainMs).toBeGreaterThan(0);
    // The SDK's stopOnSignals reads this variable (sdk/src/worker-signals.ts).
    expect(readFileSync(path.join(ROOT, 'sdk', 'src', 'worker-signals.ts'), 'utf8')).toContain('FLIGHTDECK_DRAIN_MS');
    // No preStop: the drain starts at SIGTERM; a preStop sleep would come out of the grace period first.
    expect(container.lifecycle?.preStop).toBeUndefined();
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(drainMs / 1000 + MARGIN_SECONDS);
  });

  it("scales the Deployment on its queue's backlog with the numbers GET /v1/queues shows, from a metric Flightdeck exports", () => {
    const deployment = byKind(example, 'Deployment');
    const scaled = byKind(example, 'ScaledObject');
    const pdb = byKind(example, 'PodDisruptionBudget');
    expect(scaled.spec.scaleTargetRef.name).toBe(deployment.metadata.name);
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pdb.spec.maxUnavailable).toBe(1);
    const concurrency = Number(envValue(deployment.spec.template.spec.containers[0].env, 'CONCURRENCY'));
    const [trigger] = scaled.spec.triggers;
    expect({
      minReplicas: scaled.spec.minReplicaCount,
      maxReplicas: scaled.spec.maxReplicaCount,
      jobsPerReplica: Number(trigger.metadata.threshold),
      concurrency,
    }).toEqual({
      minReplicas: REGISTERED_QUEUE_SCALING.minReplicas,
      maxReplicas: REGISTERED_QUEUE_SCALING.maxReplicas,
      jobsPerReplica: REGISTERED_QUEUE_SCALING.jobsPerReplica,
      concurrency: REGISTERED_QUEUE_SCALING.jobsPerReplica,
    });
    expect(Number(trigger.metadata.activationThreshold)).toBe(REGISTERED_QUEUE_SCALING.activationBacklog);
    const known = new Set(flightdeckMetricNames(ROOT));
    expect(metricNames(trigger.metadata.query)).toEqual(['flightdeck_registered_queue_backlog']);
    expect(known.has('flightdeck_registered_queue_backlog')).toBe(true);
  });
});
