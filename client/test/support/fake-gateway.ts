import type {
  PresenceAck,
  PresenceRequest,
  PresenceSnapshot,
  StreamEvent,
  SubscribeAck,
  SubscribeRequest,
  TypingNotice,
} from '@flightdeck/contract';
import { FakeSocketBase } from './fake-socket';

/**
 * Stands in for a socket.io-client socket in component tests (bundled into the test page): the
 * test plays the gateway. Subscribes are acked at once at `seq`, presence reports are acked with
 * `members`, and everything the page sends is recorded in `sent`. Hand it to a RealtimeClient with
 * `connect: () => socket`, then `open()` it.
 */
export class FakeGatewaySocket extends FakeSocketBase {
  /** The stream's seq the subscribe ack says; events the test sends must come after it. */
  seq = 0;
  /** Who the gateway says is online, in presence acks. */
  members: PresenceSnapshot['members'] = [];
  readonly sent: { name: string; payload: unknown }[] = [];

  off(name: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(
      name,
      (this.handlers.get(name) ?? []).filter((known) => known !== handler),
    );
    return this;
  }
  emit(name: string, payload: unknown, ack?: (answer: unknown) => void) {
    this.sent.push({ name, payload });
    if (name === 'presence' && ack) {
      const answer: PresenceAck = { ok: true, members: this.members };
      queueMicrotask(() => ack(answer));
    }
    return this;
  }
  timeout() {
    return {
      emitWithAck: async (name: string, request: SubscribeRequest): Promise<SubscribeAck> => {
        this.sent.push({ name, payload: request });
        return { ok: true, seq: this.seq };
      },
    };
  }
  // What the gateway does, besides what every fake socket does:
  /** Stream events; each gets the next seq unless it has one. */
  send(...events: (Omit<StreamEvent, 'seq' | 'at'> & Partial<Pick<StreamEvent, 'seq' | 'at'>>)[]) {
    for (const event of events) {
      this.seq = event.seq ?? this.seq + 1;
      this.fire('event', { at: new Date().toISOString(), ...event, seq: this.seq });
    }
  }
  presence(members: PresenceSnapshot['members']) {
    this.members = members;
    this.fire('presence', { members });
  }
  typing(notice: TypingNotice) {
    this.fire('typing', notice);
  }
  /** What the page said it looks at, last. */
  lastPresence(): PresenceRequest | undefined {
    return this.sent.filter((message) => message.name === 'presence').at(-1)?.payload as PresenceRequest | undefined;
  }
}
