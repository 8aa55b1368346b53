import { fakeHost } from '../../test/support/fake-controller-host';
import { SubscriptionController } from './subscription-controller';

describe('SubscriptionController', () => {
  it('subscribes when the host connects, again on renew (ending the last first), and ends when it leaves', () => {
    const host = fakeHost();
    const log: string[] = [];
    let n = 0;
    const subscription = new SubscriptionController(host, () => {
      const id = ++n;
      log.push(`subscribe ${id}`);
      return () => log.push(`end ${id}`);
    });
    expect(host.controllers).toEqual([subscription]);
    expect(log).toEqual([]);
    subscription.hostConnected();
    subscription.renew();
    subscription.hostDisconnected();
    subscription.hostDisconnected();
    expect(log).toEqual(['subscribe 1', 'end 1', 'subscribe 2', 'end 2']);
  });

  it('holds nothing while there is nothing to follow', () => {
    const ended = jest.fn();
    let following = false;
    const subscription = new SubscriptionController(fakeHost(), () => (following ? ended : undefined));
    subscription.hostConnected();
    following = true;
    subscription.renew();
    expect(ended).not.toHaveBeenCalled();
    subscription.hostDisconnected();
    expect(ended).toHaveBeenCalledTimes(1);
  });
});
