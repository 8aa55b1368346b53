import { fakeHost } from '../../test/support/fake-controller-host';
import { RowActionController } from './row-action-controller';

describe('RowActionController', () => {
  it('runs one action per row at a time, marks the row busy with its kind until it settles, and says what it did', async () => {
    const host = fakeHost();
    const actions = new RowActionController<'pause' | 'drain'>(host);
    expect(host.controllers).toEqual([actions]);
    let finish!: () => void;
    const first = actions.run(
      'demo',
      'drain',
      async () => {
        await new Promise<void>((resolve) => (finish = resolve));
        actions.succeeded('Drained demo.');
      },
      () => 'not drained',
    );
    expect(actions.busyWith('demo')).toBe('drain');
    expect(actions.busyWith('other')).toBeUndefined();
    let second = false;
    await actions.run(
      'demo',
      'pause',
      async () => void (second = true),
      () => '',
    );
    expect(second).toBe(false);
    finish();
    await first;
    expect(actions.busyWith('demo')).toBeUndefined();
    expect(actions.done).toBe('Drained demo.');
    expect(actions.failure).toBe('');
    expect(host.updates).toBeGreaterThanOrEqual(3);
  });

  it('shows what a failed action says, and clears both messages when the next one starts', async () => {
    const actions = new RowActionController(fakeHost());
    actions.succeeded('Removed Ada.');
    await actions.run(
      'u1',
      'busy',
      async () => {
        throw new Error('forbidden');
      },
      (error) => `Not removed: ${(error as Error).message}`,
    );
    expect(actions.failure).toBe('Not removed: forbidden');
    expect(actions.done).toBe('');
    expect(actions.busyWith('u1')).toBeUndefined();
    let seen = 'unset';
    await actions.run(
      'u2',
      'busy',
      async () => void (seen = actions.failure),
      () => '',
    );
    expect(seen).toBe('');
  });
});
