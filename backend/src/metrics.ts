import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus registry and the metrics every role shares. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'flightdeck_' });

export const httpRequestDuration = new Histogram({
  name: 'flightdeck_http_request_duration_seconds',
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

export const jobsSubmitted = new Counter({
  name: 'flightdeck_jobs_submitted_total',
  help: 'Jobs accepted through the API, by type',
  labelNames: ['type'] as const,
  registers: [metricsRegistry],
});

/** Each one is an attempt end a worker took with it when it died (or announced too late to count). */
export const reconciledAttemptEnds = new Counter({
  name: 'flightdeck_reconciled_attempt_ends_total',
  help: 'Attempt ends BullMQ recorded that no worker announced, appended by the reconciler, by event type',
  labelNames: ['type'] as const,
  registers: [metricsRegistry],
});

export const realtimeConnections = new Gauge({
  name: 'flightdeck_realtime_connections',
  help: 'Open Socket.io connections on this gateway process',
  registers: [metricsRegistry],
});

export const realtimeEventsDelivered = new Counter({
  name: 'flightdeck_realtime_events_delivered_total',
  help: 'Events this gateway emitted to rooms',
  registers: [metricsRegistry],
});

/** Set by the gateway's slow-client sweep (every 500 ms) to the sum over its sockets. */
export const socketBufferedPackets = new Gauge({
  name: 'flightdeck_socket_buffered_packets',
  help: "Packets waiting to be written to this gateway process's sockets (slow clients), at the last check",
  registers: [metricsRegistry],
});

/**
 * A gauge whose Redis or MongoDB calls fail or stall drops its series instead of failing the scrape:
 * /metrics must still answer while a dependency is down, or flightdeck_dependency_up could never say
 * so. Both bounds stay well under Prometheus' default 10 s scrape timeout.
 */
const COLLECT_TIMEOUT_MS = 5_000;
const PING_TIMEOUT_MS = 1_000;

/** `work`'s result, or a rejection once it takes longer than `ms`. */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Runs a gauge's collection; if it fails (a dependency is down), the gauge reports no series. */
async function collectOrDrop(gauge: Gauge, collect: () => Promise<void>): Promise<void> {
  try {
    await within(collect(), COLLECT_TIMEOUT_MS);
  } catch {
    gauge.reset();
  }
}

export const DEPENDENCIES = ['redis', 'mongodb'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

let dependencyChecks: Partial<Record<Dependency, () => Promise<boolean>>> = {};

/** 1 when this process's ping of a dependency answered at the last scrape, 0 when it failed or timed out. */
export const dependencyUp = new Gauge({
  name: 'flightdeck_dependency_up',
  help: 'Whether this process reaches a dependency (redis, mongodb): 1 when a ping at scrape time answered',
  labelNames: ['dependency'] as const,
  registers: [metricsRegistry],
  async collect() {
    await Promise.all(
      Object.entries(dependencyChecks).map(async ([dependency, ping]) => {
        const up = await within(ping(), PING_TIMEOUT_MS).catch(() => false);
        this.set({ dependency }, up ? 1 : 0);
      }),
    );
  },
});

/** How /metrics pings Redis and MongoDB (every role). */
export function reportDependencyHealth(checks: Partial<Record<Dependency, () => Promise<boolean>>>): void {
  dependencyChecks = checks;
}

/** What the `api` role's queues answer for /metrics (a BullMQ `Queue` in production). */
export interface MeteredQueue {
  isPaused(): Promise<boolean>;
  getJobCounts(...states: JobCountState[]): Promise<Record<string, number>>;
  getJobs(types: 'wait'[], start: number, end: number): Promise<({ timestamp: number; delay?: number } | undefined)[]>;
}

let pausableQueues: ReadonlyMap<string, Pick<MeteredQueue, 'isPaused'>> = new Map();
let meteredQueues: ReadonlyMap<string, MeteredQueue> = new Map();
let historyBacklog: (() => Promise<number>) | undefined;

/** 1 while a queue is paused: KEDA reads it, since BullMQ 6 keeps a paused queue's jobs in `wait`. */
export const queuePaused = new Gauge({
  name: 'flightdeck_queue_paused',
  help: 'Whether a queue is paused (1) or not (0)',
  labelNames: ['queue'] as const,
  registers: [metricsRegistry],
  async collect() {
    await collectOrDrop(this, async () => {
      for (const [queue, handle] of pausableQueues) this.set({ queue }, (await handle.isPaused()) ? 1 : 0);
    });
  },
});

/** The queues whose pause state /metrics reports (processes with the `api` role). */
export function reportQueuePauses(queues: ReadonlyMap<string, Pick<MeteredQueue, 'isPaused'>>): void {
  pausableQueues = queues;
}

export const JOB_COUNT_STATES = ['wait', 'prioritized', 'delayed', 'active', 'completed', 'failed'] as const;
type JobCountState = (typeof JOB_COUNT_STATES)[number];

/**
 * Jobs per queue and BullMQ state. `completed` and `failed` are what retention keeps
 * (KEEP_COMPLETED_* / KEEP_FAILED_*), not totals: rates come from flightdeck_jobs_finished_total.
 */
export const queueJobs = new Gauge({
  name: 'flightdeck_queue_jobs',
  help: "Jobs in a queue by BullMQ state (wait, prioritized, delayed, active, completed, failed); wait and delayed include the jobs waiting in the workspaces' fair-share lanes",
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
  async collect() {
    await collectOrDrop(this, async () => {
      for (const [queue, handle] of meteredQueues) {
        const counts = await handle.getJobCounts(...JOB_COUNT_STATES);
        for (const state of JOB_COUNT_STATES) this.set({ queue, state }, counts[state] ?? 0);
      }
    });
  },
});

/**
 * How long the oldest job in `wait` has been ready to run: one LRANGE per queue (BullMQ pushes new
 * jobs on the left, so the oldest is the last). A delayed job counts from when its delay ended.
 * Prioritized jobs are not looked at (their set is ordered by priority, not age).
 */
export const queueOldestWaiting = new Gauge({
  name: 'flightdeck_queue_oldest_waiting_seconds',
  help: 'Age of the oldest job waiting in a queue (0 when none waits)',
  labelNames: ['queue'] as const,
  registers: [metricsRegistry],
  async collect() {
    await collectOrDrop(this, async () => {
      const now = Date.now();
      for (const [queue, handle] of meteredQueues) {
        const [oldest] = await handle.getJobs(['wait'], -1, -1);
        const readySince = oldest ? oldest.timestamp + (oldest.delay ?? 0) : now;
        this.set({ queue }, Math.max(0, now - readySince) / 1000);
      }
    });
  },
});

/** The queues whose depth and oldest waiting job /metrics reports (processes with the `api` role). */
export function reportQueueDepths(queues: ReadonlyMap<string, MeteredQueue>): void {
  meteredQueues = queues;
}

export const historyBacklogEvents = new Gauge({
  name: 'flightdeck_history_backlog_events',
  help: 'Events in the history stream not yet written to MongoDB by the history projector',
  registers: [metricsRegistry],
  async collect() {
    const length = historyBacklog;
    if (length) await collectOrDrop(this, async () => this.set(await length()));
  },
});

/** How /metrics reads the history stream's length (processes with the `api` role). */
export function reportHistoryBacklog(length: () => Promise<number>): void {
  historyBacklog = length;
}

/** Delayed jobs the due-job promoter moved to `wait` because their time had come (see `DueJobPromoter`). */
export const dueJobsPromoted = new Counter({
  name: 'flightdeck_due_jobs_promoted_total',
  help: 'Delayed jobs moved to wait by the due-job promoter when due, by queue',
  labelNames: ['queue'] as const,
  registers: [metricsRegistry],
});

let dueJobCounts: (() => Promise<ReadonlyMap<string, number>>) | undefined;

/**
 * Delayed jobs past their due time that are still in `delayed`, which KEDA does not count: about 0
 * while the promoter leads; a value that stays up means nothing promotes them and workers at zero
 * replicas will not be woken for them.
 */
export const queueDueDelayed = new Gauge({
  name: 'flightdeck_queue_due_delayed_jobs',
  help: 'Delayed jobs whose time has come but which are not yet in wait, by queue',
  labelNames: ['queue'] as const,
  registers: [metricsRegistry],
  async collect() {
    const counts = dueJobCounts;
    if (!counts) return;
    await collectOrDrop(this, async () => {
      const now = await counts();
      // Registered queues come and go: a queue no longer counted must not keep its last value.
      this.reset();
      for (const [queue, count] of now) this.set({ queue }, count);
    });
  },
});

/** How /metrics counts due delayed jobs (processes with the `api` role). */
export function reportDueDelayedJobs(counts: () => Promise<ReadonlyMap<string, number>>): void {
  dueJobCounts = counts;
}

/**
 * Most queues of registered types that /metrics reports a backlog for, the largest first. Every
 * workspace may register queues of its own; one series each would let them grow the scrape without
 * bound. Queues past this (and those with no backlog) have no series:
 * flightdeck_registered_queues_unreported says how many had a backlog all the same.
 */
export const MAX_REGISTERED_QUEUE_SERIES = 200;

let registeredBacklogs: (() => Promise<ReadonlyMap<string, number>>) | undefined;

/**
 * The backlog of each queue of workspaces' registered types (`ws-<workspace>-<queue>`): jobs in
 * `wait`, `prioritized` and `active`, as KEDA counts Flightdeck's own queues. A ScaledObject of a
 * team's own in-cluster workers can scale on it (deploy/k8s/components/own-worker); a queue with no
 * backlog has no series, which KEDA's Prometheus scaler reads as 0.
 */
export const registeredQueueBacklog = new Gauge({
  name: 'flightdeck_registered_queue_backlog',
  help: "Jobs waiting, prioritized or running in a queue of a workspace's registered types (queues with a backlog only, the largest first, at most 200)",
  labelNames: ['queue'] as const,
  registers: [metricsRegistry],
  async collect() {
    const backlogs = registeredBacklogs;
    if (!backlogs) return;
    await collectOrDrop(this, async () => {
      const { reported, unreported } = boundedBacklogs(await backlogs(), MAX_REGISTERED_QUEUE_SERIES);
      this.reset();
      for (const [queue, backlog] of reported) this.set({ queue }, backlog);
      registeredQueuesUnreported.set(unreported);
    });
  },
});

/** Registered queues with a backlog beyond MAX_REGISTERED_QUEUE_SERIES, which have no series of their own. */
export const registeredQueuesUnreported = new Gauge({
  name: 'flightdeck_registered_queues_unreported',
  help: 'Queues of registered types with a backlog that flightdeck_registered_queue_backlog leaves out (past its 200 series)',
  registers: [metricsRegistry],
});

/** The queues with a backlog, largest first (then by name), at most `limit`; and how many more had one. */
export function boundedBacklogs(
  backlogs: ReadonlyMap<string, number>,
  limit: number,
): { reported: [string, number][]; unreported: number } {
  const busy = [...backlogs]
    .filter(([, backlog]) => backlog > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  return { reported: busy.slice(0, limit), unreported: Math.max(0, busy.length - limit) };
}

/** How /metrics reads the registered queues' backlogs (processes with the `api` role). */
export function reportRegisteredQueueBacklogs(backlogs: () => Promise<ReadonlyMap<string, number>>): void {
  registeredBacklogs = backlogs;
}

export const jobDuration = new Histogram({
  name: 'flightdeck_job_duration_seconds',
  help: 'Duration of job attempts, from pick-up to end, by queue, type and outcome',
  labelNames: ['queue', 'type', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
  registers: [metricsRegistry],
});

/** Attempts ended, by outcome: `completed`, `failed` (for good), `retried` (will run again), `cancelled`. */
export const jobsFinished = new Counter({
  name: 'flightdeck_jobs_finished_total',
  help: 'Job attempts ended on this worker process, by queue, type and outcome',
  labelNames: ['queue', 'type', 'outcome'] as const,
  registers: [metricsRegistry],
});

/** The worker runtime's metrics hook (`startWorkers({ metrics })`). */
export function recordJobFinished(attempt: {
  queue: string;
  type: string;
  outcome: string;
  durationSeconds: number;
}): void {
  const labels = { queue: attempt.queue, type: attempt.type, outcome: attempt.outcome };
  jobDuration.observe(labels, attempt.durationSeconds);
  jobsFinished.inc(labels);
}
