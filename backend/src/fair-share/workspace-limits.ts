import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { EffectiveLimits, SetWorkspaceLimits, WorkspaceLimits } from '@flightdeck/contract';
import { WorkspaceModel } from '../db/models';
import { WorkspaceLimitsModel } from '../db/workspace-limits-model';
import { REPLACE_WORKSPACE_LIMITS } from './workspace-limits-mirror.script';

/** How often every process re-writes the Redis mirror of every workspace's limits. */
export const LIMITS_MIRROR_EVERY_MS = 30_000;

/** No limit set: every field is the deployment's default. */
export const DEFAULT_LIMITS: WorkspaceLimits = Object.freeze({ maxRunning: null, maxPending: null, weight: null });

const LIMIT_FIELDS = ['maxRunning', 'maxPending', 'weight'] as const;

const MIRROR_COMMAND = 'flightdeckReplaceWorkspaceLimits';
type MirrorCommand = (key: string, version: number, ...fields: string[]) => Promise<number>;

export interface WorkspaceLimitsOptions {
  redis: Redis;
  /** The Redis hash the dispatcher reads a workspace's limits from (`keys.fairLimits`). */
  limitsKey: (workspaceId: string) => string;
  /** The deployment's defaults, for the limits in force. */
  defaults: EffectiveLimits;
  logger: Logger;
  mirrorEveryMs?: number;
  /** Told after a workspace's limits changed here (what this process keeps of them is stale). */
  onChange?: (workspaceId: string) => void;
}

/** What a change of limits replaced, and with what. */
export interface LimitsChange {
  before: WorkspaceLimits;
  after: WorkspaceLimits;
}

/**
 * The fair-share limits operators set per workspace. MongoDB holds them; Redis holds a mirror that
 * the dispatcher's scripts read (`<prefix>:flightdeck:fair:limits:<workspaceId>`, a hash whose
 * integer fields `maxRunning`, `maxPending`, `weight` are present only when set, beside the
 * `version` of the copy). The mirror is written on every change and, because a Redis that
 * restarted empty or was flushed would otherwise forget an operator's limit, re-written whole when
 * the process starts and every period; an older copy never replaces a newer one.
 */
export class WorkspaceLimitsStore {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(private readonly options: WorkspaceLimitsOptions) {
    // defineCommand sends the script once and then calls it by its SHA.
    if (!(MIRROR_COMMAND in options.redis))
      options.redis.defineCommand(MIRROR_COMMAND, { numberOfKeys: 1, lua: REPLACE_WORKSPACE_LIMITS });
  }

  get defaults(): EffectiveLimits {
    return this.options.defaults;
  }

  /** The limits in force: each set field, else the default. */
  effective(limits: WorkspaceLimits): EffectiveLimits {
    const { defaults } = this.options;
    return {
      maxRunning: limits.maxRunning ?? defaults.maxRunning,
      maxPending: limits.maxPending ?? defaults.maxPending,
      weight: limits.weight ?? defaults.weight,
    };
  }

  /** A workspace's limits as set (all `null` when none were). */
  async get(workspaceId: string): Promise<WorkspaceLimits> {
    const doc = await WorkspaceLimitsModel.findById(workspaceId).lean();
    return doc ? limitsOf(doc) : { ...DEFAULT_LIMITS };
  }

  /** The limits set, by workspace id; workspaces without any are absent. */
  async all(): Promise<Map<string, WorkspaceLimits>> {
    const docs = await WorkspaceLimitsModel.find().lean();
    return new Map(docs.map((doc) => [doc._id, limitsOf(doc)]));
  }

  /**
   * Replaces a workspace's limits (a field left out is the default) and its mirror; `null` when
   * there is no such workspace.
   */
  async set(workspaceId: string, input: SetWorkspaceLimits): Promise<LimitsChange | null> {
    if (!(await WorkspaceModel.exists({ _id: workspaceId }))) return null;
    const before = await this.get(workspaceId);
    const after: WorkspaceLimits = {
      maxRunning: input.maxRunning ?? null,
      maxPending: input.maxPending ?? null,
      weight: input.weight ?? null,
    };
    await WorkspaceLimitsModel.updateOne({ _id: workspaceId }, { $set: after, $inc: { version: 1 } }, { upsert: true });
    // What MongoDB holds now: of two operators changing the same workspace at once, the mirror
    // ends with the last write.
    const stored = await WorkspaceLimitsModel.findById(workspaceId).lean();
    if (stored) await this.mirror(workspaceId, limitsOf(stored), stored.version);
    this.options.onChange?.(workspaceId);
    return { before, after };
  }

  /**
   * Re-writes the mirror of every workspace with limits, and forgets the limits of workspaces that
   * no longer exist. Answers how many mirrors it wrote.
   */
  async mirrorAll(): Promise<number> {
    const docs = await WorkspaceLimitsModel.find().lean();
    const ids = docs.map((doc) => doc._id);
    const existing = new Set(
      ids.length === 0
        ? []
        : (await WorkspaceModel.find({ _id: { $in: ids } }, { _id: 1 }).lean()).map((doc) => String(doc._id)),
    );
    const gone = ids.filter((id) => !existing.has(id));
    if (gone.length > 0) {
      await WorkspaceLimitsModel.deleteMany({ _id: { $in: gone } });
      // One key per call: on a Redis Cluster, the keys of two workspaces may live on two shards.
      for (const id of gone) await this.options.redis.del(this.options.limitsKey(id));
    }
    let written = 0;
    for (const doc of docs) {
      if (!existing.has(doc._id)) continue;
      if (await this.mirror(doc._id, limitsOf(doc), doc.version)) written++;
    }
    return written;
  }

  /** Mirrors every workspace's limits now and then every period, until `stop`. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    this.running = this.mirrorAll()
      .catch((error: unknown) =>
        // Redis or MongoDB away: the next period tries again, and every change writes its own mirror.
        this.options.logger.warn({ err: error }, 'could not re-write the mirror of the workspace limits'),
      )
      .finally(() => {
        if (this.stopped) return;
        this.timer = setTimeout(() => this.tick(), this.options.mirrorEveryMs ?? LIMITS_MIRROR_EVERY_MS);
        this.timer.unref();
      });
  }

  /**
   * The hash holds exactly the fields set, replaced in one script (the dispatcher never reads half),
   * unless it holds a newer copy. Answers whether it wrote.
   */
  private async mirror(
    workspaceId: string,
    limits: WorkspaceLimits,
    version: number | null | undefined,
  ): Promise<boolean> {
    const fields = LIMIT_FIELDS.flatMap((field) => {
      const value = limits[field];
      return value === null ? [] : [field, String(value)];
    });
    const redis = this.options.redis as Redis & { [MIRROR_COMMAND]: MirrorCommand };
    return (await redis[MIRROR_COMMAND](this.options.limitsKey(workspaceId), version ?? 0, ...fields)) === 1;
  }
}

function limitsOf(doc: { maxRunning?: number | null; maxPending?: number | null; weight?: number | null }) {
  return { maxRunning: doc.maxRunning ?? null, maxPending: doc.maxPending ?? null, weight: doc.weight ?? null };
}
