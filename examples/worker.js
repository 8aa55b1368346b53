// A worker process of your own: runs the example's job types for the workspace its key belongs to.
//   FLIGHTDECK_URL=http://localhost:8080 FLIGHTDECK_WORKER_KEY=fd_… npm run worker
// It needs nothing but Flightdeck's URL and a key with the scope workers:run. Each line it prints is
// JSON (ready, start, end), which the tests read.
const { startWorker, stopOnSignals } = require('@flightdeck/sdk');
const { reportRender, flakyFetch } = require('./job-types');

const url = process.env.FLIGHTDECK_URL ?? 'http://localhost:8080';
const apiKey = process.env.FLIGHTDECK_WORKER_KEY;
const concurrency = Number(process.env.CONCURRENCY ?? 5);
if (!apiKey) {
  console.error('set FLIGHTDECK_WORKER_KEY to an API key with the scope workers:run');
  process.exit(2);
}

const print = (line) => process.stdout.write(`${JSON.stringify({ ...line, pid: process.pid })}\n`);

// Counts the jobs running in this process, to show that Flightdeck never sends more than `concurrency`.
let running = 0;
const counted = (definition) => ({
  ...definition,
  async run(payload, context) {
    running++;
    print({ event: 'start', jobId: context.jobId, attempt: context.attempt, running });
    try {
      return await definition.run(payload, context);
    } finally {
      running--;
      print({ event: 'end', jobId: context.jobId, running });
    }
  },
});

const worker = startWorker({
  url,
  apiKey,
  concurrency,
  types: [counted(reportRender), counted(flakyFetch)],
  onError: (error) => print({ event: 'error', message: error.message }),
});
worker.ready.then(
  ({ workerId, types }) => print({ event: 'ready', workerId, types }),
  (error) => {
    print({ event: 'refused', message: error.message });
    process.exit(1);
  },
);

// SIGTERM (Kubernetes, docker stop) or Ctrl-C: no new jobs; the running ones get FLIGHTDECK_DRAIN_MS
// (10 s if unset) to finish, the rest go back to their queue at once and run elsewhere; then exit 0.
stopOnSignals(worker);
