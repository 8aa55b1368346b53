import type { StreamEvent, SubscribeAck, SubscribeRequest } from '@flightdeck/contract';

/**
 * The socket.io-client side of a fake socket, shared by the fakes the tests play the gateway with
 * (RealtimeClient's unit tests, FakeGatewaySocket in component tests): handlers by event name, the
 * client connecting and disconnecting, and what the gateway does to it (fires an event, opens the
 * connection, drops it).
 */
export class FakeSocketBase {
  connected = false;
  active = true;
  protected readonly handlers = new Map<string, ((...args: unknown[]) => void)[]>();

  on(name: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler]);
    return this;
  }
  removeAllListeners() {
    this.handlers.clear();
    return this;
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
}

/**
 * A fake socket whose subscribe acks the test gives (`lastSubscribe().answer(ack)`), for the unit
 * tests of what subscribes (RealtimeClient, TopicSubscription); `send` delivers stream events.
 */
export class ManualAckSocket extends FakeSocketBase {
  readonly subscribes: { request: SubscribeRequest; answer: (ack: SubscribeAck) => void }[] = [];

  timeout() {
    return {
      emitWithAck: (_name: 'subscribe', request: SubscribeRequest) =>
        new Promise<SubscribeAck>((answer) => this.subscribes.push({ request, answer })),
    };
  }

  // What the gateway does, besides what every fake socket does:
  send(...events: StreamEvent[]) {
    for (const event of events) this.fire('event', event);
  }
  lastSubscribe() {
    const last = this.subscribes.at(-1);
    if (!last) throw new Error('no subscribe was sent');
    return last;
  }
}
