import { createHash } from 'node:crypto';
import demoCpu, { demoCpuPayloadSchema } from './demo.cpu';
import { fakeJobContext } from '../../test/support/fake-job-context';

const context = (signal?: AbortSignal) => fakeJobContext(signal ? { signal } : {});

const run = (payload: unknown, ctx = context().ctx) => demoCpu.run(demoCpuPayloadSchema.parse(payload), ctx);

/** The chain computed plainly, as the reference. */
function referenceDigest(iterations: number): string {
  let digest = createHash('sha256').update('flightdeck demo.cpu').digest();
  for (let round = 0; round < iterations; round++) digest = createHash('sha256').update(digest).digest();
  return digest.toString('hex');
}

describe('demo.cpu', () => {
  it('returns the SHA-256 chain of `iterations` rounds, the same whatever the steps', async () => {
    const digest = referenceDigest(50_000);
    await expect(run({ iterations: 50_000 })).resolves.toEqual({ iterations: 50_000, digest });
    await expect(run({ iterations: 50_000, steps: 1 })).resolves.toEqual({ iterations: 50_000, digest });
    await expect(run({ iterations: 50_000, steps: 7 })).resolves.toEqual({ iterations: 50_000, digest });
    expect((await run({ iterations: 50_001 })).digest).not.toBe(digest);
  });

  it('reports progress after each of its steps, ending at 100', async () => {
    const { ctx, progress } = context();
    await run({ iterations: 1_000, steps: 4 }, ctx);
    expect(progress).toEqual([25, 50, 75, 100]);
    const few = context();
    await run({ iterations: 3, steps: 5 }, few.ctx);
    expect(few.progress).toEqual([20, 40, 60, 80, 100]);
  });

  it('stops soon after its signal aborts', async () => {
    const controller = new AbortController();
    const { ctx, progress } = context(controller.signal);
    const started = Date.now();
    const running = run({ iterations: 10_000_000, steps: 100 }, ctx);
    setTimeout(() => controller.abort(new Error('cancelled')), 50);
    await expect(running).rejects.toThrow('cancelled');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(progress.length).toBeLessThan(100);
  });

  it('does not start when its signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(run({ iterations: 10 }, context(controller.signal).ctx)).rejects.toThrow('cancelled');
  });

  it.each([
    { iterations: 0 },
    { iterations: 10_000_001 },
    { iterations: 1.5 },
    { iterations: 10, steps: 0 },
    { iterations: 10, steps: 101 },
    { iterations: 10, extra: 1 },
    {},
  ])('refuses the payload %o', (payload) => {
    expect(demoCpuPayloadSchema.safeParse(payload).success).toBe(false);
  });
});
