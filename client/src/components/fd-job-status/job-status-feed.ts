import { isFinalStatus, jobAfterEvent, type Job, type StreamEvent } from '@flightdeck/contract';
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { ApiClient, ApiError } from '../../api/api-client';
import { TopicSubscription, type StreamSocket, type SubscriptionProblem } from '../../realtime/topic-subscription';

export type JobStatusSocket = StreamSocket;

/** What the status shows. */
export type JobStatusView =
  | { kind: 'loading' }
  /** `live`: pushed over Socket.io; `polling`: the socket could not connect, read over REST every so often. */
  | { kind: 'job'; job: Job; via: 'live' | 'polling' }
  /** The token does not open this job (another job's, invalid, expired) or the job is gone: nothing is shown. */
  | { kind: 'unavailable' };

export interface JobStatusFeedOptions {
  jobId: string;
  /** A job token (`POST /v1/jobs/{id}/token`). */
  token: string;
  /** Origin of the Flightdeck server; the page's own when empty. */
  server: string;
  /** Between two REST reads when the socket cannot connect. */
  pollIntervalMs: number;
  onChange: (view: JobStatusView) => void;
  /** Opens the socket (tests pass a fake); socket.io-client's `io` by default. */
  connect?: (url: string | undefined, options: Partial<ManagerOptions & SocketOptions>) => JobStatusSocket;
  fetch?: typeof fetch;
  /** How long to wait for the subscribe ack. */
  ackTimeoutMs?: number;
}

/** REST answers that mean "this token does not open this job": never retried. */
const REFUSED_STATUSES = new Set([401, 403, 404]);
/** Socket refusals that mean the same. */
const REFUSED_CODES = new Set(['unauthorized', 'forbidden', 'not_found']);

/**
 * One job's status for `<fd-job-status>`, with a job token and nothing else: subscribes to the job
 * over Socket.io (`auth: { token }`) through the same {@link TopicSubscription} as the console,
 * reads it over REST after each subscription (so no event falls between the two), applies the
 * job's events in order with the contract's reducer, and reads it over REST every
 * `pollIntervalMs` while the socket cannot connect. Only data of `jobId` is ever passed on: the
 * answer and events of any other job are dropped, and a refusal turns the view to `unavailable`.
 */
export class JobStatusFeed {
  private readonly api: ApiClient;
  private readonly subscription: TopicSubscription;
  private socket: JobStatusSocket | undefined;
  private job: Job | null = null;
  private via: 'live' | 'polling' = 'live';
  private stopped = false;
  private refused = false;
  /** Events that arrive while a REST read is under way: applied after it. */
  private buffer: StreamEvent[] | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private polling = false;
  /** Bumped by each REST read; an older answer is ignored. */
  private reads = 0;

  constructor(private readonly options: JobStatusFeedOptions) {
    this.api = new ApiClient({
      token: options.token,
      ...(options.server ? { baseUrl: options.server } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.subscription = new TopicSubscription({
      topic: { topic: 'job', id: options.jobId },
      // Every subscription is followed by a REST read: nothing to resume from.
      resume: false,
      ...(options.ackTimeoutMs !== undefined ? { ackTimeoutMs: options.ackTimeoutMs } : {}),
      onEvent: (event) => this.onEvent(event),
      onLive: () => this.onLive(),
      onFailed: (problem) => this.onSubscribeFailed(problem),
    });
  }

  start(): void {
    const { jobId, token } = this.options;
    if (!jobId || !token) {
      this.refuse();
      return;
    }
    // Something to show at once; the read after the subscription makes it exact.
    void this.read();
    const connect = this.options.connect ?? ((url, options) => io(url, options) as JobStatusSocket);
    const socket = connect(this.options.server || undefined, {
      path: '/socket.io',
      // Cross-origin pages: the websocket needs no CORS; long-polling would.
      transports: ['websocket'],
      auth: { token },
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 10_000,
    });
    this.socket = socket;
    this.subscription.attach(socket);
    socket.on('connect', () => {
      if (!this.stopped) void this.subscription.subscribe();
    });
    socket.on('connect_error', (error) => this.onConnectError(error));
    socket.on('disconnect', (reason) => {
      this.subscription.abandon();
      if (this.stopped || this.refused) return;
      this.startPolling();
      // A gateway shutting down closes sockets on purpose; socket.io-client then waits to be told.
      if (reason === 'io server disconnect') setTimeout(() => this.socket?.connect(), 1_000);
    });
  }

  stop(): void {
    this.stopped = true;
    this.reads++;
    clearTimeout(this.pollTimer);
    this.subscription.detach();
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
  }

  /** Subscribed: the socket brings the news from now on; the read after the ack makes the job exact. */
  private onLive(): void {
    if (this.stopped) return;
    this.stopPolling();
    this.via = 'live';
    void this.read();
  }

  private onSubscribeFailed({ code }: SubscriptionProblem): void {
    if (this.stopped) return;
    if (code !== null && REFUSED_CODES.has(code)) this.refuse();
    else this.startPolling();
  }

  private onConnectError(error: Error): void {
    if (this.stopped) return;
    // The gateway refused the handshake (its message starts with the code): the token is no good.
    const code = error.message.split(':')[0] ?? '';
    if (!this.socket?.active && REFUSED_CODES.has(code)) {
      this.refuse();
      return;
    }
    // Cannot connect (blocked, proxy without websockets, server away): read over REST meanwhile;
    // socket.io-client keeps trying by itself.
    this.startPolling();
  }

  private onEvent(event: StreamEvent): void {
    if (this.stopped || this.refused) return;
    if (event.job?.id !== this.options.jobId || (event.jobId !== undefined && event.jobId !== this.options.jobId))
      return;
    if (this.buffer) {
      this.buffer.push(event);
      return;
    }
    this.apply(event);
    this.changed();
  }

  private apply(event: StreamEvent): void {
    if (this.job) this.job = jobAfterEvent(this.job, event);
  }

  /** Reads the job over REST; the events that come meanwhile are applied after. */
  private async read(): Promise<void> {
    const read = ++this.reads;
    this.buffer ??= [];
    try {
      const job = await this.api.getJob(this.options.jobId);
      if (read !== this.reads || this.stopped) return;
      // The server answers for the job asked for; anything else is not shown, whatever it is.
      if (job.id !== this.options.jobId) {
        this.refuse();
        return;
      }
      this.job = job;
      for (const event of this.buffer ?? []) this.apply(event);
      this.buffer = null;
      this.changed();
    } catch (error) {
      if (read !== this.reads || this.stopped) return;
      this.buffer = null;
      if (error instanceof ApiError && REFUSED_STATUSES.has(error.status)) this.refuse();
      // Otherwise (network, 5xx, 429): keep what is shown; the socket or the next poll brings news.
    }
  }

  private startPolling(): void {
    if (this.polling || this.stopped || this.refused) return;
    this.polling = true;
    this.via = 'polling';
    this.changed();
    this.schedulePoll();
  }

  private stopPolling(): void {
    this.polling = false;
    clearTimeout(this.pollTimer);
  }

  private schedulePoll(): void {
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(async () => {
      if (!this.polling || this.stopped) return;
      await this.read();
      // A finished job changes no more (a retry would come over the socket, when it connects).
      if (this.job && isFinalStatus(this.job.status)) return;
      if (this.polling) this.schedulePoll();
    }, this.options.pollIntervalMs);
  }

  private refuse(): void {
    this.refused = true;
    this.job = null;
    this.buffer = null;
    this.stop();
    this.options.onChange({ kind: 'unavailable' });
  }

  private changed(): void {
    if (this.stopped) return;
    this.options.onChange(this.job ? { kind: 'job', job: this.job, via: this.via } : { kind: 'loading' });
  }
}
