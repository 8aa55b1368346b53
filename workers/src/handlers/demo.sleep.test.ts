import demoSleep, { demoSleepPayloadSchema } from './demo.sleep';
import { fakeJobContext } from '../../test/support/fake-job-context';

const context = (signal?: AbortSignal) => fakeJobContext(signal ? { signal } : {});

describe('demo.sleep', () => {
  it('sleeps in equal steps, reporting progress after each, and returns what it slept', async () => {
    const { ctx, progress } = context();
    await expect(demoSleep.run(demoSleepPayloadSchema.parse({ ms: 40, steps: 4 }), ctx)).resolves.toEqual({
      slept: 40,
    });
    expect(progress).toEqual([25, 50, 75, 100]);
  });

  it('fails with "demo failure" when asked to', async () => {
    const { ctx } = context();
    await expect(demoSleep.run(demoSleepPayloadSchema.parse({ ms: 0, fail: true }), ctx)).rejects.toThrow(
      'demo failure',
    );
  });

  it('stops as soon as its signal aborts', async () => {
    const controller = new AbortController();
    const { ctx } = context(controller.signal);
    const started = Date.now();
    const run = demoSleep.run(demoSleepPayloadSchema.parse({ ms: 60_000, steps: 1 }), ctx);
    setTimeout(() => controller.abort(new Error('cancelled')), 20);
    await expect(run).rejects.toThrow('cancelled');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.each([
    { ms: -1 },
    { ms: 600_001 },
    { ms: 10, steps: 0 },
    { ms: 10, steps: 101 },
    { ms: 1.5 },
    { ms: 10, extra: 1 },
    {},
  ])('refuses the payload %o', (payload) => {
    expect(demoSleepPayloadSchema.safeParse(payload).success).toBe(false);
  });
});
