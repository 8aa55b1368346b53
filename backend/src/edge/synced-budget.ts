import type { Redis } from 'ioredis';

/** A refused spend: how long until the key's window ends. */
export interface Refusal {
  msBeforeNext: number;
}

/** What this process knows of one key's window, and what it spent that Redis has not counted yet. */
interface KeyState {
  /** The count in Redis at the last sync (every process's spends). */
  counted: number;
  /** When the window ends (epoch ms), from the key's TTL at the last sync. */
  endsAt: number;
  /** Spends of this process not yet sent. */
  pending: number;
}

/** How often spends made locally are sent to Redis (one pipeline for every key). */
const SYNC_MS = 100;
/** How often keys whose window has ended are forgotten. */
const SWEEP_MS = 1_000;
/** Budgets smaller than this are counted in Redis at every spend: exact across processes. */
const LOCAL_MIN_POINTS = 100;

// Adds the spends and starts the window on the first: the count and the ms left, in one step.
const ADD = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  left = tonumber(ARGV[2])
end
return { count, left }
`;

/**
 * A fixed-window budget per key (`points` per `durationSeconds`), counted in Redis so that every
 * process shares it — without a Redis round trip for every spend. A process spends locally while
 * the key is well within a large budget (≥ 100 points, below `points` minus a tenth), and sends
 * what it spent every 100 ms, reading back every process's count. Near the limit, for a key it does
 * not know yet and for small budgets, it waits for Redis at each spend, as a plain Redis limiter
 * does. So one process's count is exact; what other processes spent in their last 100 ms can pass
 * the limit by that much before this one sees it. A key known to be over its budget is refused
 * locally until its window ends. Same keys as rate-limiter-flexible's `RateLimiterRedis`
 * (a count with a TTL), so processes of either kind share a count during an upgrade.
 *
 * When Redis cannot answer, spends pass: the limits protect the service, they are not a reason to
 * refuse it.
 */
export class SyncedBudget {
  private readonly states = new Map<string, KeyState>();
  private readonly slack: number;
  private syncTimer: NodeJS.Timeout | undefined;
  private lastSweep = Date.now();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly points: number,
    private readonly durationSeconds: number,
  ) {
    this.slack = points >= LOCAL_MIN_POINTS ? Math.ceil(points / 10) : points;
    if (!('flightdeckBudgetAdd' in redis)) redis.defineCommand('flightdeckBudgetAdd', { numberOfKeys: 1, lua: ADD });
  }

  /** Spends one point of `key`'s budget: the refusal once it is spent, else null. */
  async spend(key: string): Promise<Refusal | null> {
    const now = Date.now();
    this.sweep(now);
    let state = this.states.get(key);
    if (state && state.endsAt <= now) {
      this.states.delete(key);
      state = undefined;
    }
    if (state && state.counted >= this.points) return { msBeforeNext: state.endsAt - now };
    if (state && state.counted + state.pending + 1 <= this.points - this.slack) {
      state.pending += 1;
      this.scheduleSync();
      return null;
    }
    // Unknown, or near the limit: count it in Redis now, with whatever this process has pending.
    const pending = (state?.pending ?? 0) + 1;
    if (state) state.pending = 0;
    const counted = await this.add(key, pending);
    if (!counted) return null;
    const known = this.remember(key, counted);
    return known.counted > this.points ? { msBeforeNext: known.endsAt - Date.now() } : null;
  }

  /** Sends what is pending at once (tests; otherwise the timer does within 100 ms). */
  async flush(): Promise<void> {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    await this.sync();
  }

  private scheduleSync(): void {
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      void this.sync();
    }, SYNC_MS);
    this.syncTimer.unref();
  }

  private async sync(): Promise<void> {
    const sent: [string, number][] = [];
    for (const [key, state] of this.states) {
      if (state.pending === 0) continue;
      sent.push([key, state.pending]);
      state.pending = 0;
    }
    if (sent.length > 0) {
      const pipeline = this.command(this.redis.pipeline());
      for (const [key, amount] of sent) pipeline.flightdeckBudgetAdd(this.keyOf(key), amount, this.windowMs);
      const answers = await pipeline.exec().catch(() => null);
      answers?.forEach(([error, value], index) => {
        if (!error) this.remember(sent[index]![0], value as [number, number]);
      });
    }
  }

  private async add(key: string, amount: number): Promise<[number, number] | null> {
    // Redis away: pass at once rather than wait for the command to give up.
    if (this.redis.status !== 'ready') return null;
    try {
      return await this.command(this.redis).flightdeckBudgetAdd(this.keyOf(key), amount, this.windowMs);
    } catch {
      return null;
    }
  }

  private remember(key: string, [count, leftMs]: [number, number]): KeyState {
    const state = this.states.get(key) ?? { counted: 0, endsAt: 0, pending: 0 };
    state.counted = count;
    state.endsAt = Date.now() + leftMs;
    this.states.set(key, state);
    return state;
  }

  /** Forgets, at most once a second, the keys whose window has ended (spends of every kind call it). */
  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_MS) return;
    this.lastSweep = now;
    for (const [key, state] of this.states) if (state.endsAt <= now && state.pending === 0) this.states.delete(key);
  }

  private get windowMs(): number {
    return this.durationSeconds * 1000;
  }

  private keyOf(key: string): string {
    return `${this.prefix}:${key}`;
  }

  private command<T>(client: T) {
    return client as T & {
      flightdeckBudgetAdd(key: string, amount: number, windowMs: number): Promise<[number, number]>;
    };
  }
}
