/**
 * Issue 15 ("Cost per job"): six rows, each of our figures beside its raw baseline from the same run,
 * read off the report's sections (a row whose section did not run says so). The sections keep their
 * own details; this is the one place that holds the issue's goals.
 */
export const COST_GOALS = {
  /** P1: `POST /v1/jobs` req/s ÷ bare Express + one `queue.add`, at least. */
  submitRatio: 0.7,
  /** P2: `POST /v1/jobs/batch` jobs/s ÷ raw `addBulk`, at least. */
  batchRatio: 0.6,
  /** P3: end-to-end jobs/s ÷ the same-shape pipeline's, at least, and history current this soon after. */
  sameShapeRatio: 0.5,
  historyLagMs: 2000,
  /** P7: Redis CPU per end-to-end job ÷ raw BullMQ processing's, at most. */
  redisCpuRatio: 2,
  /** P4: arrival p99 at 5,000 sockets ÷ a bare Socket.IO room broadcast's, at most. */
  fanoutP99Ratio: 1.5,
  /** Delivery latency (worker finish → socket) over raw Socket.IO's, at most, in ms. */
  deliveryOverRawMs: { p50: 1, p99: 5 },
} as const;

type Figure = number | { p50: number | null; p99: number | null } | null;

export interface GoalRow {
  id: 'P1' | 'P2' | 'P3' | 'P7' | 'P4' | 'latency';
  measure: string;
  /** Which report section the figures come from; `ran` false when it did not run in this run. */
  section: string;
  ran: boolean;
  ours: Figure;
  baseline: Figure;
  /** Ours ÷ baseline (P1, P2, P3, P7; P4 of the p99 and the p50). */
  ratio?: number | { p50: number | null; p99: number | null } | null;
  /** Ours − baseline (delivery latency). */
  difference?: { p50: number | null; p99: number | null };
  goal: string;
  /** null when the section did not run or a figure is missing. */
  met: boolean | null;
  /** The section's own `valid` (its checks and disturbances), where it has one. */
  valid?: boolean;
  /** Anything else the row depends on (P3's history lag, P7's other baselines). */
  notes?: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** A number at `path` in `value`, or null (missing, not a number, NaN). */
function num(value: unknown, ...path: string[]): number | null {
  let node = value;
  for (const key of path) node = node && typeof node === 'object' ? (node as Json)[key] : undefined;
  return typeof node === 'number' && Number.isFinite(node) ? node : null;
}

function obj(value: unknown, key: string): Json | undefined {
  const node = value && typeof value === 'object' ? (value as Json)[key] : undefined;
  return node && typeof node === 'object' ? (node as Json) : undefined;
}

const ratioOf = (ours: number | null, baseline: number | null, decimals = 3) =>
  ours === null || baseline === null || baseline === 0 ? null : Number((ours / baseline).toFixed(decimals));

const atLeast = (value: number | null, goal: number) => (value === null ? null : value >= goal);
const atMost = (value: number | null, goal: number) => (value === null ? null : value <= goal);
const p50p99 = (value: unknown) => ({ p50: num(value, 'p50'), p99: num(value, 'p99') });

function notRun(id: GoalRow['id'], measure: string, section: string, goal: string): GoalRow {
  return { id, measure, section, ran: false, ours: null, baseline: null, goal, met: null };
}

function validOf(section: Json): { valid?: boolean } {
  return typeof section.valid === 'boolean' ? { valid: section.valid } : {};
}

/** For sections without a `valid` of their own: no problem line names one of their phases (`submit-…`). */
function validByPhase(report: Json, phasePrefix: string): { valid?: boolean } {
  const problems = report.problems;
  if (!Array.isArray(problems)) return {};
  return { valid: !problems.some((problem) => typeof problem === 'string' && problem.startsWith(phasePrefix)) };
}

/** The six rows from a finished report (its `submit`, `batch`, `endToEnd`, `fanout` and `raw` sections). */
export function buildGoals(report: Json): GoalRow[] {
  const submit = obj(report, 'submit');
  const batch = obj(report, 'batch');
  const endToEnd = obj(report, 'endToEnd');
  const fanout = obj(report, 'fanout');
  const rows: GoalRow[] = [];

  const p1 = { id: 'P1', measure: 'POST /v1/jobs req/s vs bare Express + one queue.add', section: 'submit' } as const;
  const p1Goal = `ratio ≥ ${COST_GOALS.submitRatio}`;
  if (!submit) rows.push(notRun(p1.id, p1.measure, p1.section, p1Goal));
  else {
    const ours = num(submit, 'ours', 'requestsPerSecond');
    const baseline = num(submit, 'bare', 'requestsPerSecond');
    const ratio = ratioOf(ours, baseline);
    const met = atLeast(ratio, COST_GOALS.submitRatio);
    rows.push({ ...p1, ran: true, ours, baseline, ratio, goal: p1Goal, met, ...validByPhase(report, 'submit-') });
  }

  const p2 = { id: 'P2', measure: 'POST /v1/jobs/batch jobs/s vs raw addBulk', section: 'batch' } as const;
  const p2Goal = `ratio ≥ ${COST_GOALS.batchRatio}`;
  if (!batch) rows.push(notRun(p2.id, p2.measure, p2.section, p2Goal));
  else {
    const ours = num(batch, 'ours', 'jobsPerSecond');
    const baseline = num(batch, 'rawAddBulk', 'jobsPerSecond');
    const ratio = ratioOf(ours, baseline);
    const met = atLeast(ratio, COST_GOALS.batchRatio);
    rows.push({ ...p2, ran: true, ours, baseline, ratio, goal: p2Goal, met, ...validByPhase(report, 'batch-') });
  }

  rows.push(...endToEndRows(endToEnd, obj(report, 'raw')));

  const p4 = {
    id: 'P4',
    measure:
      'one event to N sockets subscribed to a workspace: arrival p50/p99 (ms) vs a bare Socket.IO room broadcast',
    section: 'fanout',
  } as const;
  const p4Goal = `p99 ratio ≤ ${COST_GOALS.fanoutP99Ratio}`;
  if (!fanout) rows.push(notRun(p4.id, p4.measure, p4.section, p4Goal));
  else {
    const ours = p50p99(obj(obj(fanout, 'ours'), 'arrivalMs'));
    const baseline = p50p99(obj(obj(fanout, 'raw'), 'arrivalMs'));
    const ratio = {
      p50: num(fanout, 'p50Ratio') ?? ratioOf(ours.p50, baseline.p50, 2),
      p99: num(fanout, 'p99Ratio') ?? ratioOf(ours.p99, baseline.p99, 2),
    };
    rows.push({
      ...p4,
      ran: true,
      ours,
      baseline,
      ratio,
      goal: p4Goal,
      // The section decides (the ratio, and every copy arrived).
      met: typeof fanout.met === 'boolean' ? fanout.met : null,
      ...validOf(fanout),
      notes: {
        sockets: num(fanout, 'sockets'),
        received: num(fanout, 'ours', 'received'),
        expected: num(fanout, 'ours', 'expected'),
      },
    });
  }
  // The issue's order: P1, P2, P3, P7, P4, latency.
  const order: GoalRow['id'][] = ['P1', 'P2', 'P3', 'P7', 'P4', 'latency'];
  return rows.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
}

/** P3, P7 and delivery latency: all three from the end-to-end section. */
function endToEndRows(endToEnd: Json | undefined, raw: Json | undefined): GoalRow[] {
  const p3 = {
    id: 'P3',
    measure: 'end-to-end jobs/s vs the same-shape pipeline, with history current at the end',
    section: 'endToEnd',
  } as const;
  const p3Goal = `ratio ≥ ${COST_GOALS.sameShapeRatio}, history lag ≤ ${COST_GOALS.historyLagMs} ms`;
  const p7 = {
    id: 'P7',
    measure: 'Redis CPU µs per end-to-end job (main thread, INFO cpu) vs raw BullMQ processing',
    section: 'endToEnd',
  } as const;
  const p7Goal = `ratio ≤ ${COST_GOALS.redisCpuRatio}`;
  const latency = {
    id: 'latency',
    measure: 'delivery latency, worker finish → socket, p50/p99 (ms) vs a bare Socket.IO emit',
    section: 'endToEnd',
  } as const;
  const latencyGoal = `≤ raw + ${COST_GOALS.deliveryOverRawMs.p50} ms (p50), + ${COST_GOALS.deliveryOverRawMs.p99} ms (p99)`;
  if (!endToEnd) {
    return [
      notRun(p3.id, p3.measure, p3.section, p3Goal),
      notRun(p7.id, p7.measure, p7.section, p7Goal),
      notRun(latency.id, latency.measure, latency.section, latencyGoal),
    ];
  }
  const valid = validOf(endToEnd);

  const sameShape = obj(endToEnd, 'sameShapeBaseline');
  const p3Ratio = num(sameShape, 'ratio');
  const lagMs = num(endToEnd, 'historyLagMs');
  const lagMet = lagMs !== null && lagMs <= COST_GOALS.historyLagMs && endToEnd.historyCurrent === true;
  const ratioMet = atLeast(p3Ratio, COST_GOALS.sameShapeRatio);
  const p3Row: GoalRow = {
    ...p3,
    ran: true,
    ours: num(endToEnd, 'jobsPerSecond'),
    baseline: num(sameShape, 'jobsPerSecond'),
    ratio: p3Ratio,
    goal: p3Goal,
    // Counted only with history current within the limit; the ratio is printed either way.
    met: ratioMet === null ? null : ratioMet && lagMet,
    ...valid,
    notes: { historyLagMs: lagMs, historyCurrent: endToEnd.historyCurrent ?? null, historyLagMet: lagMet },
  };

  const redisCpu = obj(endToEnd, 'redisCpuUsecPerJob');
  const p7Ours = num(redisCpu, 'ours');
  const p7Baseline = num(redisCpu, 'rawWorker');
  const p7Ratio = ratioOf(p7Ours, p7Baseline, 2);
  const p7Row: GoalRow = {
    ...p7,
    ran: true,
    ours: p7Ours,
    baseline: p7Baseline,
    ratio: p7Ratio,
    goal: p7Goal,
    met: atMost(p7Ratio, COST_GOALS.redisCpuRatio),
    ...valid,
    notes: {
      oursUntilHistoryCurrent: num(redisCpu, 'oursUntilHistoryCurrent'),
      sameShapePipeline: num(redisCpu, 'sameShape'),
      rawWorkerAlone: num(raw, 'worker', 'redisCpu', 'mainThreadUsecPerUnit'),
      rawAddBulk: num(raw, 'addBulk', 'redisCpu', 'mainThreadUsecPerUnit'),
    },
  };

  const ours = p50p99(obj(endToEnd, 'deliveryLatencyMs'));
  const baseline = p50p99(obj(endToEnd, 'rawSocketIoLatencyMs'));
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : Number((a - b).toFixed(1)));
  const difference = { p50: diff(ours.p50, baseline.p50), p99: diff(ours.p99, baseline.p99) };
  const p50Met = atMost(difference.p50, COST_GOALS.deliveryOverRawMs.p50);
  const p99Met = atMost(difference.p99, COST_GOALS.deliveryOverRawMs.p99);
  const latencyRow: GoalRow = {
    ...latency,
    ran: true,
    ours,
    baseline,
    difference,
    goal: latencyGoal,
    met: p50Met === null || p99Met === null ? null : p50Met && p99Met,
    ...valid,
  };
  return [p3Row, p7Row, latencyRow];
}

/** `report` with `goals` inserted after its `problems`, so it reads near the top of the JSON. */
export function withGoals<T extends Json>(report: T): T & { goals: GoalRow[] } {
  const entries = Object.entries(report);
  const at = entries.findIndex(([key]) => key === 'problems') + 1;
  entries.splice(at > 0 ? at : entries.length, 0, ['goals', buildGoals(report)]);
  return Object.fromEntries(entries) as T & { goals: GoalRow[] };
}

/** One line for stderr: each row's ratio or difference and whether it met its goal. */
export function goalsSummary(rows: GoalRow[]): string {
  const shown = (row: GoalRow) => {
    if (!row.ran) return 'not run';
    const value = row.difference ?? row.ratio;
    const text = value && typeof value === 'object' ? `${value.p50 ?? '?'}/${value.p99 ?? '?'}` : String(value ?? '?');
    return `${text} ${row.met === true ? 'met' : row.met === false ? 'NOT met' : '?'}`;
  };
  return `goals: ${rows.map((row) => `${row.id} ${shown(row)}`).join(', ')}`;
}
