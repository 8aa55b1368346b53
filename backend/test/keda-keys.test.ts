import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { parseAllDocuments } from 'yaml';
import { SCALING_POLICIES, desiredReplicas, type QueueDepth } from '@flightdeck/workers';
import { QueueOverviewService } from '../src/jobs/queue-overview';
import type { QueueRegistry } from '../src/jobs/queue-registry';
import { metricsRegistry, reportQueuePauses } from '../src/metrics';
import { testNamespace, waitFor } from './support/test-services';

// The KEDA triggers of the rendered prod overlay, read against what BullMQ 6 really writes: real
// queues under a fresh prefix, jobs waiting, prioritized, delayed and held active by a real worker,
// then paused. Each redis trigger's key must exist with the type KEDA's redis scaler measures, the
// ScaledObject's formula over those values (and the pause gauge its prometheus trigger reads) must
// give the backlog and replicas that desiredReplicas() (GET /v1/queues) gives, and a paused queue
// must not ask for workers for the jobs it keeps in `wait`.

const ROOT = path.resolve(__dirname, '..', '..');
const STATES = ['wait', 'prioritized', 'active'] as const;
/** The Redis type each trigger's key has in BullMQ 6. */
const KEY_TYPES: Record<(typeof STATES)[number], string> = { wait: 'list', prioritized: 'zset', active: 'list' };

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
} & Record<
  string,
  any // eslint-disable-line @typescript-eslint/no-explicit-any
>;
interface Trigger {
  type: string;
  name: string;
  metadata: Record<string, string>;
}

function hasKubectl(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v kubectl'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const HAS_KUBECTL = hasKubectl();
if (process.env.CI && !HAS_KUBECTL)
  throw new Error('kubectl must be installed in CI (scripts/install-deploy-tools.sh)');
if (!HAS_KUBECTL) console.warn('keda-keys: kubectl not installed, SKIPPED (bash scripts/install-deploy-tools.sh)');

function renderProd(): Manifest[] {
  const out = execFileSync('kubectl', ['kustomize', path.join(ROOT, 'deploy', 'k8s', 'overlays', 'prod')], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  return parseAllDocuments(out).map((doc) => doc.toJS() as Manifest);
}

/** What KEDA's redis scaler reports for a key: it asks TYPE, then the matching length command. */
async function kedaRedisValue(redis: Redis, key: string): Promise<number> {
  const type = await redis.type(key);
  if (type === 'zset') return redis.zcard(key);
  if (type === 'set') return redis.scard(key);
  if (type === 'hash') return redis.hlen(key);
  if (type === 'list' || type === 'none') return redis.llen(key);
  throw new Error(`KEDA's redis scaler fails on a ${type} (${key})`);
}

/** The value of `max(flightdeck_queue_paused{queue="x"}) or vector(0)` on this process's gauge. */
async function pausedGaugeQuery(query: string): Promise<number> {
  const match = /^max\(flightdeck_queue_paused\{queue="([a-z-]+)"\}\) or vector\(0\)$/.exec(query);
  if (!match) throw new Error(`unexpected pause query: ${query}`);
  const { values } = await metricsRegistry.getSingleMetric('flightdeck_queue_paused')!.get();
  const series = values.filter((v) => v.labels.queue === match[1]);
  return series.length === 0 ? 0 : Math.max(...series.map((v) => v.value));
}

(HAS_KUBECTL ? describe : describe.skip)('KEDA triggers against live BullMQ queues', () => {
  const namespace = testNamespace();
  const redis = new Redis(namespace.redisUrl);
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];
  const workerConnections: Redis[] = [];
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let scaledObjects: { name: string; queues: string[]; triggers: Trigger[]; modifiers: Record<string, string> }[];
  let manifestPrefix: string;

  beforeAll(async () => {
    const objects = renderProd();
    manifestPrefix = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'flightdeck-config')!.data
      .REDIS_PREFIX;
    scaledObjects = objects
      .filter((o) => o.kind === 'ScaledObject' && o.metadata.annotations?.['flightdeck.dev/queues'])
      .map((o) => ({
        name: o.metadata.name,
        queues: o.metadata.annotations!['flightdeck.dev/queues'].split(','),
        triggers: o.spec.triggers,
        modifiers: o.spec.advanced.scalingModifiers,
      }));
    const names = scaledObjects.flatMap((so) => so.queues);
    expect(names.sort()).toEqual(Object.keys(SCALING_POLICIES).sort());

    // Each queue: one active job (held by a worker of concurrency 1), one delayed, and numbers of
    // waiting and prioritized jobs that differ between queues, so reading another queue's keys shows.
    for (const [n, name] of names.entries()) {
      const queue = new Queue(name, { connection: redis, prefix: namespace.prefix });
      queue.on('error', () => {});
      queues.set(name, queue);
      await queue.add('held', {});
      const connection = new Redis(namespace.redisUrl, { maxRetriesPerRequest: null });
      workerConnections.push(connection);
      const worker = new Worker(name, async (_job: Job) => released, {
        connection,
        prefix: namespace.prefix,
        concurrency: 1,
      });
      worker.on('error', () => {});
      workers.push(worker);
      await waitFor(`a ${name} job to be active`, async () => (await queue.getActiveCount()) === 1);
      for (let i = 0; i < 3 + 2 * n; i++) await queue.add('waiting', { i });
      for (let i = 0; i < 1 + n; i++) await queue.add('urgent', { i }, { priority: 1 + i });
      await queue.add('later', {}, { delay: 600_000 });
    }
    reportQueuePauses(queues);
  });

  afterAll(async () => {
    reportQueuePauses(new Map());
    release();
    await Promise.all(workers.map(async (worker) => worker.close()));
    await Promise.all([...queues.values()].map((queue) => queue.obliterate({ force: true }).catch(() => {})));
    await Promise.all([...queues.values()].map((queue) => queue.close()));
    await Promise.all(workerConnections.map((connection) => connection.quit()));
    await redis.quit();
  });

  /** A trigger's key under this test's prefix (the manifests use the deployment's REDIS_PREFIX). */
  const liveKey = (listName: string) => {
    expect(listName.startsWith(`${manifestPrefix}:`)).toBe(true);
    return `${namespace.prefix}${listName.slice(manifestPrefix.length)}`;
  };

  /** Every trigger's value as KEDA would read it, the formula over them, and the replicas KEDA sets. */
  async function kedaView(so: (typeof scaledObjects)[number]) {
    const values: Record<string, number> = {};
    for (const trigger of so.triggers) {
      if (trigger.type === 'redis')
        values[trigger.name] = await kedaRedisValue(redis, liveKey(trigger.metadata.listName));
      else if (trigger.type === 'prometheus') values[trigger.name] = await pausedGaugeQuery(trigger.metadata.query);
      else throw new Error(`unexpected trigger type ${trigger.type}`);
    }
    const names = Object.keys(values);
    // The expr-lang formula only uses max(), +, ?:, ||, ?? and == nil here, which read the same in
    // JavaScript with nil as null (KEDA's nil: a trigger failed past the fallback threshold).
    const metric = new Function('max', 'nil', ...names, `return ${so.modifiers.formula};`)(
      Math.max,
      null,
      ...names.map((name) => values[name]),
    ) as number;
    const { minReplicas, maxReplicas } = SCALING_POLICIES[so.queues[0] as keyof typeof SCALING_POLICIES];
    const replicas =
      metric <= Number(so.modifiers.activationTarget)
        ? minReplicas
        : Math.min(maxReplicas, Math.max(minReplicas, 1, Math.ceil(metric / Number(so.modifiers.target))));
    return { values, metric, replicas };
  }

  /** What GET /v1/queues computes, per queue: the depth from BullMQ and desiredReplicas(). */
  async function overview(name: string) {
    const [described] = await new QueueOverviewService(
      new Map([[name, queues.get(name)!]]) as QueueRegistry,
    ).describe();
    const counts = await queues.get(name)!.getJobCounts('wait', 'prioritized', 'active');
    const depth: QueueDepth = {
      wait: counts.wait,
      prioritized: counts.prioritized,
      active: counts.active,
      paused: described.paused,
    };
    return {
      depth,
      backlog: depth.paused ? depth.active : depth.wait + depth.prioritized + depth.active,
      replicas: described.scaling.desiredReplicas,
    };
  }

  it('finds every trigger key, with the Redis type KEDA measures, holding what BullMQ counts', async () => {
    for (const so of scaledObjects) {
      for (const queue of so.queues) {
        const counts = await queues.get(queue)!.getJobCounts('wait', 'prioritized', 'active', 'delayed');
        expect(counts.delayed).toBe(1);
        for (const state of STATES) {
          const trigger = so.triggers.find((t) => t.name === `${queue}_${state}`)!;
          expect(trigger).toMatchObject({ type: 'redis' });
          const key = liveKey(trigger.metadata.listName);
          expect({ key, type: await redis.type(key) }).toEqual({ key, type: KEY_TYPES[state] });
          expect({ key, value: await kedaRedisValue(redis, key) }).toEqual({ key, value: counts[state] });
        }
      }
    }
  });

  it('gives the backlog and replicas of desiredReplicas() while the queues run', async () => {
    for (const so of scaledObjects) {
      const view = await kedaView(so);
      const perQueue = await Promise.all(so.queues.map(overview));
      for (const [i, queue] of so.queues.entries()) {
        expect(perQueue[i].depth.paused).toBe(false);
        expect(view.values[`${queue}_paused`]).toBe(0);
        expect(perQueue[i].depth.active).toBe(1);
      }
      expect({ so: so.name, metric: view.metric }).toEqual({
        so: so.name,
        metric: Math.max(...perQueue.map((q) => q.backlog)),
      });
      expect({ so: so.name, replicas: view.replicas }).toEqual({
        so: so.name,
        replicas: Math.max(...perQueue.map((q) => q.replicas)),
      });
      // Enough work that the queues really ask for workers (min 1 for webhooks, else at least 1).
      expect(view.replicas).toBeGreaterThanOrEqual(1);
    }
  });

  it('asks for workers only for the active jobs of a paused queue, whose jobs BullMQ 6 keeps in `wait`', async () => {
    for (const queue of queues.values()) await queue.pause();
    try {
      for (const queue of queues.values()) for (let i = 0; i < 120; i++) await queue.add('while-paused', { i });
      for (const so of scaledObjects) {
        const view = await kedaView(so);
        for (const name of so.queues) {
          const prefixed = `${namespace.prefix}:${name}`;
          // The pause is a field of the meta hash; the jobs are still in `wait` (no `paused` list),
          // so the wait trigger alone would count them: the formula needs the pause gauge.
          expect(await redis.hget(`${prefixed}:meta`, 'paused')).toBe('1');
          expect(await redis.exists(`${prefixed}:paused`)).toBe(0);
          expect(view.values[`${name}_wait`]).toBeGreaterThanOrEqual(120);
          expect(view.values[`${name}_paused`]).toBe(1);
          const { depth, replicas } = await overview(name);
          expect(depth.paused).toBe(true);
          expect(desiredReplicas(SCALING_POLICIES[name as keyof typeof SCALING_POLICIES], depth)).toBe(replicas);
        }
        const perQueue = await Promise.all(so.queues.map(overview));
        // Only the held active job counts.
        expect({ so: so.name, metric: view.metric }).toEqual({ so: so.name, metric: 1 });
        expect({ so: so.name, replicas: view.replicas }).toEqual({
          so: so.name,
          replicas: Math.max(...perQueue.map((q) => q.replicas)),
        });
      }
    } finally {
      for (const queue of queues.values()) await queue.resume();
    }
    // Resumed: the waiting jobs count again.
    for (const so of scaledObjects) {
      const view = await kedaView(so);
      expect(view.values[`${so.queues[0]}_paused`]).toBe(0);
      expect(view.metric).toBeGreaterThan(120);
    }
  });
});
