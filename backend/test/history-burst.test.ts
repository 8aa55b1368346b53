import { startTestFlightdeck } from './support/flightdeck-harness';
import { waitFor } from './support/test-services';

describe('history under a burst', () => {
  // A batch of the history stream can touch hundreds of existing jobs at once; FerretDB 1.24 never
  // answers an update command of 100 or more such statements, so the projector writes in chunks.
  it('records every job of a 300-job batch with its final state', async () => {
    const app = await startTestFlightdeck({ PROGRESS_INTERVAL_MS: '0' });
    try {
      const batch = await app.http.post('/v1/jobs/batch', {
        jobs: Array.from({ length: 300 }, () => ({ type: 'demo.sleep', payload: { ms: 0 } })),
      });
      expect(batch.status).toBe(202);
      const ids = new Set<string>(batch.body.jobs.map((job: { id: string }) => job.id));
      await waitFor(
        'all 300 jobs completed in history',
        async () => {
          const listed: string[] = [];
          let cursor: string | null = null;
          do {
            const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await app.http.get(
              `/v1/jobs?status=completed&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
            );
            listed.push(...page.body.items.map((job) => job.id));
            cursor = page.body.nextCursor;
          } while (cursor);
          return listed.filter((id) => ids.has(id)).length === 300;
        },
        60_000,
        250,
      );
    } finally {
      await app.stop();
    }
  });
});
