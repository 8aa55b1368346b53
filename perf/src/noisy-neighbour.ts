/**
 * The noisy neighbour (issue 14): workspace A floods the `demo` queue with no-op jobs, then workspace
 * B submits single jobs at a steady rate while A's backlog drains. The worker runs from the start, as
 * in production: the drain includes submitting the flood, so both modes pay every job's BullMQ add
 * (FIFO in the submit request, fair share in the dispatcher). Timing from the end of the flood's
 * submission instead would charge fair share with adds that FIFO made before the window. Measured with fair share on and
 * with `FAIR_SHARE=off` (plain FIFO) in the same run, alternating (ABBA over rounds), each run on a
 * fresh prefix with an `api` child (which dispatches), a `worker` child and a FerretDB of its own:
 * - B's start latency (its job's `startedAt` − `createdAt`, both stamped by Flightdeck) p50/p99;
 * - A's drain rate (flood jobs ÷ seconds from its first submit until the queue — lanes, `wait`,
 *   `prioritized`, `active` — is first empty), and fair's rate over FIFO's: the cost of fair dispatch
 *   (goal ≥ 0.9, i.e. at most 10 % slower).
 * Exported for `perf/src/bench.ts` (a section); `node perf/dist/noisy-neighbour.js` runs it alone.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { redisKeys } from '@flightdeck/workers';
import { freePort, startFerretDb } from '@flightdeck/backend/dist/services/local-services';
import { parseSettings } from './bench-settings';
import { startBench } from './bench-start';
import { processCpu } from './cpu-usage';
import { meteredWindow, type Bench, type Measured } from './phases';
import { distribution, mean, progress, round, sleep } from './progress';
import { startServerProcess } from './server-process';
import { JOB_BODY, QUEUE_NAME } from './targets';
import { Teardown } from './teardown';

export type FairMode = 'fair' | 'fifo';

export interface NoisyNeighbourSettings {
  /** A's flood: jobs submitted at once, 500 per batch request. */
  floodJobs: number;
  /** B's jobs, one request each, `bEveryMs` apart, started right after A's flood is submitted. */
  bJobs: number;
  bEveryMs: number;
  workerConcurrency: number;
  /** Runs per mode, alternating fifo/fair (ABBA). */
  rounds: number;
}

export const NOISY_NEIGHBOUR_DEFAULTS: NoisyNeighbourSettings = {
  floodJobs: 20_000,
  bJobs: 100,
  bEveryMs: 100,
  workerConcurrency: 50,
  rounds: 1,
};

/** Fair dispatch may cost at most this much of FIFO's throughput (issue 14). */
export const NOISY_NEIGHBOUR_GOAL = 0.9;

export interface NoisyNeighbourRun extends Measured {
  mode: FairMode;
  round: number;
  floodSeconds: number;
  drainJobsPerSecond: number;
  bStartLatencyMs: ReturnType<typeof distribution>;
  bJobsStarted: number;
}

interface Workspace {
  headers: Record<string, string>;
}

async function postJson(base: string, route: string, headers: Record<string, string>, body: unknown) {
  const response = await fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Workspace B: a person signed up on the server (their own workspace), acting with their session. */
async function signUp(base: string): Promise<Workspace> {
  const answer = await postJson(
    base,
    '/v1/auth/signup',
    { origin: base },
    {
      email: `b.${randomBytes(4).toString('hex')}@example.test`,
      password: `correct horse ${randomBytes(6).toString('hex')}`,
      name: 'Bench B',
    },
  );
  if (answer.status !== 201) throw new Error(`signing B up answered ${answer.status}`);
  const cookie = answer.headers
    .getSetCookie()
    .find((line) => line.startsWith('fd_session='))!
    .split(';')[0]!;
  return { headers: { cookie, origin: base, 'x-workspace': answer.body.workspaces[0].slug } };
}

async function runOnce(bench: Bench, settings: NoisyNeighbourSettings, mode: FairMode, roundNo: number) {
  const phase = `noisy-${mode}-r${roundNo}`;
  const prefix = `bench-${phase}`;
  const dataDir = path.join(bench.dir, `${phase}-ferretdb`);
  const ferretPort = await freePort();
  const ferret = await startFerretDb({
    port: ferretPort,
    dataDir,
    binary: bench.ferretDbBinary,
    database: 'flightdeck',
  });
  const stopFerret = bench.teardown.add(`${phase} ferretdb`, async () => {
    await ferret.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const env = (roles: string, port: number, extra: Record<string, string> = {}) => ({
    NODE_ENV: 'production',
    REDIS_URL: bench.redisUrl,
    BOOTSTRAP_API_KEY: bench.apiKey,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_CALLER: '1000000000',
    RATE_LIMIT_PER_IP: '1000000000',
    SIGNUPS_PER_HOUR: '100000',
    DATA_DIR: path.join(bench.dir, `${phase}-${roles}-data`),
    REDIS_PREFIX: prefix,
    MONGODB_URI: ferret.url,
    FAIR_SHARE: mode === 'fair' ? 'on' : 'off',
    ROLES: roles,
    PORT: String(port),
    ...extra,
  });
  const apiPort = await freePort();
  const api = await startServerProcess({
    name: `${phase}-api`,
    script: require.resolve('@flightdeck/backend'),
    env: env('api', apiPort),
    port: apiPort,
    readyPath: '/readyz',
    teardown: bench.teardown,
  });
  const { hostname, port } = new URL(bench.redisUrl);
  const queue = new Queue(QUEUE_NAME, { connection: { host: hostname, port: Number(port) }, prefix });
  const keys = redisKeys(prefix);
  let stopWorker = async () => {};
  try {
    const base = api.baseUrl;
    const a = { headers: { authorization: `Bearer ${bench.apiKey}` } };
    const b = await signUp(base);
    const empty = async () =>
      (await bench.redis.zcard(keys.fairBacklog(QUEUE_NAME))) === 0 &&
      (await bench.redis.zcard(keys.fairDispatchingAt(QUEUE_NAME))) === 0 &&
      Object.values(await queue.getJobCounts('wait', 'prioritized', 'active')).every((count) => count === 0);
    const untilEmpty = async (timeoutMs: number) => {
      for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) if (await empty()) return;
      throw new Error(`${phase}: the queue did not drain within ${timeoutMs} ms`);
    };
    let workerPort = await freePort();
    while (workerPort === apiPort) workerPort = await freePort();
    const worker = await startServerProcess({
      name: `${phase}-worker`,
      script: require.resolve('@flightdeck/backend'),
      env: env('worker', workerPort, { WORKER_CONCURRENCY: String(settings.workerConcurrency) }),
      port: workerPort,
      readyPath: '/readyz',
      teardown: bench.teardown,
    });
    stopWorker = worker.stop;
    const { window, measured } = meteredWindow(bench, phase, [
      bench.cpu.bench,
      bench.cpu.redis,
      processCpu('api', api.pid),
      processCpu('worker', worker.pid),
    ]);
    await window.start();
    const startedAt = performance.now();
    for (let sent = 0; sent < settings.floodJobs; sent += 500) {
      const size = Math.min(500, settings.floodJobs - sent);
      const answer = await postJson(base, '/v1/jobs/batch', a.headers, {
        jobs: Array.from({ length: size }, () => JOB_BODY),
      });
      if (answer.status !== 202) throw new Error(`${phase}: A's batch answered ${answer.status}`);
    }
    const floodSeconds = (performance.now() - startedAt) / 1000;
    const drained = untilEmpty(300_000).then(() => performance.now());
    const bIds: string[] = [];
    for (let index = 0; index < settings.bJobs; index++) {
      const answer = await postJson(base, '/v1/jobs', b.headers, JOB_BODY);
      if (answer.status !== 202) throw new Error(`${phase}: B's submit answered ${answer.status}`);
      bIds.push(answer.body.id as string);
      await sleep(settings.bEveryMs);
    }
    const drainSeconds = ((await drained) - startedAt) / 1000;
    await window.stop(settings.floodJobs);
    await untilEmpty(60_000);
    const latencies: number[] = [];
    for (const id of bIds) {
      const response = await fetch(`${base}/v1/jobs/${id}`, { headers: b.headers });
      const job = (await response.json()) as { startedAt: string | null; createdAt: string };
      if (job.startedAt) latencies.push(Date.parse(job.startedAt) - Date.parse(job.createdAt));
    }
    if (latencies.length < bIds.length)
      bench.problems.push(`${phase}: ${bIds.length - latencies.length} of B's jobs never started`);
    const run: NoisyNeighbourRun = {
      mode,
      round: roundNo,
      floodSeconds: round(floodSeconds, 2),
      drainJobsPerSecond: round(settings.floodJobs / drainSeconds, 1),
      bStartLatencyMs: distribution(latencies, 0),
      bJobsStarted: latencies.length,
      ...measured,
    };
    progress(
      `${phase}: A drained ${run.drainJobsPerSecond} jobs/s, B started p50/p99 ${run.bStartLatencyMs.p50}/${run.bStartLatencyMs.p99} ms`,
    );
    return { run, latencies };
  } finally {
    await queue.close();
    await stopWorker();
    await api.stop();
    await stopFerret();
  }
}

/** The noisy-neighbour comparison: fair share against plain FIFO on the same machine, in one run. */
export async function runNoisyNeighbourPhases(bench: Bench, overrides: Partial<NoisyNeighbourSettings> = {}) {
  const settings = { ...NOISY_NEIGHBOUR_DEFAULTS, ...overrides };
  const runs: NoisyNeighbourRun[] = [];
  const latencies: Record<FairMode, number[]> = { fair: [], fifo: [] };
  for (let roundNo = 1; roundNo <= settings.rounds; roundNo++) {
    const modes: FairMode[] = roundNo % 2 === 1 ? ['fifo', 'fair'] : ['fair', 'fifo'];
    for (const mode of modes) {
      const { run, latencies: sample } = await runOnce(bench, settings, mode, roundNo);
      runs.push(run);
      latencies[mode].push(...sample);
    }
  }
  const summary = (mode: FairMode) => ({
    drainJobsPerSecond: round(mean(runs.filter((run) => run.mode === mode).map((run) => run.drainJobsPerSecond)), 1),
    bStartLatencyMs: distribution(latencies[mode], 0),
  });
  const fair = summary('fair');
  const fifo = summary('fifo');
  const throughputRatio = round(fair.drainJobsPerSecond / fifo.drainJobsPerSecond, 3);
  return {
    settings,
    throughputRatio,
    goal: NOISY_NEIGHBOUR_GOAL,
    met: throughputRatio >= NOISY_NEIGHBOUR_GOAL,
    fair,
    fifo,
    runs,
  };
}

/** The line the bench prints for this section at the end. */
export function noisyNeighbourSummary(section: Record<string, unknown>): string {
  const report = section as Awaited<ReturnType<typeof runNoisyNeighbourPhases>>;
  return (
    `noisy neighbour: B's start p50/p99 ${report.fair.bStartLatencyMs.p50}/${report.fair.bStartLatencyMs.p99} ms fair, ` +
    `${report.fifo.bStartLatencyMs.p50}/${report.fifo.bStartLatencyMs.p99} ms FIFO; fair dispatch throughput ratio ` +
    `${report.throughputRatio} (goal ${report.goal})`
  );
}

/** Alone: a throw-away Redis, this one comparison, the JSON on stdout. */
async function main(): Promise<void> {
  const teardown = new Teardown();
  process.once('SIGINT', () => void teardown.run().finally(() => process.exit(130)));
  try {
    const bench = await startBench(parseSettings([]), teardown);
    const rounds = Number(process.argv[2] ?? 1);
    const report = await runNoisyNeighbourPhases(bench, { rounds });
    process.stdout.write(`${JSON.stringify({ noisyNeighbour: report, problems: bench.problems }, null, 2)}\n`);
    progress(noisyNeighbourSummary(report));
  } finally {
    await teardown.run();
  }
}

if (require.main === module) void main();
