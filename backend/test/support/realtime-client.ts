import type { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  ErrorCode,
  ResyncNotice,
  RevokedNotice,
  ServerToClientEvents,
  StreamEvent,
  SubscribeAck,
  SubscribeRequest,
} from '@flightdeck/contract';
import { decodeWorkspaceEntry, type RedisKeys } from '@flightdeck/workers';
import { waitFor } from './test-services';

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 10_000;
const open = new Set<RealtimeClient>();

/** How a client authenticates its handshake: `auth` (token and/or workspace slug) and HTTP headers (cookie, origin). */
export interface HandshakeOptions {
  auth?: { token?: string; workspace?: string };
  headers?: Record<string, string>;
}

/** engine.io's long-polling transport, as far as a test that stops a client from reading reaches into it. */
interface PollingTransport {
  readyState: string;
  pause(onPause: () => void): void;
  _poll(): void;
}

/** A refused handshake: socket.io-client's `connect_error`, with the server's `{ code, message }` (and `retryAfterSeconds` when rate limited). */
export type ConnectError = Error & { data?: { code: ErrorCode; message: string; retryAfterSeconds?: number } };

/**
 * A Socket.io client of the gateway, as a browser would use it (WebSocket only), that records every
 * `event` and `resync` it receives, in arrival order. It never reconnects by itself: a test that
 * wants to resume does so explicitly, with `since`.
 */
export class RealtimeClient {
  readonly events: StreamEvent[] = [];
  readonly resyncs: ResyncNotice[] = [];
  /** `revoked` notices, in arrival order (the gateway sends one just before it disconnects). */
  readonly revocations: RevokedNotice[] = [];
  /** Why the socket disconnected, and when (epoch ms), once it has. */
  disconnectReason: string | null = null;
  disconnectedAt: number | null = null;
  /** Whether a `revoked` notice had arrived when the socket disconnected. */
  revokedBeforeDisconnect = false;

  private constructor(readonly socket: RealtimeSocket) {
    socket.on('event', (event) => this.events.push(event));
    socket.on('resync', (notice) => this.resyncs.push(notice));
    socket.on('revoked', (notice) => this.revocations.push(notice));
    socket.on('disconnect', (reason) => {
      this.disconnectReason = reason;
      this.disconnectedAt = Date.now();
      this.revokedBeforeDisconnect = this.revocations.length > 0;
    });
  }

  /** Connects with `auth: { token }`; rejects with the `connect_error` when the handshake is refused. */
  static connect(url: string, token: string | undefined): Promise<RealtimeClient> {
    return RealtimeClient.open(url, token === undefined ? {} : { auth: { token } });
  }

  /**
   * Connects with any handshake: a session as the console's page does it is
   * `{ auth: { workspace: slug }, headers: { cookie, origin } }` (Node's WebSocket sends the headers).
   * On `polling` (long-polling only), the client can stop reading (`stopPolling`).
   */
  static async open(
    url: string,
    handshake: HandshakeOptions,
    transport: 'websocket' | 'polling' = 'websocket',
  ): Promise<RealtimeClient> {
    const socket: RealtimeSocket = io(url, {
      path: '/socket.io',
      transports: [transport],
      reconnection: false,
      forceNew: true,
      timeout: 10_000,
      ...(handshake.auth ? { auth: handshake.auth } : {}),
      ...(handshake.headers ? { extraHeaders: handshake.headers } : {}),
    });
    const client = new RealtimeClient(socket);
    open.add(client);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** The seq of the last event received, or `fallback` when none came yet. */
  lastSeq(fallback = 0): number {
    return this.events.at(-1)?.seq ?? fallback;
  }

  subscribe(request: SubscribeRequest): Promise<SubscribeAck> {
    return this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('subscribe', request);
  }

  /** Sends anything as a `subscribe` payload, for validation tests. */
  subscribeRaw(payload: unknown): Promise<SubscribeAck> {
    const socket = this.socket as unknown as Socket;
    return socket.timeout(ACK_TIMEOUT_MS).emitWithAck('subscribe', payload) as Promise<SubscribeAck>;
  }

  /** Subscribes and fails unless the ack is `ok`; returns the ack's seq. */
  async subscribeOk(request: SubscribeRequest): Promise<number> {
    const ack = await this.subscribe(request);
    if (!ack.ok) throw new Error(`subscribe ${JSON.stringify(request)} refused: ${JSON.stringify(ack.error)}`);
    return ack.seq;
  }

  eventsOf(jobId: string): StreamEvent[] {
    return this.events.filter((event) => event.jobId === jobId);
  }

  /** Waits until the events received so far satisfy `predicate`; returns them. */
  async waitForEvents(
    what: string,
    predicate: (events: StreamEvent[]) => boolean,
    timeoutMs = 20_000,
  ): Promise<StreamEvent[]> {
    await waitFor(`${what} (${this.events.length} events so far)`, () => predicate(this.events), timeoutMs, 20);
    return this.events;
  }

  /** Waits for the first received event that matches. */
  waitForEvent(what: string, match: (event: StreamEvent) => boolean, timeoutMs = 20_000): Promise<StreamEvent> {
    return waitFor(what, () => this.events.find(match), timeoutMs, 20);
  }

  /** Waits until an event with at least this seq has arrived. */
  waitForSeq(seq: number, timeoutMs = 20_000): Promise<StreamEvent[]> {
    return this.waitForEvents(`an event with seq ≥ ${seq}`, () => this.lastSeq() >= seq, timeoutMs);
  }

  /** Waits until each of these jobs has had its final event. */
  waitForFinished(jobIds: readonly string[], timeoutMs = 30_000): Promise<StreamEvent[]> {
    return this.waitForEvents(
      `${jobIds.length} job(s) to finish`,
      (events) => {
        const finished = new Set(events.filter((event) => isFinal(event)).map((event) => event.jobId));
        return jobIds.every((id) => finished.has(id));
      },
      timeoutMs,
    );
  }

  waitForResync(what: string, match: (notice: ResyncNotice) => boolean, timeoutMs = 20_000): Promise<ResyncNotice> {
    return waitFor(what, () => this.resyncs.find(match), timeoutMs, 20);
  }

  /**
   * A client's own logic when its gateway goes away: once this socket disconnects (`onDisconnect` is
   * told why), connect to the gateway at `url` and subscribe to the workspace again after the last seq
   * seen (`start` if none); resolves with the new client and that seq.
   */
  resumeWorkspaceOnDisconnect(
    url: string,
    token: string,
    start: number,
    onDisconnect?: (reason: string) => void,
  ): Promise<{ client: RealtimeClient; since: number }> {
    return new Promise((resolve, reject) => {
      this.socket.once('disconnect', (reason) => {
        onDisconnect?.(reason);
        const since = this.lastSeq(start);
        RealtimeClient.connect(url, token)
          .then(async (client) => {
            await client.subscribeOk({ topic: 'workspace', since });
            resolve({ client, since });
          })
          .catch(reject);
      });
    });
  }

  /**
   * A client on `polling` stops polling, so that what the gateway sends it waits in the gateway's
   * buffer: resolves once the poll in flight has ended (the next packet the gateway sends ends it).
   */
  stopPolling(): Promise<void> {
    const transport = this.pollingTransport();
    return new Promise((resolve) => transport.pause(resolve));
  }

  /** Polls again after `stopPolling`: what the gateway buffered comes. */
  resumePolling(): void {
    const transport = this.pollingTransport();
    transport.readyState = 'open';
    transport._poll();
  }

  private pollingTransport(): PollingTransport {
    return (this.socket.io as unknown as { engine: { transport: PollingTransport } }).engine.transport;
  }

  close(): void {
    this.socket.removeAllListeners('connect_error');
    this.socket.disconnect();
    open.delete(this);
  }
}

export const isFinal = (event: StreamEvent) =>
  event.type === 'job.completed' || event.type === 'job.failed' || event.type === 'job.cancelled';

/** Connects and expects the handshake to be refused; returns the `connect_error`. */
export function refusedConnection(url: string, token: string | undefined): Promise<ConnectError> {
  return refusedHandshake(url, token === undefined ? {} : { auth: { token } });
}

/** `refusedConnection` with any handshake (see `RealtimeClient.open`). */
export async function refusedHandshake(url: string, handshake: HandshakeOptions): Promise<ConnectError> {
  try {
    const client = await RealtimeClient.open(url, handshake);
    client.close();
  } catch (error) {
    return error as ConnectError;
  }
  throw new Error('the handshake was accepted');
}

/** Disconnects every client this module connected; call in afterEach / afterAll. */
export function closeAllClients(): void {
  for (const client of open) client.close();
}

/** Every event a workspace's stream in Redis retains, oldest first: what the gateway should deliver. */
export async function retainedEvents(redis: Redis, keys: RedisKeys, workspaceId: string): Promise<StreamEvent[]> {
  const entries = await redis.xrange(keys.workspaceEvents(workspaceId), '-', '+');
  return entries.map(decodeWorkspaceEntry);
}

/** The ids of the jobs whose final event is among `events`. */
export const finishedJobs = (events: StreamEvent[]) => new Set(events.filter(isFinal).map((event) => event.jobId));

export const seqsOf = (events: StreamEvent[]) => events.map((event) => event.seq);
