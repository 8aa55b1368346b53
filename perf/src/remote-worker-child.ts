/**
 * A team's own worker process as the remote-worker comparison runs it: the SDK's worker runner
 * (`startWorker`) with one no-op registered type, `bench.noop` (the twin of `demo.sleep` with `ms: 0`),
 * against a Flightdeck server child.
 * It needs only the URL and a `workers:run` key (FLIGHTDECK_URL, FLIGHTDECK_WORKER_KEY); CONCURRENCY
 * jobs at once. Prints JSON lines on stdout: `{"ready":…}` once registered, and for each job whose
 * payload says `stamp: true`, `{"start":<jobId>,"at":<ms since the epoch, fractional>}` when `run`
 * is called (the bench's start-latency measure; same machine clock).
 */
import { z } from 'zod';
import { defineJobType, startWorker, stopOnSignals } from '@flightdeck/sdk';

export const NOOP_TYPE = 'bench.noop';

/**
 * What `demo.sleep` with `ms: 0` does (the built-in side of the comparison), so both sides make the
 * same events: progress 100, one log line, a result.
 */
const noop = defineJobType({
  name: NOOP_TYPE,
  queue: 'bench',
  payload: z.strictObject({ stamp: z.boolean().default(false) }),
  result: z.strictObject({ slept: z.number() }),
  async run({ stamp }, { jobId, progress, log }) {
    if (stamp)
      process.stdout.write(`${JSON.stringify({ start: jobId, at: performance.timeOrigin + performance.now() })}\n`);
    progress(100);
    log('slept 0 ms in 1 step(s)');
    return { slept: 0 };
  },
});

function main(): void {
  const url = process.env.FLIGHTDECK_URL;
  const apiKey = process.env.FLIGHTDECK_WORKER_KEY;
  if (!url || !apiKey) throw new Error('set FLIGHTDECK_URL and FLIGHTDECK_WORKER_KEY');
  const worker = startWorker({
    url,
    apiKey,
    types: [noop],
    concurrency: Number(process.env.CONCURRENCY ?? 50),
    onError: (error) => process.stderr.write(`worker: ${error.message}\n`),
  });
  worker.ready.then(
    (ready) => process.stdout.write(`${JSON.stringify({ ready })}\n`),
    (error: unknown) => {
      process.stderr.write(`refused: ${String(error)}\n`);
      process.exit(1);
    },
  );
  stopOnSignals(worker, { timeoutMs: 1_000 });
}

if (require.main === module) main();
