import { GOALS } from './bench-settings';
import { COST_GOALS } from './goals';
import { round } from './progress';
import type {
  Distribution,
  EndToEndRound,
  RawPipelineRound,
  RawSocketIoPhase,
  RawWorkerRound,
} from './end-to-end-phases';

/** The end-to-end section's summary: means over the rounds, and the ratios against the baselines. */

const mean = <T>(items: T[], pick: (item: T) => number, decimals = 1) =>
  round(items.reduce((sum, item) => sum + pick(item), 0) / items.length, decimals);

/** Our rounds' means: throughput, latencies, CPU per job by process. */
export function summarizeOurs(ours: EndToEndRound[]) {
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
    ...historyLag(ours),
  };
}

/**
 * P3's condition: the worst round's time from the last `job.completed` to history current (null
 * without history), and whether history became current in every round.
 */
function historyLag(ours: EndToEndRound[]) {
  const lags = ours.map((r) => r.throughput.historyLagMs);
  const known = lags.every((lag) => lag !== null) && lags.length > 0;
  return {
    historyLagMs: known ? Math.max(...(lags as number[])) : null,
    historyCurrent: known ? ours.every((r) => r.throughput.historyCurrent === true) : null,
    roundHistoryLagMs: lags,
  };
}

/**
 * P7: Redis CPU per job from Redis's own counters (`INFO cpu`, µs): ours over the throughput window
 * (first submit to last `job.completed`, as the baselines' windows), and on until history was current;
 * the same-shape pipeline's and the raw no-op worker's beside our rounds. The main thread's (it runs
 * every command) unless `process`.
 */
export function summarizeRedisCpu(ours: EndToEndRound[], rawWorker: RawWorkerRound[], rawPipeline: RawPipelineRound[]) {
  const figures = (thread: 'mainThreadUsecPerUnit' | 'usecPerUnit') => {
    return {
      ours: mean(ours, (r) => r.throughput.redisCpu[thread] ?? NaN),
      // Includes the history projector catching up — and Redis's idle load while it does (timers, polls).
      oursUntilHistoryCurrent: mean(ours, (r) => r.throughput.redisCpuUntilHistoryCurrent?.[thread] ?? NaN),
      sameShape: mean(rawPipeline, (r) => r.throughput.redisCpu[thread] ?? NaN),
      rawWorker: mean(rawWorker, (r) => r.redisCpu[thread] ?? NaN),
    };
  };
  const main = figures('mainThreadUsecPerUnit');
  const ratio = round(main.ours / main.rawWorker, 2);
  return {
    ...main,
    ratio,
    goal: COST_GOALS.redisCpuRatio,
    met: ratio <= COST_GOALS.redisCpuRatio,
    sameShapeRatio: round(main.ours / main.sameShape, 2),
    roundRatios: ours.map((r, index) =>
      round(
        (r.throughput.redisCpu.mainThreadUsecPerUnit ?? NaN) /
          (rawWorker[index]?.redisCpu.mainThreadUsecPerUnit ?? NaN),
        2,
      ),
    ),
    process: figures('usecPerUnit'),
  };
}

export function summarizeEndToEnd(
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
export function summarizeRawPipeline(ours: EndToEndRound[], rawPipeline: RawPipelineRound[]) {
  const jobsPerSecond = mean(rawPipeline, (r) => r.throughput.jobsPerSecond);
  const perJob = (process: string) =>
    mean(rawPipeline, (r) => r.throughput.cpu.processes[process]?.msPerUnit ?? NaN, 4);
  const ratio = round(mean(ours, (r) => r.throughput.jobsPerSecond) / jobsPerSecond, 3);
  const lag = historyLag(ours);
  return {
    jobsPerSecond,
    ratio,
    // Issue 15's P3: counted only with history current within the limit after the last job.completed.
    goal: COST_GOALS.sameShapeRatio,
    historyLagGoalMs: COST_GOALS.historyLagMs,
    met:
      ratio >= COST_GOALS.sameShapeRatio &&
      lag.historyCurrent === true &&
      lag.historyLagMs !== null &&
      lag.historyLagMs <= COST_GOALS.historyLagMs,
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
