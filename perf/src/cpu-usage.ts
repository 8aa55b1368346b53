import { readFileSync, readdirSync } from 'node:fs';
import { round, sleep } from './progress';

/** Linux reports process times in USER_HZ ticks, which is 100 on every architecture Node supports. */
const TICKS_PER_SECOND = 100;

/** A process whose CPU time the bench can read: cumulative user + system seconds, or null if unreadable. */
export interface CpuSource {
  name: string;
  read(): number | null;
}

/** CPU seconds of a process from /proc (Linux); null when the process is gone or /proc is absent. */
export function processCpu(name: string, pid: number): CpuSource {
  return {
    name,
    read() {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      } catch {
        return null;
      }
    },
  };
}

/**
 * A child process the bench starts inside a measured window (e.g. a load generator): 0 until it is
 * `attach`ed, then its CPU seconds — and the last ones read once it has exited, so read it now and
 * then (each `read()` remembers) to lose little of its end.
 */
export function laterChildCpu(name: string): CpuSource & { attach(pid: number): void } {
  let source: CpuSource | null = null;
  let last = 0;
  return {
    name,
    attach(pid) {
      source = processCpu(name, pid);
    },
    read() {
      last = source?.read() ?? last;
      return last;
    },
  };
}

/** The bench process itself (the load generator and raw BullMQ clients). */
export function ownCpu(name: string): CpuSource {
  return {
    name,
    read() {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1e6;
    },
  };
}

/** CPU seconds of the whole machine (all cores), from /proc/stat. */
export interface MachineCpu {
  /** user + nice + system: time in processes, ours and anyone else's. */
  processes: number;
  /** irq + softirq: mostly the kernel moving loopback packets, not charged to any process. */
  interrupts: number;
  /** Time the hypervisor gave to other guests. */
  steal: number;
}

export function machineCpu(): MachineCpu | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu  user nice system idle iowait irq softirq steal ...
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return {
      processes: (user + nice + system) / TICKS_PER_SECOND,
      interrupts: (irq + softirq) / TICKS_PER_SECOND,
      steal: steal / TICKS_PER_SECOND,
    };
  } catch {
    return null;
  }
}

/** The pid of the process whose command line contains `fragment` (e.g. FerretDB's `--listen-addr=...`). */
export function findPidByArgument(fragment: string): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes(fragment)) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

export interface CpuProcessUsage {
  cpuSeconds: number;
  /** Average cores busy during the window (1 = one core fully used). */
  cores: number;
  /** CPU milliseconds per unit of work (request or job), when units were given. */
  msPerUnit?: number;
}

export interface CpuReport {
  wallSeconds: number;
  processes: Record<string, CpuProcessUsage | null>;
  /** Sum over the processes: how much of the machine the phase used. */
  totalCores: number;
  totalMsPerUnit?: number;
  /**
   * Cores busy in processes other than the measured ones during the window (other people's tests,
   * builds...). Well above 0 means the numbers were disturbed.
   */
  otherCores: number | null;
  /** Cores busy in interrupts (loopback networking, mostly ours) and stolen by the hypervisor. */
  interruptCores: number | null;
  stealCores: number | null;
}

/** Measures CPU time of several processes over a window: `start()`, do the work, `stop(units)`. */
export class CpuMeter {
  private startedAt = 0;
  private machineBefore: MachineCpu | null = null;
  private readonly before = new Map<string, number | null>();

  constructor(private readonly sources: CpuSource[]) {}

  start(): void {
    this.startedAt = performance.now();
    this.machineBefore = machineCpu();
    for (const source of this.sources) this.before.set(source.name, source.read());
  }

  stop(units?: number): CpuReport {
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    const machineAfter = machineCpu();
    const processes: CpuReport['processes'] = {};
    let totalSeconds = 0;
    for (const source of this.sources) {
      const before = this.before.get(source.name);
      const after = source.read();
      if (before == null || after == null) {
        processes[source.name] = null;
        continue;
      }
      const cpuSeconds = after - before;
      totalSeconds += cpuSeconds;
      processes[source.name] = {
        cpuSeconds: round(cpuSeconds, 3),
        cores: round(cpuSeconds / wallSeconds),
        ...(units ? { msPerUnit: round((cpuSeconds * 1000) / units, 4) } : {}),
      };
    }
    return {
      wallSeconds: round(wallSeconds, 3),
      processes,
      totalCores: round(totalSeconds / wallSeconds),
      ...(units ? { totalMsPerUnit: round((totalSeconds * 1000) / units, 4) } : {}),
      ...machineShares(this.machineBefore, machineAfter, totalSeconds, wallSeconds),
    };
  }
}

function machineShares(before: MachineCpu | null, after: MachineCpu | null, ours: number, wallSeconds: number) {
  if (!before || !after) return { otherCores: null, interruptCores: null, stealCores: null };
  const cores = (seconds: number) => round(Math.max(0, seconds) / wallSeconds);
  return {
    otherCores: cores(after.processes - before.processes - ours),
    interruptCores: cores(after.interrupts - before.interrupts),
    stealCores: cores(after.steal - before.steal),
  };
}

/**
 * Waits until `mustIdle` (e.g. the server and Redis) are nearly idle, so work left over from a warm-up
 * or an earlier phase (the history projector's last writes, say) does not run in the next measured
 * window; and until processes that are not the bench's (`ours` lists all of the bench's) leave the
 * machine nearly idle. Gives up after `maxMs` (and answers false); the measured window reports
 * `otherCores` either way.
 */
export async function waitUntilQuiet(mustIdle: CpuSource[], ours: CpuSource[], maxMs = 8_000): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const idle = new CpuMeter(mustIdle);
    const all = new CpuMeter(ours);
    idle.start();
    all.start();
    await sleep(300);
    const others = all.stop().otherCores ?? 0;
    if (idle.stop().totalCores < 0.05 && others < 0.15) return true;
  }
  return false;
}
