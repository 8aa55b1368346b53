import { WakeablePause } from '../src/wakeable-pause';

describe('WakeablePause', () => {
  it('ends after its length when nobody wakes it', async () => {
    const started = Date.now();
    await new WakeablePause().for(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('ends at once when woken, and a wake with no pause running does nothing', async () => {
    const pauses = new WakeablePause();
    pauses.wake();
    const started = Date.now();
    const pause = pauses.for(10_000);
    setTimeout(() => pauses.wake(), 20);
    await pause;
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
