import { redisKeys } from '@flightdeck/workers';
import { GOALS } from './bench-settings';
import { waitUntilQuiet, type CpuSource } from './cpu-usage';
import { postJobs } from './http-load';
import { meteredWindow, ourCpu, type Bench, type Measured } from './phases';
import { distribution, progress, round, sleep } from './progress';
import { measureNoopWorker, type RateResult } from './raw-bullmq';
import { RealtimeListener, receiveBroadcast, type CompletionCheck } from './realtime-listener';
import {
  JOB_BODY,
  startEndToEndTarget,
  startRawPipelineTarget,
  startRawSocketIoTarget,
  type EndToEndTarget,
} from './targets';

type Distribution = ReturnType<typeof distribution>;

/** With `--cpu-prof`: the measured window in ms after each child was spawned (for cpu-profile-summary). */
type ProfileWindows = Record<'api' | 'worker', { from: number; to: number }>;

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
/** The raw Socket.IO baseline's message size until a `job.completed` of ours has been seen. */
const DEFAULT_EVENT_BYTES = 700;

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
async function quiet(bench: Bench, name: string, target: EndToEndTarget, sources: CpuSource[]) {
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
async function submitInBatches(target: EndToEndTarget, jobs: number, batchSize: number): Promise<string[]> {
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

async function runLatencyPhase(
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

async function runThroughputPhase(
  bench: Bench,
  name: string,
  target: EndToEndTarget,
  listener: RealtimeListener,
  sources: CpuSource[],
): Promise<ThroughputPhase> {
  const { jobs, batchSize, completionTimeoutMs } = bench.settings.endToEnd;
  const before = { ...listener.counters };
  const backlogAtStart = await historyBacklog(bench, target);
  progress(`${name}: throughput, ${jobs} jobs in batches of ${batchSize}`);
  const { window, measured } = meteredWindow(bench, `${name} throughput`, sources);
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
    check,
    ...measured,
    ...profiled,
  };
  const perJob = (process: string) => measured.cpu.processes[process]?.msPerUnit ?? '?';
  progress(
    `${name}: ${result.jobsPerSecond} jobs/s end to end (submit alone ${result.submit.jobsPerSecond}/s); ` +
      `CPU ms/job apiGateway ${perJob('apiGateway')}, worker ${perJob('worker')}, redis ${perJob('redis')}, ` +
      `ferretdb ${perJob('ferretdb')}, bench ${perJob('bench')}`,
  );
  return result;
}

function profileWindow(bench: Bench, target: EndToEndTarget, from: number): { profileWindowMs?: ProfileWindows } {
  if (!bench.cpuProfileDir) return {};
  const now = performance.now();
  const windowOf = (spawnedAt: number) => ({ from: Math.round(from - spawnedAt), to: Math.round(now - spawnedAt) });
  return { profileWindowMs: { api: windowOf(target.api.spawnedAt), worker: windowOf(target.worker.spawnedAt) } };
}

/**
 * Ours, one round: an `api,gateway` child and a `worker` child (with their own FerretDB), a socket
 * subscribed to the workspace; a warm-up, then the latency phase, then the throughput phase.
 */
export async function runEndToEndRound(
  bench: Bench,
  variant: EndToEndVariant,
  roundNo: number,
): Promise<EndToEndRound> {
  const name = `e2e-${variant}-r${roundNo}`;
  const settings = bench.settings.endToEnd;
  const target = await startEndToEndTarget(bench, name, {
    workerConcurrency: settings.workerConcurrency,
    withoutHistory: variant === 'oursWithoutHistory',
  });
  let listener: RealtimeListener | undefined;
  try {
    listener = await RealtimeListener.connect(target.api.baseUrl, bench.apiKey);
    const sources = ourCpu(bench, target);
    progress(`${name}: warm-up ${settings.warmupJobs} jobs`);
    const warmup = await submitInBatches(target, settings.warmupJobs, settings.batchSize);
    if (!(await listener.waitForCompletions(warmup, settings.completionTimeoutMs)))
      bench.problems.push(`${name} warm-up: not every job.completed arrived`);
    await quiet(bench, name, target, sources);
    const latency = await runLatencyPhase(bench, name, target, listener, sources);
    await quiet(bench, name, target, sources);
    const throughput = await runThroughputPhase(bench, name, target, listener, sources);
    return { round: roundNo, variant, prefix: target.prefix, latency, throughput };
  } finally {
    listener?.close();
    await target.stop();
  }
}

/**
 * The same-shape baseline, one round: its two children, the bench's listener subscribed, a warm-up,
 * then the throughput phase exactly as ours runs it.
 */
export async function runRawPipelineRound(bench: Bench, roundNo: number): Promise<RawPipelineRound> {
  const name = `e2e-raw-pipeline-r${roundNo}`;
  const settings = bench.settings.endToEnd;
  const target = await startRawPipelineTarget(bench, name, { workerConcurrency: settings.workerConcurrency });
  let listener: RealtimeListener | undefined;
  try {
    listener = await RealtimeListener.connect(target.api.baseUrl, 'none');
    const sources = ourCpu(bench, target);
    const warmup = await submitInBatches(target, settings.warmupJobs, settings.batchSize);
    if (!(await listener.waitForCompletions(warmup, settings.completionTimeoutMs)))
      bench.problems.push(`${name} warm-up: not every completed event arrived`);
    await quiet(bench, name, target, sources);
    const throughput = await runThroughputPhase(bench, name, target, listener, sources);
    return { round: roundNo, prefix: target.prefix, throughput };
  } finally {
    listener?.close();
    await target.stop();
  }
}

/** The reference rate, next to each of our rounds: a plain BullMQ no-op Worker over a pre-filled queue. */
export async function runRawWorkerRound(bench: Bench, roundNo: number): Promise<RawWorkerRound> {
  const name = `e2e-raw-worker-r${roundNo}`;
  const { jobs, workerConcurrency } = bench.settings.endToEnd;
  const sources = ourCpu(bench);
  await waitUntilQuiet([bench.cpu.redis], sources);
  const { window, measured } = meteredWindow(bench, name, sources);
  const result = await measureNoopWorker(
    bench.redisUrl,
    `bench-${name}`,
    { jobs, concurrency: workerConcurrency, timeoutMs: 60_000 },
    window,
  );
  progress(`${name}: ${result.jobsPerSecond} jobs/s`);
  return { round: roundNo, ...result, ...measured };
}

/**
 * The realtime reference: a bare Socket.IO server child emits `latency.jobs` timestamped messages to a
 * room at `latency.perSecond`, each about as large as a `job.completed` of ours; a socket.io-client in
 * the bench receives them.
 */
export async function runRawSocketIoRound(
  bench: Bench,
  roundNo: number,
  eventBytes: number | null,
): Promise<RawSocketIoPhase> {
  const name = `e2e-raw-socketio-r${roundNo}`;
  const { jobs, perSecond } = bench.settings.endToEnd.latency;
  const { server, cpu, stop } = await startRawSocketIoTarget(bench, name);
  try {
    const [serverCpu] = cpu as [CpuSource];
    const sources = ourCpu(bench, { cpu });
    const { window, measured } = meteredWindow(bench, name, sources);
    const bytes = eventBytes ?? DEFAULT_EVENT_BYTES;
    progress(`${name}: ${jobs} messages of ~${bytes} bytes at ${perSecond}/s`);
    const result = await receiveBroadcast(
      server.baseUrl,
      { count: jobs, perSecond, bytes },
      bench.settings.endToEnd.completionTimeoutMs,
      async () => {
        await waitUntilQuiet([serverCpu, bench.cpu.redis], sources);
        await window.start();
      },
    );
    await window.stop(result.received);
    const check = {
      sent: result.sent,
      received: result.received,
      duplicates: result.duplicates,
      missing: result.missing,
      disconnected: result.disconnected,
    };
    if (check.duplicates || check.missing || check.disconnected)
      bench.problems.push(`${name}: ${JSON.stringify(check)}`);
    const phase: RawSocketIoPhase = {
      round: roundNo,
      messages: jobs,
      perSecond,
      messageBytes: result.messageBytes,
      latencyMs: distribution(result.latencies),
      check,
      ...measured,
    };
    progress(`${name}: emit→socket p50 ${phase.latencyMs.p50} ms, p99 ${phase.latencyMs.p99} ms`);
    return phase;
  } finally {
    await stop();
  }
}

/**
 * Ours, the raw worker and raw Socket.IO, round after round, the order reversed every other round
 * (ABBA) so drift on a shared machine hits them alike.
 */
export async function runEndToEndPhases(bench: Bench) {
  const ours: EndToEndRound[] = [];
  const withoutHistory: EndToEndRound[] = [];
  const rawWorker: RawWorkerRound[] = [];
  const rawPipeline: RawPipelineRound[] = [];
  const rawSocketIo: RawSocketIoPhase[] = [];
  let eventBytes: number | null = null;
  const problemsBefore = bench.problems.length;
  for (let roundNo = 1; roundNo <= bench.settings.rounds; roundNo++) {
    const steps = [
      async () => {
        const result = await runEndToEndRound(bench, 'ours', roundNo);
        eventBytes ??= result.latency.completedEventBytes;
        ours.push(result);
      },
      ...(bench.settings.diagnose
        ? [async () => void withoutHistory.push(await runEndToEndRound(bench, 'oursWithoutHistory', roundNo))]
        : []),
      async () => void rawWorker.push(await runRawWorkerRound(bench, roundNo)),
      async () => void rawPipeline.push(await runRawPipelineRound(bench, roundNo)),
      async () => void rawSocketIo.push(await runRawSocketIoRound(bench, roundNo, eventBytes)),
    ];
    for (const step of roundNo % 2 === 1 ? steps : steps.reverse()) await step();
  }
  const problems = bench.problems.slice(problemsBefore);
  return {
    ...summarizeEndToEnd(ours, rawWorker, rawSocketIo, problems),
    sameShapeBaseline: summarizeRawPipeline(ours, rawPipeline),
    ...(bench.settings.diagnose ? { oursWithoutHistory: summarizeOurs(withoutHistory) } : {}),
    rounds: ours,
    rawWorker,
    rawPipeline,
    rawSocketIo,
  };
}

const mean = <T>(items: T[], pick: (item: T) => number, decimals = 1) =>
  round(items.reduce((sum, item) => sum + pick(item), 0) / items.length, decimals);

/** Our rounds' means: throughput, latencies, CPU per job by process. */
function summarizeOurs(ours: EndToEndRound[]) {
  const perJob = (process: string) => mean(ours, (r) => r.throughput.cpu.processes[process]?.msPerUnit ?? NaN, 4);
  const p50p99 = (pick: (r: EndToEndRound) => Distribution) => ({
    p50: mean(ours, (r) => pick(r).p50),
    p99: mean(ours, (r) => pick(r).p99),
  });
  return {
    jobsPerSecond: mean(ours, (r) => r.throughput.jobsPerSecond),
    deliveryLatencyMs: p50p99((r) => r.latency.deliveryLatencyMs),
    deliveryLatencyUnderSaturationMs: p50p99((r) => r.throughput.deliveryLatencyMs),
    submitToSocketMs: p50p99((r) => r.latency.submitToSocketMs),
    cpuMsPerJob: {
      apiGateway: perJob('apiGateway'),
      worker: perJob('worker'),
      redis: perJob('redis'),
      ferretdb: perJob('ferretdb'),
      bench: perJob('bench'),
      total: mean(ours, (r) => r.throughput.cpu.totalMsPerUnit ?? NaN, 4),
    },
    historyBacklogAtEnd: mean(ours, (r) => r.throughput.history.backlogAtEnd, 0),
  };
}

function summarizeEndToEnd(
  ours: EndToEndRound[],
  rawWorker: RawWorkerRound[],
  rawSocketIo: RawSocketIoPhase[],
  problems: string[],
) {
  const summary = summarizeOurs(ours);
  const rawJobsPerSecond = mean(rawWorker, (r) => r.jobsPerSecond);
  const ratio = round(summary.jobsPerSecond / rawJobsPerSecond, 3);
  const raw = { p50: mean(rawSocketIo, (r) => r.latencyMs.p50), p99: mean(rawSocketIo, (r) => r.latencyMs.p99) };
  const { jobsPerSecond, deliveryLatencyMs, ...rest } = summary;
  return {
    ratio,
    goal: GOALS.endToEndRatio,
    met: ratio >= GOALS.endToEndRatio,
    roundRatios: ours.map((r, index) =>
      round(r.throughput.jobsPerSecond / (rawWorker[index]?.jobsPerSecond ?? NaN), 3),
    ),
    // This section's own checks (exactly-once delivery, no seq gaps or drops) and disturbances.
    valid: problems.length === 0,
    problems,
    jobsPerSecond,
    rawWorkerJobsPerSecond: rawJobsPerSecond,
    deliveryLatencyMs,
    rawSocketIoLatencyMs: raw,
    deliveryOverRawSocketIoMs: {
      p50: round(deliveryLatencyMs.p50 - raw.p50, 1),
      p99: round(deliveryLatencyMs.p99 - raw.p99, 1),
    },
    ...rest,
    rawWorkerCpuMsPerJob: {
      worker: mean(rawWorker, (r) => r.cpu.processes.bench?.msPerUnit ?? NaN, 4),
      redis: mean(rawWorker, (r) => r.cpu.processes.redis?.msPerUnit ?? NaN, 4),
    },
  };
}

/**
 * Ours against the same-shape baseline: the ratio the goal does not use (it compares with raw
 * processing alone), reported beside it so the cost of what Flightdeck adds per job can be read off.
 */
function summarizeRawPipeline(ours: EndToEndRound[], rawPipeline: RawPipelineRound[]) {
  const jobsPerSecond = mean(rawPipeline, (r) => r.throughput.jobsPerSecond);
  const perJob = (process: string) =>
    mean(rawPipeline, (r) => r.throughput.cpu.processes[process]?.msPerUnit ?? NaN, 4);
  return {
    jobsPerSecond,
    ratio: round(mean(ours, (r) => r.throughput.jobsPerSecond) / jobsPerSecond, 3),
    roundRatios: ours.map((r, index) =>
      round(r.throughput.jobsPerSecond / (rawPipeline[index]?.throughput.jobsPerSecond ?? NaN), 3),
    ),
    cpuMsPerJob: {
      apiGateway: perJob('apiGateway'),
      worker: perJob('worker'),
      redis: perJob('redis'),
      bench: perJob('bench'),
      total: mean(rawPipeline, (r) => r.throughput.cpu.totalMsPerUnit ?? NaN, 4),
    },
  };
}
