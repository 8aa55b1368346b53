/**
 * KEDA's scalingModifiers formulas, evaluated in JavaScript. Ours use only max(), +, ?:, ||, == nil
 * and ?? (expr-lang), which read the same in JavaScript once `nil` is null: KEDA hands a formula
 * nil for a trigger that failed past fallback.failureThreshold (fallback behavior
 * `scalingModifiers`), and a nil result makes it hold fallback.replicas.
 */

/**
 * Replicas a Deployment keeps whatever its queue's backlog, for availability: the API (and its
 * `webhooks` queue) runs at least two so that a node drain leaves one (docs/scaling.md).
 */
export const AVAILABILITY_MIN_REPLICAS: Record<string, number> = { 'flightdeck-api': 2 };

/** The formula's value over trigger values; `null` for a failed trigger; null when KEDA would fall back. */
export function evaluateFormula(formula: string, values: Record<string, number | null>): number | null {
  const names = Object.keys(values);
  const result = new Function('max', 'nil', ...names, `return ${formula};`)(
    Math.max,
    null,
    ...names.map((name) => values[name]),
  ) as number | null | undefined;
  return result ?? null;
}
