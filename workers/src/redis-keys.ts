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
    /** Held (a lease) by the API process that appends attempt ends BullMQ recorded but no worker announced. */
    reconcilerLeader: `${base}:reconciler:leader`,
    /** Queue name → id of the last entry of its BullMQ event stream that the reconciler has dealt with. */
    reconcilerCursors: `${base}:reconciler:cursors`,
    /** Held (a lease) by the API process that moves due delayed jobs to `wait` (see DueJobPromoter). */
    dueJobsLeader: `${base}:due-jobs:leader`,
    /** Taken (SET NX, left to expire) by the API process that sweeps orphaned artifact chunks this period. */
    artifactSweep: `${base}:artifacts:sweep`,
    /** Pub/sub channel: job ids whose active run should stop. */
    cancellations: `${base}:cancellations`,
    /** Who holds a job's claim (JSON of a Claim); set with NX, so of two claimers exactly one wins. */
    claim: (workspaceId: string, jobId: string) => `${base}:ws:${workspaceId}:claim:${jobId}`,
    /** Who is online in a workspace: connection id → JSON { user, jobId, expiresAt }; refreshed by the gateways. */
    presence: (workspaceId: string) => `${base}:ws:${workspaceId}:presence`,
    /** A workspace's own connected workers (remote, over the gateway): session id → JSON heartbeat. */
    remoteWorkers: (workspaceId: string) => `${base}:ws:${workspaceId}:remote-workers`,
    /** Pub/sub channel: a workspace whose presence changed, or someone typing. */
    presenceChanges: `${base}:presence`,
    /** Live processes of the deployment: process id → JSON heartbeat (roles, connections, concurrency). */
    processes: `${base}:processes`,
    /** A signed-in session, by the SHA-256 of its token. */
    session: (tokenHash: string) => `${base}:session:${tokenHash}`,
    /** Pub/sub channel: credentials that stop working now (revoked keys, removed members, ended sessions). */
    revocations: `${base}:revocations`,
    /** The key that signs job tokens, when TOKEN_SECRET does not name one: made once, shared by every process. */
    tokenSecret: `${base}:token-secret`,
    /** Prefix of the rate limiters' counters. */
    rateLimits: `${base}:rl`,
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;
