import { drainTimeoutMs, stopOnSignals } from './worker-signals';
import type { RunningWorker } from './worker';

describe('stopOnSignals', () => {
  it('drains for timeoutMs, else FLIGHTDECK_DRAIN_MS, else 10 s', () => {
    expect(drainTimeoutMs({ timeoutMs: 250 }, { FLIGHTDECK_DRAIN_MS: '30000' })).toBe(250);
    expect(drainTimeoutMs({}, { FLIGHTDECK_DRAIN_MS: '30000' })).toBe(30_000);
    expect(drainTimeoutMs({}, { FLIGHTDECK_DRAIN_MS: 'soon' })).toBe(10_000);
    expect(drainTimeoutMs({}, {})).toBe(10_000);
  });

  it('closes the worker once on the first signal, with the drain, and removes its handlers', async () => {
    const closes: (number | undefined)[] = [];
    const worker = {
      close: async (options?: { timeoutMs?: number }) => void closes.push(options?.timeoutMs),
    } as unknown as RunningWorker;
    const remove = stopOnSignals(worker, { timeoutMs: 42, signals: ['SIGUSR2'], exit: false });
    process.emit('SIGUSR2');
    process.emit('SIGUSR2');
    await new Promise((resolve) => setImmediate(resolve));
    expect(closes).toEqual([42]);
    remove();
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});
