/**
 * The connections comparison: how many sockets one gateway process holds, and what each costs in
 * memory, against a bare Socket.IO server on the same machine. Artillery (`perf/artillery/hold-sockets.yml`,
 * its Socket.IO engine, in a child process) opens `sockets` connections over `rampSeconds`, each one
 * subscribing (ours: an API key in the handshake and a workspace subscription; raw: joining a room),
 * and holds them for `holdSeconds`. Meanwhile the bench samples the server's resident memory and the
 * sockets it holds (beyond those it held before: its listener, Redis and MongoDB connections) from /proc.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { laterChildCpu, waitUntilQuiet, type CpuSource } from './cpu-usage';
import { meteredWindow, ourCpu, type Bench, type Measured } from './phases';
import { progress, round, sleep } from './progress';
import { startGatewayTarget, startRawSocketIoTarget, type SocketTarget } from './targets';

export type SocketVariant = 'ours' | 'raw';

const SCENARIO_FILE = path.resolve(__dirname, '..', 'artillery', 'hold-sockets.yml');
/** Artillery's command (its package exports no `bin/run`, so it is found from its package.json). */
const ARTILLERY_BIN = path.join(path.dirname(require.resolve('artillery/package.json')), 'bin', 'run');
const SCENARIO_NAMES: Record<SocketVariant, string> = { ours: 'flightdeck', raw: 'raw-socketio' };
const SAMPLE_EVERY_MS = 500;
/** Samples count towards the held state once this share of the sockets is connected. */
const HELD_SHARE = 0.98;

/** What Artillery reported: virtual users (one socket each) and the subscribe/join ack time. */
export interface ArtilleryOutcome {
  created: number;
  completed: number;
  failed: number;
  /** Error counts by Artillery's name for them (e.g. a refused handshake, an ack that did not match). */
  errors: Record<string, number>;
  /** Emit → ack of the subscription, ms. */
  ackMs: { p50: number; p95: number; p99: number; max: number } | null;
}

export interface ConnectionsPhase extends Measured {
  round: number;
  variant: SocketVariant;
  sockets: number;
  /** The server's resident memory before the sockets came, MiB. */
  idleRssMiB: number;
  /** Median resident memory while (nearly) every socket was held, MiB. */
  heldRssMiB: number;
  /** Most client sockets the server held at once (its open sockets beyond those it had before). */
  peakConnections: number;
  /** (held − idle) resident memory / connections held: what one more socket costs, KiB. */
  kibPerConnection: number | null;
  artillery: ArtilleryOutcome;
}

/** Resident memory of a process in bytes (VmRSS), or null when it is gone. */
function residentBytes(pid: number): number | null {
  try {
    const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) * 1024 : null;
  } catch {
    return null;
  }
}

/** Sockets a process holds open (its file descriptors that are sockets), from /proc; null when it is gone. */
function openSockets(pid: number): number | null {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null;
  }
  let count = 0;
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) count++;
    } catch {
      // Closed while we looked.
    }
  }
  return count;
}

/** Runs Artillery's hold-sockets scenario in a child process; resolves with its JSON report's aggregate. */
async function runArtillery(
  bench: Bench,
  variant: SocketVariant,
  baseUrl: string,
  reportFile: string,
  onStart: (pid: number) => void,
): Promise<ArtilleryOutcome> {
  const { sockets, rampSeconds, holdSeconds } = bench.settings.connections;
  const args = [
    ARTILLERY_BIN,
    'run',
    '--scenario-name',
    SCENARIO_NAMES[variant],
    '--target',
    baseUrl,
    '--variables',
    JSON.stringify({ token: bench.apiKey, holdSeconds }),
    '--overrides',
    JSON.stringify({ config: { phases: [{ duration: rampSeconds, arrivalCount: sockets }] } }),
    '--output',
    reportFile,
    '--quiet',
    SCENARIO_FILE,
  ];
  const child = spawn(process.execPath, args, {
    // Only what it needs, and never telemetry: the bench makes no outbound connection.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: bench.dir, ARTILLERY_DISABLE_TELEMETRY: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stop = bench.teardown.add(`artillery (pid ${child.pid})`, async () => void child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  onStart(child.pid!);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  await stop();
  if (code !== 0) throw new Error(`artillery exited with ${code}: ${stderr.trim()}`);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
    aggregate: {
      counters: Record<string, number>;
      summaries: Record<string, { p50: number; p95: number; p99: number; max: number }>;
    };
  };
  const { counters, summaries } = report.aggregate;
  const ack = summaries['socketio.response_time'];
  return {
    created: counters['vusers.created'] ?? 0,
    completed: counters['vusers.completed'] ?? 0,
    failed: counters['vusers.failed'] ?? 0,
    errors: Object.fromEntries(
      Object.entries(counters)
        .filter(([name]) => name.startsWith('errors.'))
        .map(([name, count]) => [name.slice('errors.'.length), count]),
    ),
    ackMs: ack ? { p50: ack.p50, p95: ack.p95, p99: ack.p99, max: ack.max } : null,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const MIB = 1024 * 1024;

/** One variant, one round: start the server, let it settle, hold the sockets, measure, stop it. */
export async function runConnectionsPhase(
  bench: Bench,
  variant: SocketVariant,
  roundNo: number,
): Promise<ConnectionsPhase> {
  const name = `connections-${variant}-r${roundNo}`;
  const { sockets } = bench.settings.connections;
  const target: SocketTarget =
    variant === 'ours' ? await startGatewayTarget(bench, name) : await startRawSocketIoTarget(bench, name);
  try {
    const { pid, baseUrl } = target.server;
    const artilleryCpu = laterChildCpu('artillery');
    const sources: CpuSource[] = [...ourCpu(bench, target), artilleryCpu];
    await waitUntilQuiet([bench.cpu.redis, ...target.cpu], ourCpu(bench, target));
    const idle = residentBytes(pid) ?? NaN;
    const idleSockets = openSockets(pid) ?? 0;
    progress(
      `${name}: ${sockets} sockets over ${bench.settings.connections.rampSeconds} s, held for ${bench.settings.connections.holdSeconds} s`,
    );

    const held: number[] = [];
    let peak = 0;
    const { window, measured } = meteredWindow(bench, name, sources);
    await window.start();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const connections = Math.max(0, (openSockets(pid) ?? 0) - idleSockets);
        peak = Math.max(peak, connections);
        const rss = residentBytes(pid);
        if (rss !== null && connections >= sockets * HELD_SHARE) held.push(rss);
        artilleryCpu.read();
        await sleep(SAMPLE_EVERY_MS);
      }
    })();
    let artillery: ArtilleryOutcome;
    try {
      artillery = await runArtillery(bench, variant, baseUrl, path.join(bench.dir, `${name}.json`), (artilleryPid) =>
        artilleryCpu.attach(artilleryPid),
      );
    } finally {
      sampling = false;
      await sampler;
    }
    await window.stop(sockets);

    if (artillery.failed > 0 || Object.keys(artillery.errors).length > 0)
      bench.problems.push(`${name}: ${artillery.failed} sockets failed (${JSON.stringify(artillery.errors)})`);
    if (held.length === 0)
      bench.problems.push(`${name}: never held ${Math.ceil(sockets * HELD_SHARE)} sockets at once (peak ${peak})`);
    const heldRss = held.length > 0 ? median(held) : NaN;
    const phase: ConnectionsPhase = {
      round: roundNo,
      variant,
      sockets,
      idleRssMiB: round(idle / MIB, 1),
      heldRssMiB: round(heldRss / MIB, 1),
      peakConnections: peak,
      kibPerConnection: held.length > 0 ? round((heldRss - idle) / peak / 1024, 2) : null,
      artillery,
      ...measured,
    };
    progress(
      `${name}: peak ${peak} connections, ${phase.idleRssMiB} → ${phase.heldRssMiB} MiB, ` +
        `${phase.kibPerConnection} KiB per connection, subscribe ack p50 ${artillery.ackMs?.p50} ms`,
    );
    return phase;
  } finally {
    await target.stop();
  }
}

/** Ours and raw, round after round, the order reversed every other round (ABBA). */
export async function runConnectionsPhases(bench: Bench) {
  const phases: Record<SocketVariant, ConnectionsPhase[]> = { ours: [], raw: [] };
  const problemsBefore = bench.problems.length;
  for (let roundNo = 1; roundNo <= bench.settings.rounds; roundNo++) {
    const order: SocketVariant[] = roundNo % 2 === 1 ? ['ours', 'raw'] : ['raw', 'ours'];
    for (const variant of order) phases[variant].push(await runConnectionsPhase(bench, variant, roundNo));
  }
  const mean = (items: ConnectionsPhase[], pick: (phase: ConnectionsPhase) => number | null | undefined) =>
    round(items.reduce((sum, item) => sum + (pick(item) ?? NaN), 0) / items.length, 2);
  const summary = (items: ConnectionsPhase[]) => ({
    peakConnections: Math.min(...items.map((phase) => phase.peakConnections)),
    kibPerConnection: mean(items, (phase) => phase.kibPerConnection),
    idleRssMiB: mean(items, (phase) => phase.idleRssMiB),
    heldRssMiB: mean(items, (phase) => phase.heldRssMiB),
    subscribeAckMs: {
      p50: mean(items, (phase) => phase.artillery.ackMs?.p50),
      p99: mean(items, (phase) => phase.artillery.ackMs?.p99),
    },
    cpuMsPerConnection: mean(items, (phase) => phase.cpu.processes.server?.msPerUnit),
  });
  const problems = bench.problems.slice(problemsBefore);
  const ours = summary(phases.ours);
  const raw = summary(phases.raw);
  return {
    sockets: bench.settings.connections.sockets,
    /** Ours / raw memory per held connection: the quality target is "close to raw Socket.IO". */
    memoryRatio: round(ours.kibPerConnection / raw.kibPerConnection, 2),
    valid: problems.length === 0,
    problems,
    ours,
    raw,
    rounds: [...phases.ours, ...phases.raw].sort((a, b) => a.round - b.round),
  };
}
