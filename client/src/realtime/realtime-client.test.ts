import { ManualAckSocket } from '../../test/support/fake-socket';
import { buildJob, progressEvent, stateEvent } from '../../test/support/job-factory';
import { RealtimeClient, type RealtimeSnapshot, type RealtimeSocket } from './realtime-client';

/** Stands in for a socket.io-client socket; the test plays the gateway. */
class FakeSocket extends ManualAckSocket {
  /** What the client sent besides subscribes (presence, typing). */
  readonly emitted: { name: string; payload: unknown }[] = [];
  emit(name: string, payload: unknown) {
    this.emitted.push({ name, payload });
    return this;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

// The client is a transport: it reads nothing over REST (each view reads its own data, and again
// when told `reloaded`). What it delivers is checked here; what views make of it, in their tests.
function setup() {
  const socket = new FakeSocket();
  const client = new RealtimeClient({ token: 'key', connect: () => socket as unknown as RealtimeSocket });
  const seen: RealtimeSnapshot[] = [];
  client.subscribe((snapshot) => seen.push(snapshot));
  const delivered: string[] = [];
  client.listen({
    event: (event) => delivered.push(`${event.seq} ${event.type}`),
    reloaded: () => void delivered.push('reloaded'),
  });
  return { socket, client, seen, delivered };
}

/** Connects, and the gateway acks the first subscribe at stream position `seq`. */
async function goLive(harness: ReturnType<typeof setup>, seq: number) {
  harness.client.start();
  harness.socket.open();
  harness.socket.lastSubscribe().answer({ ok: true, seq });
  await settle();
  expect(harness.client.snapshot.connection).toBe('live');
}

afterEach(() => jest.useRealTimers());

describe('RealtimeClient', () => {
  it('subscribes to the workspace and delivers what arrived before the ack after it, past the ack seq only', async () => {
    const { socket, client, delivered } = setup();
    const job = buildJob({ status: 'active', progress: 10 });

    client.start();
    expect(client.snapshot.connection).toBe('connecting');
    socket.open();
    expect(socket.lastSubscribe().request).toEqual({ topic: 'workspace' });
    // Before the ack: one event a read after the ack already shows (seq 5), two after it.
    socket.send(progressEvent(5, job.id, 99), progressEvent(6, job.id, 20), progressEvent(7, job.id, 30));
    expect(client.snapshot.connection).toBe('connecting');
    expect(delivered).toEqual([]);
    socket.lastSubscribe().answer({ ok: true, seq: 5 });
    await settle();

    expect(client.snapshot).toMatchObject({ connection: 'live', lastSeq: 7, problem: null });
    expect(delivered).toEqual(['6 job.progress', '7 job.progress']);
  });

  it('delivers live events once: a repeated or older seq is ignored', async () => {
    const harness = setup();
    const job = buildJob();
    await goLive(harness, 3);

    harness.socket.send(stateEvent(4, 'job.queued', job), stateEvent(5, 'job.active', { ...job, status: 'active' }));
    harness.socket.send(stateEvent(4, 'job.queued', job), progressEvent(2, job.id, 80));
    expect(harness.delivered).toEqual(['4 job.queued', '5 job.active']);
    expect(harness.client.snapshot.lastSeq).toBe(5);
  });

  it('after a reconnect resubscribes with since = last delivered seq and skips what it already delivered', async () => {
    const harness = setup();
    const { socket, client, delivered } = harness;
    const job = buildJob({ status: 'active' });
    await goLive(harness, 10);
    socket.send(progressEvent(11, job.id, 40));

    socket.drop();
    expect(client.snapshot.connection).toBe('reconnecting');
    socket.open();
    expect(socket.lastSubscribe().request).toEqual({ topic: 'workspace', since: 11 });
    // The replay, overlapping what was delivered, then the ack.
    socket.send(progressEvent(11, job.id, 40), progressEvent(12, job.id, 60));
    socket.send(stateEvent(13, 'job.completed', { ...job, status: 'completed', progress: 100 }));
    socket.lastSubscribe().answer({ ok: true, seq: 13 });
    await settle();

    expect(client.snapshot).toMatchObject({ connection: 'live', lastSeq: 13 });
    // No gap: the views have nothing to read again.
    expect(delivered).toEqual(['11 job.progress', '12 job.progress', '13 job.completed']);
  });

  it('on resync tells the views to read again once the ack is in, and continues from the ack seq', async () => {
    const harness = setup();
    const { socket, client, delivered } = harness;
    const kept = buildJob({ status: 'active' });
    await goLive(harness, 10);

    socket.drop();
    socket.open();
    expect(socket.lastSubscribe().request).toEqual({ topic: 'workspace', since: 10 });
    // The server no longer has seq 11: it says so, replays what it kept, and acks at 500.
    socket.fire('resync', { topic: 'workspace', reason: 'gap' });
    socket.send(progressEvent(480, kept.id, 10));
    expect(delivered).toEqual([]);
    socket.lastSubscribe().answer({ ok: true, seq: 500 });
    await settle();
    // A live event after the ack.
    socket.send(stateEvent(501, 'job.queued', buildJob()));

    expect(client.snapshot).toMatchObject({ connection: 'live', lastSeq: 501 });
    // One read per view (after the ack, so it shows everything up to 500), then what came after.
    expect(delivered).toEqual(['reloaded', '501 job.queued']);
  });

  it('after a resync while live (overflow) subscribes afresh and tells the views to read again', async () => {
    const harness = setup();
    const { socket, client, delivered } = harness;
    await goLive(harness, 10);

    socket.fire('resync', { topic: 'workspace', reason: 'overflow' });
    // Events are not delivered until the ack: the stream has a hole before them.
    socket.send(stateEvent(40, 'job.queued', buildJob()));
    expect(socket.lastSubscribe().request).toEqual({ topic: 'workspace' });
    socket.lastSubscribe().answer({ ok: true, seq: 50 });
    await settle();

    expect(client.snapshot).toMatchObject({ connection: 'live', lastSeq: 50 });
    expect(delivered).toEqual(['reloaded']);
  });

  it('is live once the views that read again (first subscription, or after a gap) have their data', async () => {
    const { socket, client, delivered } = setup();
    const reads: (() => void)[] = [];
    const read = () => new Promise<void>((done) => reads.push(done));
    client.listen({ subscribed: read, reloaded: read });

    client.start();
    socket.open();
    socket.lastSubscribe().answer({ ok: true, seq: 10 });
    await settle();
    // The events after the ack are delivered meanwhile (the view keeps them for after its read).
    socket.send(progressEvent(11, 'job_1', 10));
    expect(delivered).toEqual(['11 job.progress']);
    expect(client.snapshot.connection).toBe('connecting');
    reads.shift()!();
    await settle();
    expect(client.snapshot.connection).toBe('live');

    // A resumed subscription asks nothing of the views; a gap does.
    socket.drop();
    socket.open();
    socket.lastSubscribe().answer({ ok: true, seq: 11 });
    await settle();
    expect(client.snapshot.connection).toBe('live');
    socket.fire('resync', { topic: 'workspace', reason: 'overflow' });
    socket.lastSubscribe().answer({ ok: true, seq: 20 });
    await settle();
    expect(reads).toHaveLength(1);
    reads.shift()!();
    await settle();
    expect(client.snapshot).toMatchObject({ connection: 'live', lastSeq: 20 });
  });

  it('goes offline with the reason when the gateway refuses the key', () => {
    const { socket, client } = setup();
    client.start();
    socket.active = false;
    socket.fire('connect_error', new Error('unauthorized: invalid or revoked API key'));
    expect(client.snapshot).toMatchObject({
      connection: 'offline',
      problem: { message: 'Invalid or revoked API key.', unauthorized: true },
    });
  });

  it('retries the subscribe with backoff when the gateway cannot serve it, and stays connecting meanwhile', async () => {
    jest.useFakeTimers();
    const { socket, client } = setup();
    client.start();
    socket.open();
    socket.lastSubscribe().answer({
      ok: false,
      error: { code: 'service_unavailable', message: 'A backing service is unavailable.' },
    });
    await jest.advanceTimersByTimeAsync(0);
    expect(client.snapshot).toMatchObject({
      connection: 'connecting',
      problem: { message: 'A backing service is unavailable.', unauthorized: false },
    });
    const subscribes = socket.subscribes.length;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(socket.subscribes).toHaveLength(subscribes + 1);
    socket.lastSubscribe().answer({ ok: true, seq: 2 });
    await jest.advanceTimersByTimeAsync(0);
    expect(client.snapshot).toMatchObject({ connection: 'live', problem: null, lastSeq: 2 });
  });

  it('goes offline when the subscribe is refused as unauthorized', async () => {
    const { socket, client } = setup();
    client.start();
    socket.open();
    socket.lastSubscribe().answer({ ok: false, error: { code: 'unauthorized', message: 'the session has ended' } });
    await settle();
    expect(client.snapshot).toMatchObject({
      connection: 'offline',
      problem: { message: 'The session has ended.', unauthorized: true },
    });
  });

  it('tells listeners about every change with a new snapshot, and stops when they unsubscribe', async () => {
    const harness = setup();
    const { socket, client, seen } = harness;
    await goLive(harness, 0);
    const count = seen.length;
    socket.send(stateEvent(1, 'job.queued', buildJob()));
    expect(seen).toHaveLength(count + 1);
    expect(seen.at(-1)).not.toBe(seen.at(-2));

    const late: RealtimeSnapshot[] = [];
    const stop = client.subscribe((snapshot) => late.push(snapshot));
    expect(late).toEqual([client.snapshot]);
    stop();
    socket.send(stateEvent(2, 'job.queued', buildJob()));
    expect(late).toHaveLength(1);
  });

  it('stops for good: offline, socket closed', async () => {
    const harness = setup();
    await goLive(harness, 0);
    harness.client.stop();
    expect(harness.client.snapshot.connection).toBe('offline');
    expect(harness.socket.connected).toBe(false);
  });
});

describe('RealtimeClient with a session', () => {
  function connectOptions(credentials: { token: string } | { workspace: string }) {
    const socket = new FakeSocket();
    const seen: { url: string | undefined; options: Record<string, unknown> }[] = [];
    const client = new RealtimeClient({
      ...credentials,
      connect: (url, options) => {
        seen.push({ url, options: options as Record<string, unknown> });
        return socket as unknown as RealtimeSocket;
      },
    });
    client.start();
    return { seen, socket, client };
  }

  it('connects same-origin with the cookie and names the workspace, without a token', () => {
    const { seen } = connectOptions({ workspace: 'acme' });
    expect(seen[0]?.url).toBeUndefined();
    expect(seen[0]?.options).toMatchObject({ auth: { workspace: 'acme' }, withCredentials: true });
    expect(seen[0]?.options.auth).not.toHaveProperty('token');
  });

  it('connects with an API key as before', () => {
    const { seen } = connectOptions({ token: 'fd_key' });
    expect(seen[0]?.options.auth).toEqual({ token: 'fd_key' });
    expect(seen[0]?.options).not.toHaveProperty('withCredentials');
  });

  it('says the session ended when the gateway refuses it without a reason', () => {
    const { socket, client } = connectOptions({ workspace: 'acme' });
    socket.active = false;
    socket.fire('connect_error', new Error('unauthorized'));
    expect(client.snapshot.problem).toEqual({ message: 'The session has ended.', unauthorized: true });
  });
});

describe('RealtimeClient refusals', () => {
  /**
   * A started client on fake timers whose socket.io socket has given up on its own (`active` false,
   * as after a refused handshake); counts the reconnects the client itself asks for.
   */
  function refusedClient() {
    jest.useFakeTimers();
    const { socket, client } = setup();
    client.start();
    socket.active = false;
    let count = 0;
    socket.connect = () => {
      count++;
      return socket;
    };
    return { socket, client, reconnects: () => count };
  }

  it('stops trying when the gateway says the workspace is not the caller’s', () => {
    const { socket, client, reconnects } = refusedClient();
    socket.fire('connect_error', new Error('not_found: no workspace "acme" that you are a member of'));
    expect(client.snapshot).toMatchObject({
      connection: 'offline',
      problem: { message: 'No workspace "acme" that you are a member of.', unauthorized: false },
    });
    jest.advanceTimersByTime(60_000);
    expect(reconnects()).toBe(0);
  });

  it('connects again later when the gateway limits handshakes from this address: the key is not given up', () => {
    const { socket, client, reconnects } = refusedClient();
    socket.fire(
      'connect_error',
      Object.assign(new Error('rate_limited: too many connection attempts from this address; try again in 1 s'), {
        data: { code: 'rate_limited', message: 'too many connection attempts from this address', retryAfterSeconds: 1 },
      }),
    );
    expect(client.snapshot).toMatchObject({ connection: 'connecting', problem: { unauthorized: false } });
    jest.advanceTimersByTime(1_000);
    expect(reconnects()).toBe(1);
  });

  it('passes on that the credentials were revoked', () => {
    const socket = new FakeSocket();
    const notices: unknown[] = [];
    const client = new RealtimeClient({
      workspace: 'acme',
      connect: () => socket as unknown as RealtimeSocket,
      onRevoked: (notice) => notices.push(notice),
    });
    client.start();
    socket.fire('revoked', { reason: 'member' });
    expect(notices).toEqual([{ reason: 'member' }]);
  });

  it('tells stream listeners each event once, and when a reload after a gap may have missed some', async () => {
    const harness = setup();
    const { socket, client } = harness;
    const seen: string[] = [];
    let reloads = 0;
    const stop = client.listen({
      event: (event) => seen.push(`${event.seq} ${event.type}`),
      reloaded: () => reloads++,
    });
    const job = buildJob({ status: 'active' });
    await goLive(harness, 5);
    socket.send(progressEvent(5, job.id, 10), progressEvent(6, job.id, 50), progressEvent(6, job.id, 50));
    expect(seen).toEqual(['6 job.progress']);
    expect(reloads).toBe(0);

    socket.fire('resync', { topic: 'workspace', reason: 'gap' });
    socket.lastSubscribe().answer({ ok: true, seq: 20 });
    await settle();
    expect(reloads).toBe(1);
    stop();
    socket.send(progressEvent(21, job.id, 60));
    expect(seen).toEqual(['6 job.progress']);
  });

  it('says where the person is on every connect, once the app said it (presence)', async () => {
    const harness = setup();
    const { socket, client } = harness;
    client.presence.look('job_1');
    await goLive(harness, 0);
    socket.drop();
    socket.open();
    expect(socket.emitted).toEqual([
      { name: 'presence', payload: { jobId: 'job_1' } },
      { name: 'presence', payload: { jobId: 'job_1' } },
    ]);
    client.stop();
    expect(client.presence.members).toEqual([]);
  });
});
