import type { Lab } from '../lab';
import { Observer } from '../observer';
import { podEventsSince, saveRecording, type Recording } from '../recording';
import { Sampler, type Sample } from '../sampler';

/** What a scenario gets while it runs: the lab, a subscribed observer, and the 1 s sampler. */
export interface ScenarioContext {
  lab: Lab;
  observer: Observer;
  sampler: Sampler;
  /** Seconds since the scenario started. */
  elapsed(): number;
  log(message: string): void;
}

export interface Scenario {
  name: string;
  title: string;
  /** Runs the load and returns the summary; the harness adds samples, pod events and the observer's checks. */
  run(context: ScenarioContext): Promise<Record<string, unknown>>;
}

export async function runScenario(lab: Lab, scenario: Scenario): Promise<Recording> {
  const log = (message: string) => process.stderr.write(`[lab:${scenario.name}] ${message}\n`);
  const observer = new Observer(lab.url, lab.apiKey);
  await observer.start();
  const sampler = new Sampler(lab.agent, () => observer.ended());
  const startedAt = new Date().toISOString();
  const t0 = Date.now();
  sampler.start();
  let summary: Record<string, unknown>;
  try {
    summary = await scenario.run({ lab, observer, sampler, elapsed: () => (Date.now() - t0) / 1000, log });
  } finally {
    sampler.stop();
  }
  const stream = observer.stop();
  const recording: Recording = {
    scenario: scenario.name,
    title: scenario.title,
    startedAt,
    samples: sampler.samples,
    podEvents: podEventsSince(startedAt),
    summary: { ...summary, stream },
  };
  log(`saved ${saveRecording(recording)}`);
  log(JSON.stringify(recording.summary));
  return recording;
}

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
