import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { RealtimeClient, closeAllClients } from './support/realtime-client';
import { waitFor } from './support/test-services';

// A slow client never slows the others: once the gateway holds more than SOCKET_MAX_BUFFERED_PACKETS
// for a socket, that socket leaves its rooms and is told `resync { reason: 'overflow' }`, while a
// healthy client on the same gateway gets every event.

let app: TestFlightdeck;
beforeAll(async () => {
  app = await startTestFlightdeck({ SOCKET_MAX_BUFFERED_PACKETS: '20' });
});
afterAll(async () => {
  closeAllClients();
  await app.stop();
});

it('drops a client that stops reading to an overflow resync, and keeps serving the others', async () => {
  const healthy = await RealtimeClient.connect(app.url, app.apiKey);
  await healthy.subscribeOk({ topic: 'workspace' });

  // The slow client uses long-polling and stops polling: the gateway must buffer what it sends it.
  const slow = await RealtimeClient.open(app.url, { auth: { token: app.apiKey } }, 'polling');
  await slow.subscribeOk({ topic: 'workspace' });
  // Stopping waits for the poll in flight to end; the first event of a job ends it.
  const stopped = slow.stopPolling();
  expect((await app.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } })).status).toBe(202);
  await stopped;

  const batch = await app.http.post('/v1/jobs/batch', {
    jobs: Array.from({ length: 30 }, () => ({ type: 'demo.sleep', payload: { ms: 0 } })),
  });
  expect(batch.status).toBe(202);
  const ids: string[] = batch.body.jobs.map((job: { id: string }) => job.id);
  const delivered = await healthy.waitForFinished(ids, 30_000);
  expect(new Set(delivered.map((event) => event.seq)).size).toBe(delivered.length);

  // The gateway checks buffers every 500 ms: give it a few checks while the backlog stands.
  await new Promise((resolve) => setTimeout(resolve, 1_500));

  // Polling again, the slow client learns it was dropped, and gets nothing after that.
  slow.resumePolling();
  await waitFor('the overflow resync', () => slow.resyncs.some((notice) => notice.reason === 'overflow'), 15_000);
  expect(slow.resyncs).toContainEqual({ topic: 'workspace', reason: 'overflow' });
  const finalSeq = healthy.lastSeq();
  expect(slow.events.length).toBeGreaterThan(0);
  expect(slow.events.at(-1)!.seq).toBeLessThan(finalSeq);
  slow.close();
});
