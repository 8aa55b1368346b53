import type {
  ClientToServerEvents,
  Job,
  RevokedNotice,
  ServerToClientEvents,
  StreamEvent,
  SubscribeAck,
} from '@flightdeck/contract';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { ApiClient, ApiError, type JobsApi } from '../api/api-client';
import {
  DEFAULT_MAX_JOBS,
  applyJobEvent,
  emptyJobs,
  jobsFromList,
  needsJobFetch,
  rememberJob,
  type JobMap,
} from './job-store';
import { eventsAfter, isNewEvent } from './event-sequence';
import { PresenceChannel } from './presence';

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
  /** The workspace's jobs, newest first. */
  jobs: JobMap;
  connection: ConnectionState;
  /** Why the client is not live, when it knows. */
  problem: RealtimeProblem | null;
  /** The last event seq applied to `jobs`. */
  lastSeq: number;
}

export type RealtimeListener = (snapshot: RealtimeSnapshot) => void;

/** What a view that follows single events (a job's page: logs, comments, claims) is told. */
export interface StreamListener {
  /** Every event applied to the jobs, once and in order. */
  event?(event: StreamEvent): void;
  /** The jobs were reloaded from REST after a gap in the stream: events may have been missed. */
  reloaded?(): void;
}

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Who the client connects as: an API key (`token`, which decides the workspace), or the browser's
 * session cookie, naming the workspace (slug) to watch. Watching another workspace is another client.
 */
export type RealtimeCredentials = { token: string; workspace?: never } | { token?: never; workspace: string };

export type RealtimeClientOptions = RealtimeCredentials & {
  /** Origin of the Flightdeck server; the page's own origin when omitted. */
  url?: string;
  /** The REST API; an {@link ApiClient} with the same credentials and origin when omitted. */
  api?: JobsApi;
  /** How many jobs the first load (and every resync) reads from REST. */
  pageSize?: number;
  /** How many jobs the store keeps at most (oldest dropped first). */
  maxJobs?: number;
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
 * The console's live view of one workspace. Subscribes over Socket.io, loads the jobs from REST,
 * applies each event once and in order, and after any reconnect resumes from the last seq it
 * applied (`since`), so nothing is missed and nothing is applied twice. When the server says the
 * gap cannot be replayed (`resync`), it reloads from REST and continues from the subscribe ack's seq.
 *
 * Sync protocol, per (re)connection:
 * - First time (or after a resync): subscribe without `since` → ack `seq` S; load the jobs from
 *   REST; apply the events that arrived meanwhile with seq > S. REST lists are read after the ack,
 *   so they already show everything up to S; replaying later events over them in order ends at the
 *   stream's latest state.
 * - After a reconnect: subscribe with `since: lastSeq`; the server replays what was missed, then
 *   live events follow. Events with seq ≤ lastSeq are duplicates and dropped.
 */
export class RealtimeClient {
  /** Who else is here and what they look at; typing notices. */
  readonly presence = new PresenceChannel();
  private readonly api: JobsApi;
  private readonly listeners = new Set<RealtimeListener>();
  private readonly streamListeners = new Set<StreamListener>();
  private reloads = 0;
  private socket: RealtimeSocket | undefined;

  private jobs: JobMap = emptyJobs();
  private lastSeq = 0;
  private connection: ConnectionState = 'offline';
  private problem: RealtimeProblem | null = null;
  private snapshotCache: RealtimeSnapshot | undefined;

  /** Whether `jobs` was ever loaded from REST, i.e. whether `lastSeq` means anything. */
  private loaded = false;
  /** Whether the client was live at least once (then losing the link is "reconnecting", not "connecting"). */
  private wasLive = false;
  private browserOffline = false;

  /** Bumped by every sync attempt; answers to older attempts are ignored. */
  private generation = 0;
  /** What the current sync attempt is doing with incoming events. */
  private phase: 'idle' | 'catching-up' | 'reloading' = 'idle';
  private acked = false;
  /** Events received while a REST reload is under way, applied after it. */
  private buffer: StreamEvent[] = [];
  private readonly fetching = new Set<string>();

  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelay = RETRY_MIN_MS;
  private readonly cleanups: (() => void)[] = [];

  constructor(private readonly options: RealtimeClientOptions) {
    this.api =
      options.api ??
      new ApiClient({
        ...(options.token ? { token: options.token } : { workspace: options.workspace }),
        ...(options.url ? { baseUrl: options.url } : {}),
      });
  }

  /** The current state; the same object until something changes. */
  get snapshot(): RealtimeSnapshot {
    this.snapshotCache ??= {
      jobs: this.jobs,
      connection: this.browserOffline ? 'offline' : this.connection,
      problem: this.problem,
      lastSeq: this.lastSeq,
    };
    return this.snapshotCache;
  }

  /** Calls `listener` now and after every change; returns the function that stops it. */
  subscribe(listener: RealtimeListener): () => void {
    this.listeners.add(listener);
    listener(this.snapshot);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` with every event applied from now on; returns the function that stops it. */
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
    this.setConnection('connecting', null);

    socket.on('connect', () => {
      this.retryDelay = RETRY_MIN_MS;
      void this.sync();
    });
    socket.on('disconnect', (reason) => {
      this.abandonSync();
      if (reason === 'io client disconnect') return;
      this.setConnection(this.wasLive ? 'reconnecting' : 'connecting', null);
      // The server closed this socket on purpose (a gateway shutting down): socket.io-client does
      // not reconnect by itself then; connect again, to whichever gateway answers.
      if (reason === 'io server disconnect') this.retryLater(() => this.socket?.connect());
    });
    socket.on('connect_error', (error) => this.onConnectError(error));
    socket.on('event', (event) => this.onEvent(event));
    socket.on('revoked', (notice) => this.options.onRevoked?.(notice));
    socket.on('resync', (notice) => {
      if (notice.topic === 'workspace') this.onResync();
    });

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

  /** Closes the connection for good; the last known jobs stay readable. */
  stop(): void {
    this.abandonSync();
    clearTimeout(this.retryTimer);
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.presence.detach();
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
    this.setConnection('offline', this.problem);
  }

  /** Adds a job the console learned outside the stream (a submit's answer), unless the stream already told it. */
  remember(job: Job): void {
    this.setJobs(rememberJob(this.jobs, job, this.maxJobs));
  }

  private get maxJobs(): number {
    return this.options.maxJobs ?? DEFAULT_MAX_JOBS;
  }

  /** One sync attempt: subscribe (resuming when the jobs are loaded), reload from REST when needed. */
  private async sync(): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected) return;
    clearTimeout(this.retryTimer);
    const generation = ++this.generation;
    const resume = this.loaded;
    this.phase = resume ? 'catching-up' : 'reloading';
    this.acked = false;
    this.buffer = [];

    let ack: SubscribeAck;
    try {
      ack = await socket
        .timeout(this.options.ackTimeoutMs ?? 10_000)
        .emitWithAck('subscribe', resume ? { topic: 'workspace', since: this.lastSeq } : { topic: 'workspace' });
    } catch {
      if (generation === this.generation) this.failSync('The realtime gateway did not answer in time.', false);
      return;
    }
    if (generation !== this.generation) return;
    this.acked = true;
    if (!ack.ok) {
      this.failSync(ack.error.message, ack.error.code === 'unauthorized');
      return;
    }

    // A resync notice during catch-up switched the phase to reloading.
    if (this.phase === 'reloading') {
      let items: Job[];
      try {
        items = (await this.api.listJobs({ limit: this.options.pageSize ?? 100 })).items;
      } catch (error) {
        if (generation === this.generation)
          this.failSync(messageOf(error), error instanceof ApiError && error.isUnauthorized);
        return;
      }
      if (generation !== this.generation) return;
      let jobs = jobsFromList(items, this.maxJobs);
      let lastSeq = ack.seq;
      for (const event of eventsAfter(this.buffer, ack.seq)) {
        jobs = this.applied(jobs, event);
        lastSeq = event.seq;
      }
      this.jobs = jobs;
      this.lastSeq = lastSeq;
      this.loaded = true;
      if (this.reloads++ > 0) for (const listener of this.streamListeners) listener.reloaded?.();
    } else {
      // Catch-up events arrived before the ack and were applied; the ack says where the stream is.
      this.lastSeq = Math.max(this.lastSeq, ack.seq);
    }
    this.buffer = [];
    this.phase = 'idle';
    this.retryDelay = RETRY_MIN_MS;
    this.wasLive = true;
    this.connection = 'live';
    this.problem = null;
    this.changed();
  }

  private onEvent(event: StreamEvent): void {
    if (this.phase === 'reloading') {
      this.buffer.push(event);
      return;
    }
    if (!this.loaded || !isNewEvent(this.lastSeq, event)) return;
    this.jobs = this.applied(this.jobs, event);
    this.lastSeq = event.seq;
    this.changed();
  }

  private onResync(): void {
    // The jobs can no longer be brought up to date from the stream: until a reload, events are not
    // applied and `lastSeq` must not be resumed from.
    this.loaded = false;
    // Before the ack of a resuming subscribe, the server could not replay from `since`: the ack's
    // seq is where to continue from, after a reload. Any other time (an `overflow` takes this
    // socket out of its rooms), subscribe afresh and reload.
    if (this.phase === 'catching-up' && !this.acked) {
      this.phase = 'reloading';
      this.buffer = [];
      return;
    }
    void this.sync();
  }

  /** The store after an event; asks REST for a job the event names but cannot describe on its own. */
  private applied(jobs: JobMap, event: StreamEvent): JobMap {
    if (needsJobFetch(jobs, event) && event.job) this.fetchJob(event.job.id);
    const next = applyJobEvent(jobs, event, this.maxJobs);
    for (const listener of this.streamListeners) listener.event?.(event);
    return next;
  }

  private fetchJob(id: string): void {
    if (this.fetching.has(id)) return;
    this.fetching.add(id);
    this.api
      .getJob(id)
      .then(
        (job) => this.remember(job),
        () => undefined, // gone or unreadable: the next event about it tries again
      )
      .finally(() => this.fetching.delete(id));
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

  private failSync(message: string, unauthorized: boolean): void {
    this.abandonSync();
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

  private abandonSync(): void {
    this.generation++;
    this.phase = 'idle';
    this.buffer = [];
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

  private setJobs(jobs: JobMap): void {
    if (jobs === this.jobs) return;
    this.jobs = jobs;
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
