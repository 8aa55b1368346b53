import { waitUntil } from '../processes';
import { rest } from '../rest';
import { quantile, round } from '../stats';
import type { Sample } from '../sampler';
import { type Scenario } from './scenario';

// (d) Scale to zero and wake-up. With the workers at zero, delayed jobs and a schedule's run come
// due; jobs that fail once are submitted as they wake, and their retries (backoff longer than the
// time it takes KEDA to scale the workers back to zero) come due at zero again. Each attempt's
// start is compared with when it was due. Target: within KEDA's pollingInterval + a few seconds
// (the due-job promoter, a pod start) of its due time, even at zero workers.

const WORKERS = 'flightdeck-worker';
const workersAt = (samples: Sample[], at: number) => {
  const sample = [...samples].reverse().find((s) => s.t <= at);
  return sample?.scaling[WORKERS]?.ready ?? null;
};

export function scaleToZero(options: { dueInSeconds: number; retryBackoffSeconds: number; jobs: number }): Scenario {
  return {
    name: 'scale-to-zero',
    title: 'Scale to zero and wake-up: delayed, retried and scheduled jobs coming due at zero workers',
    async run({ lab, observer, sampler, elapsed, log }) {
      await waitUntil(
        'the workers to be at zero',
        async () => (sampler.samples.at(-1)?.scaling[WORKERS]?.replicas ?? -1) === 0,
        15 * 60_000,
        500,
      );
      const t0 = elapsed();
      const startedAtMs = Date.now();
      const dueAt = new Date(startedAtMs + options.dueInSeconds * 1000);
      log(`workers at zero; ${options.jobs} delayed jobs and a schedule due at +${options.dueInSeconds} s`);
      const delayed = await rest<{ jobs: { id: string }[] }>(lab, 'POST', '/v1/jobs/batch', {
        jobs: Array.from({ length: options.jobs }, () => ({
          type: 'demo.sleep',
          payload: { ms: 100 },
          delayMs: options.dueInSeconds * 1000,
        })),
      });
      // Six cron fields, seconds first: fires once, at the due second (UTC).
      const cron = `${dueAt.getUTCSeconds()} ${dueAt.getUTCMinutes()} ${dueAt.getUTCHours()} * * *`;
      const schedule = await rest<{ id: string }>(lab, 'POST', '/v1/schedules', {
        name: `lab-scale-to-zero-${startedAtMs}`,
        cron,
        job: { type: 'demo.sleep', payload: { ms: 100 } },
      });
      await observer.until(
        'the delayed jobs to end',
        () => delayed.jobs.every(({ id }) => observer.jobs.get(id)?.ended !== undefined),
        5 * 60_000,
      );
      log(
        `delayed jobs ended; submitting ${options.jobs} jobs that fail once (retry after ${options.retryBackoffSeconds} s)`,
      );
      const failing = await rest<{ jobs: { id: string }[] }>(lab, 'POST', '/v1/jobs/batch', {
        jobs: Array.from({ length: options.jobs }, () => ({
          type: 'demo.sleep',
          payload: { ms: 10, fail: true },
          attempts: 2,
          backoff: { type: 'fixed', delayMs: options.retryBackoffSeconds * 1000 },
        })),
      });
      await observer.until(
        'the retries to end',
        () => failing.jobs.every(({ id }) => observer.jobs.get(id)?.ended !== undefined),
        (options.retryBackoffSeconds + 300) * 1000,
      );
      await rest(lab, 'DELETE', `/v1/schedules/${schedule.id}`);

      const latencies = (ids: string[], attempt: number) =>
        ids.flatMap((id) => observer.jobs.get(id)?.startLatencies.slice(attempt, attempt + 1) ?? []);
      const scheduledRuns = [...observer.jobs.entries()].filter(
        ([id, times]) =>
          !delayed.jobs.some((job) => job.id === id) &&
          !failing.jobs.some((job) => job.id === id) &&
          times.due !== undefined,
      );
      const figure = (values: number[], due: number) => ({
        n: values.length,
        p50: round(quantile(values, 0.5)),
        max: round(quantile(values, 1)),
        workersReadyAtDue: workersAt(sampler.samples, due),
      });
      const retryDue =
        Math.min(
          ...failing.jobs.flatMap(({ id }) =>
            observer.jobs.get(id)?.started ? [observer.jobs.get(id)!.started!] : [],
          ),
        ) / 1000;
      return {
        delayed: figure(
          latencies(
            delayed.jobs.map((job) => job.id),
            0,
          ),
          t0 + options.dueInSeconds,
        ),
        scheduled: figure(
          scheduledRuns.flatMap(([, times]) => times.startLatencies.slice(0, 1)),
          t0 + options.dueInSeconds,
        ),
        retried: figure(
          latencies(
            failing.jobs.map((job) => job.id),
            1,
          ),
          t0 + (retryDue - startedAtMs / 1000) + options.retryBackoffSeconds,
        ),
        target: 'each start ≤ pollingInterval (5 s) + a few seconds after it was due',
        checks: { everyKindRan: [delayed.jobs.length, failing.jobs.length, scheduledRuns.length].every((n) => n > 0) },
      };
    },
  };
}
