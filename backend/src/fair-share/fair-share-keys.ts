/**
 * Constants the fair-share scripts and readers share. The key names themselves are in
 * `workers/src/redis-keys.ts` (`fair…`); the Lua scripts build the per-workspace ones from
 * `keys.fairPrefix` the same way (`lane:<queue>:<ws>`, `args:<queue>:<ws>`, `delayed:<queue>:<ws>`,
 * `running:<ws>`, `started:<ws>`, `limits:<ws>`).
 */

/** Width of a bucket of the per-workspace started counter (`fairStarted`). */
export const STARTED_BUCKET_MS = 10_000;

/** A lane score is `priority · 2^32 + sequence`: lower priority numbers first, FIFO among equals. */
export const PRIORITY_FACTOR = 0x100000000;
