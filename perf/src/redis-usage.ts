import { once } from 'node:events';
import net from 'node:net';
import type { Redis } from 'ioredis';
import { round } from './progress';

type CommandStats = Map<string, { calls: number; usec: number }>;

/** `INFO commandstats`: calls and server time per command (commands run inside scripts count too). */
export async function readCommandStats(redis: Redis): Promise<CommandStats> {
  const stats: CommandStats = new Map();
  for (const line of (await redis.info('commandstats')).split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line.trim());
    if (match) stats.set(match[1]!, { calls: Number(match[2]), usec: Number(match[3]) });
  }
  return stats;
}

export interface RedisWorkPerUnit {
  /** Redis server time (µs) spent per request or job, over every command. */
  usecPerUnit: number;
  /** Command calls per request or job (top-level and inside scripts), largest first. */
  callsPerUnit: Record<string, number>;
}

/** What Redis did per unit of work between two `readCommandStats` snapshots (the bench's own INFO left out). */
export function redisWorkPerUnit(before: CommandStats, after: CommandStats, units: number): RedisWorkPerUnit {
  let usec = 0;
  const calls: [string, number][] = [];
  for (const [command, now] of after) {
    if (command === 'info') continue;
    const then = before.get(command) ?? { calls: 0, usec: 0 };
    if (now.calls === then.calls) continue;
    usec += now.usec - then.usec;
    calls.push([command, now.calls - then.calls]);
  }
  calls.sort((a, b) => b[1] - a[1]);
  return {
    usecPerUnit: round(usec / units, 1),
    callsPerUnit: Object.fromEntries(calls.map(([command, count]) => [command, round(count / units, 2)])),
  };
}

/**
 * Redis's own CPU counters (`INFO cpu`, seconds of user + system time since it started): the whole
 * process, and its main thread — the one thread that runs every command and script, so the figure
 * that bounds a whole deployment sharing one Redis. Unlike `INFO commandstats` (time inside
 * commands), these include parsing, network I/O, blocking-command bookkeeping and background work.
 */
export interface RedisCpu {
  process: number;
  mainThread: number;
}

export async function readRedisCpu(redis: Redis): Promise<RedisCpu> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return {
    process: field('used_cpu_sys') + field('used_cpu_user'),
    mainThread: field('used_cpu_sys_main_thread') + field('used_cpu_user_main_thread'),
  };
}

export interface RedisCpuPerUnit {
  /** Redis CPU (µs, user + system, the whole process) per request or job, from Redis's own counters. */
  usecPerUnit: number;
  /** The same for its main thread alone (null on a Redis too old to report it). */
  mainThreadUsecPerUnit: number | null;
}

/** Redis's CPU per unit of work between two `readRedisCpu` snapshots. */
export function redisCpuPerUnit(before: RedisCpu, after: RedisCpu, units: number): RedisCpuPerUnit {
  const perUnit = (seconds: number) => (Number.isFinite(seconds) ? round((seconds * 1e6) / units, 1) : null);
  return {
    usecPerUnit: perUnit(after.process - before.process) ?? NaN,
    mainThreadUsecPerUnit: perUnit(after.mainThread - before.mainThread),
  };
}

export interface RedisTrace {
  requests: number;
  /**
   * Commands that the server sent per request, on the connections that ran scripts (the request
   * path): each is one network round trip unless the client pipelined several.
   */
  requestPathCommandsPerRequest: Record<string, number>;
  /** Commands run inside those scripts, per request (no network cost, but Redis CPU). */
  scriptCommandsPerRequest: Record<string, number>;
  /** Commands from other connections during the trace (e.g. the history projector), per request. */
  backgroundCommandsPerRequest: Record<string, number>;
}

const SCRIPT_COMMANDS = new Set(['evalsha', 'eval', 'evalsha_ro', 'eval_ro', 'fcall', 'fcall_ro']);

/**
 * A MONITOR session on a plain socket (MONITOR lines are simple strings:
 * `+<time> [<db> <source>] "<command>" ...`, the source being `lua` inside scripts).
 */
async function monitorRedis(redisUrl: string, onCommand: (source: string, command: string) => void) {
  const { hostname, port } = new URL(redisUrl);
  const socket = net.connect({ host: hostname, port: Number(port) });
  await once(socket, 'connect');
  socket.setEncoding('utf8');
  socket.write('MONITOR\r\n');
  let pending = '';
  let started: () => void;
  const ready = new Promise<void>((resolve) => (started = resolve));
  socket.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\r\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '+OK') started();
      const match = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
      if (match) onCommand(match[1]!, match[2]!.toLowerCase());
    }
  });
  socket.on('error', () => undefined);
  await ready;
  return { stop: () => socket.destroy() };
}

/**
 * Runs \`send\` (which makes \`requests\` requests, one at a time) under Redis MONITOR and counts the
 * commands each request caused. MONITOR slows Redis down, so this runs outside the measured windows.
 */
export async function traceRedisCommands(
  redisUrl: string,
  requests: number,
  send: () => Promise<void>,
): Promise<RedisTrace> {
  const seen: { source: string; command: string }[] = [];
  const monitor = await monitorRedis(redisUrl, (source, command) => seen.push({ source, command }));
  try {
    await send();
    // MONITOR lines trail the replies a little.
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    monitor.stop();
  }
  const requestPath = new Set(seen.filter((entry) => SCRIPT_COMMANDS.has(entry.command)).map((entry) => entry.source));
  const tally = (filter: (entry: { source: string }) => boolean) => {
    const counts = new Map<string, number>();
    for (const entry of seen.filter(filter)) counts.set(entry.command, (counts.get(entry.command) ?? 0) + 1);
    return Object.fromEntries(
      [...counts].sort((a, b) => b[1] - a[1]).map(([command, count]) => [command, round(count / requests, 2)]),
    );
  };
  return {
    requests,
    requestPathCommandsPerRequest: tally((entry) => requestPath.has(entry.source)),
    scriptCommandsPerRequest: tally((entry) => entry.source === 'lua'),
    backgroundCommandsPerRequest: tally((entry) => entry.source !== 'lua' && !requestPath.has(entry.source)),
  };
}
