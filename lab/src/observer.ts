import { io, type Socket } from 'socket.io-client';

// A client of the realtime contract, as the console is: subscribed to the workspace through the load
// balancer, resuming with `since` after every disconnect (a gateway scaled in, a drain). It keeps
// what the scenarios measure — when each job started and ended — and checks the stream as it goes:
// seqs must grow by one, with no gap and no repeat, across reconnects.

interface StreamEvent {
  seq: number;
  type: string;
  jobId?: string;
  at: string;
  job?: { status?: string; createdAt?: string; runAt?: string | null; startedAt?: string | null };
}

export interface JobTimes {
  /** When it was first due: its creation, or `runAt` for a delayed job. */
  due?: number;
  started?: number;
  ended?: number;
  /** When the next attempt is due (a delayed job, a retry waiting out its backoff). */
  nextDue?: number;
  /** Each attempt's start minus when it was due, in seconds. */
  startLatencies: number[];
}

export interface ObserverReport {
  events: number;
  reconnects: number;
  resyncs: number;
  /** Seqs that never arrived, and seqs that arrived twice: both must stay 0. */
  gaps: number;
  duplicates: number;
}

export class Observer {
  private socket?: Socket;
  private lastSeq: number | null = null;
  private stopped = false;
  private readonly report: ObserverReport = { events: 0, reconnects: 0, resyncs: 0, gaps: 0, duplicates: 0 };
  readonly jobs = new Map<string, JobTimes>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** Connects and subscribes; resolves with the stream's current seq. */
  async start(): Promise<void> {
    const socket = io(this.url, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token: this.token },
      reconnectionDelayMax: 1000,
    });
    this.socket = socket;
    socket.on('event', (event: StreamEvent) => this.receive(event));
    // The gateway drops a socket that falls too far behind (`overflow`) out of its rooms; a client
    // subscribes again from the last seq it saw, and the retained stream replays what it missed.
    socket.on('resync', (resync: { reason: string }) => {
      this.report.resyncs += 1;
      if (resync.reason === 'overflow')
        socket.emit('subscribe', { topic: 'workspace', since: this.lastSeq ?? 0 }, () => undefined);
    });
    // A gateway that stops (scale-in, rollout) disconnects its sockets itself; socket.io-client does
    // not retry those, so a client connects again, as the console and the SDK do.
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' && !this.stopped) setTimeout(() => socket.connect(), 500);
    });
    let first = true;
    const subscribed = new Promise<void>((resolve, reject) => {
      socket.on('connect', () => {
        if (!first) this.report.reconnects += 1;
        first = false;
        const request = this.lastSeq === null ? { topic: 'workspace' } : { topic: 'workspace', since: this.lastSeq };
        socket.emit('subscribe', request, (ack: { ok: boolean; seq?: number; error?: unknown }) => {
          if (!ack.ok) return reject(new Error(`subscribe refused: ${JSON.stringify(ack.error)}`));
          if (this.lastSeq === null) this.lastSeq = ack.seq ?? 0;
          resolve();
        });
      });
      socket.on('connect_error', (error) => {
        if (first) reject(error);
      });
    });
    await subscribed;
  }

  /** The last seq seen (null before the first subscribe answered). */
  get seen(): number | null {
    return this.lastSeq;
  }

  stop(): ObserverReport {
    this.stopped = true;
    this.socket?.disconnect();
    return { ...this.report };
  }

  /** Resolves once `predicate` holds (checked after every event), or rejects after `timeoutMs`. */
  until(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  ended(): number {
    let count = 0;
    for (const times of this.jobs.values()) if (times.ended !== undefined) count += 1;
    return count;
  }

  private receive(event: StreamEvent): void {
    if (this.lastSeq !== null) {
      if (event.seq <= this.lastSeq) {
        this.report.duplicates += 1;
        return;
      }
      if (event.seq > this.lastSeq + 1) this.report.gaps += event.seq - this.lastSeq - 1;
    }
    this.lastSeq = event.seq;
    this.report.events += 1;
    if (event.jobId) this.track(event.jobId, event);
    for (const listener of this.listeners) listener();
  }

  private track(jobId: string, event: StreamEvent): void {
    const times = this.jobs.get(jobId) ?? { startLatencies: [] };
    const at = Date.parse(event.at);
    const job = event.job;
    if (job?.createdAt && times.due === undefined) {
      times.due = Date.parse(job.runAt ?? job.createdAt);
      times.nextDue = times.due;
    }
    if (job?.status === 'delayed' && job.runAt) times.nextDue = Date.parse(job.runAt);
    if (event.type === 'job.active') {
      const started = job?.startedAt ? Date.parse(job.startedAt) : at;
      times.started ??= started;
      if (times.nextDue !== undefined) times.startLatencies.push((started - times.nextDue) / 1000);
      times.nextDue = undefined;
    }
    // A failure ends the job only when it is final: a retry's failure leaves it delayed or queued.
    const final =
      event.type === 'job.completed' ||
      event.type === 'job.cancelled' ||
      (event.type === 'job.failed' && job?.status === 'failed');
    if (final) times.ended ??= at;
    this.jobs.set(jobId, times);
  }
}
