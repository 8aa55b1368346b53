import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { kubernetesAccessOf, loadConfig } from '../src/config';
import type { QueueOverviewService } from '../src/jobs/queue-overview';
import {
  KubernetesAutoscaling,
  kubernetesErrorMessage,
  scaledObjectStates,
  workerReplicas,
  type KubeScalingObjects,
  type KubeScalingSource,
} from '../src/ops/autoscaling';
import { OpsOverviewService } from '../src/ops/ops-overview';
import type { ProcessRegistry } from '../src/ops/process-registry';
import { startTestFlightdeck } from './support/flightdeck-harness';

const logger = pino({ level: 'silent' });

/** A namespace as KEDA leaves it: workers scaled up on a backlog, image workers at zero, the API at its minimum. */
function namespaceObjects(): KubeScalingObjects {
  const labels = (component: string) => ({ 'app.kubernetes.io/component': component });
  return {
    scaledObjects: [
      {
        metadata: { name: 'flightdeck-worker', annotations: { 'flightdeck.dev/queues': 'demo, http' } },
        spec: {
          scaleTargetRef: { name: 'flightdeck-worker' },
          minReplicaCount: 0,
          maxReplicaCount: 10,
          advanced: { horizontalPodAutoscalerConfig: { name: 'flightdeck-worker' } },
        },
        status: {
          hpaName: 'flightdeck-worker',
          conditions: [
            {
              type: 'Fallback',
              status: 'False',
              reason: 'NoFallbackFound',
              message: 'No fallbacks are active on this scaled object',
            },
            {
              type: 'Active',
              status: 'True',
              reason: 'ScalerActive',
              message: 'Scaling is performed because triggers are active',
              lastTransitionTime: '2026-12-07T17:00:05Z',
            },
            {
              type: 'Ready',
              status: 'True',
              reason: 'ScaledObjectReady',
              message: 'ScaledObject is defined correctly and is ready for scaling',
            },
            { type: 'Paused', status: 'False', reason: '', message: '' },
            { type: 'Other', status: 'True' },
          ],
        },
      },
      {
        metadata: { name: 'flightdeck-worker-image', annotations: { 'flightdeck.dev/queues': 'image' } },
        spec: { scaleTargetRef: { name: 'flightdeck-worker-image' }, minReplicaCount: 0, maxReplicaCount: 10 },
        // No status yet: KEDA has not reconciled it (no HPA either).
      },
      {
        metadata: { name: 'flightdeck-api', annotations: { 'flightdeck.dev/queues': 'webhooks' } },
        spec: { scaleTargetRef: { name: 'flightdeck-api' }, minReplicaCount: 2, maxReplicaCount: 10 },
        status: { hpaName: 'keda-hpa-flightdeck-api', conditions: [{ type: 'Ready', status: 'Unknown' }] },
      },
    ],
    hpas: [
      { metadata: { name: 'flightdeck-worker' }, status: { desiredReplicas: 4, currentReplicas: 2 } },
      { metadata: { name: 'keda-hpa-flightdeck-api' }, status: { desiredReplicas: 2, currentReplicas: 2 } },
    ],
    deployments: [
      {
        metadata: { name: 'flightdeck-worker', labels: labels('worker') },
        spec: { replicas: 4 },
        status: { readyReplicas: 2 },
      },
      {
        metadata: { name: 'flightdeck-worker-image', labels: labels('worker-image') },
        spec: { replicas: 0 },
        status: {},
      },
      {
        metadata: { name: 'flightdeck-api', labels: labels('api') },
        spec: { replicas: 2 },
        status: { readyReplicas: 2 },
      },
    ],
    events: [
      {
        involvedObject: { kind: 'ScaledObject', name: 'flightdeck-worker' },
        type: 'Normal',
        reason: 'KEDAScalersStarted',
        message: 'Scaler redis is built.',
        firstTimestamp: new Date('2026-12-07T16:00:00Z'),
        lastTimestamp: new Date('2026-12-07T16:00:00Z'),
      },
      {
        involvedObject: { kind: 'ScaledObject', name: 'flightdeck-worker' },
        type: 'Normal',
        reason: 'KEDAScaleTargetActivated',
        message: 'Scaled apps/v1.Deployment flightdeck/flightdeck-worker from 0 to 1, triggered by redisScaler',
        count: 3,
        lastTimestamp: new Date('2026-12-07T17:00:05Z'),
      },
      {
        // events.k8s.io writers set eventTime, not lastTimestamp.
        involvedObject: { kind: 'ScaledObject', name: 'flightdeck-worker' },
        type: 'Warning',
        reason: 'KEDAScalerFailed',
        message: 'error parsing prometheus metadata',
        eventTime: '2026-12-07T16:30:00.123456Z',
      },
      {
        involvedObject: { kind: 'Deployment', name: 'flightdeck-worker' },
        reason: 'ScalingReplicaSet',
        message: 'not KEDA',
      },
    ],
  };
}

describe('the autoscaler as the ops view shows it', () => {
  it('joins each ScaledObject with its HPA, its Deployment, its conditions and its newest Events', () => {
    const [api, worker, image] = scaledObjectStates(namespaceObjects());
    expect(worker).toEqual({
      name: 'flightdeck-worker',
      queues: ['demo', 'http'],
      component: 'worker',
      minReplicas: 0,
      maxReplicas: 10,
      hpa: { name: 'flightdeck-worker', desiredReplicas: 4, currentReplicas: 2 },
      deployment: { name: 'flightdeck-worker', replicas: 4, readyReplicas: 2 },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'ScaledObjectReady',
          message: 'ScaledObject is defined correctly and is ready for scaling',
          since: null,
        },
        {
          type: 'Active',
          status: 'True',
          reason: 'ScalerActive',
          message: 'Scaling is performed because triggers are active',
          since: '2026-12-07T17:00:05.000Z',
        },
        {
          type: 'Fallback',
          status: 'False',
          reason: 'NoFallbackFound',
          message: 'No fallbacks are active on this scaled object',
          since: null,
        },
        { type: 'Paused', status: 'False', reason: null, message: null, since: null },
      ],
      events: [
        expect.objectContaining({ reason: 'KEDAScaleTargetActivated', count: 3, at: '2026-12-07T17:00:05.000Z' }),
        expect.objectContaining({
          type: 'Warning',
          reason: 'KEDAScalerFailed',
          count: 1,
          at: '2026-12-07T16:30:00.123Z',
        }),
        expect.objectContaining({ reason: 'KEDAScalersStarted', at: '2026-12-07T16:00:00.000Z' }),
      ],
    });
    expect(image).toMatchObject({
      hpa: null,
      deployment: { name: 'flightdeck-worker-image', replicas: 0, readyReplicas: 0 },
      conditions: [],
      events: [],
    });
    expect(api).toMatchObject({
      name: 'flightdeck-api',
      component: 'api',
      hpa: { name: 'keda-hpa-flightdeck-api', desiredReplicas: 2 },
      conditions: [{ type: 'Ready', status: 'Unknown' }],
    });
  });

  it('counts worker Deployments only: desired from their HPAs (the Deployment where there is none), running as ready', () => {
    expect(workerReplicas(scaledObjectStates(namespaceObjects()))).toEqual({ desired: 4, running: 2 });
  });

  it('keeps the five newest Events of a ScaledObject; a ScaledObject whose Deployment is missing says so', () => {
    const objects = namespaceObjects();
    objects.deployments = [];
    objects.events = Array.from({ length: 8 }, (_, index) => ({
      involvedObject: { kind: 'ScaledObject', name: 'flightdeck-api' },
      reason: `R${index}`,
      lastTimestamp: `2026-12-07T17:0${index}:00Z`,
    }));
    const api = scaledObjectStates(objects)[0]!;
    expect(api.deployment).toBeNull();
    expect(api.component).toBeNull();
    expect(api.events.map((event) => event.reason)).toEqual(['R7', 'R6', 'R5', 'R4', 'R3']);
  });
});

/** A source that answers what the test says, and counts its readings. */
function fakeSource(answer: () => Promise<KubeScalingObjects>) {
  const source = {
    namespace: 'flightdeck',
    reads: 0,
    read: () => {
      source.reads++;
      return answer();
    },
  };
  return source satisfies KubeScalingSource;
}

describe('reading the autoscaler from Kubernetes', () => {
  it('reads at most once per cache period however many ask at once', async () => {
    let now = 1_000_000;
    const source = fakeSource(() => Promise.resolve(namespaceObjects()));
    const autoscaling = new KubernetesAutoscaling(source, logger, { cacheMs: 3_000, now: () => now });
    const [first] = await Promise.all([autoscaling.describe(), autoscaling.describe(), autoscaling.describe()]);
    expect(source.reads).toBe(1);
    expect(first).toMatchObject({
      source: 'kubernetes',
      namespace: 'flightdeck',
      error: null,
      readAt: new Date(now).toISOString(),
    });
    expect(first.scaledObjects).toHaveLength(3);
    now += 2_999;
    await autoscaling.describe();
    expect(source.reads).toBe(1);
    now += 1;
    await autoscaling.describe();
    expect(source.reads).toBe(2);
  });

  it('says why a reading failed, keeps the last good one, and falls back to the policy when there is none', async () => {
    let now = 0;
    let fail: Error | null = Object.assign(new Error('HTTP-Code: 403 Message: Unknown API Status Code!'), {
      code: 403,
      body: JSON.stringify({
        kind: 'Status',
        message:
          'scaledobjects.keda.sh is forbidden: User "system:serviceaccount:flightdeck:flightdeck" cannot list resource "scaledobjects"',
        code: 403,
      }),
    });
    const source = fakeSource(() => (fail ? Promise.reject(fail) : Promise.resolve(namespaceObjects())));
    const autoscaling = new KubernetesAutoscaling(source, logger, { cacheMs: 1_000, now: () => now });
    expect(await autoscaling.describe()).toEqual({
      source: 'policy',
      reason: expect.stringContaining('could not be read'),
      namespace: 'flightdeck',
      readAt: null,
      error:
        'scaledobjects.keda.sh is forbidden: User "system:serviceaccount:flightdeck:flightdeck" cannot list resource "scaledobjects" (HTTP 403)',
      scaledObjects: [],
    });
    fail = null;
    now = 1_000;
    const good = await autoscaling.describe();
    expect(good).toMatchObject({ source: 'kubernetes', error: null, readAt: new Date(1_000).toISOString() });
    fail = new Error('connect ECONNREFUSED 10.96.0.1:443');
    now = 2_000;
    expect(await autoscaling.describe()).toMatchObject({
      source: 'kubernetes',
      error: 'connect ECONNREFUSED 10.96.0.1:443',
      readAt: new Date(1_000).toISOString(),
      scaledObjects: good.scaledObjects,
    });
  });

  it('gives up on an API server that does not answer', async () => {
    const source = fakeSource(() => new Promise<never>(() => undefined));
    const autoscaling = new KubernetesAutoscaling(source, logger, { timeoutMs: 50 });
    expect(await autoscaling.describe()).toMatchObject({
      source: 'policy',
      error: 'the Kubernetes API did not answer within 50 ms',
    });
  });

  it("does not count loading the client against a reading's time", async () => {
    const source = {
      ...fakeSource(() => Promise.resolve(namespaceObjects())),
      prepare: () => new Promise<void>((resolve) => setTimeout(resolve, 100)),
    };
    const autoscaling = new KubernetesAutoscaling(source, logger, { timeoutMs: 50 });
    expect(await autoscaling.describe()).toMatchObject({ source: 'kubernetes', error: null });
  });

  it('words errors without a Kubernetes Status as they are', () => {
    expect(kubernetesErrorMessage(new Error('boom'))).toBe('boom');
    expect(kubernetesErrorMessage({ code: 500, body: 'not json' })).toBe('the Kubernetes API answered HTTP 500');
    expect(
      kubernetesErrorMessage({ code: 404, body: { message: 'the server could not find the requested resource' } }),
    ).toBe('the server could not find the requested resource (HTTP 404)');
  });
});

describe('whether the ops view reads Kubernetes', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-serviceaccount-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads in-cluster only with the API server in the environment and a token mounted; a kubeconfig wins; off is off', () => {
    const access = (env: Record<string, string>) => kubernetesAccessOf(loadConfig(env), dir);
    expect(access({})).toEqual({ kind: 'none', reason: 'not running in Kubernetes' });
    expect(access({ KUBERNETES_SERVICE_HOST: '10.96.0.1' })).toEqual({
      kind: 'none',
      reason: expect.stringContaining('without a service account token'),
    });
    fs.writeFileSync(path.join(dir, 'token'), 'token');
    expect(access({ KUBERNETES_SERVICE_HOST: '10.96.0.1' })).toEqual({ kind: 'in-cluster', namespace: 'flightdeck' });
    fs.writeFileSync(path.join(dir, 'namespace'), 'jobs\n');
    expect(access({ KUBERNETES_SERVICE_HOST: '10.96.0.1' })).toEqual({ kind: 'in-cluster', namespace: 'jobs' });
    expect(access({ KUBERNETES_SERVICE_HOST: '10.96.0.1', OPS_KUBERNETES_NAMESPACE: 'other' })).toEqual({
      kind: 'in-cluster',
      namespace: 'other',
    });
    expect(access({ KUBERNETES_SERVICE_HOST: '10.96.0.1', OPS_KUBERNETES: 'off' })).toEqual({
      kind: 'none',
      reason: 'OPS_KUBERNETES is off',
    });
    expect(access({ OPS_KUBECONFIG: '/lab/kubeconfig' })).toEqual({
      kind: 'kubeconfig',
      path: '/lab/kubeconfig',
      namespace: undefined,
    });
    expect(() => loadConfig({ OPS_KUBERNETES: 'maybe' })).toThrow(/OPS_KUBERNETES/);
  });
});

describe('the ops overview', () => {
  const queues = {
    describe: () =>
      Promise.resolve([
        {
          name: 'demo',
          paused: false,
          counts: {},
          scaling: { desiredReplicas: 7, minReplicas: 0, maxReplicas: 10, jobsPerReplica: 50 },
        },
      ]),
  } as unknown as QueueOverviewService;
  const registry = {
    live: () =>
      Promise.resolve([
        {
          id: 'w:1',
          roles: ['worker'],
          hostname: 'w',
          pid: 1,
          connections: null,
          workerConcurrency: 50,
          at: new Date().toISOString(),
        },
      ]),
  } as unknown as ProcessRegistry;

  it('takes worker replicas from the autoscaler inside Kubernetes', async () => {
    const autoscaling = new KubernetesAutoscaling(
      fakeSource(() => Promise.resolve(namespaceObjects())),
      logger,
    );
    const overview = await new OpsOverviewService(queues, registry, autoscaling).describe();
    expect(overview.workers).toMatchObject({
      desired: 4,
      running: 2,
      processes: [expect.objectContaining({ id: 'w:1' })],
    });
    expect(overview.autoscaling.source).toBe('kubernetes');
  });

  it("keeps the policy's numbers while Kubernetes cannot be read", async () => {
    const autoscaling = new KubernetesAutoscaling(
      fakeSource(() => Promise.reject(new Error('down'))),
      logger,
    );
    const overview = await new OpsOverviewService(queues, registry, autoscaling).describe();
    expect(overview.workers).toMatchObject({ desired: 7, running: 1 });
    expect(overview.autoscaling).toMatchObject({ source: 'policy', error: 'down' });
  });
});

describe('GET /v1/ops outside Kubernetes', () => {
  it("answers the scaling policy's numbers and says so", async () => {
    const app = await startTestFlightdeck();
    try {
      const answer = await app.http.get('/v1/ops');
      expect(answer.status).toBe(200);
      const desired = answer.body.queues.map(
        (queue: { scaling: { desiredReplicas: number } }) => queue.scaling.desiredReplicas,
      );
      expect(answer.body.workers).toMatchObject({ desired: Math.max(0, ...desired), running: 1 });
      expect(answer.body.autoscaling).toEqual({
        source: 'policy',
        reason: "Flightdeck's scaling policy: not running in Kubernetes.",
        namespace: null,
        readAt: null,
        error: null,
        scaledObjects: [],
      });
    } finally {
      await app.stop();
    }
  });
});
