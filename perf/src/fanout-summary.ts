/**
 * The fan-out comparison's figures (fanout.ts runs it): each phase's arrival distribution and checks,
 * and the section — ours against raw over every socket and event of every round, ratios, CPU per event.
 */
import type { Collected, FanoutVariant, OpenOutcome } from './fanout-clients';
import { COST_GOALS } from './goals';
import type { Bench, Measured } from './phases';
import { distribution, round } from './progress';

type Distribution = ReturnType<typeof distribution>;

/** As `distribution`, for samples of hundreds of thousands (one sort, no spread of the values). */
function largeDistribution(values: number[]): Distribution {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  return { p50: round(at(50), 1), p90: round(at(90), 1), p99: round(at(99), 1), max: round(at(100), 1) };
}

export interface FanoutPhase extends Measured {
  round: number;
  variant: FanoutVariant;
  sockets: number;
  events: number;
  clientProcesses: number;
  /** Opening the sockets (per client process: opened, failures, seconds), before the measured window. */
  open: OpenOutcome[];
  messageBytes: number | null;
  /** Arrival time minus the event's `at`, over every (socket, event) pair. */
  arrivalMs: Distribution;
  /** Per event, its last arrival minus its first over all sockets. */
  spreadMs: Distribution;
  check: { expected: number; received: number; duplicates: number; otherMessages: number; resyncs: number };
  disconnects: Record<string, number>;
}

export function summarizePhase(
  roundNo: number,
  variant: FanoutVariant,
  open: OpenOutcome[],
  collected: Collected[],
  latencies: number[],
  events: number,
  measured: Measured,
): FanoutPhase {
  const spans = new Map<string, { first: number; last: number }>();
  for (const part of collected) {
    for (const [key, { first, last }] of Object.entries(part.perEvent)) {
      const known = spans.get(key);
      spans.set(
        key,
        known ? { first: Math.min(known.first, first), last: Math.max(known.last, last) } : { first, last },
      );
    }
  }
  const disconnects: Record<string, number> = {};
  for (const part of collected)
    for (const [reason, count] of Object.entries(part.disconnects))
      disconnects[reason] = (disconnects[reason] ?? 0) + count;
  const total = (pick: (part: Collected) => number) => collected.reduce((sum, part) => sum + pick(part), 0);
  return {
    round: roundNo,
    variant,
    sockets: total((part) => part.sockets),
    events,
    clientProcesses: collected.length,
    open,
    messageBytes: collected.find((part) => part.messageBytes !== null)?.messageBytes ?? null,
    arrivalMs: largeDistribution(latencies),
    spreadMs: distribution([...spans.values()].map(({ first, last }) => last - first)),
    check: {
      expected: total((part) => part.expected),
      received: total((part) => part.received),
      duplicates: total((part) => part.duplicates),
      otherMessages: total((part) => part.otherMessages),
      resyncs: total((part) => part.resyncs),
    },
    disconnects,
    ...measured,
  };
}

export function summarizeFanout(
  bench: Bench,
  phases: Record<FanoutVariant, FanoutPhase[]>,
  latencies: Record<FanoutVariant, number[][]>,
  problems: string[],
) {
  const mean = (items: FanoutPhase[], pick: (phase: FanoutPhase) => number | null | undefined) =>
    round(items.reduce((sum, item) => sum + (pick(item) ?? NaN), 0) / items.length, 3);
  // Percentiles over every (socket, event) pair of every round: the rounds' own are in `rounds`.
  const side = (items: FanoutPhase[], pooled: number[][]) => {
    const perEvent = (name: string) => mean(items, (phase) => phase.cpu.processes[name]?.msPerUnit);
    // Per copy of an event (one socket's): which of the server and the clients takes longer per event.
    const perCopy = (name: string) => round((perEvent(name) * 1000) / bench.settings.fanout.sockets, 1);
    return {
      arrivalMs: largeDistribution(pooled.flat()),
      spreadMs: { p50: mean(items, (phase) => phase.spreadMs.p50), max: Math.max(...items.map((p) => p.spreadMs.max)) },
      received: items.reduce((sum, phase) => sum + phase.check.received, 0),
      expected: items.reduce((sum, phase) => sum + phase.sockets * phase.events, 0),
      messageBytes: items[0]?.messageBytes ?? null,
      cpuMsPerEvent: {
        server: perEvent('server'),
        redis: perEvent('redis'),
        ...(items.some((phase) => phase.cpu.processes.ferretdb) ? { ferretdb: perEvent('ferretdb') } : {}),
        clients: perEvent('clients'),
      },
      cpuUsecPerCopy: { server: perCopy('server'), clients: perCopy('clients') },
      clientCores: mean(items, (phase) => phase.cpu.processes.clients?.cores),
    };
  };
  const ours = side(phases.ours, latencies.ours);
  const raw = side(phases.raw, latencies.raw);
  const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 2) : null);
  const p99Ratio = ratio(ours.arrivalMs.p99, raw.arrivalMs.p99);
  const { sockets, events, intervalMs, clientProcesses } = bench.settings.fanout;
  return {
    sockets,
    events,
    intervalMs,
    clientProcesses,
    /** Ours / raw arrival p99, over every socket and event of every round; the goal is at most 1.5. */
    p99Ratio,
    p50Ratio: ratio(ours.arrivalMs.p50, raw.arrivalMs.p50),
    goal: COST_GOALS.fanoutP99Ratio,
    // Every socket must get every event: a copy lost is not a fast one.
    met: p99Ratio !== null && p99Ratio <= COST_GOALS.fanoutP99Ratio && ours.received >= ours.expected,
    roundRatios: phases.ours.map((phase, index) => ({
      p50: ratio(phase.arrivalMs.p50, phases.raw[index]?.arrivalMs.p50 ?? NaN),
      p99: ratio(phase.arrivalMs.p99, phases.raw[index]?.arrivalMs.p99 ?? NaN),
    })),
    valid: problems.length === 0,
    problems,
    ours,
    raw,
    rounds: [...phases.ours, ...phases.raw].sort((a, b) => a.round - b.round),
  };
}

export function fanoutSummary(section: Record<string, unknown>): string {
  const report = section as ReturnType<typeof summarizeFanout>;
  return (
    `fan-out to ${report.sockets} sockets: arrival p50/p99 ${report.ours.arrivalMs.p50}/${report.ours.arrivalMs.p99} ms ` +
    `(raw Socket.IO ${report.raw.arrivalMs.p50}/${report.raw.arrivalMs.p99} ms), p99 ratio ${report.p99Ratio} (goal ≤ ${report.goal})`
  );
}
