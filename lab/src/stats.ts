/** The `q`-quantile (0–1) of `values` by nearest rank; null for none. */
export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const round = (value: number | null, digits = 2) => (value === null ? null : Number(value.toFixed(digits)));
