import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import { RedisLease } from '../ops/redis-lease';
import type { FairShare } from './fair-share';
import { sweepRunningSets } from './running-sweep';
import { WakeablePause } from '../wakeable-pause';

export interface FairDispatcherOptions {
  /** Pause after a pass that moved jobs to BullMQ (more may fit soon). */
  movedMs?: number;
  /** Pause after a pass that found lanes waiting but every queue at its target depth. */
  fullMs?: number;
  /**
   * Pause between passes while every lane is empty, or while the lanes cannot move (queue paused, every
   * laned workspace at its running limit); a local submit wakes it at once.
   */
  idleMs?: number;
  /** A dispatching batch not cleared after this long is re-added by the recovery pass. */
  recoverAfterMs?: number;
  /** How often the recovery pass runs. */
  recoverEveryMs?: number;
  /** How often (one process of the deployment) the running sets are swept for leaks. */
  sweepEveryMs?: number;
}

type PassState = 'idle' | 'blocked' | 'full' | 'moved';
/** Which state a pass reports when its queues differ: the one asking for the shortest pause. */
const RANK: Record<PassState, number> = { idle: 0, blocked: 1, full: 2, moved: 3 };

/** Fewest jobs the adaptive depth keeps in BullMQ's wait (below FAIR_DISPATCH_DEPTH if that is smaller). */
const MIN_DEPTH = 32;
/** Most jobs one refill takes: one script run, kept short. */
const MOST_PER_CALL = 500;

/**
 * Feeds the shared queues from the workspaces' lanes (see FairShare and docs/design.md, "Fair share").
 * Runs in every `api` process, without a leader: each refill is one atomic script that fills BullMQ's
 * wait + prioritized up to the target depth and no further, so several dispatchers only share the
 * work. Each pass moves due delayed jobs into their lanes, refills every queue, and now and then
 * re-adds batches a dead dispatcher left half done. A paused queue gets nothing; with no worker at all
 * the queue still fills up to the depth (KEDA sees that, and the lanes' backlog key).
 *
 * The target depth adapts to the drain rate, between max(MIN_DEPTH, the jobs active in BullMQ) and
 * FAIR_DISPATCH_DEPTH: doubled when a refill finds the queue less than a quarter full while lanes
 * wait (the workers nearly ran dry between two refills), lowered slowly while it stays over half full. Less depth = a newcomer's job starts
 * sooner; enough = no idle worker slot.
 */
export class FairDispatcher {
  private readonly targets = new Map<string, number>();
  private readonly sweepLease: RedisLease;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly pauses = new WakeablePause();
  private nudged = false;
  private lastRecovery = 0;
  private lastSweep = 0;

  constructor(
    private readonly redis: Redis,
    private readonly fair: FairShare,
    private readonly logger: Logger,
    private readonly options: FairDispatcherOptions = {},
  ) {
    const sweepEveryMs = options.sweepEveryMs ?? 60_000;
    this.sweepLease = new RedisLease(redis, fair.keys.fairSweep, Math.max(1_000, sweepEveryMs - 1_000));
    fair.onLaned = () => this.nudge();
  }

  /**
   * Runs even with FAIR_SHARE=off: nothing new enters a lane then, but jobs a deployment left in the
   * lanes when it switched fair share off still reach BullMQ (an idle pass is a few commands).
   */
  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.pauses.wake();
    await this.loop;
  }

  /** Jobs entered a lane: refill now rather than after the idle pause. */
  nudge(): void {
    this.nudged = true;
    this.pauses.wake();
  }

  /**
   * One pass over every shared queue: `idle` when no lane has work, `blocked` when lanes wait but
   * cannot move (paused queue, workspaces at their running limits), `full` when lanes wait but a queue
   * is at its target depth, `moved` when some jobs went to BullMQ. A queue with nothing due and
   * nothing laned costs only its share of one pipelined look (two commands).
   */
  async pass(now = Date.now()): Promise<PassState> {
    const queues = [...this.fair.queues.keys()];
    const look = this.redis.pipeline();
    for (const queue of queues)
      look.zcount(this.fair.keys.fairTimers(queue), 0, now).zcard(this.fair.keys.fairReady(queue));
    const counts = ((await look.exec()) ?? []).map(([error, value]) => {
      if (error) throw error;
      return Number(value);
    });
    let state: PassState = 'idle';
    await Promise.all(
      queues.map(async (queue, index) => {
        const [due, laned] = [counts[index * 2]!, counts[index * 2 + 1]!];
        if (due > 0) await this.fair.promoteDue(queue, now);
        if (due === 0 && laned === 0) return;
        const max = this.fair.options.depth;
        let target = this.targets.get(queue) ?? Math.min(max, Math.max(MIN_DEPTH, max / 4));
        const { taken, depth, active, blocked } = await this.fair.dispatch(queue, Math.round(target), MOST_PER_CALL);
        const mine: PassState = taken > 0 ? 'moved' : blocked ? 'blocked' : 'full';
        if (RANK[mine] > RANK[state]) state = mine;
        // Never below the jobs the workers run at once: a worker slot that frees finds a job waiting.
        const floor = Math.min(max, Math.max(MIN_DEPTH, active));
        if (taken > 0 && depth < target / 4) target = Math.min(max, target * 2);
        else if (depth > target / 2) target = target * 0.95;
        this.targets.set(queue, Math.max(floor, target));
      }),
    );
    return state;
  }

  /** Re-adds what dead dispatchers left in their dispatching records (every queue). */
  async recover(): Promise<number> {
    let readded = 0;
    for (const queue of this.fair.queues.keys())
      readded += await this.fair.recover(queue, this.options.recoverAfterMs ?? 5_000);
    if (readded > 0)
      this.logger.warn({ readded }, 'fair share: re-added jobs a stopped dispatcher had taken from the lanes');
    return readded;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let state: Awaited<ReturnType<FairDispatcher['pass']>> = 'idle';
      try {
        this.nudged = false;
        state = await this.pass();
        const now = Date.now();
        if (now - this.lastRecovery >= (this.options.recoverEveryMs ?? 1_000)) {
          this.lastRecovery = now;
          await this.recover();
        }
        if (now - this.lastSweep >= (this.options.sweepEveryMs ?? 60_000)) {
          this.lastSweep = now;
          if (await this.sweepLease.take()) await sweepRunningSets(this.redis, this.fair.keys);
        }
      } catch (error) {
        if (!this.running) break;
        this.logger.error({ err: error }, 'fair share dispatch failed; retrying');
        state = 'idle';
      }
      if (this.nudged) continue;
      const { movedMs = 2, fullMs = 10, idleMs = 200 } = this.options;
      await this.pause(state === 'moved' ? movedMs : state === 'full' ? fullMs : idleMs);
    }
  }

  private pause(ms: number): Promise<void> {
    return this.running ? this.pauses.for(ms) : Promise.resolve();
  }
}
