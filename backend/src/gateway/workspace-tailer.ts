import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { StreamEvent } from '@flightdeck/contract';
import { decodeWorkspaceEntry, type RedisKeys } from '@flightdeck/workers';

const RECENT_EVENTS = 1_000;
const BLOCK_MS = 5_000;

/**
 * Follows the event streams of the workspaces this gateway has subscribers in, with one blocking
 * XREAD over all of them, and hands each new batch to `deliver` in order. It remembers the last
 * events of each workspace so a subscriber that caught up from Redis can join the live flow
 * without a gap or a duplicate (see RealtimeGateway.subscribe).
 */
export class WorkspaceTailer {
  private readonly positions = new Map<string, number>();
  private readonly recent = new Map<string, StreamEvent[]>();
  private readonly waiters = new Map<string, { seq: number; resolve: () => void }[]>();
  private running = false;
  private loop: Promise<void> | null = null;
  private blockedClientId: number | null = null;
  private wake: (() => void) | null = null;

  constructor(
    /** The tailer's own connection: it blocks. */
    private readonly reader: Redis,
    /** Any other connection, to unblock the reader when the set of workspaces changes. */
    private readonly control: Redis,
    private readonly keys: RedisKeys,
    /** `gap` is true when events were trimmed before this gateway read them: its subscribers must resync. */
    private readonly deliver: (workspaceId: string, events: StreamEvent[], gap: boolean) => void,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running = true;
    // A lost connection takes its id with it: after Redis comes back, the id may name another client.
    this.reader.on('close', () => (this.blockedClientId = null));
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.interrupt();
    await this.loop;
    this.reader.disconnect();
  }

  /** The last seq handed to `deliver` for a workspace, or undefined when it is not followed. */
  position(workspaceId: string): number | undefined {
    return this.positions.get(workspaceId);
  }

  /** Starts following a workspace after `seq`. Synchronous, so callers can join rooms in the same tick. */
  follow(workspaceId: string, seq: number): void {
    if (this.positions.has(workspaceId)) return;
    this.positions.set(workspaceId, seq);
    this.recent.set(workspaceId, []);
    this.interrupt();
  }

  unfollow(workspaceId: string): void {
    this.positions.delete(workspaceId);
    this.recent.delete(workspaceId);
    this.release(workspaceId, Infinity);
  }

  /**
   * Resolves once events up to `seq` have been handed to `deliver`, or the workspace is no longer
   * followed: a subscriber who read further than the tailer from Redis waits here before joining.
   */
  reached(workspaceId: string, seq: number): Promise<void> {
    const position = this.positions.get(workspaceId);
    if (position === undefined || position >= seq) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.set(workspaceId, [...(this.waiters.get(workspaceId) ?? []), { seq, resolve }]);
    });
  }

  /** Events after `seq` already delivered, from memory; null when memory does not reach back that far. */
  deliveredSince(workspaceId: string, seq: number): StreamEvent[] | null {
    const position = this.positions.get(workspaceId);
    if (position === undefined) return null;
    if (seq >= position) return [];
    const recent = this.recent.get(workspaceId) ?? [];
    const start = recent.findIndex((event) => event.seq === seq + 1);
    return start === -1 ? null : recent.slice(start);
  }

  private interrupt(): void {
    this.wake?.();
    if (this.blockedClientId !== null) {
      void this.control.call('CLIENT', 'UNBLOCK', String(this.blockedClientId)).catch(() => undefined);
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      const workspaces = [...this.positions.keys()];
      if (workspaces.length === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      try {
        // The id `interrupt` unblocks, read again on each new connection (the first, or after a restart).
        this.blockedClientId ??= Number(await this.reader.call('CLIENT', 'ID'));
        const answer = (await this.reader.xread(
          'COUNT',
          1_000,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...workspaces.map((workspaceId) => this.keys.workspaceEvents(workspaceId)),
          ...workspaces.map((workspaceId) => `0-${this.positions.get(workspaceId)}`),
        )) as [string, [string, string[]][]][] | null;
        const byKey = new Map(workspaces.map((workspaceId) => [this.keys.workspaceEvents(workspaceId), workspaceId]));
        for (const [key, entries] of answer ?? []) this.accept(byKey.get(key)!, entries);
      } catch (error) {
        if (!this.running) break;
        this.logger.warn({ err: error }, 'reading workspace events failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private accept(workspaceId: string, entries: [string, string[]][]): void {
    const position = this.positions.get(workspaceId);
    if (position === undefined) return; // unfollowed while reading
    const events = entries.map(decodeWorkspaceEntry).filter((event) => event.seq > position);
    if (events.length === 0) return;
    const gap = events[0]!.seq > position + 1;
    this.positions.set(workspaceId, events.at(-1)!.seq);
    const recent = gap ? events : [...(this.recent.get(workspaceId) ?? []), ...events];
    this.recent.set(workspaceId, recent.length > RECENT_EVENTS ? recent.slice(-RECENT_EVENTS) : recent);
    this.deliver(workspaceId, events, gap);
    this.release(workspaceId, events.at(-1)!.seq);
  }

  private release(workspaceId: string, position: number): void {
    const waiting = this.waiters.get(workspaceId) ?? [];
    const released = waiting.filter((waiter) => waiter.seq <= position);
    if (released.length === 0) return;
    const rest = waiting.filter((waiter) => waiter.seq > position);
    if (rest.length > 0) this.waiters.set(workspaceId, rest);
    else this.waiters.delete(workspaceId);
    for (const waiter of released) waiter.resolve();
  }
}
