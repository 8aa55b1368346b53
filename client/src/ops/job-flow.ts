import type { StreamEvent } from '@flightdeck/contract';
import { HISTORY_MS, quantile, type TimeSeries } from './time-series';

export interface JobFlowOptions {
  /** How far back the charts go. */
  windowMs?: number;
  /** Time between two chart points. */
  stepMs?: number;
  /** Throughput at a point: completions over this much time before it, per second. */
  rateWindowMs?: number;
  /** Failures at a point: over this much time before it (per minute, and as a share of finished jobs). */
  failureWindowMs?: number;
  /** Latency percentiles at a point: over the jobs that started this much time before it. */
  latencyWindowMs?: number;
}

/** The figures at one moment, for the charts' text summaries. */
export interface FlowFigures {
  completedPerSecond: number;
  failuresPerMinute: number;
  /** Failed ÷ (completed + failed), 0–1; null when nothing finished in the window. */
  failureShare: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}

/**
 * Throughput, failures and latency from submit to start, from the workspace's live events: each
 * `job.completed` and `job.failed` counts at its time, each first `job.active` gives one latency
 * sample (`startedAt` − when the job was due). Only what happened since `since` (when the view began
 * listening) is known, so earlier points are left out rather than drawn as zero. Times are the
 * server's (events' `at`); pass the server's "now" to the readers.
 */
export class JobFlow {
  private readonly windowMs: number;
  private readonly stepMs: number;
  private readonly rateWindowMs: number;
  private readonly failureWindowMs: number;
  private readonly latencyWindowMs: number;

  /** Ascending epoch ms. */
  private completions: number[] = [];
  private failures: number[] = [];
  /** Ascending by `at`. */
  private starts: { at: number; waitedMs: number }[] = [];
  /** What was counted already (a replay or a second listener must not count twice), with its time. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly since: number,
    options: JobFlowOptions = {},
  ) {
    this.windowMs = options.windowMs ?? HISTORY_MS;
    this.stepMs = options.stepMs ?? 5_000;
    this.rateWindowMs = options.rateWindowMs ?? 10_000;
    this.failureWindowMs = options.failureWindowMs ?? 60_000;
    this.latencyWindowMs = options.latencyWindowMs ?? 60_000;
  }

  /** Takes one stream event into account; events of other types are ignored. */
  record(event: StreamEvent): void {
    const job = event.job;
    const at = Date.parse(event.at);
    if (!job || Number.isNaN(at)) return;
    switch (event.type) {
      case 'job.completed':
      case 'job.failed': {
        const finishedAt = parseTime(job.finishedAt) ?? at;
        if (this.firstTime(`${event.type}:${job.id}:${finishedAt}`, finishedAt))
          insertSorted(event.type === 'job.completed' ? this.completions : this.failures, finishedAt);
        break;
      }
      case 'job.active': {
        // A retry starts after its earlier attempts and their backoff: that is not time spent queued.
        if ((job.attemptsMade ?? 0) > 0) return;
        const startedAt = parseTime(job.startedAt);
        const createdAt = parseTime(job.createdAt);
        if (startedAt === null || createdAt === null) return;
        // A delayed job waits on purpose until it is due; latency counts from then.
        const dueAt = Math.max(createdAt, parseTime(job.runAt) ?? createdAt);
        if (!this.firstTime(`job.active:${job.id}:${startedAt}`, startedAt)) return;
        const sample = { at: startedAt, waitedMs: Math.max(0, startedAt - dueAt) };
        // Events come in order, so this walks back a step or two at most.
        let index = this.starts.length;
        while (index > 0 && this.starts[index - 1]!.at > startedAt) index--;
        this.starts.splice(index, 0, sample);
        break;
      }
    }
  }

  /** Completions per second. */
  throughput(now: number): TimeSeries {
    const points = this.points(now);
    return {
      x: points.map(seconds),
      lines: [{ key: 'completed', label: 'Completed', values: points.map((at) => this.ratePerSecond(at)) }],
    };
  }

  /** Failures per minute, and their share of finished jobs in percent. */
  failureRate(now: number): TimeSeries {
    const points = this.points(now);
    return {
      x: points.map(seconds),
      lines: [
        { key: 'per-minute', label: 'Failures per minute', values: points.map((at) => this.failuresPerMinute(at)) },
        {
          key: 'share',
          label: 'Share failed',
          values: points.map((at) => {
            const share = this.failureShare(at);
            return share === null ? null : share * 100;
          }),
        },
      ],
    };
  }

  /** Latency from submit (or due time) to start, p50 and p95, in milliseconds. */
  latency(now: number): TimeSeries {
    const points = this.points(now);
    const percentiles = points.map((at) => this.latencyAt(at));
    return {
      x: points.map(seconds),
      lines: [
        { key: 'p50', label: 'p50', values: percentiles.map((p) => p.p50) },
        { key: 'p95', label: 'p95', values: percentiles.map((p) => p.p95) },
      ],
    };
  }

  /** The figures at `now`. */
  figures(now: number): FlowFigures {
    const { p50, p95 } = this.latencyAt(now);
    return {
      completedPerSecond: this.ratePerSecond(now) ?? 0,
      failuresPerMinute: this.failuresPerMinute(now) ?? 0,
      failureShare: this.failureShare(now),
      latencyP50Ms: p50,
      latencyP95Ms: p95,
    };
  }

  /** Forgets what is older than the charts and windows reach. */
  prune(now: number): void {
    const oldest = now - this.windowMs - Math.max(this.rateWindowMs, this.failureWindowMs, this.latencyWindowMs);
    this.completions = this.completions.slice(lowerBound(this.completions, oldest));
    this.failures = this.failures.slice(lowerBound(this.failures, oldest));
    this.starts = this.starts.filter((start) => start.at >= oldest);
    for (const [key, at] of this.seen) if (at < oldest) this.seen.delete(key);
  }

  private firstTime(key: string, at: number): boolean {
    if (this.seen.has(key)) return false;
    this.seen.set(key, at);
    return true;
  }

  /** Chart points, `stepMs` apart and ending at `now`, from when listening began (within the window). */
  private points(now: number): number[] {
    const first = Math.max(now - this.windowMs, this.since + this.stepMs);
    const points: number[] = [];
    for (let at = now; at >= first; at -= this.stepMs) points.push(at);
    return points.reverse();
  }

  /** The part of (at − window, at] during which events were being listened to; 0 when none. */
  private observed(at: number, windowMs: number): number {
    return Math.max(0, Math.min(windowMs, at - this.since));
  }

  private ratePerSecond(at: number): number | null {
    const span = this.observed(at, this.rateWindowMs);
    if (span === 0) return null;
    return countIn(this.completions, at - span, at) / (span / 1000);
  }

  private failuresPerMinute(at: number): number | null {
    const span = this.observed(at, this.failureWindowMs);
    if (span === 0) return null;
    return countIn(this.failures, at - span, at) / (span / 60_000);
  }

  private failureShare(at: number): number | null {
    const from = at - this.failureWindowMs;
    const failed = countIn(this.failures, from, at);
    const finished = failed + countIn(this.completions, from, at);
    return finished === 0 ? null : failed / finished;
  }

  private latencyAt(at: number): { p50: number | null; p95: number | null } {
    const waits = this.starts
      .filter((start) => start.at > at - this.latencyWindowMs && start.at <= at)
      .map((start) => start.waitedMs)
      .sort((a, b) => a - b);
    return { p50: quantile(waits, 0.5), p95: quantile(waits, 0.95) };
  }
}

const seconds = (ms: number) => ms / 1000;

function parseTime(value: string | null | undefined): number | null {
  if (!value) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : at;
}

/** How many of ascending `times` are in (from, to]. */
function countIn(times: readonly number[], from: number, to: number): number {
  return upperBound(times, to) - upperBound(times, from);
}

/** The first index whose value is ≥ `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first index whose value is > `value`. */
function upperBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function insertSorted(sorted: number[], value: number): void {
  sorted.splice(upperBound(sorted, value), 0, value);
}
