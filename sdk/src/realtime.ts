import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  ResyncNotice,
  ServerToClientEvents,
  StreamEvent,
  SubscribeAck,
  SubscribeRequest,
} from '@flightdeck/contract';
import { FlightdeckError } from './errors';

export type Topic = { topic: 'workspace' } | { topic: 'job'; id: string };

export interface SubscriptionHandlers {
  /** Each event once, in order; after a reconnection the ones missed meanwhile come first. */
  event(event: StreamEvent): void;
  /**
   * The server no longer holds every event since the last one seen (the client was away too long):
   * reload what you show from REST. Events after the resubscription follow.
   */
  resync?(notice: ResyncNotice): void;
  /** The subscription was refused (e.g. a job of another workspace) or the credentials were revoked. */
  error?(error: FlightdeckError): void;
}

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 10_000;
const topicKey = (topic: Topic) => (topic.topic === 'job' ? `job:${topic.id}` : 'workspace');
/** How long to wait before connecting again after the gateway closed the socket (it is draining). */
const RECONNECT_AFTER_MS = 250;

/** A subscription to a topic that resumes after reconnections from the last `seq` it delivered. */
export class Subscription {
  /** The `seq` of the last event delivered (or the stream's position when subscribed), for resuming later. */
  lastSeq: number | undefined;
  /** Settles once the first subscribe is acknowledged (rejects if refused). */
  readonly ready: Promise<void>;
  private settleReady!: { resolve: () => void; reject: (error: Error) => void };
  private closed = false;

  constructor(
    private readonly connection: RealtimeConnection,
    readonly topic: Topic,
    private readonly handlers: SubscriptionHandlers,
    since?: number,
  ) {
    this.lastSeq = since;
    this.ready = new Promise((resolve, reject) => (this.settleReady = { resolve, reject }));
    // A refusal is reported through `handlers.error` too; an unobserved `ready` must not crash Node.
    this.ready.catch(() => undefined);
  }

  /** Stops delivering events and tells the server. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.forget(this);
  }

  /** @internal (Re)subscribes, from `lastSeq` when there is one. */
  subscribe(): void {
    if (this.closed) return;
    const request: SubscribeRequest =
      this.topic.topic === 'job'
        ? { topic: 'job', id: this.topic.id, ...(this.lastSeq !== undefined ? { since: this.lastSeq } : {}) }
        : { topic: 'workspace', ...(this.lastSeq !== undefined ? { since: this.lastSeq } : {}) };
    this.connection.socket
      .timeout(ACK_TIMEOUT_MS)
      .emit('subscribe', request, (timeout: Error | null, ack: SubscribeAck) => {
        if (this.closed) return;
        // No answer in time (the connection dropped meanwhile): the next `connect` subscribes again.
        if (timeout) return;
        if (!ack.ok) {
          const error = new FlightdeckError(0, ack.error.code, ack.error.message);
          this.settleReady.reject(error);
          this.handlers.error?.(error);
          return;
        }
        this.lastSeq = Math.max(this.lastSeq ?? ack.seq, ack.seq);
        this.settleReady.resolve();
      });
  }

  /** @internal An event of the socket: delivered when it is this topic's and newer than the last one. */
  deliver(event: StreamEvent): void {
    if (this.closed) return;
    if (this.topic.topic === 'job' && event.jobId !== this.topic.id) return;
    // A replay after a reconnection may overlap what arrived before it: each seq once.
    if (this.lastSeq !== undefined && event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.handlers.event(event);
  }

  /** @internal The server could not replay the gap: start afresh, then tell the handler to reload. */
  resync(notice: ResyncNotice): void {
    if (this.closed) return;
    if (notice.topic !== this.topic.topic || (this.topic.topic === 'job' && notice.id !== this.topic.id)) return;
    this.lastSeq = undefined;
    this.subscribe();
    this.handlers.resync?.(notice);
  }

  /** @internal */
  fail(error: FlightdeckError): void {
    this.settleReady.reject(error);
    this.handlers.error?.(error);
  }
}

/**
 * One Socket.IO connection to Flightdeck's gateway, shared by every subscription of a client. It
 * reconnects by itself (also when a draining gateway closes it) and resubscribes each topic from its
 * last `seq`, so no event is missed or delivered twice.
 */
export class RealtimeConnection {
  readonly socket: RealtimeSocket;
  private readonly subscriptions = new Set<Subscription>();
  private revoked = false;

  constructor(url: string, apiKey: string) {
    this.socket = io(url, { path: '/socket.io', auth: { token: apiKey }, transports: ['websocket'] });
    this.socket.on('connect', () => {
      for (const subscription of this.subscriptions) subscription.subscribe();
    });
    this.socket.on('event', (event) => {
      for (const subscription of this.subscriptions) subscription.deliver(event);
    });
    this.socket.on('resync', (notice) => {
      for (const subscription of this.subscriptions) subscription.resync(notice);
    });
    this.socket.on('revoked', (notice) => {
      this.revoked = true;
      const error = new FlightdeckError(401, 'unauthorized', `the credentials were revoked (${notice.reason})`);
      for (const subscription of this.subscriptions) subscription.fail(error);
    });
    this.socket.on('connect_error', (error: Error & { data?: { code?: string; message?: string } }) => {
      // Refused credentials will not get better by retrying.
      if (error.data?.code !== 'unauthorized') return;
      this.socket.disconnect();
      const refusal = new FlightdeckError(401, 'unauthorized', error.data.message ?? error.message);
      for (const subscription of this.subscriptions) subscription.fail(refusal);
    });
    // Socket.IO does not reconnect when the server closed the socket: a draining gateway does, and
    // the load balancer sends the next connection elsewhere.
    this.socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect' && !this.revoked && this.subscriptions.size > 0)
        setTimeout(() => this.socket.connect(), RECONNECT_AFTER_MS);
    });
  }

  subscribe(topic: Topic, handlers: SubscriptionHandlers, since?: number): Subscription {
    const subscription = new Subscription(this, topic, handlers, since);
    this.subscriptions.add(subscription);
    if (this.socket.connected) subscription.subscribe();
    return subscription;
  }

  /** @internal */
  forget(subscription: Subscription): void {
    this.subscriptions.delete(subscription);
    const { topic } = subscription;
    const key = topicKey(topic);
    // The server holds one subscription per topic and socket: another of ours may still need it.
    if ([...this.subscriptions].some((other) => topicKey(other.topic) === key)) return;
    if (this.socket.connected) {
      this.socket.emit('unsubscribe', topic.topic === 'job' ? { topic: 'job', id: topic.id } : { topic: 'workspace' });
    }
  }

  close(): void {
    this.subscriptions.clear();
    this.socket.disconnect();
  }
}
