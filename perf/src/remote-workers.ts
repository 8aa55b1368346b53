/**
 * Remote workers against the built-in worker, in the same run and on the same Flightdeck: an
 * `api,gateway` child and a `worker` child (as the end-to-end phases start them), plus a team's own
 * worker process (`remote-worker-child.ts`: the SDK's `startWorker`, one no-op registered type,
 * `bench.noop`) connected over the gateway with a `workers:run` key. No-op jobs both ways:
 * `demo.sleep` with `ms: 0` on the built-in worker, `bench.noop` on the remote one, each at the same
 * concurrency. Throughput (submit → last `job.completed` on a subscribed socket) alternates the two
 * (ABBA); then the remote worker's job-start latency (submit sent → its `run` called) at a steady
 * rate far below saturation. See perf/README.md, "Remote workers".
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { GOALS } from './bench-settings';
import { processCpu, waitUntilQuiet, type CpuSource } from './cpu-usage';
import { postJobs } from './http-load';
import { meteredWindow, ourCpu, type Bench, type Measured } from './phases';
import { distribution, mean, progress, round, sleep } from './progress';
import { RealtimeListener, type CompletionCheck } from './realtime-listener';
import { NOOP_TYPE } from './remote-worker-child';
import { JOB_BODY, startEndToEndTarget, type EndToEndTarget } from './targets';

/** Which worker runs the no-op jobs. */
export type WorkerKind = 'builtIn' | 'remote';

const BODIES: Record<WorkerKind, object> = { builtIn: JOB_BODY, remote: { type: NOOP_TYPE, payload: {} } };
const SETTLE_MS = 500;

export interface RemoteThroughputPhase extends Measured {
  round: number;
  kind: WorkerKind;
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
  check: CompletionCheck;
}

export interface RemoteLatencyPhase extends Measured {
  kind: WorkerKind;
  jobs: number;
  perSecond: number;
  /** Submit sent → the remote worker's `run` called (remote only). */
  startLatencyMs?: ReturnType<typeof distribution>;
  /** Submit sent → `job.completed` on the socket. */
  submitToCompletedMs: ReturnType<typeof distribution>;
  check: CompletionCheck;
}

/** The SDK worker process, its start stamps, and how to stop it. */
interface SdkWorker {
  cpu: CpuSource;
  starts: Map<string, number>;
  stop(): Promise<void>;
}

/** A key of the bench's workspace with only the worker scope, as a team's worker holds. */
async function createWorkerKey(baseUrl: string, apiKey: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ name: 'bench remote worker', scopes: ['workers:run'] }),
  });
  const answer = (await response.json()) as { key?: string };
  if (response.status !== 201 || !answer.key) throw new Error(`creating a worker key answered ${response.status}`);
  return answer.key;
}

async function startSdkWorker(bench: Bench, url: string, apiKey: string, concurrency: number): Promise<SdkWorker> {
  const child = spawn(process.execPath, [path.join(__dirname, 'remote-worker-child.js')], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      FLIGHTDECK_URL: url,
      FLIGHTDECK_WORKER_KEY: apiKey,
      CONCURRENCY: String(concurrency),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = bench.teardown.add(`sdk worker (pid ${child.pid})`, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(force);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => process.stderr.write(`  [sdk-worker] ${line}\n`));
  const starts = new Map<string, number>();
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as { ready?: unknown; start?: string; at?: number };
      if (message.start) starts.set(message.start, message.at!);
      else if (message.ready) resolve();
    });
    void exited.then(() => reject(new Error(`the SDK worker exited (code ${child.exitCode})`)));
    setTimeout(() => reject(new Error('the SDK worker did not register in 20 s')), 20_000).unref();
  });
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  progress(`sdk worker is up (pid ${child.pid}), ${concurrency} jobs at once`);
  return { cpu: processCpu('sdkWorker', child.pid!), starts, stop };
}

async function submitInBatches(target: EndToEndTarget, kind: WorkerKind, jobs: number, batchSize: number) {
  const ids: string[] = [];
  while (ids.length < jobs) {
    const size = Math.min(batchSize, jobs - ids.length);
    const body = JSON.stringify({ jobs: Array.from({ length: size }, () => BODIES[kind]) });
    ids.push(...(await postJobs(target.request('batch', body))));
  }
  return ids;
}

function checkCompletions(bench: Bench, phase: string, check: CompletionCheck): void {
  const wrong = Object.entries(check).filter(
    ([key, value]) => !['submitted', 'completed'].includes(key) && value !== 0 && value !== null,
  );
  if (wrong.length > 0)
    bench.problems.push(
      `${phase}: job.completed not received exactly once per job: ${wrong.map(([key, value]) => `${key} ${value}`).join(', ')}`,
    );
}

async function runThroughput(
  bench: Bench,
  target: EndToEndTarget,
  listener: RealtimeListener,
  sources: CpuSource[],
  kind: WorkerKind,
  roundNo: number,
): Promise<RemoteThroughputPhase> {
  const { jobs, batchSize, completionTimeoutMs } = bench.settings.remoteWorkers;
  const name = `remote-${kind}-r${roundNo}`;
  await waitUntilQuiet([bench.cpu.redis, ...target.cpu], sources);
  const before = { ...listener.counters };
  const { window, measured } = meteredWindow(bench, name, sources);
  await window.start();
  const startedAt = Date.now();
  const ids = await submitInBatches(target, kind, jobs, batchSize);
  const all = await listener.waitForCompletions(ids, completionTimeoutMs);
  await window.stop(ids.length);
  const seconds = ((all ? listener.lastReceivedAt(ids) : Date.now()) - startedAt) / 1000;
  await sleep(SETTLE_MS);
  const check = listener.check(ids, before);
  checkCompletions(bench, name, check);
  const jobsPerSecond = round(ids.length / seconds, 1);
  progress(`${name}: ${jobsPerSecond} no-op jobs/s, CPU ${measured.cpu.totalMsPerUnit} ms/job`);
  return { round: roundNo, kind, jobs: ids.length, seconds: round(seconds, 3), jobsPerSecond, check, ...measured };
}

async function runLatency(
  bench: Bench,
  target: EndToEndTarget,
  listener: RealtimeListener,
  sources: CpuSource[],
  sdk: SdkWorker,
  kind: WorkerKind,
): Promise<RemoteLatencyPhase> {
  const { jobs, perSecond } = bench.settings.remoteWorkers.latency;
  const name = `remote-${kind}-latency`;
  const single = target.request(
    'submit',
    JSON.stringify(kind === 'remote' ? { type: NOOP_TYPE, payload: { stamp: true } } : JOB_BODY),
  );
  await waitUntilQuiet([bench.cpu.redis, ...target.cpu], sources);
  const before = { ...listener.counters };
  const sentAt = new Map<string, number>();
  const sentAtPrecise = new Map<string, number>();
  const { window, measured } = meteredWindow(bench, name, sources);
  await window.start();
  const startedAt = performance.now();
  const posts: Promise<void>[] = [];
  for (let index = 0; index < jobs; index++) {
    const wait = startedAt + index * (1000 / perSecond) - performance.now();
    if (wait > 0) await sleep(wait);
    const sent = Date.now();
    const precise = performance.timeOrigin + performance.now();
    posts.push(
      postJobs(single, 10_000).then(([id]) => {
        sentAt.set(id!, sent);
        sentAtPrecise.set(id!, precise);
      }),
    );
  }
  await Promise.all(posts);
  const ids = [...sentAt.keys()];
  await listener.waitForCompletions(ids, bench.settings.remoteWorkers.completionTimeoutMs);
  await window.stop(ids.length);
  await sleep(SETTLE_MS);
  const check = listener.check(ids, before);
  checkCompletions(bench, name, check);
  const startLatencies = ids.flatMap((id) => {
    const at = sdk.starts.get(id);
    return at === undefined ? [] : [at - sentAtPrecise.get(id)!];
  });
  if (kind === 'remote' && startLatencies.length < ids.length)
    bench.problems.push(`${name}: ${ids.length - startLatencies.length} jobs never started on the remote worker`);
  const result: RemoteLatencyPhase = {
    kind,
    jobs: ids.length,
    perSecond,
    ...(kind === 'remote' ? { startLatencyMs: distribution(startLatencies, 2) } : {}),
    submitToCompletedMs: distribution(listener.sinceSubmit(sentAt)),
    check,
    ...measured,
  };
  progress(
    `${name}: submit→completed p50 ${result.submitToCompletedMs.p50} ms` +
      (result.startLatencyMs
        ? `, submit→run p50 ${result.startLatencyMs.p50} ms p99 ${result.startLatencyMs.p99} ms`
        : ''),
  );
  return result;
}

/** The mean over rounds of a per-process CPU ms per job. */
const cpuPerJob = (phases: RemoteThroughputPhase[], process: string) =>
  round(mean(phases.map((phase) => phase.cpu.processes[process]?.msPerUnit ?? 0)), 4);

function summarize(phases: RemoteThroughputPhase[]) {
  return {
    jobsPerSecond: round(mean(phases.map((phase) => phase.jobsPerSecond)), 1),
    cpuMsPerJob: {
      apiGateway: cpuPerJob(phases, 'apiGateway'),
      worker: cpuPerJob(phases, 'worker'),
      sdkWorker: cpuPerJob(phases, 'sdkWorker'),
      redis: cpuPerJob(phases, 'redis'),
      ferretdb: cpuPerJob(phases, 'ferretdb'),
      bench: cpuPerJob(phases, 'bench'),
      total: round(mean(phases.map((phase) => phase.cpu.totalMsPerUnit ?? 0)), 4),
    },
  };
}

/** The whole comparison: one Flightdeck, its built-in worker and an SDK worker, rounds ABBA, then latency. */
export async function runRemoteWorkerPhases(bench: Bench) {
  const settings = bench.settings.remoteWorkers;
  const target = await startEndToEndTarget(bench, 'remote', {
    workerConcurrency: settings.concurrency,
    withoutHistory: false,
  });
  let listener: RealtimeListener | undefined;
  let sdk: SdkWorker | undefined;
  try {
    const workerKey = await createWorkerKey(target.api.baseUrl, bench.apiKey);
    sdk = await startSdkWorker(bench, target.api.baseUrl, workerKey, settings.concurrency);
    listener = await RealtimeListener.connect(target.api.baseUrl, bench.apiKey);
    const sources = [...ourCpu(bench, target), sdk.cpu];
    for (const kind of ['builtIn', 'remote'] as const) {
      const warmup = await submitInBatches(target, kind, settings.warmupJobs, settings.batchSize);
      if (!(await listener.waitForCompletions(warmup, settings.completionTimeoutMs)))
        bench.problems.push(`remote-${kind} warm-up: not every job.completed arrived`);
    }
    const rounds: RemoteThroughputPhase[] = [];
    for (let roundNo = 1; roundNo <= bench.settings.rounds; roundNo++) {
      const order: WorkerKind[] = roundNo % 2 === 1 ? ['builtIn', 'remote'] : ['remote', 'builtIn'];
      for (const kind of order) rounds.push(await runThroughput(bench, target, listener, sources, kind, roundNo));
    }
    const latency = {
      remote: await runLatency(bench, target, listener, sources, sdk, 'remote'),
      builtIn: await runLatency(bench, target, listener, sources, sdk, 'builtIn'),
    };
    const builtIn = summarize(rounds.filter((phase) => phase.kind === 'builtIn'));
    const remote = summarize(rounds.filter((phase) => phase.kind === 'remote'));
    const ratio = round(remote.jobsPerSecond / builtIn.jobsPerSecond, 3);
    const roundRatios = Array.from({ length: bench.settings.rounds }, (_, index) => {
      const of = (kind: WorkerKind) => rounds.find((phase) => phase.round === index + 1 && phase.kind === kind)!;
      return round(of('remote').jobsPerSecond / of('builtIn').jobsPerSecond, 3);
    });
    return {
      ratio,
      goal: GOALS.remoteWorkerRatio,
      met: ratio >= GOALS.remoteWorkerRatio,
      roundRatios,
      concurrency: settings.concurrency,
      jobsPerRound: settings.jobs,
      builtIn,
      remote,
      /** What a remote worker adds per no-op job: wall time at saturation, and CPU over every process. */
      overheadPerJob: {
        wallMs: round(1000 / remote.jobsPerSecond - 1000 / builtIn.jobsPerSecond, 4),
        cpuMs: round(remote.cpuMsPerJob.total - builtIn.cpuMsPerJob.total, 4),
      },
      remoteStartLatencyMs: latency.remote.startLatencyMs!,
      submitToCompletedMs: {
        remote: latency.remote.submitToCompletedMs,
        builtIn: latency.builtIn.submitToCompletedMs,
      },
      rounds,
      latency,
    };
  } finally {
    listener?.close();
    await sdk?.stop();
    await target.stop();
  }
}

export type RemoteWorkerReport = Awaited<ReturnType<typeof runRemoteWorkerPhases>>;
