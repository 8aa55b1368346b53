import { runArtillery } from '../artillery';
import { quantile, round } from '../stats';
import { perPodCapacity } from './capacity';
import type { Scenario, ScenarioContext } from './scenario';

// (a) Steady load and (c) a compressed diurnal ramp: jobs submitted at a rate (batches of 10 a
// virtual user), drawn as Artillery phases. What is measured: the worker replicas the autoscaler
// settles at against what the rate needs at the per-pod capacity measured in the run, job start
// latency, and that scale-in killed nothing (no worker SIGKILLed, no job started twice).

type Phase = { duration: number; arrivalRate: number; rampTo?: number };

const WORKERS = 'flightdeck-worker';

async function submitAt(context: ScenarioContext, name: string, phases: Phase[], jobMs: number) {
  const counters = await runArtillery({
    name,
    script: 'submit.yml',
    target: context.lab.url,
    phases,
    variables: { token: context.lab.apiKey, batchSize: 10, ms: jobMs },
  });
  return (counters['http.codes.202'] ?? 0) * 10;
}

function loadShape(name: 'steady' | 'diurnal', title: string, phases: Phase[], jobMs: number): Scenario {
  return {
    name,
    title,
    async run(context) {
      const { observer, sampler, log } = context;
      log(`submitting in phases ${JSON.stringify(phases)} (10 demo.sleep jobs of ${jobMs} ms a batch)`);
      const accepted = await submitAt(context, name, phases, jobMs);
      await observer.until(`${accepted} jobs to end`, () => observer.ended() >= accepted, 10 * 60_000);
      const latencies = [...observer.jobs.values()].flatMap((job) => job.startLatencies.slice(0, 1));
      const restarted = [...observer.jobs.values()].filter((job) => job.startLatencies.length > 1).length;
      const peakRate = Math.max(...phases.map((phase) => Math.max(phase.arrivalRate, phase.rampTo ?? 0))) * 10;
      const capacity = perPodCapacity(sampler.samples, WORKERS, 'demo');
      const peakWorkers = Math.max(...sampler.samples.map((sample) => sample.scaling[WORKERS]?.ready ?? 0));
      // Where the autoscaler settled: the workers ready when the last phase ended, against what its rate needs.
      const endRate = (phases.at(-1)!.rampTo ?? phases.at(-1)!.arrivalRate) * 10;
      const loadEnd = phases.reduce((sum, phase) => sum + phase.duration, 0);
      const atLoadEnd = sampler.samples.find((sample) => sample.t >= loadEnd) ?? sampler.samples.at(-1);
      return {
        accepted,
        jobMs,
        peakJobsPerSecond: peakRate,
        perPodJobsPerSecond: round(capacity),
        workersNeededAtPeak: capacity ? Math.ceil(peakRate / capacity) : null,
        peakWorkersReady: peakWorkers,
        jobsPerSecondAtEnd: endRate,
        workersNeededAtEnd: capacity ? Math.ceil(endRate / capacity) : null,
        workersReadyAtEnd: atLoadEnd?.scaling[WORKERS]?.ready ?? null,
        startLatencySeconds: { p50: round(quantile(latencies, 0.5)), p99: round(quantile(latencies, 0.99)) },
        jobsStartedTwice: restarted,
        target: 'replicas follow the load; 0 jobs killed or stalled by scale-in',
      };
    },
  };
}

// Long enough to see the autoscaler settle: it scales up within seconds, but scales in only after
// the HPA's 300 s stabilization window and then one pod a minute (deploy/k8s/base/keda.yaml).
export const steady = () =>
  loadShape('steady', 'Steady load: 50 jobs/s for fifteen minutes', [{ duration: 900, arrivalRate: 5 }], 2000);

export const diurnal = () =>
  loadShape(
    'diurnal',
    'A compressed day: 10 → 150 → 10 jobs/s over seventeen minutes',
    [
      { duration: 300, arrivalRate: 1, rampTo: 15 },
      { duration: 120, arrivalRate: 15 },
      { duration: 300, arrivalRate: 15, rampTo: 1 },
      { duration: 300, arrivalRate: 1 },
    ],
    2000,
  );
