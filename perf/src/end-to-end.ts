import { waitUntilQuiet, type CpuSource } from './cpu-usage';
import {
  quiet,
  runLatencyPhase,
  runThroughputPhase,
  submitInBatches,
  type EndToEndRound,
  type EndToEndVariant,
  type RawPipelineRound,
  type RawSocketIoPhase,
  type RawWorkerRound,
} from './end-to-end-phases';
import { summarizeEndToEnd, summarizeOurs, summarizeRawPipeline, summarizeRedisCpu } from './end-to-end-summary';
import { meteredWindow, ourCpu, type Bench } from './phases';
import { distribution, progress } from './progress';
import { measureNoopWorker } from './raw-bullmq';
import { RealtimeListener, receiveBroadcast } from './realtime-listener';
import { startEndToEndTarget, startRawPipelineTarget, startRawSocketIoTarget } from './targets';

/** The raw Socket.IO baseline's message size until a `job.completed` of ours has been seen. */
const DEFAULT_EVENT_BYTES = 700;

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
    const throughput = await runThroughputPhase(bench, name, target, listener, sources, variant === 'ours');
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
    const throughput = await runThroughputPhase(bench, name, target, listener, sources, false);
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
    redisCpuUsecPerJob: summarizeRedisCpu(ours, rawWorker, rawPipeline),
    sameShapeBaseline: summarizeRawPipeline(ours, rawPipeline),
    ...(bench.settings.diagnose ? { oursWithoutHistory: summarizeOurs(withoutHistory) } : {}),
    rounds: ours,
    rawWorker,
    rawPipeline,
    rawSocketIo,
  };
}
