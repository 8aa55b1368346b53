import { Queue } from 'bullmq';
import { redisKeys } from '@flightdeck/workers';
import type { BenchSettings } from './bench-settings';
import { CpuMeter, waitUntilQuiet, type CpuReport, type CpuSource } from './cpu-usage';
import { loadEndpoint, sendSequentially, submitBatches, type LoadResult } from './http-load';
import { progress, round } from './progress';
import { measureAddBulk, measureNoopWorker, measureQueueAdd, type MeasuredWindow, type RateResult } from './raw-bullmq';
import {
  readCommandStats,
  readRedisCpu,
  redisCpuPerUnit,
  redisWorkPerUnit,
  traceRedisCommands,
  type RedisCpu,
  type RedisCpuPerUnit,
  type RedisTrace,
  type RedisWorkPerUnit,
} from './redis-usage';
import { JOB_BODY, QUEUE_NAME, startTarget, type Target, type TargetEnvironment, type Variant } from './targets';

/** More than this much CPU used by processes outside the bench during a measurement makes the run suspect. */
const OTHER_CORES_TOLERATED = 0.25;

export interface Bench extends TargetEnvironment {
  settings: BenchSettings;
  /** The bench process itself and Redis: metered in every phase. */
  cpu: { bench: CpuSource; redis: CpuSource };
  /** Reasons to distrust the run; the report is `valid` only without any. */
  problems: string[];
}

/** Where the measured window's resources went. */
export interface Measured {
  cpu: CpuReport;
  /** Time inside Redis commands per unit (`INFO commandstats`). */
  redis: RedisWorkPerUnit;
  /** Redis's CPU per unit from its own counters (`INFO cpu`): commands plus everything around them. */
  redisCpu: RedisCpuPerUnit;
}

/** Jobs accepted versus jobs found in the queue afterwards: a server that answers 202 must have queued. */
export interface QueueCheck {
  /** Jobs the server accepted (2xx) in the phase, warm-up and tracing included. */
  accepted: number;
  /** Jobs waiting in the phase's queue afterwards. */
  queued: number;
}

/** With `--cpu-prof`: the measured window in ms after the server child was spawned (for cpu-profile-summary). */
export interface ProfileWindow {
  profileWindowMs?: { from: number; to: number };
}

export interface SubmitPhase extends LoadResult, Measured, ProfileWindow {
  round: number;
  prefix: string;
  check: QueueCheck;
  /** Flightdeck only: events the history projector had not yet written to MongoDB when the window closed. */
  historyBacklogEvents?: number;
}

export interface BatchPhase extends Measured, ProfileWindow {
  round: number;
  prefix: string;
  jobsPerSecond: number;
  seconds: number;
  batchMs?: { p50: number; max: number };
  check?: QueueCheck;
  historyBacklogEvents?: number;
}

/**
 * A CPU meter plus Redis command statistics and CPU counters over exactly the measured window;
 * `redisCpuSinceStart` reads Redis's CPU from the window's start to now (e.g. until history is current).
 */
export function meteredWindow(bench: Bench, name: string, sources: CpuSource[]) {
  const meter = new CpuMeter(sources);
  let statsBefore: Awaited<ReturnType<typeof readCommandStats>>;
  let redisCpuBefore: RedisCpu;
  const measured = {} as Measured;
  const window: MeasuredWindow = {
    async start() {
      statsBefore = await readCommandStats(bench.redis);
      redisCpuBefore = await readRedisCpu(bench.redis);
      meter.start();
    },
    async stop(units: number) {
      measured.cpu = meter.stop(units);
      measured.redisCpu = redisCpuPerUnit(redisCpuBefore, await readRedisCpu(bench.redis), Math.max(units, 1));
      measured.redis = redisWorkPerUnit(statsBefore, await readCommandStats(bench.redis), Math.max(units, 1));
      if ((measured.cpu.otherCores ?? 0) > OTHER_CORES_TOLERATED) {
        bench.problems.push(
          `${name}: other processes kept ${measured.cpu.otherCores} cores busy during the measurement`,
        );
      }
    },
  };
  const redisCpuSinceStart = async (units: number) =>
    redisCpuPerUnit(redisCpuBefore, await readRedisCpu(bench.redis), Math.max(units, 1));
  return { window, measured, redisCpuSinceStart };
}

/** Every process of the bench in a phase: itself, Redis, and the target's server(s) and FerretDB if any. */
export function ourCpu(bench: Bench, target?: Pick<Target, 'cpu'>): CpuSource[] {
  return [bench.cpu.bench, bench.cpu.redis, ...(target?.cpu ?? [])];
}

async function countQueued(bench: Bench, prefix: string): Promise<number> {
  const { hostname, port } = new URL(bench.redisUrl);
  const queue = new Queue(QUEUE_NAME, { connection: { host: hostname, port: Number(port) }, prefix });
  try {
    const counts = await queue.getJobCounts('wait', 'prioritized', 'delayed', 'active');
    // With fair share, jobs beyond the dispatch depth wait in their workspace's lane (counted in the
    // queue's backlog) rather than in BullMQ's wait list.
    const laned = await bench.redis.zcard(redisKeys(prefix).fairBacklog(QUEUE_NAME));
    return Object.values(counts).reduce((sum, count) => sum + count, laned);
  } finally {
    await queue.close();
  }
}

async function historyBacklog(bench: Bench, variant: Variant, prefix: string) {
  if (variant === 'bare') return {};
  return { historyBacklogEvents: await bench.redis.xlen(redisKeys(prefix).history) };
}

function profileWindow(bench: Bench, target: Target, from: number): ProfileWindow {
  if (!bench.cpuProfileDir) return {};
  const { spawnedAt } = target.server;
  return { profileWindowMs: { from: Math.round(from - spawnedAt), to: Math.round(performance.now() - spawnedAt) } };
}

function checkQueue(bench: Bench, phase: string, check: QueueCheck): void {
  if (check.queued < check.accepted)
    bench.problems.push(`${phase}: ${check.accepted} jobs accepted but only ${check.queued} queued`);
}

function checkLoad(bench: Bench, phase: string, load: LoadResult): void {
  if (load.non2xx > 0 || load.errors > 0)
    bench.problems.push(`${phase}: ${load.non2xx} non-2xx answers and ${load.errors} connection errors`);
}

/** 1 and 2: raw BullMQ from the bench process, each on its own prefix. */
export async function runRawPhases(bench: Bench) {
  const { settings } = bench;
  const sources = ourCpu(bench);
  const quiet = () => waitUntilQuiet([bench.cpu.redis], sources);
  const measure = async <T extends RateResult>(name: string, run: (window: MeasuredWindow) => Promise<T>) => {
    await quiet();
    const { window, measured } = meteredWindow(bench, name, sources);
    const result = await run(window);
    progress(`${name}: ${result.jobsPerSecond} jobs/s`);
    return { ...result, ...measured };
  };

  progress(`raw queue.add: ${settings.rawAdd.jobs} jobs, ${settings.rawAdd.concurrency} in flight`);
  const queueAdd = await measure('raw queue.add', (window) =>
    measureQueueAdd(
      bench.redisUrl,
      'bench-raw-add',
      { jobs: settings.rawAdd.jobs, concurrency: settings.rawAdd.concurrency, warmup: settings.rawAdd.warmupJobs },
      window,
    ),
  );
  const addBulk = await measure('raw addBulk', (window) =>
    measureAddBulk(bench.redisUrl, 'bench-raw-addbulk', settings.rawAddBulk, window),
  );
  const worker = await measure('raw no-op worker', (window) =>
    measureNoopWorker(bench.redisUrl, 'bench-raw-worker', { ...settings.rawWorker, timeoutMs: 60_000 }, window),
  );
  return { queueAdd, addBulk, worker };
}

/** 3 and 4: one server under autocannon load: warm-up, (round 1) a Redis trace, then the measured window. */
export async function runSubmitPhase(
  bench: Bench,
  variant: Variant,
  roundNo: number,
): Promise<{ phase: SubmitPhase; trace?: RedisTrace }> {
  const name = `submit-${variant}-r${roundNo}`;
  const { connections, warmupSeconds, durationSeconds } = bench.settings.submit;
  const target = await startTarget(bench, variant, name);
  try {
    const http = target.request('submit', JSON.stringify(JOB_BODY));
    const sources = ourCpu(bench, target);
    progress(`${name}: warm-up ${warmupSeconds}s at ${connections} connections`);
    const warmup = await loadEndpoint(http, connections, warmupSeconds);
    checkLoad(bench, `${name} warm-up`, warmup);

    let trace: RedisTrace | undefined;
    let traced = 0;
    if (roundNo === 1) {
      // Once the requests autocannon left in flight are done, so they do not count as the trace's.
      await waitUntilQuiet([target.cpu[0]!, bench.cpu.redis], sources, 5_000);
      traced = bench.settings.traceRequests;
      trace = await traceRedisCommands(bench.redisUrl, traced, () => sendSequentially(http, traced));
    }
    await waitUntilQuiet([bench.cpu.redis], sources);

    progress(`${name}: measuring ${durationSeconds}s`);
    const { window, measured } = meteredWindow(bench, name, sources);
    await window.start();
    const from = performance.now();
    const load = await loadEndpoint(http, connections, durationSeconds);
    const profiled = profileWindow(bench, target, from);
    await window.stop(load.requests);
    checkLoad(bench, name, load);

    const backlog = await historyBacklog(bench, variant, target.prefix);
    const check = {
      accepted: warmup.requests + traced + load.requests,
      queued: await countQueued(bench, target.prefix),
    };
    checkQueue(bench, name, check);
    progress(
      `${name}: ${load.requestsPerSecond} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, ` +
        `server ${measured.cpu.processes.server?.msPerUnit ?? '?'} ms CPU/request`,
    );
    return {
      phase: { round: roundNo, prefix: target.prefix, ...load, ...measured, check, ...backlog, ...profiled },
      ...(trace ? { trace } : {}),
    };
  } finally {
    await target.stop();
  }
}

/** 4 (batch), reference: raw `addBulk` from the bench process, batches one after another. */
export async function runRawBatchPhase(bench: Bench, roundNo: number): Promise<BatchPhase> {
  const name = `batch-raw-r${roundNo}`;
  const prefix = `bench-${name}`;
  const { jobsPerRequest, requests, warmupRequests } = bench.settings.batch;
  const sources = ourCpu(bench);
  await waitUntilQuiet([bench.cpu.redis], sources);
  progress(`${name}: addBulk ${requests} x ${jobsPerRequest}`);
  const { window, measured } = meteredWindow(bench, name, sources);
  const result = await measureAddBulk(
    bench.redisUrl,
    prefix,
    { batches: requests, batchSize: jobsPerRequest, warmupBatches: warmupRequests },
    window,
  );
  progress(`${name}: ${result.jobsPerSecond} jobs/s`);
  return { round: roundNo, prefix, jobsPerSecond: result.jobsPerSecond, seconds: result.seconds, ...measured };
}

/** 4 (batch): Flightdeck's `POST /v1/jobs/batch`, requests one after another. */
export async function runOursBatchPhase(bench: Bench, variant: Variant, roundNo: number): Promise<BatchPhase> {
  const name = `batch-${variant}-r${roundNo}`;
  const { jobsPerRequest, requests, warmupRequests } = bench.settings.batch;
  const target = await startTarget(bench, variant, name);
  try {
    const http = target.request(
      'batch',
      JSON.stringify({ jobs: Array.from({ length: jobsPerRequest }, () => JOB_BODY) }),
    );
    const sources = ourCpu(bench, target);
    await submitBatches(http, warmupRequests, jobsPerRequest);
    await waitUntilQuiet([bench.cpu.redis], sources);

    progress(`${name}: POST /v1/jobs/batch ${requests} x ${jobsPerRequest}`);
    const { window, measured } = meteredWindow(bench, name, sources);
    await window.start();
    const from = performance.now();
    const result = await submitBatches(http, requests, jobsPerRequest);
    const profiled = profileWindow(bench, target, from);
    await window.stop(requests * jobsPerRequest);

    const backlog = await historyBacklog(bench, variant, target.prefix);
    const check = {
      accepted: (warmupRequests + requests) * jobsPerRequest,
      queued: await countQueued(bench, target.prefix),
    };
    checkQueue(bench, name, check);
    progress(`${name}: ${result.jobsPerSecond} jobs/s (batch p50 ${result.batchMs.p50} ms)`);
    return {
      round: roundNo,
      prefix: target.prefix,
      jobsPerSecond: result.jobsPerSecond,
      seconds: result.seconds,
      batchMs: result.batchMs,
      ...measured,
      check,
      ...backlog,
      ...profiled,
    };
  } finally {
    await target.stop();
  }
}

export function summarizeSubmit(phases: SubmitPhase[]) {
  const mean = (pick: (phase: SubmitPhase) => number, decimals = 1) =>
    round(phases.reduce((sum, phase) => sum + pick(phase), 0) / phases.length, decimals);
  return {
    requestsPerSecond: mean((phase) => phase.requestsPerSecond),
    latencyMs: { p50: mean((phase) => phase.latencyMs.p50, 2), p99: mean((phase) => phase.latencyMs.p99, 2) },
    cpuMsPerRequest: {
      server: mean((phase) => phase.cpu.processes.server?.msPerUnit ?? NaN, 4),
      redis: mean((phase) => phase.cpu.processes.redis?.msPerUnit ?? NaN, 4),
      ferretdb: mean((phase) => phase.cpu.processes.ferretdb?.msPerUnit ?? 0, 4),
      total: mean((phase) => phase.cpu.totalMsPerUnit ?? NaN, 4),
    },
    redisUsecPerRequest: mean((phase) => phase.redis.usecPerUnit),
    rounds: phases,
  };
}

export function summarizeBatch(phases: BatchPhase[]) {
  const mean = (pick: (phase: BatchPhase) => number, decimals = 1) =>
    round(phases.reduce((sum, phase) => sum + pick(phase), 0) / phases.length, decimals);
  return {
    jobsPerSecond: mean((phase) => phase.jobsPerSecond),
    cpuMsPerJob: {
      server: mean((phase) => phase.cpu.processes.server?.msPerUnit ?? 0, 4),
      redis: mean((phase) => phase.cpu.processes.redis?.msPerUnit ?? NaN, 4),
      ferretdb: mean((phase) => phase.cpu.processes.ferretdb?.msPerUnit ?? 0, 4),
      total: mean((phase) => phase.cpu.totalMsPerUnit ?? NaN, 4),
    },
    rounds: phases,
  };
}
