import { ManualAckSocket } from '../../test/support/fake-socket';
import { progressEvent } from '../../test/support/job-factory';
import {
  TopicSubscription,
  type StreamSocket,
  type SubscriptionLive,
  type SubscriptionProblem,
} from './topic-subscription';

/** A socket whose subscribe acks the test gives, connected from the start; the test plays the gateway. */
class FakeSocket extends ManualAckSocket {
  override connected = true;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(resume: boolean) {
  const socket = new FakeSocket();
  const seen: string[] = [];
  const subscription = new TopicSubscription({
    topic: { topic: 'job', id: 'J1' },
    resume,
    onEvent: (event) => seen.push(`event ${event.seq}`),
    onLive: ({ seq, gap }: SubscriptionLive) => seen.push(`live ${seq}${gap ? ' gap' : ''}`),
    onFailed: ({ code }: SubscriptionProblem) => seen.push(`failed ${code}`),
  });
  subscription.attach(socket as unknown as StreamSocket);
  return { socket, seen, subscription };
}

describe('TopicSubscription (one job, as the embed follows it)', () => {
  it('subscribes to the job, and delivers what came before the ack after it, past the ack seq only', async () => {
    const { socket, seen, subscription } = setup(false);
    void subscription.subscribe();
    expect(socket.lastSubscribe().request).toEqual({ topic: 'job', id: 'J1' });
    socket.send(progressEvent(9, 'J1', 10), progressEvent(11, 'J1', 20));
    socket.lastSubscribe().answer({ ok: true, seq: 10 });
    await settle();
    socket.send(progressEvent(11, 'J1', 20), progressEvent(12, 'J1', 30));
    expect(seen).toEqual(['live 10', 'event 11', 'event 12']);
    expect(subscription.position).toBe(12);
  });

  it('without resume subscribes afresh after a reconnect, and says a fresh subscription after being live is a gap', async () => {
    const { socket, seen, subscription } = setup(false);
    void subscription.subscribe();
    socket.lastSubscribe().answer({ ok: true, seq: 10 });
    await settle();
    subscription.abandon();
    void subscription.subscribe();
    expect(socket.lastSubscribe().request).toEqual({ topic: 'job', id: 'J1' });
    socket.lastSubscribe().answer({ ok: true, seq: 20 });
    await settle();
    expect(seen).toEqual(['live 10', 'live 20 gap']);
  });

  it('takes only its own job’s resync notices, and subscribes afresh on one', async () => {
    const { socket, seen, subscription } = setup(true);
    void subscription.subscribe();
    socket.lastSubscribe().answer({ ok: true, seq: 10 });
    await settle();
    socket.fire('resync', { topic: 'job', id: 'J2', reason: 'overflow' });
    socket.fire('resync', { topic: 'workspace', reason: 'overflow' });
    expect(socket.subscribes).toHaveLength(1);
    socket.fire('resync', { topic: 'job', id: 'J1', reason: 'overflow' });
    expect(socket.subscribes).toHaveLength(2);
    expect(socket.lastSubscribe().request).toEqual({ topic: 'job', id: 'J1' });
    socket.lastSubscribe().answer({ ok: true, seq: 30 });
    await settle();
    expect(seen).toEqual(['live 10', 'live 30 gap']);
  });

  it('says when the subscribe is refused', async () => {
    const { socket, seen, subscription } = setup(false);
    void subscription.subscribe();
    socket.lastSubscribe().answer({ ok: false, error: { code: 'not_found', message: 'job J1 not found' } });
    await settle();
    expect(seen).toEqual(['failed not_found']);
  });
});
