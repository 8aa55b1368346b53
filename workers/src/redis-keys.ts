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
    /**
     * Fair share (backend/src/fair-share). Every fair-share key starts with `fairPrefix`; the Lua scripts
     * build the same names from it (see fair-share-keys.script.ts), so the two lists must agree.
     */
    fairPrefix: `${base}:fair:`,
    /** A workspace's limits (hash: `maxRunning`, `maxPending`, `weight`; an absent field = the default). */
    fairLimits: (workspaceId: string) => `${base}:fair:limits:${workspaceId}`,
    /** A workspace's jobs waiting in a queue's lane (zset, score = priority · 2^32 + submission sequence). */
    fairLane: (queue: string, workspaceId: string) => `${base}:fair:lane:${queue}:${workspaceId}`,
    /** The BullMQ add arguments (JSON `{ name, data, opts }`) of a workspace's laned and delayed jobs in a queue. */
    fairArgs: (queue: string, workspaceId: string) => `${base}:fair:args:${queue}:${workspaceId}`,
    /** A workspace's delayed jobs in a queue (zset, score = due time in ms), until they enter its lane. */
    fairDelayed: (queue: string, workspaceId: string) => `${base}:fair:delayed:${queue}:${workspaceId}`,
    /** Workspaces with lane work in a queue (zset, score = their pass in the weighted round-robin). */
    fairReady: (queue: string) => `${base}:fair:ready:${queue}`,
    /** Workspaces with delayed jobs in a queue (zset, score = their earliest due time). */
    fairTimers: (queue: string) => `${base}:fair:timers:${queue}`,
    /**
     * Every due job waiting in a queue's lanes (zset: job id → when it became ready, ms): KEDA's
     * backlog trigger reads its size (ZCARD), /metrics the oldest one's age.
     */
    fairBacklog: (queue: string) => `${base}:fair:backlog:${queue}`,
    /** Batches taken from the lanes and not yet known added to BullMQ (hash: batch id → JSON array of adds). */
    fairDispatching: (queue: string) => `${base}:fair:dispatching:${queue}`,
    /** When each dispatching batch was taken (zset, score = ms): the recovery pass re-adds old ones. */
    fairDispatchingAt: (queue: string) => `${base}:fair:dispatching-at:${queue}`,
    /** A workspace's jobs dispatched to BullMQ and not yet final (set of job ids): its running count. */
    fairRunning: (workspaceId: string) => `${base}:fair:running:${workspaceId}`,
    /** Jobs of a workspace dispatched per 10-second bucket (hash: bucket → count), for its share of the workers. */
    fairStarted: (workspaceId: string) => `${base}:fair:started:${workspaceId}`,
    /** Workspaces that ever submitted to a shared queue (set), for usage reads that name none. */
    fairWorkspaces: `${base}:fair:workspaces`,
    /** Taken (SET NX, left to expire) by the API process that sweeps the running sets for leaks this period. */
    fairSweep: `${base}:fair:sweep`,
    /** Sequence of submissions, FIFO among jobs of equal priority in a lane. */
    fairSeq: `${base}:fair:seq`,
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;
