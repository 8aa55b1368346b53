import { redisKeys } from '@flightdeck/workers';
import { waitUntilQuiet, type CpuSource } from './cpu-usage';
import { postJobs } from './http-load';
import { measureHistoryLag } from './history-lag';
import { meteredWindow, type Bench, type Measured } from './phases';
import { distribution, progress, round, sleep } from './progress';
import type { RateResult } from './raw-bullmq';
import type { RedisCpuPerUnit } from './redis-usage';
import type { CompletionCheck, RealtimeListener } from './realtime-listener';
import { JOB_BODY, type EndToEndTarget } from './targets';

/**
 * The end-to-end bench's two measured phases — latency (single submits at a steady rate) and
 * throughput (batches as fast as the API takes them) — run the same way against ours and the
 * same-shape baseline, and what each round of every contender yields. The rounds are run by
 * end-to-end.ts and summarized by end-to-end-summary.ts.
 */

export type Distribution = ReturnType<typeof distribution>;

/** With `--cpu-prof`: the measured window in ms after each child was spawned (for cpu-profile-summary). */
export type ProfileWindows = Record<'api' | 'worker', { from: number; to: number }>;

/** Flightdeck as configured, or (diagnostic, `--diagnose`) with its history projector held off. */
export type EndToEndVariant = 'ours' | 'oursWithoutHistory';

/**
 * The history projector (MongoDB, here FerretDB) over a window: it runs beside the realtime path and
 * shares the machine with it. `backlog*` are the events not yet written (history stream length).
 */
export interface HistoryProgress {
  backlogAtStart: number;
  backlogAtEnd: number;
  /** Events the projector wrote per second during the window, against `appendedPerSecond` produced. */
  projectedPerSecond: number;
  appendedPerSecond: number;
}

/** After a phase's last `job.completed`, how long to keep listening for duplicates before checking. */
const SETTLE_MS = 500;

/** Saturated: N jobs submitted in batches as fast as the API takes them, from first submit to last `job.completed`. */
export interface ThroughputPhase extends Measured {
  jobs: number;
  batchSize: number;
  seconds: number;
  jobsPerSecond: number;
  /** From the first batch sent to the last one answered: the API's share of the window. */
  submit: { seconds: number; jobsPerSecond: number };
  /** `job.finishedAt` (worker) to the socket, under saturation: includes queueing behind other jobs' events. */
  deliveryLatencyMs: Distribution;
  /** Events the socket received per job (queued, active, progress, log, completed…). */
  eventsPerJob: number;
  history: HistoryProgress;
  /**
   * P3: ms from the last `job.completed` to history current (every event written to MongoDB); null
   * where there is no history (the same-shape baseline, `oursWithoutHistory`). With
   * `historyCurrent` false, history was still behind when the bench stopped waiting.
   */
  historyLagMs: number | null;
  historyCurrent: boolean | null;
  /** The history stream's length when the bench stopped waiting (still large: the projector stalled). */
  historyBacklogAfterLag: number | null;
  /**
   * Redis's CPU per job (`INFO cpu`) from the first submit until history was current: `redisCpu` (P7)
   * stops at the last `job.completed`; this adds the projector catching up, and Redis's idle load meanwhile.
   */
  redisCpuUntilHistoryCurrent: RedisCpuPerUnit | null;
  check: CompletionCheck;
  profileWindowMs?: ProfileWindows;
}

/** Unsaturated: single submits at a steady rate, so the delivery latency is the path's, not a queue's. */
export interface LatencyPhase extends Measured {
  jobs: number;
  perSecond: number;
  /** The rate the bench actually kept while sending. */
  achievedPerSecond: number;
  seconds: number;
  /** `job.finishedAt` (worker) to the socket. */
  deliveryLatencyMs: Distribution;
  /** Submit request sent to `job.completed` received: the whole trip of a job. */
  submitToSocketMs: Distribution;
  completedEventBytes: number | null;
  history: HistoryProgress;
  check: CompletionCheck;
  profileWindowMs?: ProfileWindows;
}

/** A bare Socket.IO server emitting timestamped messages to a room at the latency phase's rate. */
export interface RawSocketIoPhase extends Measured {
  round: number;
  messages: number;
  perSecond: number;
  messageBytes: number | null;
  /** Server emit to client receive. */
  latencyMs: Distribution;
  check: { sent: number; received: number; duplicates: number; missing: number; disconnected: string | null };
}

export interface EndToEndRound {
  round: number;
  variant: EndToEndVariant;
  prefix: string;
  latency: LatencyPhase;
  throughput: ThroughputPhase;
}

export type RawWorkerRound = RateResult & Measured & { round: number; concurrency: number };

/** The same-shape baseline (bare endpoint + `addBulk`, plain worker, Socket.IO relay of BullMQ's events), one round. */
export interface RawPipelineRound {
  round: number;
  prefix: string;
  throughput: ThroughputPhase;
}

/** Between phases: Redis, both children and FerretDB nearly idle (the history projector done), others too. */
export async function quiet(bench: Bench, name: string, target: EndToEndTarget, sources: CpuSource[]) {
  if (await waitUntilQuiet([bench.cpu.redis, ...target.cpu], sources)) return;
  const backlog = await historyBacklog(bench, target);
  progress(`${name}: not quiet in time (history backlog ${backlog} events); measuring anyway`);
}

const historyBacklog = (bench: Bench, target: EndToEndTarget) => bench.redis.xlen(redisKeys(target.prefix).history);

/** What the projector did in a window of `seconds` in which `appended` events were produced. */
function historyProgress(backlogAtStart: number, backlogAtEnd: number, appended: number, seconds: number) {
  return {
    backlogAtStart,
    backlogAtEnd,
    projectedPerSecond: round(Math.max(0, backlogAtStart + appended - backlogAtEnd) / seconds, 1),
    appendedPerSecond: round(appended / seconds, 1),
  };
}

function checkCompletions(bench: Bench, phase: string, check: CompletionCheck): void {
  const wrong = Object.entries(check).filter(
    ([key, value]) => !['submitted', 'completed'].includes(key) && value !== 0 && value !== null,
  );
  if (wrong.length > 0) {
    bench.problems.push(
      `${phase}: job.completed not received exactly once per job (${check.completed} of ${check.submitted} jobs): ` +
        wrong.map(([key, value]) => `${key} ${value}`).join(', '),
    );
  }
}

/** Submits `jobs` jobs with `POST /v1/jobs/batch`, `batchSize` per request, one request at a time. */
export async function submitInBatches(target: EndToEndTarget, jobs: number, batchSize: number): Promise<string[]> {
  const bodies = new Map<number, ReturnType<EndToEndTarget['request']>>();
  const ids: string[] = [];
  while (ids.length < jobs) {
    const size = Math.min(batchSize, jobs - ids.length);
    if (!bodies.has(size))
      bodies.set(size, target.request('batch', JSON.stringify({ jobs: Array.from({ length: size }, () => JOB_BODY) })));
    ids.push(...(await postJobs(bodies.get(size)!)));
  }
  return ids;
}

export async function runLatencyPhase(
  bench: Bench,
  name: string,
  target: EndToEndTarget,
  listener: RealtimeListener,
  sources: CpuSource[],
): Promise<LatencyPhase> {
  const { jobs, perSecond } = bench.settings.endToEnd.latency;
  const single = target.request('submit', JSON.stringify(JOB_BODY));
  const intervalMs = 1000 / perSecond;
  const sentAt = new Map<string, number>();
  const ids: string[] = [];
  const before = { ...listener.counters };
  const backlogAtStart = await historyBacklog(bench, target);
  progress(`${name}: latency, ${jobs} single submits at ${perSecond}/s`);
  const { window, measured } = meteredWindow(bench, `${name} latency`, sources);
  await window.start();
  const startedAt = performance.now();
  const posts: Promise<void>[] = [];
  let lastSentAt = startedAt;
  for (let index = 0; index < jobs; index++) {
    const wait = startedAt + index * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    const sent = Date.now();
    lastSentAt = performance.now();
    posts.push(
      postJobs(single, 10_000).then(([id]) => {
        ids.push(id!);
        sentAt.set(id!, sent);
      }),
    );
  }
  await Promise.all(posts);
  await listener.waitForCompletions(ids, bench.settings.endToEnd.completionTimeoutMs);
  const seconds = (performance.now() - startedAt) / 1000;
  const profiled = profileWindow(bench, target, startedAt);
  await window.stop(ids.length);
  const appended = listener.counters.events - before.events;
  const history = historyProgress(backlogAtStart, await historyBacklog(bench, target), appended, seconds);
  await sleep(SETTLE_MS);
  const check = listener.check(ids, before);
  checkCompletions(bench, `${name} latency`, check);
  const result: LatencyPhase = {
    jobs,
    perSecond,
    achievedPerSecond: round((jobs - 1) / ((lastSentAt - startedAt) / 1000), 1),
    seconds: round(seconds, 3),
    deliveryLatencyMs: distribution(listener.deliveryLatencies(ids)),
    submitToSocketMs: distribution(listener.sinceSubmit(sentAt)),
    completedEventBytes: listener.completedEventBytes,
    history,
    check,
    ...measured,
    ...profiled,
  };
  progress(
    `${name}: latency finishedAt→socket p50 ${result.deliveryLatencyMs.p50} ms, p99 ${result.deliveryLatencyMs.p99} ms ` +
      `(submit→socket p50 ${result.submitToSocketMs.p50} ms)`,
  );
  return result;
}

/** `withHistory`: the target projects history, so the phase waits for it to be current (P3's lag). */
export async function runThroughputPhase(
  bench: Bench,
  name: string,
  target: EndToEndTarget,
  listener: RealtimeListener,
  sources: CpuSource[],
  withHistory: boolean,
): Promise<ThroughputPhase> {
  const { jobs, batchSize, completionTimeoutMs, historyLagTimeoutMs } = bench.settings.endToEnd;
  const before = { ...listener.counters };
  const backlogAtStart = await historyBacklog(bench, target);
  progress(`${name}: throughput, ${jobs} jobs in batches of ${batchSize}`);
  const { window, measured, redisCpuSinceStart } = meteredWindow(bench, `${name} throughput`, sources);
  await window.start();
  const from = performance.now();
  const startedAt = Date.now();
  const ids = await submitInBatches(target, jobs, batchSize);
  const submitSeconds = (Date.now() - startedAt) / 1000;
  const all = await listener.waitForCompletions(ids, completionTimeoutMs);
  const appended = listener.counters.events - before.events;
  const profiled = profileWindow(bench, target, from);
  await window.stop(ids.length);
  const seconds = ((all ? listener.lastReceivedAt(ids) : Date.now()) - startedAt) / 1000;
  const history = historyProgress(backlogAtStart, await historyBacklog(bench, target), appended, seconds);
  const lag = withHistory
    ? await measureHistoryLag(
        bench.redis,
        target.prefix,
        listener.lastReceivedAt(ids) || Date.now(),
        historyLagTimeoutMs,
      )
    : null;
  const redisCpuUntilHistoryCurrent = lag ? await redisCpuSinceStart(ids.length) : null;
  await sleep(SETTLE_MS);
  const check = listener.check(ids, before);
  checkCompletions(bench, `${name} throughput`, check);
  const result: ThroughputPhase = {
    jobs: ids.length,
    batchSize,
    seconds: round(seconds, 3),
    jobsPerSecond: round(ids.length / seconds, 1),
    submit: { seconds: round(submitSeconds, 3), jobsPerSecond: round(ids.length / submitSeconds, 1) },
    deliveryLatencyMs: distribution(listener.deliveryLatencies(ids)),
    eventsPerJob: round(appended / ids.length, 2),
    history,
    historyLagMs: lag?.lagMs ?? null,
    historyCurrent: lag?.current ?? null,
    historyBacklogAfterLag: lag ? await historyBacklog(bench, target) : null,
    redisCpuUntilHistoryCurrent,
    check,
    ...measured,
    ...profiled,
  };
  const perJob = (process: string) => measured.cpu.processes[process]?.msPerUnit ?? '?';
  progress(
    `${name}: ${result.jobsPerSecond} jobs/s end to end (submit alone ${result.submit.jobsPerSecond}/s); ` +
      `CPU ms/job apiGateway ${perJob('apiGateway')}, worker ${perJob('worker')}, redis ${perJob('redis')}, ` +
      `ferretdb ${perJob('ferretdb')}, bench ${perJob('bench')}; Redis main thread ` +
      `${measured.redisCpu.mainThreadUsecPerUnit} µs/job` +
      (lag
        ? ` (${redisCpuUntilHistoryCurrent?.mainThreadUsecPerUnit} until history current); history ` +
          `${lag.current ? '' : 'still not '}current ${lag.lagMs} ms after the last job.completed`
        : ''),
  );
  return result;
}

function profileWindow(bench: Bench, target: EndToEndTarget, from: number): { profileWindowMs?: ProfileWindows } {
  if (!bench.cpuProfileDir) return {};
  const now = performance.now();
  const windowOf = (spawnedAt: number) => ({ from: Math.round(from - spawnedAt), to: Math.round(now - spawnedAt) });
  return { profileWindowMs: { api: windowOf(target.api.spawnedAt), worker: windowOf(target.worker.spawnedAt) } };
}
