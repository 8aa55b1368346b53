/**
 * What a chart draws: one x axis (epoch seconds) and lines over it. `null` is "no value here" (the
 * line breaks), never zero. Kept free of any charting library so the figures are tested in Node.
 */
export interface TimeSeries {
  /** Epoch seconds, ascending. */
  x: number[];
  lines: SeriesLine[];
}

export interface SeriesLine {
  /** Stable across updates (a chart rebuilds when the set of keys changes). */
  key: string;
  label: string;
  values: (number | null)[];
}

/** How long the ops view remembers: ten minutes. */
export const HISTORY_MS = 10 * 60_000;

/** Whether a series has anything to draw: at least two points in time and one value. */
export function hasData(series: TimeSeries): boolean {
  return series.x.length >= 2 && series.lines.some((line) => line.values.some((value) => value !== null));
}

/** The last value of a line that is not null, or null. */
export function latestValue(line: SeriesLine): number | null {
  for (let index = line.values.length - 1; index >= 0; index--) {
    const value = line.values[index];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

/** The value at `quantile` (0–1) of ascending `sorted` values, by linear interpolation; null for none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below]!;
  const high = sorted[above]!;
  return low + (high - low) * (position - below);
}
