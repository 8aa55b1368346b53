import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisKeys } from '@flightdeck/workers';
import type { QueueWorkers } from '../job-types/job-type-catalog';
import type { RemoteSession } from './remote-worker-pool';

/** What every process can read of a connected remote worker. */
export interface RemoteWorkerEntry {
  id: string;
  queues: string[];
  types: string[];
  concurrency: number;
  sdkVersion: string;
  inFlight: number;
  connectedAt: string;
  lastSeen: string;
}

/** How often each gateway says its workers are still there, and when an entry counts as gone. */
const BEAT_MS = 5_000;
const EXPIRY_MS = 15_000;

/**
 * The workspaces' connected workers, in Redis (one hash per workspace), so that any API process can
 * say which workers serve a type (`GET /v1/job-types`): each gateway writes its own workers' entries
 * every few seconds; an entry not refreshed (its gateway died) counts as gone.
 */
export class RemoteWorkerRoster {
  private readonly sessions = new Map<RemoteSession, { inFlight: () => number; connectedAt: string }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
  ) {}

  add(session: RemoteSession, inFlight: () => number): void {
    this.sessions.set(session, { inFlight, connectedAt: new Date().toISOString() });
    void this.write(session);
    this.timer ??= setInterval(() => {
      for (const each of this.sessions.keys()) void this.write(each);
    }, BEAT_MS).unref();
  }

  remove(session: RemoteSession): void {
    this.sessions.delete(session);
    this.redis
      .hdel(this.keys.remoteWorkers(session.workspaceId), session.id)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not remove a remote worker entry'));
  }

  stop(): void {
    clearInterval(this.timer);
    for (const session of [...this.sessions.keys()]) this.remove(session);
  }

  /** The workspace's live workers. */
  async list(workspaceId: string): Promise<RemoteWorkerEntry[]> {
    const hash = await this.redis.hgetall(this.keys.remoteWorkers(workspaceId));
    const now = Date.now();
    return Object.values(hash)
      .map((value) => JSON.parse(value) as RemoteWorkerEntry)
      .filter((entry) => now - Date.parse(entry.lastSeen) <= EXPIRY_MS)
      .sort((a, b) => a.connectedAt.localeCompare(b.connectedAt));
  }

  /** Per registered type: the workspace's workers that run it, and their concurrency together. */
  async byType(workspaceId: string): Promise<ReadonlyMap<string, QueueWorkers>> {
    const totals = new Map<string, Required<QueueWorkers>>();
    for (const entry of await this.list(workspaceId)) {
      const { id, sdkVersion, concurrency, inFlight, connectedAt, lastSeen } = entry;
      for (const type of entry.types) {
        const total = totals.get(type) ?? { count: 0, concurrency: 0, instances: [] };
        total.count += 1;
        total.concurrency += concurrency;
        total.instances.push({ id, sdkVersion, concurrency, inFlight, connectedAt, lastSeen });
        totals.set(type, total);
      }
    }
    return totals;
  }

  private async write(session: RemoteSession): Promise<void> {
    const known = this.sessions.get(session);
    if (!known) return;
    const entry: RemoteWorkerEntry = {
      id: session.id,
      queues: [...session.types.keys()],
      types: [...session.types.values()].flatMap((names) => [...names.keys()]),
      concurrency: session.concurrency,
      sdkVersion: session.sdkVersion,
      inFlight: known.inFlight(),
      connectedAt: known.connectedAt,
      lastSeen: new Date().toISOString(),
    };
    const key = this.keys.remoteWorkers(session.workspaceId);
    await this.redis
      .multi()
      .hset(key, session.id, JSON.stringify(entry))
      .pexpire(key, EXPIRY_MS * 4)
      .exec()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not write a remote worker entry'));
  }
}
