import { runArtillery } from '../artillery';
import { quantile, round } from '../stats';
import { perPodCapacity, readyOf } from './capacity';
import type { Scenario } from './scenario';

// (b) A burst: JOBS demo.sleep jobs submitted in ten seconds to a queue whose workers are at zero.
// KEDA wakes the worker Deployment, the HPA scales it out to its maximum, the backlog drains, and
// the drain time is compared with the ideal: every job run by the most workers the ScaledObject
// allows, each at the per-pod capacity measured in this same run. Target: drain ≤ 1.3 × ideal.

const WORKERS = 'flightdeck-worker';

export function burst(options: { jobs: number; jobMs: number; maxWorkers: number }): Scenario {
  return {
    name: 'burst',
    title: `A burst of ${options.jobs.toLocaleString('en')} jobs`,
    async run({ lab, observer, sampler, elapsed, log }) {
      const batches = Math.ceil(options.jobs / 100);
      log(`submitting ${options.jobs} demo.sleep jobs (${options.jobMs} ms) in ${batches} batches over 10 s`);
      const submitStarted = elapsed();
      const counters = await runArtillery({
        name: 'burst',
        script: 'submit.yml',
        target: lab.url,
        phases: [{ duration: 10, arrivalCount: batches }],
        variables: { token: lab.apiKey, batchSize: 100, ms: options.jobMs },
      });
      const accepted = (counters['http.codes.202'] ?? 0) * 100;
      log(`accepted ${accepted} jobs in ${round(elapsed() - submitStarted, 1)} s; waiting for them to end`);
      await observer.until(`${accepted} jobs to end`, () => observer.ended() >= accepted, 20 * 60_000);
      const drained = elapsed();

      const times = [...observer.jobs.values()];
      const startLatencies = times.flatMap((job) => job.startLatencies.slice(0, 1));
      const capacity = perPodCapacity(sampler.samples, WORKERS, 'demo');
      const ideal = capacity ? accepted / (options.maxWorkers * capacity) : null;
      const firstWorker = sampler.samples.find((sample) => readyOf(sample, WORKERS) > 0)?.t ?? null;
      const atMax = sampler.samples.find((sample) => readyOf(sample, WORKERS) >= options.maxWorkers)?.t ?? null;
      const drainSeconds = drained - submitStarted;
      return {
        jobs: options.jobs,
        jobMs: options.jobMs,
        accepted,
        drainSeconds: round(drainSeconds, 1),
        perPodJobsPerSecond: round(capacity),
        maxWorkers: options.maxWorkers,
        idealDrainSeconds: round(ideal, 1),
        drainVsIdeal: ideal ? round(drainSeconds / ideal) : null,
        target: 'drainVsIdeal ≤ 1.3',
        firstWorkerReadyAt: firstWorker,
        allWorkersReadyAt: atMax,
        startLatencySeconds: { p50: round(quantile(startLatencies, 0.5)), p99: round(quantile(startLatencies, 0.99)) },
        checks: { everyJobAccepted: accepted === options.jobs },
      };
    },
  };
}
