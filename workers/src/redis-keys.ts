/**
 * Names of Flightdeck's own Redis keys. They live under the same prefix as BullMQ's keys
 * (`<prefix>:<queue>:...`), in a `flightdeck` segment that no queue may be named after.
 */
export function redisKeys(prefix: string) {
  const base = `${prefix}:flightdeck`;
  return {
    workspaceSeq: (workspaceId: string) => `${base}:ws:${workspaceId}:seq`,
    workspaceEvents: (workspaceId: string) => `${base}:ws:${workspaceId}:events`,
    jobSnapshot: (jobId: string) => `${base}:job:${jobId}`,
    idempotency: (workspaceId: string, key: string) => `${base}:idem:${workspaceId}:${key}`,
    /** Every event of every workspace, in order, until the history projector has written it to MongoDB. */
    history: `${base}:history`,
    historyCursor: `${base}:history:cursor`,
    historyLeader: `${base}:history:leader`,
    /** Pub/sub channel: job ids whose active run should stop. */
    cancellations: `${base}:cancellations`,
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;
