/**
 * One of the fan-out comparison's client processes (perf/src/fanout.ts forks a few, so receiving
 * thousands of copies of an event is spread over processes): opens its share of the sockets at a
 * bounded rate — ours with the bench's API key subscribing to the workspace, raw joining the bare
 * server's room — and notes, per socket and event, the arrival time minus the event's own `at`.
 * Driven over IPC by the bench; it never prints to stdout.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@flightdeck/contract';
import type { BroadcastClientEvents, BroadcastServerEvents } from './realtime-listener';

type FanoutSocket = Socket<ServerToClientEvents & BroadcastServerEvents, ClientToServerEvents & BroadcastClientEvents>;

export type FanoutVariant = 'ours' | 'raw';

/** The bench's requests, one at a time; each is answered by exactly one {@link FanoutAnswer}. */
export type FanoutRequest =
  | { kind: 'open'; variant: FanoutVariant; baseUrl: string; token: string; sockets: number; openPerSecond: number }
  | { kind: 'reset' }
  | { kind: 'count' }
  | { kind: 'collect'; keys: string[] }
  | { kind: 'close' };

export interface OpenOutcome {
  opened: number;
  /** Sockets that failed to connect or subscribe, by reason. */
  failures: Record<string, number>;
  seconds: number;
}

/** What this process saw of the measured events (those named in `collect`). */
export interface Collected {
  sockets: number;
  /** Copies expected: sockets × events. */
  expected: number;
  /** (socket, event) pairs that arrived at least once. */
  received: number;
  duplicates: number;
  /** Arrival time minus the event's `at`, ms, one per (socket, event) pair that arrived (first copy). */
  latencies: number[];
  /** Per event: its earliest and latest arrival over this process's sockets (latency, ms). */
  perEvent: Record<string, { first: number; last: number }>;
  /** Messages that were not one of the measured events (other event types, events before a reset). */
  otherMessages: number;
  resyncs: number;
  disconnects: Record<string, number>;
  /** Size of the first measured message as JSON (ours: a `job.queued` event). */
  messageBytes: number | null;
}

export type FanoutAnswer =
  | { kind: 'opened'; outcome: OpenOutcome }
  | { kind: 'reset' }
  | { kind: 'count'; received: number }
  | { kind: 'collected'; collected: Collected }
  | { kind: 'closed' };

const OPEN_TIMEOUT_MS = 30_000;
/** Handshakes this process has in flight at once, however far behind schedule it is. */
const MAX_OPENING = 100;

const sockets: FanoutSocket[] = [];
/** Sockets this process opens (set before the first opens, so arrivals can be counted per socket). */
let socketCount = 0;
/** Per message key (a job id, or the raw message's seq): arrival count per socket, and first latencies. */
let arrivals = new Map<string, { copies: Uint16Array; latencies: number[] }>();
let otherMessages = 0;
let resyncs = 0;
let messageBytes: number | null = null;
let received = 0;
const disconnects: Record<string, number> = {};

function record(key: string, socketIndex: number, latency: number, size: () => number): void {
  let entry = arrivals.get(key);
  if (!entry) arrivals.set(key, (entry = { copies: new Uint16Array(socketCount), latencies: [] }));
  if (entry.copies[socketIndex]!++ > 0) return;
  entry.latencies.push(latency);
  received++;
  messageBytes ??= size();
}

function openOne(request: Extract<FanoutRequest, { kind: 'open' }>, index: number): Promise<void> {
  const socket: FanoutSocket = io(request.baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: OPEN_TIMEOUT_MS,
    ...(request.variant === 'ours' ? { auth: { token: request.token } } : {}),
  });
  sockets[index] = socket;
  // As little as possible per message: this process receives every copy of every event.
  if (request.variant === 'ours') {
    socket.on('event', (event) => {
      const now = Date.now();
      if (event.type !== 'job.queued' || !event.jobId) otherMessages++;
      else record(event.jobId, index, now - Date.parse(event.at), () => Buffer.byteLength(JSON.stringify(event)));
    });
    socket.on('resync', () => resyncs++);
  } else {
    socket.on('message', (message) => {
      const now = Date.now();
      record(String(message.seq), index, now - Date.parse(message.at), () =>
        Buffer.byteLength(JSON.stringify(message)),
      );
    });
  }
  socket.on('disconnect', (reason) => (disconnects[reason] = (disconnects[reason] ?? 0) + 1));
  return new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  }).then(async () => {
    if (request.variant === 'raw') {
      await socket.timeout(OPEN_TIMEOUT_MS).emitWithAck('join');
      return;
    }
    const ack = await socket.timeout(OPEN_TIMEOUT_MS).emitWithAck('subscribe', { topic: 'workspace' });
    if (!ack.ok) throw new Error(`subscribe refused: ${ack.error.code}`);
  });
}

/** Opens `sockets` sockets, one every 1/openPerSecond s on a fixed schedule, at most MAX_OPENING at once. */
async function open(request: Extract<FanoutRequest, { kind: 'open' }>): Promise<OpenOutcome> {
  const startedAt = performance.now();
  socketCount = request.sockets;
  const failures: Record<string, number> = {};
  const opening = new Set<Promise<void>>();
  let opened = 0;
  for (let index = 0; index < request.sockets; index++) {
    const wait = startedAt + (index * 1000) / request.openPerSecond - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (opening.size >= MAX_OPENING) await Promise.race(opening);
    const attempt = openOne(request, index).then(
      () => void opened++,
      (error: unknown) => {
        const reason = error instanceof Error ? error.message.slice(0, 80) : String(error);
        failures[reason] = (failures[reason] ?? 0) + 1;
      },
    );
    opening.add(attempt);
    void attempt.then(() => opening.delete(attempt));
  }
  await Promise.all(opening);
  return { opened, failures, seconds: Math.round(performance.now() - startedAt) / 1000 };
}

function collect(keys: string[]): Collected {
  let duplicates = 0;
  let pairs = 0;
  const latencies: number[] = [];
  const perEvent: Collected['perEvent'] = {};
  const wanted = new Set(keys);
  for (const [key, entry] of arrivals) {
    if (!wanted.has(key)) {
      otherMessages += entry.latencies.length;
      continue;
    }
    for (const copies of entry.copies) if (copies > 1) duplicates += copies - 1;
    pairs += entry.latencies.length;
    latencies.push(...entry.latencies);
    perEvent[key] = { first: Math.min(...entry.latencies), last: Math.max(...entry.latencies) };
  }
  return {
    sockets: sockets.length,
    expected: sockets.length * keys.length,
    received: pairs,
    duplicates,
    latencies,
    perEvent,
    otherMessages,
    resyncs,
    disconnects,
    messageBytes,
  };
}

async function answer(request: FanoutRequest): Promise<FanoutAnswer> {
  switch (request.kind) {
    case 'open':
      return { kind: 'opened', outcome: await open(request) };
    case 'reset':
      arrivals = new Map();
      received = 0;
      otherMessages = 0;
      resyncs = 0;
      return { kind: 'reset' };
    case 'count':
      return { kind: 'count', received };
    case 'collect':
      return { kind: 'collected', collected: collect(request.keys) };
    case 'close':
      for (const socket of sockets) {
        socket.removeAllListeners();
        socket.disconnect();
      }
      return { kind: 'closed' };
  }
}

process.on('message', (request: FanoutRequest) => {
  void answer(request).then((reply) => {
    process.send!(reply);
    if (reply.kind === 'closed') process.disconnect();
  });
});
// The bench went away: nothing is left to report to.
process.on('disconnect', () => process.exit(0));
