import type { Logger } from 'pino';
import type { RedisLease } from '../ops/redis-lease';
import type { GridFsArtifactStore, OrphanSweep } from './artifact-store';

export interface OrphanSweepTiming {
  /** How often the deployment sweeps: one sweep per period, by whichever API process asks first. */
  everyMs: number;
  /** Orphaned chunks written more recently than this are left alone: an upload may still be adding to them. */
  graceMs: number;
  /** How often each API process asks whether this period's sweep is still to be done. */
  checkMs: number;
}

/**
 * Hourly, and only chunks untouched for an hour: an upload is one HTTP request (Node ends requests
 * after 5 minutes) and a job writes its artifacts from memory, so no live upload goes an hour
 * between two chunks.
 */
export const ORPHAN_SWEEP_TIMING: OrphanSweepTiming = {
  everyMs: 60 * 60_000,
  graceMs: 60 * 60_000,
  checkMs: 60_000,
};

/**
 * Removes GridFS chunks that no artifact owns (see `GridFsArtifactStore.removeOrphanChunks`),
 * periodically, in the `api` role. Every API process checks each minute; a lease that runs out after
 * a period (`RedisLease.take`) lets exactly one of them sweep per period, and a sweeper that
 * restarts or dies hands the next period to whichever process comes next.
 */
export class OrphanChunkSweeper {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<OrphanSweep> | undefined;
  private readonly stopping = new AbortController();

  constructor(
    private readonly store: GridFsArtifactStore,
    /** A lease whose time to live is `timing.everyMs`. */
    private readonly lease: RedisLease,
    private readonly logger: Logger,
    private readonly timing: OrphanSweepTiming = ORPHAN_SWEEP_TIMING,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.timing.checkMs);
    this.timer.unref();
  }

  /** Sweeps if this period's sweep is nobody's yet; what it removed, or null when it was not its turn. */
  async tick(): Promise<OrphanSweep | null> {
    if (this.sweeping || this.stopping.signal.aborted) return null;
    try {
      if (!(await this.lease.take())) return null;
      this.sweeping = this.sweep();
      return await this.sweeping;
    } catch (error) {
      this.logger.warn({ err: error }, 'sweeping orphaned artifact chunks failed; the next period tries again');
      return null;
    } finally {
      this.sweeping = undefined;
    }
  }

  /** One sweep, whether or not it is this process's turn (tests, and `tick`). */
  async sweep(): Promise<OrphanSweep> {
    const swept = await this.store.removeOrphanChunks(new Date(Date.now() - this.timing.graceMs), this.stopping.signal);
    if (swept.chunks > 0) this.logger.info(swept, 'removed artifact chunks that no artifact owns');
    return swept;
  }

  /** Stops the timer and a sweep in progress (between two batches), and waits for it. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.sweeping?.catch(() => undefined);
  }
}
