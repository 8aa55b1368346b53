import path from 'node:path';
import { parseArgs } from 'node:util';

/** Everything the bench's numbers depend on; printed in the report. */
export interface BenchSettings {
  /** Rounds of each comparison; bare and ours alternate (ABBA) so drift affects both alike. */
  rounds: number;
  submit: { connections: number; warmupSeconds: number; durationSeconds: number };
  batch: { jobsPerRequest: number; requests: number; warmupRequests: number };
  rawAdd: { jobs: number; concurrency: number; warmupJobs: number };
  rawAddBulk: { batches: number; batchSize: number; warmupBatches: number };
  rawWorker: { jobs: number; concurrency: number };
  /** Submit through our API, run by our worker, `job.completed` received by a subscribed socket. */
  endToEnd: {
    /** Throughput phase: jobs submitted with `POST /v1/jobs/batch`, `batchSize` per request, one request in flight. */
    jobs: number;
    batchSize: number;
    /** Jobs run through before the phases (not measured), so both children are warm. */
    warmupJobs: number;
    /** The worker child's WORKER_CONCURRENCY: the raw no-op worker's concurrency. */
    workerConcurrency: number;
    /** Latency phase: single `POST /v1/jobs` at a steady rate far below saturation. */
    latency: { jobs: number; perSecond: number };
    /** How long a phase waits for its last `job.completed` before it reports the rest missing. */
    completionTimeoutMs: number;
    /** After the throughput phase, how long the bench waits for history to be current (P3's lag). */
    historyLagTimeoutMs: number;
  };
  /**
   * No-op jobs on a team's own worker process (the SDK's runner, over the gateway) against the
   * built-in worker, on the same Flightdeck; then the remote worker's job-start latency.
   */
  remoteWorkers: {
    /** Throughput phase: jobs per kind and round, `batchSize` per `POST /v1/jobs/batch`. */
    jobs: number;
    batchSize: number;
    warmupJobs: number;
    /** Both workers' concurrency (WORKER_CONCURRENCY and the SDK's `concurrency`). */
    concurrency: number;
    latency: { jobs: number; perSecond: number };
    completionTimeoutMs: number;
  };
  /** Sockets held open at once on one gateway process (Artillery), against a bare Socket.IO server. */
  connections: { sockets: number; rampSeconds: number; holdSeconds: number };
  /**
   * P4: one event to `sockets` sockets subscribed to a workspace (opened from `clientProcesses` child
   * processes at `openPerSecond`), `events` events one every `intervalMs`, against a bare Socket.IO room.
   */
  fanout: {
    sockets: number;
    events: number;
    intervalMs: number;
    warmupEvents: number;
    clientProcesses: number;
    openPerSecond: number;
    /** How long after the last event the bench waits for every copy to arrive. */
    arrivalTimeoutMs: number;
  };
  /** Requests traced under Redis MONITOR (outside the measured windows) to count commands per request. */
  traceRequests: number;
  /** Which comparisons run (the raw BullMQ phases always do). */
  phases: Phase[];
  /** Adds diagnostic variants (Flightdeck with its history projector held off). */
  diagnose: boolean;
  /** When set, server children run with `--cpu-prof` and write profiles under this directory. */
  cpuProfileDir: string | null;
  /** The bench stops itself (and everything it started) after this long. */
  timeLimitSeconds: number;
}

/** Goals of the comparisons outside issue 15's six rows (those are `COST_GOALS` in goals.ts). */
export const GOALS = { endToEndRatio: 0.5, remoteWorkerRatio: 0.5 } as const;

/** How long each end-to-end round waits at most for history to be current after its throughput phase. */
const HISTORY_LAG_TIMEOUT_MS = 60_000;

/** The fan-out comparison's pace: one event every `intervalMs`, sockets opened at `openPerSecond`. */
const FANOUT_PACE = { intervalMs: 500, openPerSecond: 500 };

/** The raw no-op worker; the end-to-end phase runs as many jobs with our worker at the same concurrency. */
const RAW_WORKER = { jobs: 5000, concurrency: 50 };

export const PHASES = [
  'submit',
  'batch',
  'endToEnd',
  'connections',
  'remoteWorkers',
  'noisyNeighbour',
  'fanout',
] as const;
export type Phase = (typeof PHASES)[number];

const USAGE = `usage: npm run bench -- [options]
  --rounds <n>          rounds of each comparison (default 2)
  --connections <n>     autocannon connections (default 50)
  --duration <s>        measured seconds per submit phase (default 8)
  --warmup <s>          warm-up seconds per submit phase (default 2)
  --only <list>         comparisons to run, comma-separated: submit,batch,endToEnd,connections,remoteWorkers,
                        noisyNeighbour,fanout (default all)
  --sockets <n>         sockets held at once in the connections comparison (default 3000)
  --fanout-sockets <n>  sockets one event fans out to in the fan-out comparison (default 5000)
  --fanout-events <n>   events per fan-out round, one every 500 ms (default 20)
  --fanout-clients <n>  processes the fan-out comparison's sockets are opened from (default 2)
  --e2e-jobs <n>        jobs in the end-to-end throughput phase, and the raw worker beside it (default 5000)
  --diagnose            also measure Flightdeck with its history projector held off
  --cpu-prof <dir>      profile the server children (node --cpu-prof) into <dir>
`;

function positive(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0 || parsed > max) throw new Error(`--${name} must be in (0, ${max}]`);
  return parsed;
}

export function parseSettings(argv: string[]): BenchSettings {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        rounds: { type: 'string' },
        connections: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        only: { type: 'string' },
        sockets: { type: 'string' },
        'fanout-sockets': { type: 'string' },
        'fanout-events': { type: 'string' },
        'fanout-clients': { type: 'string' },
        'e2e-jobs': { type: 'string' },
        diagnose: { type: 'boolean', default: false },
        'cpu-prof': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  if (values.help) {
    process.stderr.write(USAGE);
    process.exit(0);
  }
  const phases = values.only ? values.only.split(',').map((phase) => phase.trim()) : [...PHASES];
  const unknown = phases.filter((phase) => !(PHASES as readonly string[]).includes(phase));
  if (unknown.length > 0 || phases.length === 0)
    throw new Error(`--only takes ${PHASES.join(', ')}; not ${unknown.join(', ') || '""'}\n${USAGE}`);
  const rounds = Math.round(positive('rounds', values.rounds, 2, 5));
  const fanoutSockets = Math.round(positive('fanout-sockets', values['fanout-sockets'], 5000, 15_000));
  const fanoutEvents = Math.round(positive('fanout-events', values['fanout-events'], 20, 1000));
  // Twice what one fan-out phase takes: start, open the sockets, warm up, the events, stop.
  const fanoutPhaseSeconds =
    2 * (30 + fanoutSockets / FANOUT_PACE.openPerSecond + (fanoutEvents * FANOUT_PACE.intervalMs) / 1000);
  return {
    rounds,
    submit: {
      connections: Math.round(positive('connections', values.connections, 50, 500)),
      warmupSeconds: positive('warmup', values.warmup, 2, 10),
      durationSeconds: positive('duration', values.duration, 8, 30),
    },
    batch: { jobsPerRequest: 1000, requests: 20, warmupRequests: 2 },
    rawAdd: { jobs: 5000, concurrency: 50, warmupJobs: 500 },
    rawAddBulk: { batches: 20, batchSize: 1000, warmupBatches: 2 },
    rawWorker: { jobs: RAW_WORKER.jobs, concurrency: RAW_WORKER.concurrency },
    endToEnd: {
      jobs: Math.round(positive('e2e-jobs', values['e2e-jobs'], RAW_WORKER.jobs, 100_000)),
      batchSize: 500,
      warmupJobs: 200,
      workerConcurrency: RAW_WORKER.concurrency,
      latency: { jobs: 500, perSecond: 100 },
      completionTimeoutMs: 30_000,
      historyLagTimeoutMs: HISTORY_LAG_TIMEOUT_MS,
    },
    remoteWorkers: {
      jobs: 3000,
      batchSize: 500,
      warmupJobs: 200,
      concurrency: RAW_WORKER.concurrency,
      latency: { jobs: 300, perSecond: 50 },
      completionTimeoutMs: 60_000,
    },
    connections: {
      sockets: Math.round(positive('sockets', values.sockets, 3000, 15_000)),
      rampSeconds: 15,
      // Longer than the ramp, so every socket is open at once for the last 10 s of each hold.
      holdSeconds: 25,
    },
    fanout: {
      sockets: fanoutSockets,
      events: fanoutEvents,
      intervalMs: FANOUT_PACE.intervalMs,
      warmupEvents: 2,
      clientProcesses: Math.round(positive('fanout-clients', values['fanout-clients'], 2, 16)),
      openPerSecond: FANOUT_PACE.openPerSecond,
      arrivalTimeoutMs: 15_000,
    },
    traceRequests: 20,
    phases: PHASES.filter((phase) => phases.includes(phase)),
    diagnose: values.diagnose,
    cpuProfileDir: values['cpu-prof'] ? path.resolve(values['cpu-prof']) : null,
    // About twice what a run takes on a quiet 2-core machine, so only a stuck run hits it; plus the
    // longest each end-to-end round may wait for history to be current.
    timeLimitSeconds:
      Math.max(600, 120 + rounds * ((values.diagnose ? 300 : 240) + HISTORY_LAG_TIMEOUT_MS / 1000)) +
      (phases.includes('fanout') ? rounds * 2 * fanoutPhaseSeconds : 0),
  };
}
