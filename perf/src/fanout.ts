/**
 * P4, the fan-out comparison: one event to thousands of sockets subscribed to a workspace, against a
 * bare Socket.IO server broadcasting to as many sockets in a room. Client processes
 * (`fanout-clients.ts`) open the sockets; the bench then makes `events` events one every `intervalMs`
 * — ours: a single `POST /v1/jobs` with no worker running, so each makes one `job.queued`; raw: the
 * bare server's timestamped broadcast, padded to the size of our event — and each client notes per
 * socket and event the arrival time minus the event's own `at` (the server's clock, same machine).
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { processCpu, waitUntilQuiet, type CpuSource } from './cpu-usage';
import type { Collected, FanoutAnswer, FanoutRequest, FanoutVariant } from './fanout-clients';
import { summarizeFanout, summarizePhase, type FanoutPhase } from './fanout-summary';
export { fanoutSummary } from './fanout-summary';
import { postJobs } from './http-load';
import { meteredWindow, ourCpu, type Bench } from './phases';
import { progress, sleep } from './progress';
import type { BroadcastClientEvents, BroadcastServerEvents } from './realtime-listener';
import { JOB_BODY, startGatewayTarget, startRawSocketIoTarget, type SocketTarget } from './targets';

/** Until ours has been measured, the raw messages' size (about one `job.queued` event of ours). */
const DEFAULT_MESSAGE_BYTES = 700;
/** After the last arrival (or the timeout): late duplicates still count. */
const SETTLE_MS = 300;

/** A client process, asked one thing at a time over IPC. */
interface ClientProcess {
  pid: number;
  ask(request: FanoutRequest, timeoutMs?: number): Promise<FanoutAnswer>;
  stop(): Promise<void>;
}

function startClient(bench: Bench, name: string): ClientProcess {
  const child: ChildProcess = fork(path.join(__dirname, 'fanout-clients.js'), [], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    execArgv: [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = bench.teardown.add(`${name} (pid ${child.pid})`, async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  const ask = (request: FanoutRequest, timeoutMs = 60_000) =>
    new Promise<FanoutAnswer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name}: no answer to ${request.kind}`)), timeoutMs);
      child.once('message', (answer: FanoutAnswer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      child.send(request);
    });
  return {
    pid: child.pid!,
    ask,
    async stop() {
      // Closing its sockets first, so the server sees them go rather than a process die.
      await Promise.race([ask({ kind: 'close' }, 5_000).catch(() => undefined), exited]);
      await stop();
    },
  };
}

/** The client processes' CPU as one source. */
function clientsCpu(clients: ClientProcess[]): CpuSource {
  const sources = clients.map((client) => processCpu('clients', client.pid));
  return {
    name: 'clients',
    read: () =>
      sources.reduce<number | null>((sum, source) => (sum === null ? null : sumOrNull(sum, source.read())), 0),
  };
}
const sumOrNull = (sum: number, value: number | null) => (value === null ? null : sum + value);

/** Makes the events: ours by single submits on a fixed schedule, raw by asking the bare server to broadcast. */
interface EventSource {
  /** Sends `count` events one every `intervalMs`; resolves with their keys once all are sent. */
  send(count: number): Promise<string[]>;
  close(): void;
}

function oursEvents(bench: Bench, name: string, target: SocketTarget): EventSource {
  const submit = {
    url: `${target.server.baseUrl}/v1/jobs`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bench.apiKey}` },
    body: JSON.stringify(JOB_BODY),
  };
  const { intervalMs } = bench.settings.fanout;
  return {
    async send(count) {
      const startedAt = performance.now();
      const sent: Promise<string | null>[] = [];
      for (let index = 0; index < count; index++) {
        const wait = startedAt + index * intervalMs - performance.now();
        if (wait > 0) await sleep(wait);
        // A server that falls behind answers late: a problem of the run, not the end of it.
        const answered = postJobs(submit, 60_000).then(
          ([id]) => id!,
          (error: unknown) => {
            bench.problems.push(`${name}: a submit failed (${error instanceof Error ? error.message : String(error)})`);
            return null;
          },
        );
        sent.push(answered);
      }
      return (await Promise.all(sent)).filter((id) => id !== null);
    },
    close: () => undefined,
  };
}

async function rawEvents(bench: Bench, target: SocketTarget, bytes: number): Promise<EventSource> {
  const control: Socket<BroadcastServerEvents, BroadcastClientEvents> = io(target.server.baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    control.once('connect', resolve);
    control.once('connect_error', reject);
  });
  const perSecond = 1000 / bench.settings.fanout.intervalMs;
  return {
    async send(count) {
      const timeoutMs = (count / perSecond) * 1000 + 30_000;
      const { sent } = await control.timeout(timeoutMs).emitWithAck('broadcast', { count, perSecond, bytes });
      return Array.from({ length: sent }, (_, index) => String(index + 1));
    },
    close: () => void control.disconnect(),
  };
}

/** Sockets split over the client processes as evenly as they go. */
const shares = (sockets: number, processes: number) =>
  Array.from(
    { length: processes },
    (_, index) => Math.floor(sockets / processes) + (index < sockets % processes ? 1 : 0),
  );

/** Polls the clients until every socket has every event, or the timeout; answers how many arrived. */
async function waitForArrivals(clients: ClientProcess[], expected: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await Promise.all(clients.map((client) => client.ask({ kind: 'count' })));
    const received = counts.reduce((sum, answer) => sum + (answer.kind === 'count' ? answer.received : 0), 0);
    if (received >= expected || Date.now() > deadline) return received;
    await sleep(100);
  }
}

/** One variant, one round: start the server and the clients, open the sockets, make the events, measure. */
async function runFanoutPhase(
  bench: Bench,
  variant: FanoutVariant,
  roundNo: number,
  messageBytes: number,
): Promise<{ phase: FanoutPhase; latencies: number[] }> {
  const name = `fanout-${variant}-r${roundNo}`;
  const { sockets, events, warmupEvents, clientProcesses, openPerSecond, intervalMs, arrivalTimeoutMs } =
    bench.settings.fanout;
  const target = variant === 'ours' ? await startGatewayTarget(bench, name) : await startRawSocketIoTarget(bench, name);
  const clients: ClientProcess[] = [];
  let source: EventSource | undefined;
  try {
    for (let index = 0; index < clientProcesses; index++)
      clients.push(startClient(bench, `${name}-clients-${index + 1}`));
    progress(`${name}: opening ${sockets} sockets from ${clientProcesses} processes at ${openPerSecond}/s`);
    const perProcess = shares(sockets, clientProcesses);
    const opened = await Promise.all(
      clients.map((client, index) =>
        client.ask(
          {
            kind: 'open',
            variant,
            baseUrl: target.server.baseUrl,
            token: bench.apiKey,
            sockets: perProcess[index]!,
            openPerSecond: openPerSecond / clientProcesses,
          },
          (perProcess[index]! / (openPerSecond / clientProcesses)) * 1000 + 60_000,
        ),
      ),
    );
    const open = opened.map((answer) => (answer.kind === 'opened' ? answer.outcome : null)).filter((x) => x !== null);
    const failed = open.reduce((sum, outcome) => sum + Object.values(outcome.failures).reduce((a, b) => a + b, 0), 0);
    if (failed > 0)
      bench.problems.push(`${name}: ${failed} sockets failed to open (${JSON.stringify(open.map((o) => o.failures))})`);

    source = variant === 'ours' ? oursEvents(bench, name, target) : await rawEvents(bench, target, messageBytes);
    // Warm-up: the first events through a fresh server take its slow paths (not measured).
    await source.send(warmupEvents);
    await sleep(Math.max(1_000, intervalMs));
    await Promise.all(clients.map((client) => client.ask({ kind: 'reset' })));

    const clientCpu = clientsCpu(clients);
    const sources = [...ourCpu(bench, target), clientCpu];
    await waitUntilQuiet([bench.cpu.redis, ...target.cpu], sources);
    progress(`${name}: ${events} events, one every ${intervalMs} ms`);
    const { window, measured } = meteredWindow(bench, name, sources);
    await window.start();
    const keys = await source.send(events);
    const expected = (sockets - failed) * keys.length;
    await waitForArrivals(clients, expected, arrivalTimeoutMs);
    await window.stop(keys.length);
    await sleep(SETTLE_MS);

    const collected = (await Promise.all(clients.map((client) => client.ask({ kind: 'collect', keys }))))
      .map((answer) => (answer.kind === 'collected' ? answer.collected : null))
      .filter((x): x is Collected => x !== null);
    const latencies = collected.flatMap((part) => part.latencies);
    const phase = summarizePhase(roundNo, variant, open, collected, latencies, keys.length, measured);
    const missing = sockets * keys.length - phase.check.received;
    if (missing > 0 || phase.check.duplicates > 0 || phase.check.resyncs > 0) {
      bench.problems.push(
        `${name}: ${phase.check.received} of ${sockets * keys.length} event copies arrived ` +
          `(${phase.check.duplicates} duplicates, ${phase.check.resyncs} resyncs)`,
      );
    }
    if (Object.keys(phase.disconnects).length > 0)
      bench.problems.push(`${name}: sockets dropped (${JSON.stringify(phase.disconnects)})`);
    progress(
      `${name}: arrival p50 ${phase.arrivalMs.p50} ms, p99 ${phase.arrivalMs.p99} ms, max ${phase.arrivalMs.max} ms ` +
        `(${phase.check.received} of ${sockets * keys.length}); server ${measured.cpu.processes.server?.msPerUnit} CPU ms/event`,
    );
    return { phase, latencies };
  } finally {
    source?.close();
    await Promise.all(clients.map((client) => client.stop()));
    await target.stop();
  }
}

/** Ours and raw, round after round, in reverse order every other round (ABBA); raw padded to our event's size. */
export async function runFanoutPhases(bench: Bench) {
  const phases: Record<FanoutVariant, FanoutPhase[]> = { ours: [], raw: [] };
  const latencies: Record<FanoutVariant, number[][]> = { ours: [], raw: [] };
  const problemsBefore = bench.problems.length;
  let messageBytes: number | null = null;
  for (let roundNo = 1; roundNo <= bench.settings.rounds; roundNo++) {
    const order: FanoutVariant[] = roundNo % 2 === 1 ? ['ours', 'raw'] : ['raw', 'ours'];
    for (const variant of order) {
      const { phase, latencies: measured } = await runFanoutPhase(
        bench,
        variant,
        roundNo,
        messageBytes ?? DEFAULT_MESSAGE_BYTES,
      );
      if (variant === 'ours') messageBytes ??= phase.messageBytes;
      phases[variant].push(phase);
      latencies[variant].push(measured);
    }
  }
  return summarizeFanout(bench, phases, latencies, bench.problems.slice(problemsBefore));
}
