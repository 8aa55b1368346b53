import type { RevokedNotice, StreamEvent } from '@flightdeck/contract';
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { PresenceChannel } from './presence';
import { TopicSubscription, type StreamSocket, type SubscriptionProblem } from './topic-subscription';

/** How the console's realtime link is doing, as the connection indicator shows it. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export const CONNECTION_STATES: readonly ConnectionState[] = ['connecting', 'live', 'reconnecting', 'offline'];

export interface RealtimeProblem {
  message: string;
  /** The server refused the credentials: retrying with the same key cannot help. */
  unauthorized: boolean;
}

/** What listeners see: a new object on every change. */
export interface RealtimeSnapshot {
  connection: ConnectionState;
  /** Why the client is not live, when it knows. */
  problem: RealtimeProblem | null;
  /** The last event seq delivered to the stream listeners. */
  lastSeq: number;
}

export type RealtimeListener = (snapshot: RealtimeSnapshot) => void;

/**
 * What a view that keeps data from the stream (a jobs list, a job's page, the activity) is told. A
 * view that reads its data again when told returns the read (a promise; anything else is not waited
 * for): the client says it is live once those reads are in (so "live" means the views are in step
 * with the stream, as it always did).
 */
export interface StreamListener {
  /** Every event of the workspace, once and in order. */
  event?(event: StreamEvent): void;
  /**
   * The stream had a gap it could not replay: events may have been missed, and a view that needs
   * them reads its data again (from REST; a read started now shows everything up to the events that follow).
   */
  reloaded?(): unknown;
  /**
   * The stream was subscribed for the first time: a view that read its data before (the first
   * paint does not wait for the socket) may have missed events from before the subscription, and
   * reads it again now.
   */
  subscribed?(): unknown;
}

export type RealtimeSocket = StreamSocket;

/**
 * Who the client connects as: an API key (`token`, which decides the workspace), or the browser's
 * session cookie, naming the workspace (slug) to watch. Watching another workspace is another client.
 */
export type RealtimeCredentials = { token: string; workspace?: never } | { token?: never; workspace: string };

export type RealtimeClientOptions = RealtimeCredentials & {
  /** Origin of the Flightdeck server; the page's own origin when omitted. */
  url?: string;
  /** How long to wait for a subscribe ack. */
  ackTimeoutMs?: number;
  /** Opens the socket (tests pass a fake); socket.io-client's `io` by default. */
  connect?: (url: string | undefined, options: Partial<ManagerOptions & SocketOptions>) => RealtimeSocket;
  /**
   * The gateway is about to close the socket because the credentials changed: a key or session
   * ended (the reconnect is then refused as unauthorized), or the member's role changed or they were
   * removed (`member`; the reconnect is authorized anew, or refused), or the workspace is gone.
   */
  onRevoked?: (notice: RevokedNotice) => void;
};

/** Handshake refusals that retrying cannot fix (besides `unauthorized`): the workspace is not the caller's. */
const FINAL_REFUSALS = new Set(['not_found', 'workspace_required', 'forbidden', 'csrf_rejected']);

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/**
 * The console's ordered link to one workspace's events, and nothing else: it subscribes over
 * Socket.io and delivers each event once and in order to its listeners; after any reconnect it
 * resumes from the last seq it delivered (`since`), so nothing is missed and nothing is delivered
 * twice (see {@link TopicSubscription}). When the gateway says the gap cannot be replayed (`resync`),
 * it subscribes afresh and tells the listeners (`reloaded`): each view that needs it reads its own
 * data from REST again, once. The data itself is the views' (each through the contract's reducer).
 */
export class RealtimeClient {
  /** Who else is here and what they look at; typing notices. */
  readonly presence = new PresenceChannel();
  private readonly listeners = new Set<RealtimeListener>();
  private readonly streamListeners = new Set<StreamListener>();
  private socket: RealtimeSocket | undefined;
  private readonly subscription: TopicSubscription;

  private connection: ConnectionState = 'offline';
  private problem: RealtimeProblem | null = null;
  private snapshotCache: RealtimeSnapshot | undefined;

  /** Whether the client was live at least once (then losing the link is "reconnecting", not "connecting"). */
  private wasLive = false;
  /** Whether the stream was subscribed once (the views were told `subscribed`). */
  private wasSubscribed = false;
  /** Bumped when the link is lost or closed: views' reads for an older subscription do not make it live. */
  private attempt = 0;
  private browserOffline = false;

  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelay = RETRY_MIN_MS;
  private readonly cleanups: (() => void)[] = [];

  constructor(private readonly options: RealtimeClientOptions) {
    this.subscription = new TopicSubscription({
      topic: { topic: 'workspace' },
      resume: true,
      ...(options.ackTimeoutMs !== undefined ? { ackTimeoutMs: options.ackTimeoutMs } : {}),
      onEvent: (event) => this.onEvent(event),
      onLive: ({ gap }) => void this.onLive(gap),
      onFailed: (problem) => this.onSubscribeFailed(problem),
    });
  }

  /** The current state; the same object until something changes. */
  get snapshot(): RealtimeSnapshot {
    this.snapshotCache ??= {
      connection: this.browserOffline ? 'offline' : this.connection,
      problem: this.problem,
      lastSeq: this.subscription.position,
    };
    return this.snapshotCache;
  }

  /** Calls `listener` now and after every change; returns the function that stops it. */
  subscribe(listener: RealtimeListener): () => void {
    this.listeners.add(listener);
    listener(this.snapshot);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` with every event delivered from now on; returns the function that stops it. */
  listen(listener: StreamListener): () => void {
    this.streamListeners.add(listener);
    return () => this.streamListeners.delete(listener);
  }

  /** Opens the connection. Idempotent. */
  start(): void {
    if (this.socket) return;
    const connect = this.options.connect ?? ((url, options) => io(url, options) as RealtimeSocket);
    const socket = connect(this.options.url, {
      path: '/socket.io',
      transports: ['websocket'],
      ...this.handshake(),
      reconnectionDelay: RETRY_MIN_MS,
      reconnectionDelayMax: 10_000,
    });
    this.socket = socket;
    this.presence.attach(socket);
    this.subscription.attach(socket);
    this.setConnection('connecting', null);

    socket.on('connect', () => {
      this.retryDelay = RETRY_MIN_MS;
      void this.sync();
    });
    socket.on('disconnect', (reason) => {
      this.attempt++;
      this.subscription.abandon();
      if (reason === 'io client disconnect') return;
      this.setConnection(this.wasLive ? 'reconnecting' : 'connecting', null);
      // The server closed this socket on purpose (a gateway shutting down): socket.io-client does
      // not reconnect by itself then; connect again, to whichever gateway answers.
      if (reason === 'io server disconnect') this.retryLater(() => this.socket?.connect());
    });
    socket.on('connect_error', (error) => this.onConnectError(error));
    socket.on('revoked', (notice) => this.options.onRevoked?.(notice));

    if (typeof window !== 'undefined') {
      const offline = () => this.setBrowserOffline(true);
      const online = () => this.setBrowserOffline(false);
      window.addEventListener('offline', offline);
      window.addEventListener('online', online);
      this.cleanups.push(() => {
        window.removeEventListener('offline', offline);
        window.removeEventListener('online', online);
      });
      if (typeof navigator !== 'undefined' && navigator.onLine === false) this.setBrowserOffline(true);
    }
  }

  /** How the handshake authenticates: the key, or the session cookie (which goes with it) and the workspace. */
  private handshake(): Partial<ManagerOptions & SocketOptions> {
    const { token, workspace } = this.options;
    return token ? { auth: { token } } : { auth: { workspace }, withCredentials: true };
  }

  /** Closes the connection for good. */
  stop(): void {
    this.attempt++;
    this.subscription.detach();
    clearTimeout(this.retryTimer);
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.presence.detach();
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
    this.setConnection('offline', this.problem);
  }

  /** One sync attempt: subscribe, resuming from the last seq delivered when there is one. */
  private sync(): Promise<void> {
    clearTimeout(this.retryTimer);
    return this.subscription.subscribe();
  }

  /**
   * Subscribed: after a gap (or the first time) the views read their data again, starting now, after
   * the ack (the events that follow are delivered meanwhile; the views keep them for after their
   * reads). The client is live once those reads are in.
   */
  private async onLive(gap: boolean): Promise<void> {
    const attempt = ++this.attempt;
    const first = !this.wasSubscribed;
    this.wasSubscribed = true;
    const reads: unknown[] = [];
    for (const listener of this.streamListeners) {
      const read = gap ? listener.reloaded?.() : first ? listener.subscribed?.() : undefined;
      if (read instanceof Promise) reads.push(read);
    }
    if (reads.length > 0) {
      // A view whose read failed says so itself; the stream is live all the same.
      await Promise.allSettled(reads);
      if (attempt !== this.attempt) return;
    }
    this.retryDelay = RETRY_MIN_MS;
    this.wasLive = true;
    this.connection = 'live';
    this.problem = null;
    this.changed();
  }

  private onEvent(event: StreamEvent): void {
    for (const listener of this.streamListeners) listener.event?.(event);
    this.changed();
  }

  private onSubscribeFailed({ code, message }: SubscriptionProblem): void {
    const unauthorized = code === 'unauthorized';
    if (unauthorized) {
      this.socket?.disconnect();
      this.setConnection('offline', { message: sentence(message), unauthorized: true });
      return;
    }
    this.setConnection(this.wasLive ? 'reconnecting' : 'connecting', {
      message: sentence(message),
      unauthorized: false,
    });
    this.retryLater(() => void this.sync());
  }

  private onConnectError(error: Error): void {
    const socket = this.socket;
    if (!socket) return;
    if (socket.active) {
      // A transport failure: socket.io-client retries by itself.
      this.setConnection(this.wasLive ? 'reconnecting' : 'connecting', this.problem);
      return;
    }
    // The gateway refused the handshake; its message starts with the error code.
    const [code, ...rest] = error.message.split(':');
    const detail = rest.join(':').trim();
    if (code === 'unauthorized') {
      const refused = this.options.token ? 'the API key was refused' : 'the session has ended';
      this.setConnection('offline', { message: sentence(detail || refused), unauthorized: true });
      return;
    }
    if (code !== undefined && FINAL_REFUSALS.has(code)) {
      this.setConnection('offline', { message: sentence(detail || error.message), unauthorized: false });
      return;
    }
    this.setConnection(this.wasLive ? 'reconnecting' : 'connecting', {
      message: sentence(error.message),
      unauthorized: false,
    });
    this.retryLater(() => this.socket?.connect());
  }

  private retryLater(action: () => void): void {
    clearTimeout(this.retryTimer);
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(action, delay);
  }

  private setBrowserOffline(offline: boolean): void {
    this.browserOffline = offline;
    if (!offline && this.socket && !this.socket.connected && !this.socket.active) this.socket.connect();
    this.changed();
  }

  private setConnection(connection: ConnectionState, problem: RealtimeProblem | null): void {
    if (connection === this.connection && problem === this.problem) return;
    this.connection = connection;
    this.problem = problem;
    this.changed();
  }

  private changed(): void {
    this.snapshotCache = undefined;
    const snapshot = this.snapshot;
    for (const listener of this.listeners) listener(snapshot);
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
