import os from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisKeys } from '@flightdeck/workers';

/** How often each process says it is alive, and after how long without a word it counts as gone. */
export const HEARTBEAT_MS = 5_000;
export const HEARTBEAT_EXPIRY_MS = 15_000;

export interface ProcessHeartbeat {
  id: string;
  roles: string[];
  hostname: string;
  pid: number;
  /** Open sockets, for gateways. */
  connections: number | null;
  /** Jobs it runs at once, for workers. */
  workerConcurrency: number | null;
  /** The queues it works on, for workers (null: every built-in queue). */
  workerQueues?: string[] | null;
  at: string;
}

/**
 * Every process writes a heartbeat into one Redis hash, so the ops view can show open connections per
 * gateway and the worker replicas that actually run next to the ones the scaling policy asks for.
 */
export class ProcessRegistry {
  readonly id = `${os.hostname()}:${process.pid}`;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
  ) {}

  start(describe: () => Omit<ProcessHeartbeat, 'id' | 'hostname' | 'pid' | 'at'>): void {
    const beat = () =>
      this.redis
        .hset(
          this.keys.processes,
          this.id,
          JSON.stringify({
            ...describe(),
            id: this.id,
            hostname: os.hostname(),
            pid: process.pid,
            at: new Date().toISOString(),
          }),
        )
        .catch((error: unknown) => this.logger.warn({ err: error }, 'heartbeat failed'));
    void beat();
    this.timer = setInterval(beat, HEARTBEAT_MS);
    this.timer.unref();
  }

  /** The live processes; entries of processes gone silent are removed on the way. */
  async live(): Promise<ProcessHeartbeat[]> {
    const hash = await this.redis.hgetall(this.keys.processes);
    const now = Date.now();
    const live: ProcessHeartbeat[] = [];
    const gone: string[] = [];
    for (const [id, value] of Object.entries(hash)) {
      const heartbeat = JSON.parse(value) as ProcessHeartbeat;
      if (now - Date.parse(heartbeat.at) > HEARTBEAT_EXPIRY_MS) gone.push(id);
      else live.push(heartbeat);
    }
    if (gone.length > 0) await this.redis.hdel(this.keys.processes, ...gone);
    return live.sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Stops the heartbeat and leaves the registry (a clean exit is not a silent one). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.hdel(this.keys.processes, this.id).catch(() => undefined);
  }
}
