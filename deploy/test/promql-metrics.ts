/**
 * Which metric names a PromQL expression reads, so alerts and dashboard panels can be checked to
 * name only metrics that exist: Flightdeck's own (declared in backend/src/metrics.ts) and the
 * standard kube-state-metrics series listed here. A rough lexer, enough for our expressions: it
 * drops strings, label matchers, ranges, grouping clauses and Grafana variables, then keeps the
 * identifiers that are not functions, keywords or numbers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
]);

export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ')
    // numbers and durations (0.95, 5m, 1e3, offset 1h)
    .replace(/\b\d[\w.]*/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const after = stripped.slice(match.index + match[0].length).trimStart();
    if (after.startsWith('(') || KEYWORDS.has(match[0])) continue;
    names.add(match[0]);
  }
  return [...names];
}

/** kube-state-metrics series our alerts and dashboard may read (kube-state-metrics v2 names). */
export const KUBE_STATE_METRICS = [
  'kube_deployment_spec_replicas',
  'kube_deployment_status_replicas',
  'kube_deployment_status_replicas_available',
  'kube_deployment_status_replicas_ready',
  'kube_horizontalpodautoscaler_spec_max_replicas',
  'kube_horizontalpodautoscaler_spec_min_replicas',
  'kube_horizontalpodautoscaler_status_current_replicas',
  'kube_horizontalpodautoscaler_status_desired_replicas',
  'kube_pod_status_ready',
];

/** Flightdeck's metric names, read from backend/src/metrics.ts (with histogram series suffixes). */
export function flightdeckMetricNames(root: string): string[] {
  const source = readFileSync(path.join(root, 'backend', 'src', 'metrics.ts'), 'utf8');
  const names: string[] = [];
  for (const [, kind, name] of source.matchAll(
    /new (Counter|Gauge|Histogram|Summary)\(\{\s*name: '([a-z_:][a-z0-9_:]*)'/g,
  )) {
    names.push(name);
    if (kind === 'Histogram') names.push(`${name}_bucket`, `${name}_sum`, `${name}_count`);
  }
  return names;
}
