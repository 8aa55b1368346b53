import { FlightdeckClient, type StreamEvent } from '@flightdeck/sdk';
import { startTestFlightdeck, type TestFlightdeck } from './support/flightdeck-harness';
import { waitFor } from './support/test-services';

// The SDK's realtime subscription when the client comes back later than the stream reaches: the
// server says `resync`, the handler is told (to reload from REST), and the subscription goes on live
// from the stream's head, each event once.

const seqsOf = (events: StreamEvent[]) => events.map((event) => event.seq);
let client: FlightdeckClient | undefined;
afterEach(() => client?.close());

describe('FlightdeckClient.subscribe past the retained stream', () => {
  let small: TestFlightdeck;
  beforeAll(async () => {
    small = await startTestFlightdeck({ EVENT_RETENTION: '100' });
  });
  afterAll(() => small?.stop());

  it('calls `resync` when `since` is older than what is retained, then goes on live', async () => {
    client = new FlightdeckClient({ url: small.url, apiKey: small.apiKey });
    const batch = Array.from({ length: 200 }, () => ({ type: 'demo.sleep', payload: { ms: 0 } }));
    const response = await small.http.post('/v1/jobs/batch', { jobs: batch });
    expect(response.status).toBe(202);
    const ids = (response.body.jobs as { id: string }[]).map((job) => job.id);
    await client.waitFor(ids.at(-1)!, { timeoutMs: 30_000 });
    const resyncs: unknown[] = [];
    const events: StreamEvent[] = [];
    const subscription = client.subscribe(
      { topic: 'workspace' },
      { event: (event) => events.push(event), resync: (notice) => resyncs.push(notice) },
      { since: 1 },
    );
    await waitFor('a resync', () => resyncs.length > 0, 10_000);
    expect(resyncs[0]).toMatchObject({ topic: 'workspace', reason: 'gap' });
    // After the resync it follows from the stream's head: a new job's events arrive, each once.
    await waitFor('resubscribed', () => subscription.lastSeq !== undefined && subscription.lastSeq > 1, 10_000);
    const after = subscription.lastSeq!;
    const job = await client.submit('demo.sleep', { ms: 0 });
    await client.waitFor(job.id, { timeoutMs: 20_000 });
    await waitFor(
      'the new job completed',
      () => events.some((e) => e.jobId === job.id && e.type === 'job.completed'),
      10_000,
    );
    const fresh = events.filter((event) => event.seq > after);
    expect(seqsOf(fresh)).toEqual([...new Set(seqsOf(fresh))].sort((a, b) => a - b));
  });
});
