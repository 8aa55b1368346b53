import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { z } from 'zod';
import { defineJobType } from '../job-type';

export const demoCpuPayloadSchema = z.strictObject({
  iterations: z.number().int().min(1).max(10_000_000),
  steps: z.number().int().min(1).max(100).default(10),
});

/**
 * Rounds hashed between two yields to the event loop: long enough to keep the overhead small, short
 * enough that lock renewals and cancellations get through while the CPU is busy.
 */
const ROUNDS_PER_SLICE = 20_000;

/** The chain's starting point: the same for every run, so the same `iterations` give the same digest. */
const SEED = createHash('sha256').update('flightdeck demo.cpu').digest();

/**
 * A SHA-256 hash chain of `iterations` rounds in `steps` equal chunks, reporting progress after each;
 * returns the final digest (hex). Deterministic; stops between slices when its signal aborts.
 */
export default defineJobType({
  type: 'demo.cpu',
  queue: 'demo',
  payloadSchema: demoCpuPayloadSchema,
  async run({ iterations, steps }, { signal, progress, log }) {
    let digest = SEED;
    let done = 0;
    for (let step = 1; step <= steps; step++) {
      const stepEnd = Math.floor((iterations * step) / steps);
      while (done < stepEnd) {
        signal.throwIfAborted();
        const sliceEnd = Math.min(stepEnd, done + ROUNDS_PER_SLICE);
        for (; done < sliceEnd; done++) digest = createHash('sha256').update(digest).digest();
        await yieldToEventLoop();
      }
      progress((step / steps) * 100);
    }
    signal.throwIfAborted();
    log(`hashed ${iterations} round(s) in ${steps} step(s)`);
    return { iterations, digest: digest.toString('hex') };
  },
});
