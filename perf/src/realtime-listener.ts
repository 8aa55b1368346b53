import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, StreamEvent } from '@flightdeck/contract';

type GatewaySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Both clients connect as a browser would: WebSocket only, no reconnection (a drop is a finding). */
const SOCKET_OPTIONS = { path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true };

/** How a job's `job.completed` reached the subscriber. */
interface Completion {
  /** `Date.now()` when the first copy arrived. */
  receivedAt: number;
  /** The event's `job.finishedAt` (the worker's BullMQ `finishedOn`), ms since the epoch; NaN when absent. */
  finishedAt: number;
  /** Copies received: more than 1 is a duplicate. */
  count: number;
}

/** What the subscriber saw of the event stream as a whole; counters only grow. */
export interface StreamCounters {
  events: number;
  /** Seqs skipped: events the workspace stream has that the socket never got. */
  seqGaps: number;
  /** Events whose seq was not above the previous one (a repeat or a reordering). */
  seqOutOfOrder: number;
  resyncs: number;
}

/** Every submitted job's `job.completed` received exactly once. */
export interface CompletionCheck {
  submitted: number;
  completed: number;
  /** Extra copies of `job.completed` beyond the first, over the phase's jobs. */
  duplicates: number;
  /** Jobs whose `job.completed` never arrived. */
  missing: number;
  /** Jobs that ended `job.failed` or `job.cancelled` instead. */
  failed: number;
  seqGaps: number;
  seqOutOfOrder: number;
  resyncs: number;
  /** Why the socket dropped, if it did. */
  disconnected: string | null;
}

/**
 * A socket.io-client subscribed to a workspace of Flightdeck's gateway (`auth: { token }`, WebSocket
 * transport, `subscribe { topic: 'workspace' }`) that records when each job's `job.completed` arrives
 * and checks the stream's seqs. The handler does as little as it can: it runs in the bench process.
 */
export class RealtimeListener {
  readonly counters: StreamCounters = { events: 0, seqGaps: 0, seqOutOfOrder: 0, resyncs: 0 };
  /** Size of one `job.completed` event as JSON (the first one seen), for the raw Socket.IO baseline. */
  completedEventBytes: number | null = null;
  private readonly completions = new Map<string, Completion>();
  private readonly failed = new Set<string>();
  private disconnectReason: string | null = null;
  private lastSeq: number | null = null;
  private waiting: { pending: Set<string>; resolve: () => void } | null = null;

  private constructor(private readonly socket: GatewaySocket) {
    socket.on('event', (event) => this.onEvent(event));
    socket.on('resync', () => this.counters.resyncs++);
    socket.on('disconnect', (reason) => (this.disconnectReason = reason));
  }

  static async connect(baseUrl: string, token: string, timeoutMs = 10_000): Promise<RealtimeListener> {
    const socket: GatewaySocket = io(baseUrl, { ...SOCKET_OPTIONS, timeout: timeoutMs, auth: { token } });
    const listener = new RealtimeListener(socket);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const ack = await socket.timeout(timeoutMs).emitWithAck('subscribe', { topic: 'workspace' });
      if (!ack.ok) throw new Error(`subscribe refused: ${ack.error.code}: ${ack.error.message}`);
      listener.lastSeq ??= ack.seq;
    } catch (error) {
      listener.close();
      throw error;
    }
    return listener;
  }

  private onEvent(event: StreamEvent): void {
    const receivedAt = Date.now();
    this.counters.events++;
    if (this.lastSeq !== null) {
      if (event.seq <= this.lastSeq) this.counters.seqOutOfOrder++;
      else this.counters.seqGaps += event.seq - this.lastSeq - 1;
    }
    if (this.lastSeq === null || event.seq > this.lastSeq) this.lastSeq = event.seq;
    if (!event.jobId) return;
    if (event.type === 'job.completed') {
      const known = this.completions.get(event.jobId);
      if (known) {
        known.count++;
        return;
      }
      const finishedAt = event.job?.finishedAt ? Date.parse(event.job.finishedAt) : NaN;
      this.completions.set(event.jobId, { receivedAt, finishedAt, count: 1 });
      this.completedEventBytes ??= Buffer.byteLength(JSON.stringify(event));
      if (this.waiting?.pending.delete(event.jobId) && this.waiting.pending.size === 0) this.waiting.resolve();
    } else if (event.type === 'job.failed' || event.type === 'job.cancelled') {
      this.failed.add(event.jobId);
    }
  }

  /** Resolves true once every one of `ids` has its `job.completed`, false after `timeoutMs`. */
  waitForCompletions(ids: string[], timeoutMs: number): Promise<boolean> {
    const pending = new Set(ids.filter((id) => !this.completions.has(id)));
    if (pending.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        resolve(false);
      }, timeoutMs);
      this.waiting = {
        pending,
        resolve: () => {
          clearTimeout(timer);
          this.waiting = null;
          resolve(true);
        },
      };
    });
  }

  /** When the last of `ids` arrived (`Date.now()` clock), over those that did. */
  lastReceivedAt(ids: string[]): number {
    let last = 0;
    for (const id of ids) last = Math.max(last, this.completions.get(id)?.receivedAt ?? 0);
    return last;
  }

  /** Per job: receive time minus the worker's `finishedAt` (ms, same machine clock). */
  deliveryLatencies(ids: string[]): number[] {
    const latencies: number[] = [];
    for (const id of ids) {
      const completion = this.completions.get(id);
      if (completion && Number.isFinite(completion.finishedAt))
        latencies.push(completion.receivedAt - completion.finishedAt);
    }
    return latencies;
  }

  /** Per job: receive time minus `sentAt` (when its submit request was sent). */
  sinceSubmit(sentAt: Map<string, number>): number[] {
    const latencies: number[] = [];
    for (const [id, sent] of sentAt) {
      const completion = this.completions.get(id);
      if (completion) latencies.push(completion.receivedAt - sent);
    }
    return latencies;
  }

  /** The exactly-once check over `ids`; stream counters as the change since `before`. */
  check(ids: string[], before: StreamCounters): CompletionCheck {
    let completed = 0;
    let duplicates = 0;
    let failed = 0;
    for (const id of ids) {
      const completion = this.completions.get(id);
      if (completion) {
        completed++;
        duplicates += completion.count - 1;
      }
      if (this.failed.has(id)) failed++;
    }
    return {
      submitted: ids.length,
      completed,
      duplicates,
      missing: ids.length - completed,
      failed,
      seqGaps: this.counters.seqGaps - before.seqGaps,
      seqOutOfOrder: this.counters.seqOutOfOrder - before.seqOutOfOrder,
      resyncs: this.counters.resyncs - before.resyncs,
      disconnected: this.disconnectReason,
    };
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}

/** What the raw Socket.IO baseline's server (perf/src/socketio-server.ts) and client say to each other. */
export interface BroadcastRequest {
  count: number;
  perSecond: number;
  /** Approximate size of each message as JSON. */
  bytes: number;
}
export interface BroadcastMessage {
  seq: number;
  /** `new Date().toISOString()` when the server emitted it: the same millisecond resolution as `finishedAt`. */
  at: string;
  pad: string;
}
export interface BroadcastServerEvents {
  message: (message: BroadcastMessage) => void;
}
type JoinAck = (answer: { ok: true }) => void;
export interface BroadcastClientEvents {
  /** The ack comes last: this bench's client sends nothing before it, Artillery's engine an empty object. */
  join: (...args: [ack: JoinAck] | [options: object, ack: JoinAck]) => void;
  broadcast: (request: BroadcastRequest, ack: (answer: { sent: number }) => void) => void;
}

export interface BroadcastResult {
  sent: number;
  received: number;
  duplicates: number;
  missing: number;
  /** Receive time minus the message's `at` (ms, same machine clock). */
  latencies: number[];
  messageBytes: number | null;
  disconnected: string | null;
}

/** The raw baseline's client: joins the server's room, asks it to broadcast, and times each message. */
export async function receiveBroadcast(
  baseUrl: string,
  request: BroadcastRequest,
  timeoutMs: number,
  onConnected: () => Promise<void>,
): Promise<BroadcastResult> {
  const socket: Socket<BroadcastServerEvents, BroadcastClientEvents> = io(baseUrl, {
    ...SOCKET_OPTIONS,
    timeout: 10_000,
  });
  let disconnected: string | null = null;
  let messageBytes: number | null = null;
  const seen = new Map<number, number>();
  const latencies: number[] = [];
  socket.on('disconnect', (reason) => (disconnected = reason));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    let allArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (allArrived = resolve));
    socket.on('message', (message) => {
      const receivedAt = Date.now();
      const copies = (seen.get(message.seq) ?? 0) + 1;
      seen.set(message.seq, copies);
      if (copies > 1) return;
      latencies.push(receivedAt - Date.parse(message.at));
      messageBytes ??= Buffer.byteLength(JSON.stringify(message));
      if (latencies.length === request.count) allArrived();
    });
    await socket.timeout(10_000).emitWithAck('join');
    await onConnected();
    const { sent } = await socket.timeout(timeoutMs).emitWithAck('broadcast', request);
    // The last messages may still be on their way when the server acknowledges.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([arrived, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
    let duplicates = 0;
    for (const copies of seen.values()) duplicates += copies - 1;
    return {
      sent,
      received: seen.size,
      duplicates,
      missing: sent - seen.size,
      latencies,
      messageBytes,
      disconnected,
    };
  } finally {
    socket.removeAllListeners();
    socket.disconnect();
  }
}
