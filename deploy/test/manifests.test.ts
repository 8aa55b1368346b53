/**
 * Offline checks of the deployment artefacts: every kustomize overlay renders, every object is a
 * valid Kubernetes / KEDA object with no unknown fields where we know the schema, the compose file
 * is valid, and the KEDA numbers, keys and formula are those of SCALING_POLICIES.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { QUEUE_NAMES, SCALING_POLICIES, desiredReplicas, type QueueDepth } from '@flightdeck/workers';
import { KUBE_STATE_METRICS, flightdeckMetricNames, metricNames } from './promql-metrics';
import { modelShapes } from './model-shapes';
import { KEDA_SCALEDOBJECT_SPEC_FIELDS } from './crd-fields';
import { CRD_SHAPES, fieldPaths, strictChecker, type Shape } from './strict-shapes';
import { validateModels } from './model-validation';
import { K8S, OVERLAYS, ROOT, has, render, type Obj } from './render';
import { AVAILABILITY_MIN_REPLICAS, evaluateFormula } from './keda-formula';

const HAS_KUBECTL = has('kubectl');
const HAS_COMPOSE = has('docker-compose');
// CI installs both (.ci/run): there a missing tool is a failure, not a skip.
if (process.env.CI && !(HAS_KUBECTL && HAS_COMPOSE)) {
  throw new Error('deploy tests: kubectl and docker-compose must be installed in CI (scripts/install-deploy-tools.sh)');
}
if (!HAS_KUBECTL)
  console.warn('deploy tests: kubectl not installed, kustomize checks SKIPPED (bash scripts/install-deploy-tools.sh)');
if (!HAS_COMPOSE)
  console.warn(
    'deploy tests: docker-compose not installed, compose check SKIPPED (bash scripts/install-deploy-tools.sh)',
  );

/** Kinds with no model package here: checked by their strict shape only. */
const SHAPE_ONLY = new Set(['gateway.networking.k8s.io/v1/Gateway', 'gateway.networking.k8s.io/v1/HTTPRoute']);

/** Every kind's strict shape: derived from the model packages, or from CRD field lists (KEDA, Gateway API). */
const SHAPES: Record<string, Shape> = { ...modelShapes(ROOT), ...CRD_SHAPES };
const strictErrors = strictChecker(SHAPES);

/** Metrics alerts and panels may read: ours (backend/src/metrics.ts) and kube-state-metrics. */
const KNOWN_METRICS = new Set([...flightdeckMetricNames(ROOT), ...KUBE_STATE_METRICS]);
const unknownMetrics = (expr: string) => metricNames(expr).filter((name) => !KNOWN_METRICS.has(name));

/** The anchors of docs/deployment.md's headings, as GitHub makes them. */
const RUNBOOK_ANCHORS = new Set(
  [...readFileSync(path.join(ROOT, 'docs', 'deployment.md'), 'utf8').matchAll(/^#{2,4} (.+)$/gm)].map(([, title]) =>
    title
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-'),
  ),
);

const describeKubectl = HAS_KUBECTL ? describe : describe.skip;

describeKubectl.each(OVERLAYS)('overlay %s', (overlay) => {
  let objects: Obj[];
  beforeAll(() => {
    objects = render(path.join(K8S, 'overlays', overlay));
  });

  it('renders with kubectl kustomize', () => {
    expect(objects.length).toBeGreaterThan(10);
  });

  it('validates every object against its model, with no unknown fields', () => {
    const results = validateModels(objects);
    for (const [i, object] of objects.entries()) {
      const key = `${object.apiVersion}/${object.kind}`;
      const { name, known, errors } = results[i];
      expect({ name, known: known || SHAPE_ONLY.has(key), errors }).toEqual({ name, known: true, errors: [] });
      expect({ name, unknown: strictErrors(key, object) }).toEqual({ name, unknown: [] });
    }
  });

  it('runs every role non-root, read-only, with probes, in the flightdeck namespace', () => {
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([
      'flightdeck-api',
      'flightdeck-gateway',
      'flightdeck-worker',
      'flightdeck-worker-image',
    ]);
    for (const deployment of deployments) {
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.topologySpreadConstraints.length).toBeGreaterThan(0);
      // KEDA's HPA owns the replica count; a fixed one would fight it on every apply.
      expect(deployment.spec.replicas).toBeUndefined();
      const [container] = pod.containers;
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      expect(container.resources.requests).toBeDefined();
      expect(container.resources.limits).toBeDefined();
      const role = container.env.find((e: { name: string }) => e.name === 'ROLES').value;
      // Named after its role; a worker Deployment of some queues only adds a suffix (flightdeck-worker-image).
      expect(deployment.metadata.name).toMatch(new RegExp(`^flightdeck-${role}(-[a-z]+)?$`));
      // Grace periods and drains: termination.test.ts.
    }
    for (const object of objects.filter((o) => o.kind !== 'Namespace')) {
      expect(object.metadata).toMatchObject({ namespace: 'flightdeck' });
    }
  });

  it('routes /socket.io/ to the gateways and the rest to the API', () => {
    const route = objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'flightdeck')!;
    const backendOf = (prefix: string) =>
      route.spec.rules.find((r: any) => r.matches[0].path.value === prefix).backendRefs[0].name; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(backendOf('/socket.io/')).toBe('flightdeck-gateway');
    expect(backendOf('/')).toBe('flightdeck-api');
  });

  describe('monitoring', () => {
    it('scrapes /metrics on the http port of every Flightdeck pod', () => {
      const monitors = objects.filter((o) => o.kind === 'PodMonitor');
      expect(monitors).toHaveLength(1);
      const [monitor] = monitors;
      expect(monitor.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'flightdeck' });
      expect(monitor.spec.podMetricsEndpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
      for (const deployment of objects.filter((o) => o.kind === 'Deployment')) {
        const pod = deployment.spec.template;
        expect(pod.metadata.labels['app.kubernetes.io/name']).toBe('flightdeck');
        expect(pod.spec.containers[0].ports.map((p: { name: string }) => p.name)).toContain('http');
      }
    });

    it('alerts on backlog age, failure rate, unpromoted due jobs, no ready API pod, history backlog, dependencies and socket buffers', () => {
      const rules = objects
        .filter((o) => o.kind === 'PrometheusRule')
        .flatMap((o) => o.spec.groups.flatMap((g: { rules: Record<string, string>[] }) => g.rules));
      const byName = new Map(rules.map((rule) => [rule.alert, rule]));
      expect([...byName.keys()].sort()).toEqual([
        'FlightdeckApiUnavailable',
        'FlightdeckBacklogAgeHigh',
        'FlightdeckDependencyDown',
        'FlightdeckDueJobsNotPromoted',
        'FlightdeckHistoryBacklogGrowing',
        'FlightdeckJobFailureRateHigh',
        'FlightdeckSocketBuffersHigh',
      ]);
      const backlog = byName.get('FlightdeckBacklogAgeHigh')!;
      expect(backlog.expr).toMatch(/flightdeck_queue_oldest_waiting_seconds\b.*> 300\b/);
      expect(backlog.for).toBe('10m');
      const failures = byName.get('FlightdeckJobFailureRateHigh')!;
      expect(failures.expr).toContain('> 0.1');
      expect(failures.for).toBe('15m');
      expect(byName.get('FlightdeckApiUnavailable')!.labels.severity).toBe('critical');
      const dependency = byName.get('FlightdeckDependencyDown')!;
      expect(dependency.expr).toMatch(/max by \(dependency\) \(flightdeck_dependency_up\b.*== 0/);
      expect(dependency.labels.severity).toBe('critical');
      expect(byName.get('FlightdeckSocketBuffersHigh')!.expr).toContain('flightdeck_socket_buffered_packets');
      expect(byName.get('FlightdeckDueJobsNotPromoted')!.expr).toMatch(/flightdeck_queue_due_delayed_jobs\b.*> 0/);
      for (const rule of rules) {
        expect({ alert: rule.alert, unknown: unknownMetrics(rule.expr) }).toEqual({ alert: rule.alert, unknown: [] });
        expect(rule.annotations.runbook).toMatch(/^docs\/deployment\.md#[a-z-]+$/);
        const anchor = rule.annotations.runbook.split('#')[1];
        expect({ alert: rule.alert, runbook: RUNBOOK_ANCHORS.has(anchor) }).toEqual({
          alert: rule.alert,
          runbook: true,
        });
      }
    });

    it('ships the Grafana dashboard with the panels asked for, reading only known metrics', () => {
      const configMap = objects.find(
        (o) => o.kind === 'ConfigMap' && o.metadata.name === 'flightdeck-grafana-dashboard',
      )!;
      expect(configMap.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
      const dashboard = JSON.parse(configMap.data['flightdeck.json']);
      expect(dashboard.uid).toBe('flightdeck');
      const panels = dashboard.panels as { id: number; title: string; targets: { expr: string; refId: string }[] }[];
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      const exprs = panels.flatMap((p) => p.targets.map((t) => t.expr));
      for (const metric of [
        'flightdeck_queue_jobs',
        'flightdeck_jobs_finished_total',
        'flightdeck_queue_oldest_waiting_seconds',
        'flightdeck_job_duration_seconds_bucket',
        'flightdeck_realtime_connections',
        'flightdeck_realtime_events_delivered_total',
        'flightdeck_socket_buffered_packets',
        'flightdeck_dependency_up',
        'kube_deployment_status_replicas',
        'kube_horizontalpodautoscaler_status_desired_replicas',
      ]) {
        expect({ metric, used: exprs.some((e) => metricNames(e).includes(metric)) }).toEqual({ metric, used: true });
      }
      for (const panel of panels) {
        expect(panel.targets.length).toBeGreaterThan(0);
        for (const target of panel.targets) {
          expect({ panel: panel.title, unknown: unknownMetrics(target.expr) }).toEqual({
            panel: panel.title,
            unknown: [],
          });
        }
      }
    });
  });

  describe('KEDA', () => {
    const scaledObjects = () => objects.filter((o) => o.kind === 'ScaledObject');
    const prefix = () =>
      objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'flightdeck-config')!.data.REDIS_PREFIX;

    it.each(Object.keys(SCALING_POLICIES))('scales queue %s with the numbers of SCALING_POLICIES', (queue) => {
      const policy = SCALING_POLICIES[queue as keyof typeof SCALING_POLICIES];
      const owners = scaledObjects().filter((o) =>
        (o.metadata.annotations?.['flightdeck.dev/queues'] ?? '').split(',').includes(queue),
      );
      expect(owners).toHaveLength(1);
      const [so] = owners;
      // A Deployment may keep more replicas than its queue asks for, for availability (the API).
      const floor = AVAILABILITY_MIN_REPLICAS[so.spec.scaleTargetRef.name] ?? 0;
      expect(so.spec.minReplicaCount).toBe(Math.max(policy.minReplicas, floor));
      expect(so.spec.maxReplicaCount).toBe(policy.maxReplicas);
      const modifiers = so.spec.advanced.scalingModifiers;
      expect(Number(modifiers.target)).toBe(policy.jobsPerReplica);
      expect(Number(modifiers.activationTarget)).toBe(policy.activationBacklog);
      expect(modifiers.metricType).toBe('AverageValue');
      for (const state of ['wait', 'prioritized', 'active']) {
        const trigger = so.spec.triggers.find((t: { name: string }) => t.name === `${queue}_${state}`);
        expect(trigger).toMatchObject({ type: 'redis', metadata: { listName: `${prefix()}:${queue}:${state}` } });
      }
      // Fair share's backlog (workers/src/redis-keys.ts `fairBacklog(queue)`): the job queues only;
      // webhooks go straight to BullMQ.
      const lanes = so.spec.triggers.find((t: { name: string }) => t.name === `${queue}_lanes`);
      if ((QUEUE_NAMES as string[]).includes(queue)) {
        expect(lanes).toMatchObject({
          type: 'redis',
          metadata: { listName: `${prefix()}:flightdeck:fair:backlog:${queue}` },
        });
      } else {
        expect(lanes).toBeUndefined();
      }
      const paused = so.spec.triggers.find((t: { name: string }) => t.name === `${queue}_paused`);
      expect(paused).toMatchObject({ type: 'prometheus' });
      expect(paused.metadata.query).toContain(`flightdeck_queue_paused{queue="${queue}"}`);
    });

    it('runs every job queue in exactly one worker Deployment (WORKER_QUEUES), the one its ScaledObject scales', () => {
      const workers = objects
        .filter((o) => o.kind === 'Deployment' && o.metadata.name.startsWith('flightdeck-worker'))
        .map((d) => {
          const env: { name: string; value?: string }[] = d.spec.template.spec.containers[0].env;
          return { name: d.metadata.name, queues: env.find((e) => e.name === 'WORKER_QUEUES')?.value?.split(',') };
        });
      // Without WORKER_QUEUES a worker runs every queue, which would run a queue in two places.
      for (const worker of workers) expect(worker).toEqual({ name: worker.name, queues: expect.any(Array) });
      for (const queue of QUEUE_NAMES) {
        const runners = workers.filter((worker) => worker.queues!.includes(queue)).map((worker) => worker.name);
        expect({ queue, runners }).toEqual({ queue, runners: [expect.any(String)] });
        const [so] = scaledObjects().filter((o) =>
          (o.metadata.annotations?.['flightdeck.dev/queues'] ?? '').split(',').includes(queue),
        );
        expect({ queue, scaled: so?.spec.scaleTargetRef.name }).toEqual({ queue, scaled: runners[0] });
      }
      // And a worker's queues are exactly its ScaledObject's.
      for (const worker of workers) {
        const so = scaledObjects().find((o) => o.spec.scaleTargetRef.name === worker.name)!;
        expect(so.metadata.annotations!['flightdeck.dev/queues'].split(',').sort()).toEqual([...worker.queues!].sort());
      }
    });

    it('groups only queues that agree on their numbers', () => {
      for (const so of scaledObjects().filter((o) => o.metadata.annotations?.['flightdeck.dev/queues'])) {
        const queues = so.metadata.annotations!['flightdeck.dev/queues'].split(
          ',',
        ) as (keyof typeof SCALING_POLICIES)[];
        const numbers = new Set(queues.map((q) => JSON.stringify(SCALING_POLICIES[q])));
        expect({ so: so.metadata.name, distinct: numbers.size }).toEqual({ so: so.metadata.name, distinct: 1 });
      }
    });

    it('computes the same replicas as desiredReplicas() (formula evaluated on sample depths)', () => {
      const samples: QueueDepth[] = [
        { wait: 0, prioritized: 0, active: 0, paused: false },
        { wait: 1, prioritized: 0, active: 0, paused: false },
        { wait: 49, prioritized: 1, active: 0, paused: false },
        { wait: 30, prioritized: 30, active: 50, paused: false },
        { wait: 5000, prioritized: 0, active: 50, paused: false },
        { wait: 5000, prioritized: 10, active: 0, paused: true },
        { wait: 5000, prioritized: 0, active: 120, paused: true },
        // Fair share: a flood waits in the lanes, the dispatcher keeps `wait` short.
        { wait: 400, prioritized: 0, active: 50, lanes: 19_550, paused: false },
        { wait: 0, prioritized: 0, active: 0, lanes: 1, paused: false },
        { wait: 10, prioritized: 0, active: 3, lanes: 900, paused: true },
      ];
      for (const so of scaledObjects().filter((o) => o.metadata.annotations?.['flightdeck.dev/queues'])) {
        const queues = so.metadata.annotations!['flightdeck.dev/queues'].split(
          ',',
        ) as (keyof typeof SCALING_POLICIES)[];
        const { formula, target, activationTarget } = so.spec.advanced.scalingModifiers;
        const names = queues.flatMap((q) =>
          ['wait', 'prioritized', 'active', 'lanes', 'paused'].map((s) => `${q}_${s}`),
        );
        const { minReplicaCount: minReplicas, maxReplicaCount: maxReplicas } = so.spec;
        for (const [i, depth] of samples.entries()) {
          // Vary the depths between queues so a formula reading the wrong queue is caught.
          const depths = queues.map((_, n) => (n === 0 ? depth : samples[(i + n) % samples.length]));
          const args = depths.flatMap((d) => [d.wait, d.prioritized, d.active, d.lanes ?? 0, d.paused ? 1 : 0]);
          const metric = evaluateFormula(formula, Object.fromEntries(names.map((name, n) => [name, args[n]])));
          // KEDA: at or below the activation target it goes to min; else the HPA's ceil(metric / target), clamped.
          const keda =
            metric! <= Number(activationTarget)
              ? minReplicas
              : Math.min(maxReplicas, Math.max(minReplicas, 1, Math.ceil(metric! / Number(target))));
          const floor = AVAILABILITY_MIN_REPLICAS[so.spec.scaleTargetRef.name] ?? 0;
          const wanted = Math.max(...queues.map((q, n) => desiredReplicas(SCALING_POLICIES[q], depths[n])));
          const expected = Math.max(wanted, floor);
          expect({ so: so.metadata.name, sample: i, replicas: keda }).toEqual({
            so: so.metadata.name,
            sample: i,
            replicas: expected,
          });
        }
      }
    });

    it('scales gateways on total connections per pod, slowly down', () => {
      const so = scaledObjects().find((o) => o.metadata.name === 'flightdeck-gateway')!;
      const [trigger] = so.spec.triggers;
      expect(trigger.type).toBe('prometheus');
      expect(trigger.metadata.query).toMatch(/^sum\(flightdeck_realtime_connections\b/);
      expect(Number(trigger.metadata.threshold)).toBe(2000);
      expect(so.spec.minReplicaCount).toBeGreaterThanOrEqual(2);
      const down = so.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown;
      expect(down.stabilizationWindowSeconds).toBeGreaterThanOrEqual(600);
    });

    it('reads Redis through a TriggerAuthentication on the app Secret', () => {
      const auth = objects.find((o) => o.kind === 'TriggerAuthentication')!;
      for (const so of scaledObjects()) {
        for (const trigger of so.spec.triggers.filter((t: { type: string }) => t.type === 'redis')) {
          expect(trigger.authenticationRef.name).toBe(auth.metadata.name);
        }
      }
      expect(auth.spec.secretTargetRef.every((ref: { name: string }) => ref.name === 'flightdeck-secrets')).toBe(true);
    });
  });
});

(HAS_KUBECTL ? it : it.skip)(
  'dev overlay brings Redis (AOF, noeviction) and MongoDB StatefulSets and the Secret',
  () => {
    const objects = render(path.join(K8S, 'overlays', 'dev'));
    const sets = objects.filter((o) => o.kind === 'StatefulSet');
    expect(sets.map((s) => s.metadata.name).sort()).toEqual(['mongo', 'redis']);
    const redisArgs = sets.find((s) => s.metadata.name === 'redis')!.spec.template.spec.containers[0].args.join(' ');
    expect(redisArgs).toContain('--appendonly yes');
    expect(redisArgs).toContain('--maxmemory-policy noeviction');
    const secret = objects.find((o) => o.kind === 'Secret')!;
    expect(secret.metadata.name).toBe('flightdeck-secrets');
  },
);

(HAS_COMPOSE ? it : it.skip)('docker-compose.yml passes docker-compose config', () => {
  const out = execFileSync('docker-compose', ['-f', path.join(ROOT, 'docker-compose.yml'), 'config'], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, BOOTSTRAP_API_KEY: '' },
  });
  const [doc] = parseAllDocuments(out);
  const compose = doc.toJS() as {
    services: Record<string, { environment?: Record<string, string>; command?: string[] }>;
  };
  expect(Object.keys(compose.services).sort()).toEqual([
    'api',
    'gateway-1',
    'gateway-2',
    'mongo',
    'proxy',
    'redis',
    'worker',
  ]);
  expect(compose.services['gateway-1'].environment?.ROLES).toBe('gateway');
  expect(compose.services.worker.environment?.ROLES).toBe('worker');
  expect(compose.services.redis.command?.join(' ')).toContain('--maxmemory-policy noeviction');
});

describe('the checks themselves', () => {
  it('report unknown ScaledObject fields and scaler metadata keys', () => {
    const bad = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'x' },
      spec: {
        scaleTargetRef: { name: 'x' },
        minReplicas: 0,
        advanced: { scalingModifiers: { formula: 'a', traget: '5' } },
        triggers: [{ type: 'redis', metadata: { listName: 'l', listLenght: '5' } }],
      },
    };
    expect(strictErrors('keda.sh/v1alpha1/ScaledObject', bad)).toEqual([
      '.spec.minReplicas: unknown field',
      '.spec.advanced.scalingModifiers.traget: unknown field',
      '.spec.triggers[0].metadata.listLenght: unknown for redis',
    ]);
  });

  it('report unknown fields and wrong enum values deep in built-in kinds, and kinds with no shape', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', labells: {} },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: {
          spec: {
            containers: [
              {
                name: 'x',
                imagePullPolicy: 'Sometimes',
                resources: { limits: { cpu: '1' }, request: { cpu: '1' } },
                readinessProbe: { httpGet: { path: '/readyz', port: 'http', sheme: 'HTTP' } },
              },
            ],
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          },
        },
      },
    };
    expect(strictErrors('apps/v1/Deployment', deployment)).toEqual([
      '.metadata.labells: unknown field',
      '.spec.template.spec.containers[0].imagePullPolicy: "Sometimes" is not one of Always, IfNotPresent, Never',
      '.spec.template.spec.containers[0].resources.request: unknown field',
      '.spec.template.spec.containers[0].readinessProbe.httpGet.sheme: unknown field',
    ]);
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { A: 'b' }, date: {} };
    expect(strictErrors('v1/Secret', secret)).toEqual(['.date: unknown field']);
    expect(strictErrors('v1/Pod', { apiVersion: 'v1', kind: 'Pod' })).toEqual([
      'no strict shape for v1/Pod: add its model to model-shapes.ts or its CRD fields to crd-fields.ts',
    ]);
  });

  it('build CRD shapes that keep every field and enum of the field lists', () => {
    const spec = (SHAPES['keda.sh/v1alpha1/ScaledObject'] as Record<string, Shape>).spec;
    expect(fieldPaths(spec).sort()).toEqual([...KEDA_SCALEDOBJECT_SPEC_FIELDS].sort());
    const so = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'x' },
      spec: {
        scaleTargetRef: { name: 'x' },
        advanced: { scalingModifiers: { formula: 'a', target: '1', metricType: 'Average' } },
        triggers: [{ type: 'redis', metadata: { listName: 'l' }, authenticationRef: { name: 'a', kind: 'Secret' } }],
      },
    };
    expect(strictErrors('keda.sh/v1alpha1/ScaledObject', so)).toEqual([
      '.spec.advanced.scalingModifiers.metricType: "Average" is not one of AverageValue, Value',
      '.spec.triggers[0].authenticationRef.kind: "Secret" is not one of TriggerAuthentication, ClusterTriggerAuthentication',
    ]);
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'x' },
      spec: { rules: [{ matches: [{ path: { type: 'Prefix', value: '/' } }], timeout: { request: '0s' } }] },
    };
    expect(strictErrors('gateway.networking.k8s.io/v1/HTTPRoute', route)).toEqual([
      '.spec.rules[0].matches[0].path.type: "Prefix" is not one of Exact, PathPrefix, RegularExpression',
      '.spec.rules[0].timeout: unknown field',
    ]);
  });

  it('report unknown PodMonitor and PrometheusRule fields', () => {
    const monitor = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'x' },
      spec: { selector: {}, podMetricsEndpoints: [{ port: 'http', pathh: '/metrics' }] },
    };
    expect(strictErrors('monitoring.coreos.com/v1/PodMonitor', monitor)).toEqual([
      '.spec.podMetricsEndpoints[0].pathh: unknown field',
    ]);
    const rule = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'x' },
      spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up', duration: '5m' }] }] },
    };
    expect(strictErrors('monitoring.coreos.com/v1/PrometheusRule', rule)).toEqual([
      '.spec.groups[0].rules[0].duration: unknown field',
    ]);
  });

  it('find the metric names a PromQL expression reads, and the unknown ones', () => {
    expect(
      metricNames(
        'sum by (queue) (rate(flightdeck_jobs_finished_total{outcome="failed", queue=~"a|b"}[5m])) / ' +
          'sum by (queue) (rate(flightdeck_jobs_finished_total[$__rate_interval])) > 0.1 ' +
          'and on (queue) max(kube_deployment_status_replicas offset 5m) unless absent(flightdeck_queue_jobs)',
      ).sort(),
    ).toEqual(['flightdeck_jobs_finished_total', 'flightdeck_queue_jobs', 'kube_deployment_status_replicas']);
    expect(
      unknownMetrics('histogram_quantile(0.95, sum by (le) (rate(flightdeck_job_duration_seconds_bucket[5m])))'),
    ).toEqual([]);
    expect(unknownMetrics('max(flightdeck_queue_oldest_wait_seconds) > 300')).toEqual([
      'flightdeck_queue_oldest_wait_seconds',
    ]);
  });

  it('report model errors (wrong types, missing required fields)', () => {
    const [result] = validateModels([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'x' },
        spec: { replicas: 'two' },
      } as unknown as Obj,
    ]);
    expect(result.errors.length).toBe(1);
  });
});
