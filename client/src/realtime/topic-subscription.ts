import type {
  ClientToServerEvents,
  ResyncNotice,
  ServerToClientEvents,
  StreamEvent,
  SubscribeAck,
} from '@flightdeck/contract';
import type { Socket } from 'socket.io-client';
import { eventsAfter, isNewEvent } from './event-sequence';

export type StreamSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What a subscription follows: the whole workspace, or one job. */
export type Topic = { topic: 'workspace' } | { topic: 'job'; id: string };

export interface SubscriptionLive {
  /** Where the stream is: every event delivered from now on is past it. */
  seq: number;
  /**
   * The stream had a gap it could not replay since this subscription last was live (a `resync`, or
   * a fresh subscription after one was live): what the holder read before may have missed events,
   * and must be read again. A read started now (after the ack) shows everything up to `seq`.
   */
  gap: boolean;
}

export interface SubscriptionProblem {
  /** The ack's error code; null when the gateway did not answer in time. */
  code: string | null;
  message: string;
}

export interface TopicSubscriptionOptions {
  topic: Topic;
  /**
   * After a reconnect, subscribe with `since` (the last seq delivered), so that the gateway replays
   * what was missed. Without it every subscription is fresh (the holder reads REST after each).
   */
  resume: boolean;
  /** How long to wait for a subscribe ack. */
  ackTimeoutMs?: number;
  /** Each new event of the topic, once and in seq order. */
  onEvent(event: StreamEvent): void;
  /** The subscription was acknowledged (before the events that follow its seq are delivered). */
  onLive(live: SubscriptionLive): void;
  /** The subscription was refused, or not answered in time. */
  onFailed(problem: SubscriptionProblem): void;
}

/**
 * One ordered subscription to a topic of the realtime stream: the part every realtime holder shares
 * (the console's workspace client and the embed's job status). It subscribes on a connected socket,
 * delivers each event once and in order, and keeps where the stream is:
 *
 * - Fresh (first time, after a gap, or without `resume`): subscribe without `since` → ack seq S;
 *   events that came before the ack are delivered after it, those past S only (a read started after
 *   the ack already shows the others).
 * - Resuming: subscribe with `since` = the last seq delivered; the gateway replays what was missed,
 *   then live events follow. Events with seq ≤ the last one delivered are duplicates and dropped.
 * - `resync` (the gateway cannot replay from `since`, or took the socket out of its rooms): the
 *   position is lost. Before a resuming subscribe's ack, the ack's seq is where to go on from, with a
 *   gap; any other time it subscribes afresh.
 *
 * It holds no data: what the events mean is the holder's business.
 */
export class TopicSubscription {
  private socket: StreamSocket | undefined;
  /** The last seq delivered; null while there is no position to resume from. */
  private lastSeq: number | null = null;
  /** Whether the subscription was live once (then a fresh subscription means a gap). */
  private wasLive = false;
  /** A gap happened that the holder has not been told of. */
  private gapPending = false;

  /** Bumped by every subscribe attempt (and by abandon); answers to older attempts are ignored. */
  private generation = 0;
  /** What the current attempt does with incoming events: deliver them, or keep them for after the ack. */
  private phase: 'idle' | 'resuming' | 'fresh' = 'idle';
  private acked = false;
  private buffer: StreamEvent[] = [];

  constructor(private readonly options: TopicSubscriptionOptions) {}

  /** The last seq delivered (0 before any). */
  get position(): number {
    return this.lastSeq ?? 0;
  }

  /**
   * Listens to the socket's events and resync notices for this topic; subscribing is {@link subscribe}'s.
   * The socket's owner removes its listeners when it is done with it.
   */
  attach(socket: StreamSocket): void {
    this.abandon();
    this.socket = socket;
    socket.on('event', (event) => {
      if (socket === this.socket) this.onEvent(event);
    });
    socket.on('resync', (notice) => {
      if (socket === this.socket) this.onResync(notice);
    });
  }

  /** Forgets the socket; an attempt under way is abandoned. */
  detach(): void {
    this.abandon();
    this.socket = undefined;
  }

  /** The socket went away: the attempt under way no longer counts (the position stays, to resume from). */
  abandon(): void {
    this.generation++;
    this.phase = 'idle';
    this.buffer = [];
  }

  /** One subscribe attempt on the (connected) socket: resuming when there is a position and `resume`. */
  async subscribe(): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected) return;
    const generation = ++this.generation;
    const since = this.options.resume ? this.lastSeq : null;
    if (since === null && this.wasLive) this.gapPending = true;
    this.phase = since === null ? 'fresh' : 'resuming';
    this.acked = false;
    this.buffer = [];
    const request = since === null ? this.options.topic : { ...this.options.topic, since };

    let ack: SubscribeAck;
    try {
      ack = await socket.timeout(this.options.ackTimeoutMs ?? 10_000).emitWithAck('subscribe', request);
    } catch {
      if (generation === this.generation)
        this.fail({ code: null, message: 'The realtime gateway did not answer in time.' });
      return;
    }
    if (generation !== this.generation) return;
    this.acked = true;
    if (!ack.ok) {
      this.fail({ code: ack.error.code, message: ack.error.message });
      return;
    }
    // A resync during a resuming subscribe turned it fresh: go on from the ack's seq.
    const fresh = this.phase === 'fresh';
    const waiting = fresh ? eventsAfter(this.buffer, ack.seq) : [];
    this.lastSeq = fresh ? ack.seq : Math.max(this.lastSeq ?? 0, ack.seq);
    this.buffer = [];
    this.phase = 'idle';
    this.wasLive = true;
    const gap = this.gapPending;
    this.gapPending = false;
    this.options.onLive({ seq: ack.seq, gap });
    if (generation !== this.generation) return;
    for (const event of waiting) this.deliver(event);
  }

  private fail(problem: SubscriptionProblem): void {
    this.abandon();
    this.options.onFailed(problem);
  }

  private onEvent(event: StreamEvent): void {
    if (this.phase === 'fresh') {
      this.buffer.push(event);
      return;
    }
    if (this.lastSeq === null || !isNewEvent(this.lastSeq, event)) return;
    this.deliver(event);
  }

  private deliver(event: StreamEvent): void {
    this.lastSeq = event.seq;
    this.options.onEvent(event);
  }

  private onResync(notice: ResyncNotice): void {
    const { topic } = this.options;
    if (notice.topic !== topic.topic || (topic.topic === 'job' && (notice as { id?: string }).id !== topic.id)) return;
    // Events can no longer be brought up to date from the stream: there is no position to resume from.
    this.lastSeq = null;
    this.gapPending = true;
    // Before a resuming subscribe's ack, the gateway could not replay from `since`: its ack's seq is
    // where to go on from. Any other time (an `overflow` takes the socket out of its rooms), subscribe afresh.
    if (this.phase === 'resuming' && !this.acked) {
      this.phase = 'fresh';
      this.buffer = [];
      return;
    }
    void this.subscribe();
  }
}
