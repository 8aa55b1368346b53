import type { FlowFigures } from './job-flow';
import type { AutoscalingState, OpsOverview, ScaledObjectCondition, ScaledObjectState } from './ops-overview';

/** Whole numbers with the locale's grouping: `1,204`. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en');
}

/** A rate with at most two significant decimals: `0`, `0.25`, `3.5`, `12`. */
export function formatRate(value: number): string {
  if (value === 0) return '0';
  if (value >= 10) return formatCount(value);
  return String(Number(value.toPrecision(2)));
}

/** A duration: `850 ms`, `1.2 s`, `3 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1_000).toPrecision(ms < 10_000 ? 2 : 3))} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** A share 0–100 as a percentage: `0 %` … `12.5 %`. */
export function formatPercent(value: number): string {
  return `${Number(value.toFixed(value < 10 ? 1 : 0))} %`;
}

const plural = (count: number, one: string, many = `${one}s`) => `${formatCount(count)} ${count === 1 ? one : many}`;

/** "8 queued, 1 delayed, 3 active" over all queues; with paused queues said. */
export function depthSummary(overview: OpsOverview): string {
  const sum = (state: 'queued' | 'delayed' | 'active') =>
    overview.queues.reduce((total, queue) => total + queue.counts[state], 0);
  const paused = overview.queues.filter((queue) => queue.paused).map((queue) => queue.name);
  const text = `Now ${formatCount(sum('queued'))} queued, ${formatCount(sum('delayed'))} delayed, ${formatCount(sum('active'))} active`;
  return paused.length > 0 ? `${text}; paused: ${paused.join(', ')}.` : `${text}.`;
}

export function throughputSummary(figures: FlowFigures): string {
  return `${formatRate(figures.completedPerSecond)} jobs completed per second over the last 10 seconds.`;
}

export function failureSummary(figures: FlowFigures): string {
  const share =
    figures.failureShare === null
      ? 'no job finished in the last minute'
      : `${formatPercent(figures.failureShare * 100)} of the jobs that finished`;
  return `${formatRate(figures.failuresPerMinute)} failures per minute; ${share}.`;
}

export function latencySummary(figures: FlowFigures): string {
  if (figures.latencyP50Ms === null || figures.latencyP95Ms === null) return 'No job started in the last minute.';
  return `Over the last minute: half the jobs started within ${formatDuration(figures.latencyP50Ms)}, 95 % within ${formatDuration(figures.latencyP95Ms)}.`;
}

export function gatewaySummary(overview: OpsOverview): string {
  const total = overview.gateways.reduce((sum, gateway) => sum + gateway.connections, 0);
  if (overview.gateways.length === 0) return 'No gateway is running.';
  return `${plural(total, 'open connection')} on ${plural(overview.gateways.length, 'gateway')}.`;
}

export function workerSummary(overview: OpsOverview): string {
  const { desired, running } = overview.workers;
  const verdict =
    running < desired
      ? `${formatCount(desired - running)} short`
      : running > desired
        ? `${formatCount(running - desired)} more than asked for`
        : 'as asked';
  return overview.autoscaling.source === 'kubernetes'
    ? `The autoscaler (KEDA/HPA) asks for ${plural(desired, 'worker replica')}; ${formatCount(running)} ready (${verdict}).`
    : `The scaling policy asks for ${plural(desired, 'worker replica')}; ${formatCount(running)} running (${verdict}).`;
}

/** The label of where the replica figures come from. */
export function autoscalingSourceLabel(source: AutoscalingState['source']): string {
  return source === 'kubernetes' ? 'Kubernetes (KEDA/HPA)' : "Flightdeck's policy";
}

/** "4 desired, 2 ready (2 short)" for one ScaledObject: its HPA's ask against its Deployment's ready pods. */
export function scaledObjectSummary(state: ScaledObjectState): string {
  const desired = state.hpa?.desiredReplicas ?? state.deployment?.replicas;
  const ready = state.deployment?.readyReplicas;
  if (desired === undefined) return 'No HPA and no Deployment found.';
  if (ready === undefined) return `${formatCount(desired)} desired; the Deployment is missing.`;
  const verdict =
    ready < desired
      ? `${formatCount(desired - ready)} short`
      : ready > desired
        ? `${formatCount(ready - desired)} more than desired`
        : 'as desired';
  return `${formatCount(desired)} desired, ${formatCount(ready)} ready (${verdict}).`;
}

/** A condition in words: "Ready", "Not ready", "Active", "Inactive", "Fallback active"… */
export function conditionLabel(condition: ScaledObjectCondition): string {
  const words: Record<string, [string, string, string]> = {
    Ready: ['Ready', 'Not ready', 'Readiness unknown'],
    Active: ['Active', 'Inactive', 'Activity unknown'],
    Fallback: ['Fallback active', 'No fallback', 'Fallback unknown'],
    Paused: ['Paused', 'Not paused', 'Pause unknown'],
  };
  const [yes, no, unknown] = words[condition.type] ?? [
    condition.type,
    `Not ${condition.type}`,
    `${condition.type} unknown`,
  ];
  return condition.status === 'True' ? yes : condition.status === 'False' ? no : unknown;
}

/** How a condition reads at a glance: fine, worth a look, or neither. */
export function conditionTone(condition: ScaledObjectCondition): 'ok' | 'warn' | 'neutral' {
  if (condition.type === 'Ready') return condition.status === 'True' ? 'ok' : 'warn';
  if (condition.type === 'Fallback' || condition.type === 'Paused')
    return condition.status === 'True' ? 'warn' : 'neutral';
  if (condition.type === 'Active') return condition.status === 'True' ? 'ok' : 'neutral';
  return 'neutral';
}

/** "3 min 5 s ago", against the server's clock. */
export function agoText(iso: string | null, nowMs: number): string {
  if (!iso) return 'at an unknown time';
  const elapsed = nowMs - Date.parse(iso);
  if (Number.isNaN(elapsed)) return 'at an unknown time';
  return elapsed < 1_000 ? 'just now' : `${formatDuration(elapsed)} ago`;
}
