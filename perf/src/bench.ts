/**
 * `npm run bench`: Flightdeck's submit path against a bare Express + BullMQ endpoint, its batch
 * endpoint against raw `addBulk`, and its whole path (API → worker → gateway → socket) against a raw
 * BullMQ worker and a bare Socket.IO server, on this machine, with a throw-away Redis (and a
 * throw-away FerretDB per Flightdeck server). Prints one JSON report on stdout; progress goes to
 * stderr. See perf/README.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSettings, type BenchSettings, type Phase } from './bench-settings';
import { startBench } from './bench-start';
import { runConnectionsPhases } from './connections';
import { runEndToEndPhases } from './end-to-end';
import { COST_GOALS, goalsSummary, withGoals } from './goals';
import { fanoutSummary, runFanoutPhases } from './fanout';
import {
  runOursBatchPhase,
  runRawBatchPhase,
  runRawPhases,
  runSubmitPhase,
  summarizeBatch,
  summarizeSubmit,
  type BatchPhase,
  type Bench,
  type SubmitPhase,
} from './phases';
import { progress, round } from './progress';
import type { RedisTrace } from './redis-usage';
import { runRemoteWorkerPhases } from './remote-workers';
import { noisyNeighbourSummary, runNoisyNeighbourPhases } from './noisy-neighbour';
import type { Variant } from './targets';
import { Teardown } from './teardown';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Comparisons that start everything they need themselves and answer one section of the report: add
 * one here (and its name to PHASES in bench-settings.ts) with the line it prints at the end.
 */
interface Section {
  phase: Phase;
  run(bench: Bench): Promise<Record<string, unknown>>;
  summary(section: Record<string, unknown>): string;
}

const SECTIONS: Section[] = [
  { phase: 'noisyNeighbour', run: (bench) => runNoisyNeighbourPhases(bench), summary: noisyNeighbourSummary },
  {
    phase: 'remoteWorkers',
    run: runRemoteWorkerPhases,
    summary: (section) => {
      const report = section as Awaited<ReturnType<typeof runRemoteWorkerPhases>>;
      return (
        `remote worker ratio ${report.ratio} (goal ${report.goal}), ${report.overheadPerJob.cpuMs} CPU ms/job more, ` +
        `start latency p50/p99 ${report.remoteStartLatencyMs.p50}/${report.remoteStartLatencyMs.p99} ms`
      );
    },
  },
  { phase: 'fanout', run: runFanoutPhases, summary: fanoutSummary },
];

/** Round 1 runs the variants in order, round 2 in reverse, and so on (ABBA), so drift hits all alike. */
function orderFor<T>(roundNo: number, variants: T[]): T[] {
  return roundNo % 2 === 1 ? variants : [...variants].reverse();
}

type Rates<Key extends string> = Record<Key, number> & { rounds: Record<Key, number>[] };

/** Ours over the baseline in one rate: the ratio of the means, whether it meets the goal, and each round's ratio. */
function againstBaseline<Key extends string>(key: Key, ours: Rates<Key>, baseline: Rates<Key>, goal: number) {
  const ratio = round(ours[key] / baseline[key], 3);
  return {
    ratio,
    goal,
    met: ratio >= goal,
    roundRatios: ours.rounds.map((phase, index) => round(phase[key] / (baseline.rounds[index]?.[key] ?? NaN), 3)),
  };
}

/** The commit measured, and whether the measured packages had uncommitted changes (null outside git). */
function codeVersion(): { commit: string; uncommittedChanges: boolean } | null {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return {
      commit: git('rev-parse', 'HEAD'),
      uncommittedChanges: git('status', '--porcelain', '--', 'contract', 'sdk', 'workers', 'backend', 'perf') !== '',
    };
  } catch {
    return null;
  }
}

function packageVersion(name: string): string | null {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

async function run(settings: BenchSettings, teardown: Teardown) {
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg();
  const bench = await startBench(settings, teardown);
  const diagnostic: Variant[] = settings.diagnose ? ['oursWithoutHistory'] : [];

  const raw = await runRawPhases(bench);
  const runs = (phase: BenchSettings['phases'][number]) => settings.phases.includes(phase);

  const submitVariants: Variant[] = runs('submit') ? ['bare', 'ours', ...diagnostic] : [];
  const submitPhases = new Map<Variant, SubmitPhase[]>(submitVariants.map((variant) => [variant, []]));
  const traces: Partial<Record<Variant, RedisTrace>> = {};
  for (let roundNo = 1; roundNo <= settings.rounds && submitVariants.length > 0; roundNo++) {
    for (const variant of orderFor(roundNo, submitVariants)) {
      const { phase, trace } = await runSubmitPhase(bench, variant, roundNo);
      submitPhases.get(variant)!.push(phase);
      if (trace) traces[variant] = trace;
    }
  }

  const batchVariants: ('raw' | Variant)[] = runs('batch') ? ['raw', 'ours', ...diagnostic] : [];
  const batchPhases = new Map<'raw' | Variant, BatchPhase[]>(batchVariants.map((variant) => [variant, []]));
  for (let roundNo = 1; roundNo <= settings.rounds && batchVariants.length > 0; roundNo++) {
    for (const variant of orderFor(roundNo, batchVariants)) {
      batchPhases
        .get(variant)!
        .push(
          variant === 'raw' ? await runRawBatchPhase(bench, roundNo) : await runOursBatchPhase(bench, variant, roundNo),
        );
    }
  }

  const endToEnd = runs('endToEnd') ? await runEndToEndPhases(bench) : undefined;
  const connections = runs('connections') ? await runConnectionsPhases(bench) : undefined;
  const sections: Record<string, Record<string, unknown>> = {};
  for (const section of SECTIONS) if (runs(section.phase)) sections[section.phase] = await section.run(bench);

  const submit = () => {
    const bare = summarizeSubmit(submitPhases.get('bare')!);
    const ours = summarizeSubmit(submitPhases.get('ours')!);
    return {
      ...againstBaseline('requestsPerSecond', ours, bare, COST_GOALS.submitRatio),
      bare,
      ours,
      ...(settings.diagnose ? { oursWithoutHistory: summarizeSubmit(submitPhases.get('oursWithoutHistory')!) } : {}),
      redisTrace: traces,
    };
  };
  const batch = () => {
    const rawAddBulk = summarizeBatch(batchPhases.get('raw')!);
    const ours = summarizeBatch(batchPhases.get('ours')!);
    return {
      ...againstBaseline('jobsPerSecond', ours, rawAddBulk, COST_GOALS.batchRatio),
      rawAddBulk,
      ours,
      ...(settings.diagnose ? { oursWithoutHistory: summarizeBatch(batchPhases.get('oursWithoutHistory')!) } : {}),
    };
  };
  const finishedAt = new Date();

  return {
    bench:
      'flightdeck submit, batch, end-to-end and connections against bare Express + BullMQ, raw BullMQ and Socket.IO; remote workers against the built-in worker',
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    totalSeconds: round((finishedAt.getTime() - startedAt.getTime()) / 1000, 1),
    valid: bench.problems.length === 0,
    problems: bench.problems,
    ...(runs('submit') ? { submit: submit() } : {}),
    ...(runs('batch') ? { batch: batch() } : {}),
    ...(endToEnd ? { endToEnd } : {}),
    ...(connections ? { connections } : {}),
    ...sections,
    raw,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      loadAverageAtStart: loadAverageAtStart.map((value) => round(value)),
      platform: `${os.platform()} ${os.release()}`,
      node: process.version,
      redis: /redis_version:(\S+)/.exec(await bench.redis.info('server'))?.[1] ?? null,
      ferretdb: bench.ferretDbBinary,
      packages: Object.fromEntries(
        ['bullmq', 'ioredis', 'express', 'autocannon', 'artillery', 'socket.io', 'socket.io-client'].map((name) => [
          name,
          packageVersion(name),
        ]),
      ),
    },
    code: codeVersion(),
    settings,
  };
}

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  const teardown = new Teardown();
  const abort = (reason: string, code: number) => {
    progress(`${reason}: stopping everything the bench started`);
    void teardown.run().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));
  process.once('uncaughtException', (error) => abort(`crashed: ${error.stack ?? error.message}`, 1));
  process.once('unhandledRejection', (error) => abort(`crashed: ${String(error)}`, 1));
  const limit = setTimeout(
    () => abort(`time limit of ${settings.timeLimitSeconds}s reached`, 1),
    settings.timeLimitSeconds * 1000,
  );
  limit.unref();
  try {
    const report = withGoals(await run(settings, teardown));
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const ratios = [
      report.submit && `submit ratio ${report.submit.ratio} (goal ${report.submit.goal})`,
      report.batch && `batch ratio ${report.batch.ratio} (goal ${report.batch.goal})`,
      report.endToEnd &&
        `end-to-end ratio ${report.endToEnd.ratio} (goal ${report.endToEnd.goal}), delivery p50/p99 ` +
          `${report.endToEnd.deliveryLatencyMs.p50}/${report.endToEnd.deliveryLatencyMs.p99} ms ` +
          `(raw Socket.IO ${report.endToEnd.rawSocketIoLatencyMs.p50}/${report.endToEnd.rawSocketIoLatencyMs.p99} ms), ` +
          `against the same-shape baseline ${report.endToEnd.sameShapeBaseline.ratio}`,
      report.connections &&
        `${report.connections.sockets} sockets: ${report.connections.ours.kibPerConnection} KiB per connection ` +
          `(raw Socket.IO ${report.connections.raw.kibPerConnection}, ratio ${report.connections.memoryRatio})`,
      ...SECTIONS.filter(({ phase }) => phase in report).map((section) =>
        section.summary((report as unknown as Record<string, Record<string, unknown>>)[section.phase]!),
      ),
    ].filter(Boolean);
    progress(`${ratios.join(', ')}${report.valid ? '' : `; problems: ${report.problems.join('; ')}`}`);
    progress(goalsSummary(report.goals));
  } finally {
    clearTimeout(limit);
    await teardown.run();
  }
}

main().catch((error: unknown) => {
  progress(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
