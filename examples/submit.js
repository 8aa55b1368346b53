// Submits one job of each example type with the typed client and waits for it.
//   FLIGHTDECK_URL=http://localhost:8080 FLIGHTDECK_KEY=fd_… npm run submit
const { FlightdeckClient } = require('@flightdeck/sdk');
const { reportRender, flakyFetch } = require('./job-types');

async function main() {
  const client = new FlightdeckClient({
    url: process.env.FLIGHTDECK_URL ?? 'http://localhost:8080',
    apiKey: process.env.FLIGHTDECK_KEY,
  });
  try {
    const report = await client.submit(reportRender, { title: 'Quarterly', pages: 5 });
    const flaky = await client.submit(flakyFetch, { failures: 1 });
    for (const job of [report, flaky]) {
      const done = await client.waitFor(job.id, { timeoutMs: 60_000 });
      console.log(`${done.type} ${done.id}: ${done.status} after ${done.attemptsMade} attempt(s)`, done.result);
    }
  } finally {
    client.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
