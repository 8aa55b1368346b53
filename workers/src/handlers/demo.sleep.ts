import { z } from 'zod';
import { defineJobType } from '../job-type';
import { sleep } from '../sleep';

export const demoSleepPayloadSchema = z.strictObject({
  ms: z.number().int().min(0).max(600_000),
  steps: z.number().int().min(1).max(100).default(1),
  fail: z.boolean().default(false),
});

/** Sleeps `ms` in `steps` equal steps, reporting progress after each; fails with "demo failure" when asked to. */
export default defineJobType({
  type: 'demo.sleep',
  queue: 'demo',
  payloadSchema: demoSleepPayloadSchema,
  resultSchema: z.strictObject({ slept: z.number() }),
  async run({ ms, steps, fail }, { signal, progress, log }) {
    for (let step = 1; step <= steps; step++) {
      await sleep(ms / steps, signal);
      progress((step / steps) * 100);
    }
    log(`slept ${ms} ms in ${steps} step(s)`);
    if (fail) throw new Error('demo failure');
    return { slept: ms };
  },
});
