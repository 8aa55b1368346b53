import type { Job, StreamEvent, SubscribeAck, SubscribeRequest } from '@flightdeck/contract';
import { buildJob, progressEvent, stateEvent } from '../../test/support/job-factory';
import type { JobList, JobsApi } from '../api/api-client';
import { ApiError } from '../api/api-client';
import { RealtimeClient, type RealtimeSnapshot, type RealtimeSocket } from './realtime-client';

/** Stands in for a socket.io-client socket; the test plays the gateway. */
class FakeSocket {
  connected = false;
  active = true;
  readonly subscribes: { request: SubscribeRequest; answer: (ack: SubscribeAck) => void }[] = [];
  private readonly handlers = new Map<string, ((...args: unknown[]) => void)[]>();

  on(name: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler]);
    return this;
  }
  removeAllListeners() {
    this.handlers.clear();
    return this;
  }
  /** What the client sent besides subscribes (presence, typing). */
  readonly emitted: { name: string; payload: unknown }[] = [];
  emit(name: string, payload: unknown) {
    this.emitted.push({ name, payload });
    return this;
  }
  timeout() {
    return {
      emitWithAck: (_name: 'subscribe', request: SubscribeRequest) =>
        new Promise<SubscribeAck>((answer) => this.subscribes.push({ request, answer })),
    };
  }
  connect() {
    this.active = true;
    return this;
  }
  disconnect() {
    this.active = false;
    this.connected = false;
    return this;
  }

  // What the gateway does:
  fire(name: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(name) ?? []) handler(...args);
  }
  open() {
    this.connected = true;
    this.fire('connect');
  }
  drop() {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
  send(...events: StreamEvent[]) {
    for (const event of events) this.fire('event', event);
  }
  lastSubscribe() {
    const last = this.subscribes.at(-1);
    if (!last) throw new Error('no subscribe was sent');
    return last;
  }
}

/** A REST API whose list answer the test releases when it wants. */
class FakeApi implements JobsApi {
  jobs: Job[] = [];
  listCalls = 0;
  private pending: (() => void)[] = [];
  holdLists = false;

  submitJob(): Promise<Job> {
    throw new Error('not used');
  }
  async listJobs(): Promise<JobList> {
    this.listCalls++;
    const answer = { items: [...this.jobs], nextCursor: null };
    if (!this.holdLists) return answer;
    return new Promise((resolve) => this.pending.push(() => resolve(answer)));
  }
  async getJob(id: string): Promise<Job> {
    const job = this.jobs.find((candidate) => candidate.id === id);
    if (!job) throw new ApiError('not found', 404, 'not_found');
    return job;
  }
  release() {
    for (const resolve of this.pending.splice(0)) resolve();
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup() {
  const socket = new FakeSocket();
  const api = new FakeApi();
  const client = new RealtimeClient({ token: 'key', api, connect: () => socket as unknown as RealtimeSocket });
  const seen: RealtimeSnapshot[] = [];
  client.subscribe((snapshot) => seen.push(snapshot));
  return { socket, api, client, seen, statuses: () => [...client.snapshot.jobs.values()].map((job) => job.status) };
}

/** Connects and completes the first load with `jobs` at stream position `seq`. */
async function goLive(harness: ReturnType<typeof setup>, jobs: Job[], seq: number) {
  harness.api.jobs = jobs;
  harness.client.start();
  harness.socket.open();
  harness.socket.lastSubscribe().answer({ ok: true, seq });
  await settle();
  expect(harness.client.snapshot.connection).toBe('live');
}

afterEach(() => jest.useRealTimers());

describe('RealtimeClient', () => {
  it('subscribes to the workspace, loads the jobs from REST and applies what arrived meanwhile after the ack', async () => {
    const harness = setup();
    const { socket, api, client } = harness;
    const job = buildJob({ status: 'active', progress: 10 });
    api.jobs = [job];
    api.holdLists = true;

    client.start();
    expect(client.snapshot.connection).toBe('connecting');
    socket.open();
    expect(socket.lastSubscribe().request).toEqual({ topic: 'workspace' });
    socket.lastSubscribe().answer({ ok: true, seq: 5 });
    await settle();
    // While the list loads: one event already in it (seq 5), two after it.
    socket.send(progressEvent(5, job.id, 99), progressEvent(6, job.id, 20), progressEvent(7, job.id, 30));
    expect(client.snapshot.connection).toBe('connecting');
    api.release();
    await settle();

    expect(client.snapshot).toMatchObject({ connection: 'live', lastSeq: 7, problem: null });
    expect(client.snapshot.jobs.get(job.id)?.progress).toBe(30);
  });

  it('applies live events once: a repeated or older seq is ignored', async () => {
    const harness = setup();
    const job = buildJob();
    await goLive(harness, [], 3);

    harness.socket.send(stateEvent(4, 'job.queued', job), stateEvent(5, 'job.active', { ...job, status: 'active' }));
    harness.socket.send(stateEvent(4, 'job.queued', job), progressEvent(2, job.id, 80));
    expect(harness.statuses()).toEqual(['active']);
    expect(harness.client.snapshot.jobs.get(job.id)?.progress).toBe(0);
    expect(harness.client.snapshot.lastSeq).toBe(5);
  });

  it('after a reconnect resubscribes with since = last applied seq and skips what it already has', async () => {
    const harness = setup();
    const { socket, api, client } = harness;
    const job = buildJob({ status: 'active' });
    await goLive(harness, [job], 10);
    socket.send(progressEvent(11, job.id, 40));

    socket.drop();
    expect(client.snapshot.connection).toBe('reconnecting');
    socket.open();
    expect(socket.lastSubscribe().request).toEqual({ topic: 'workspace', since: 11 });
    // The replay, overlapping what was applied, then the ack.
    socket.send(progressEvent(11, job.id, 40), progressEvent(12, job.id, 60));
    socket.send(stateEvent(13, 'job.completed', { ...job, status: 'completed', progress: 100 }));
    socket.lastSubscribe().answer({ ok: true, seq: 13 });
    await settle();

    expect(client.snapshot).toMatchObject({ connection: 'live', lastSeq: 13 });
    expect(client.snapshot.jobs.get(job.id)).toMatchObject({ status: 'completed', progress: 100 });
    expect(api.listCalls).toBe(1);
  });

  it('on resync reloads the jobs from REST and continues from the ack seq', async () => {
    const harness = setup();
    const { socket, api, client } = harness;
    const kept = buildJob({ status: 'active' });
    await goLive(harness, [kept], 10);

    socket.drop();
    socket.open();
    expect(socket.lastSubscribe().request).toEqual({ topic: 'workspace', since: 10 });
    // The server no longer has seq 11: it says so, replays what it kept, and acks at 500.
    const landed = buildJob({ status: 'completed', progress: 100 });
    api.jobs = [landed, { ...kept, status: 'failed' }];
    api.holdLists = true;
    socket.fire('resync', { topic: 'workspace', reason: 'gap' });
    socket.send(progressEvent(480, kept.id, 10));
    socket.lastSubscribe().answer({ ok: true, seq: 500 });
    await settle();
    // A live event after the ack, while the list is still loading.
    const next = buildJob();
    socket.send(stateEvent(501, 'job.queued', next));
    api.release();
    await settle();

    expect(api.listCalls).toBe(2);
    expect(client.snapshot).toMatchObject({ connection: 'live', lastSeq: 501 });
    expect([...client.snapshot.jobs.keys()]).toEqual([next.id, landed.id, kept.id]);
    expect(client.snapshot.jobs.get(kept.id)?.status).toBe('failed');
  });

  it('after a resync while live (overflow) subscribes afresh and reloads', async () => {
    const harness = setup();
    const { socket, api, client } = harness;
    await goLive(harness, [], 10);
    const job = buildJob();
    api.jobs = [job];

    socket.fire('resync', { topic: 'workspace', reason: 'overflow' });
    // Events are not applied until the reload: the stream has a hole before them.
    socket.send(stateEvent(40, 'job.queued', buildJob()));
    expect(socket.lastSubscribe().request).toEqual({ topic: 'workspace' });
    socket.lastSubscribe().answer({ ok: true, seq: 50 });
    await settle();

    expect(api.listCalls).toBe(2);
    expect(client.snapshot).toMatchObject({ connection: 'live', lastSeq: 50 });
    expect([...client.snapshot.jobs.keys()]).toEqual([job.id]);
  });

  it('fetches a job it does not know when an event carries only part of it', async () => {
    const harness = setup();
    const { socket, api, client } = harness;
    await goLive(harness, [], 0);
    const job = buildJob({ status: 'active', progress: 50 });
    api.jobs = [job];

    socket.send(progressEvent(1, job.id, 50));
    await settle();
    expect(client.snapshot.jobs.get(job.id)).toEqual(job);
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

  it('retries the load with backoff when REST fails, and stays connecting meanwhile', async () => {
    jest.useFakeTimers();
    const { socket, api, client } = setup();
    let failures = 1;
    const list = api.listJobs.bind(api);
    api.listJobs = async () => {
      if (failures-- > 0) throw new ApiError('A backing service is unavailable.', 503, 'service_unavailable');
      return list();
    };
    client.start();
    socket.open();
    socket.lastSubscribe().answer({ ok: true, seq: 1 });
    await jest.advanceTimersByTimeAsync(0);
    expect(client.snapshot).toMatchObject({
      connection: 'connecting',
      problem: { message: 'A backing service is unavailable.', unauthorized: false },
    });
    await jest.advanceTimersByTimeAsync(1_000);
    socket.lastSubscribe().answer({ ok: true, seq: 2 });
    await jest.advanceTimersByTimeAsync(0);
    expect(client.snapshot).toMatchObject({ connection: 'live', problem: null, lastSeq: 2 });
  });

  it('tells listeners about every change with a new snapshot, and stops when they unsubscribe', async () => {
    const harness = setup();
    const { socket, client, seen } = harness;
    await goLive(harness, [], 0);
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

  it('remembers a submitted job until the stream says more', async () => {
    const harness = setup();
    await goLive(harness, [], 0);
    const job = buildJob();
    harness.client.remember(job);
    expect(harness.client.snapshot.jobs.get(job.id)).toBe(job);
  });

  it('stops for good: offline, socket closed', async () => {
    const harness = setup();
    await goLive(harness, [], 0);
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
      api: new FakeApi(),
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
  it('stops trying when the gateway says the workspace is not the caller’s', () => {
    jest.useFakeTimers();
    const { socket, client } = setup();
    client.start();
    socket.active = false;
    let reconnects = 0;
    socket.connect = () => {
      reconnects++;
      return socket;
    };
    socket.fire('connect_error', new Error('not_found: no workspace "acme" that you are a member of'));
    expect(client.snapshot).toMatchObject({
      connection: 'offline',
      problem: { message: 'No workspace "acme" that you are a member of.', unauthorized: false },
    });
    jest.advanceTimersByTime(60_000);
    expect(reconnects).toBe(0);
  });

  it('connects again later when the gateway limits handshakes from this address: the key is not given up', () => {
    jest.useFakeTimers();
    const { socket, client } = setup();
    client.start();
    socket.active = false;
    let reconnects = 0;
    socket.connect = () => {
      reconnects++;
      return socket;
    };
    socket.fire(
      'connect_error',
      Object.assign(new Error('rate_limited: too many connection attempts from this address; try again in 1 s'), {
        data: { code: 'rate_limited', message: 'too many connection attempts from this address', retryAfterSeconds: 1 },
      }),
    );
    expect(client.snapshot).toMatchObject({ connection: 'connecting', problem: { unauthorized: false } });
    jest.advanceTimersByTime(1_000);
    expect(reconnects).toBe(1);
  });

  it('passes on that the credentials were revoked', () => {
    const socket = new FakeSocket();
    const notices: unknown[] = [];
    const client = new RealtimeClient({
      workspace: 'acme',
      api: new FakeApi(),
      connect: () => socket as unknown as RealtimeSocket,
      onRevoked: (notice) => notices.push(notice),
    });
    client.start();
    socket.fire('revoked', { reason: 'member' });
    expect(notices).toEqual([{ reason: 'member' }]);
  });

  it('tells stream listeners each applied event once, and when a reload after a gap may have missed some', async () => {
    const harness = setup();
    const { socket, client } = harness;
    const seen: string[] = [];
    let reloads = 0;
    const stop = client.listen({
      event: (event) => seen.push(`${event.seq} ${event.type}`),
      reloaded: () => reloads++,
    });
    const job = buildJob({ status: 'active' });
    await goLive(harness, [job], 5);
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
    await goLive(harness, [], 0);
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
