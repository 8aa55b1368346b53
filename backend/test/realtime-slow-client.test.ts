import { io, type Socket } from 'socket.io-client';
import type { ResyncNotice, StreamEvent, SubscribeAck } from '@flightdeck/contract';
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

interface PollingTransport {
  readyState: string;
  pause(onPause: () => void): void;
  _poll(): void;
}

it('drops a client that stops reading to an overflow resync, and keeps serving the others', async () => {
  const healthy = await RealtimeClient.connect(app.url, app.apiKey);
  await healthy.subscribeOk({ topic: 'workspace' });

  // The slow client uses long-polling and stops polling: the gateway must buffer what it sends it.
  const slow: Socket = io(app.url, {
    transports: ['polling'],
    auth: { token: app.apiKey },
    reconnection: false,
    forceNew: true,
  });
  const slowEvents: StreamEvent[] = [];
  const slowResyncs: ResyncNotice[] = [];
  slow.on('event', (event: StreamEvent) => slowEvents.push(event));
  slow.on('resync', (notice: ResyncNotice) => slowResyncs.push(notice));
  await new Promise<void>((resolve, reject) => {
    slow.once('connect', resolve);
    slow.once('connect_error', reject);
  });
  const ack = (await slow.timeout(10_000).emitWithAck('subscribe', { topic: 'workspace' })) as SubscribeAck;
  expect(ack.ok).toBe(true);
  // Pausing waits for the poll in flight to end; the first event of a job ends it.
  const transport = (slow.io as unknown as { engine: { transport: PollingTransport } }).engine.transport;
  const paused = new Promise<void>((resolve) => transport.pause(resolve));
  expect((await app.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 0 } })).status).toBe(202);
  await paused;

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
  transport.readyState = 'open';
  transport._poll();
  await waitFor('the overflow resync', () => slowResyncs.some((notice) => notice.reason === 'overflow'), 15_000);
  expect(slowResyncs).toContainEqual({ topic: 'workspace', reason: 'overflow' });
  const finalSeq = healthy.lastSeq();
  expect(slowEvents.length).toBeGreaterThan(0);
  expect(slowEvents.at(-1)!.seq).toBeLessThan(finalSeq);
  slow.close();
});
