/**
 * Scaling and serving survive the failures they depend on: workers wake from zero on the redis
 * triggers alone when Prometheus is down, a gateway count that cannot be read is an error with a
 * fallback (not a silent 0), the API keeps a pod through a node drain, Prometheus selects our
 * monitors, KEDA can reach a Redis with ACL users and TLS, and egress allows the data ports.
 */
import { AVAILABILITY_MIN_REPLICAS, evaluateFormula } from './keda-formula';
import { OVERLAYS, has, renderOverlay, type Obj } from './render';

/** The authentication parameters KEDA's redis scaler reads (pkg/scalers/redis_scaler.go, v2.20.2). */
const REDIS_AUTH_PARAMS = ['address', 'username', 'password', 'tls', 'ca', 'cert', 'key', 'keyPassword'];

const STATES = ['wait', 'prioritized', 'active', 'lanes', 'paused'] as const;

(has('kubectl') ? describe.each(OVERLAYS) : describe.skip.each(OVERLAYS))('overlay %s', (overlay) => {
  let objects: Obj[];
  const scaledObjects = () => objects.filter((o) => o.kind === 'ScaledObject');
  const queueScaled = () => scaledObjects().filter((o) => o.spec.advanced?.scalingModifiers);
  beforeAll(() => {
    objects = renderOverlay(overlay);
  });

  it('wakes queue workers from zero on Redis alone when Prometheus is down (fallback to the formula)', () => {
    expect(queueScaled().length).toBeGreaterThan(0);
    for (const so of queueScaled()) {
      const name = so.metadata.name;
      expect({ name, fallback: so.spec.fallback }).toEqual({
        name,
        fallback: { behavior: 'scalingModifiers', failureThreshold: expect.any(Number), replicas: expect.any(Number) },
      });
      expect(so.spec.fallback.replicas).toBeGreaterThanOrEqual(1);
      const { formula, activationTarget } = so.spec.advanced.scalingModifiers;
      const queues: string[] = so.metadata.annotations!['flightdeck.dev/queues'].split(',');
      const values = (first: Partial<Record<(typeof STATES)[number], number | null>>) =>
        Object.fromEntries(
          queues.flatMap((q, n) => STATES.map((s) => [`${q}_${s}`, n === 0 && s in first ? first[s]! : 0])),
        );
      // One waiting job, pause triggers failed (nil): the formula still counts it, so KEDA activates.
      const prometheusDown = { wait: 1, prioritized: 0, active: 0, paused: null };
      expect({ name, metric: evaluateFormula(formula, values(prometheusDown)) }).toEqual({ name, metric: 1 });
      expect(1).toBeGreaterThan(Number(activationTarget));
      // Paused and Prometheus up: waiting jobs do not count.
      expect(evaluateFormula(formula, values({ wait: 100, active: 2, paused: 1 }))).toBe(2);
      // A redis trigger failed (nil): no number at all, so KEDA holds fallback.replicas, never 0.
      const hasLanes = so.spec.triggers.some((t: { name: string }) => t.name.endsWith('_lanes'));
      for (const state of ['wait', 'prioritized', 'active', ...(hasLanes ? (['lanes'] as const) : [])] as const) {
        expect({ name, state, metric: evaluateFormula(formula, values({ [state]: null })) }).toEqual({
          name,
          state,
          metric: null,
        });
      }
    }
  });

  it('treats an unreadable gateway metric as an error with a fallback, not as zero connections', () => {
    const so = scaledObjects().find((o) => o.metadata.name === 'flightdeck-gateway')!;
    for (const trigger of so.spec.triggers) expect(trigger.metadata.ignoreNullValues).toBe('false');
    expect(so.spec.fallback).toMatchObject({
      behavior: 'currentReplicasIfHigher',
      failureThreshold: expect.any(Number),
    });
    expect(so.spec.fallback.replicas).toBeGreaterThan(so.spec.minReplicaCount);
  });

  it('keeps an API pod through a node drain: two replicas on different nodes, a PDB that keeps one', () => {
    const so = scaledObjects().find((o) => o.spec.scaleTargetRef.name === 'flightdeck-api')!;
    expect(so.spec.minReplicaCount).toBeGreaterThanOrEqual(AVAILABILITY_MIN_REPLICAS['flightdeck-api']);
    expect(AVAILABILITY_MIN_REPLICAS['flightdeck-api']).toBeGreaterThanOrEqual(2);
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'flightdeck-api')!;
    expect(pdb.spec).toMatchObject({ minAvailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(pdb.spec.maxUnavailable).toBeUndefined();
    const api = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'flightdeck-api')!;
    expect(api.spec.template.spec.topologySpreadConstraints).toContainEqual(
      expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }),
    );
  });

  it("labels the PodMonitor and the alert rules for kube-prometheus-stack's selectors", () => {
    const monitoring = objects.filter((o) => ['PodMonitor', 'PrometheusRule'].includes(o.kind));
    expect(monitoring.map((o) => o.kind).sort()).toEqual(['PodMonitor', 'PrometheusRule']);
    for (const object of monitoring) {
      expect({ kind: object.kind, release: object.metadata.labels?.release }).toEqual({
        kind: object.kind,
        release: 'kube-prometheus-stack',
      });
    }
  });

  it('gives KEDA Redis ACL user and TLS parameters from the app Secret (all optional but the address)', () => {
    const auth = objects.find((o) => o.kind === 'TriggerAuthentication')!;
    const refs: { parameter: string; name: string; key: string }[] = auth.spec.secretTargetRef;
    for (const ref of refs)
      expect({ ...ref, known: REDIS_AUTH_PARAMS.includes(ref.parameter) }).toMatchObject({ known: true });
    const keyOf = Object.fromEntries(refs.map((ref) => [ref.parameter, ref.key]));
    expect(keyOf).toMatchObject({
      address: 'REDIS_ADDRESS',
      username: 'REDIS_USERNAME',
      tls: 'REDIS_TLS',
      ca: 'REDIS_CA',
    });
  });
});

(has('kubectl') ? it : it.skip)("dev overlay: egress allows the ports its Secret's Redis and MongoDB URLs name", () => {
  const objects = renderOverlay('dev');
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'flightdeck-secrets')!;
  const data = Object.fromEntries(
    Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
  );
  // Policies that apply to every Flightdeck pod.
  const egressPorts = objects
    .filter(
      (o) => o.kind === 'NetworkPolicy' && o.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'flightdeck',
    )
    .flatMap((o) => (o.spec.egress ?? []).flatMap((rule: Obj) => rule.ports.map((p: { port: number }) => p.port)));
  const ports = [new URL(data.REDIS_URL).port, data.REDIS_ADDRESS.split(':').pop(), new URL(data.MONGODB_URI).port];
  for (const port of ports)
    expect({ port, allowed: egressPorts.includes(Number(port)) }).toEqual({ port, allowed: true });
});
