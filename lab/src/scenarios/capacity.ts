import type { Sample } from '../sampler';

/** Ready pods of a Deployment in a sample. */
export const readyOf = (sample: Sample, deployment: string) => sample.scaling[deployment]?.ready ?? 0;

/**
 * Jobs a worker pod finishes per second, measured in the run: over 5 s windows where the backlog
 * stayed non-empty and the number of ready workers did not change, completions ÷ ready workers; the
 * median of those windows.
 */
export function perPodCapacity(samples: Sample[], deployment: string, queue: string): number | null {
  const rates: number[] = [];
  for (let i = 0; i + 5 < samples.length; i += 1) {
    const from = samples[i]!;
    const to = samples[i + 5]!;
    const workers = readyOf(from, deployment);
    const window = samples.slice(i, i + 6);
    if (workers === 0 || window.some((s) => readyOf(s, deployment) !== workers)) continue;
    if (window.some((s) => (s.queues[queue]?.wait ?? 0) + (s.queues[queue]?.prioritized ?? 0) === 0)) continue;
    rates.push((to.ended - from.ended) / (to.t - from.t) / workers);
  }
  if (rates.length === 0) return null;
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
}
