import type { Redis } from 'ioredis';
import type { AttemptEndNotice } from './attempt-end-drafts';

/** The BullMQ keys of one queue that the feed reads (BullMQ names them: `queue.keys`). */
export interface FeedQueue {
  name: string;
  /** `<prefix>:<queue>:events`: the stream BullMQ appends to in the same Lua call that moves a job. */
  events: string;
  completed: string;
  failed: string;
}

type StreamEntry = [id: string, fields: string[]];

/** Entries read per queue and call. */
const READ_COUNT = 5_000;
/** Notices a queue may hold waiting for their grace; past it the feed stops reading ahead (a gap scan catches up). */
const MAX_PENDING = 100_000;
/** Finished-set scores are workers' clocks, stream ids Redis's: a gap scan looks this much wider. */
const CLOCK_SLACK_MS = 60_000;
/** Members of a finished set one gap scan reads at most (BullMQ keeps KEEP_COMPLETED/FAILED_JOBS anyway). */
const GAP_SCAN_LIMIT = 100_000;

interface QueueState {
  queue: FeedQueue;
  /** The last entry read. */
  readCursor: string;
  /** The last entry whose notice has been dealt with (persisted): a new leader starts here. */
  doneCursor: string;
  /** Notices read and not yet due, oldest first. */
  pending: AttemptEndNotice[];
}

const entryMs = (id: string) => Number(id.slice(0, id.indexOf('-')));

/**
 * Reads attempt ends from BullMQ's per-queue event streams, from a cursor kept in Redis, and holds
 * each until it is due (a grace after BullMQ recorded it, so that the worker's own append normally
 * lands first). The streams are trimmed (about 10,000 entries each): if the entry at the read cursor
 * is gone, entries after it may be too, so the window between it and the oldest entry left is
 * scanned in BullMQ's completed and failed sets instead (retries lost that way are not recovered:
 * the next attempt's own events correct the job).
 */
export class BullmqEventFeed {
  private states: QueueState[] = [];
  private readonly queues: FeedQueue[];

  constructor(
    private readonly redis: Redis,
    queues: readonly FeedQueue[],
    /** Hash: queue name → the last entry dealt with. */
    private readonly cursorsKey: string,
  ) {
    this.queues = [...queues];
  }

  /**
   * Reads these queues too from now on (those it reads already are skipped), each from its persisted
   * cursor: the queues of registered types come into being as workspaces register them.
   */
  async add(queues: readonly FeedQueue[]): Promise<void> {
    const known = new Set(this.queues.map((queue) => queue.name));
    const added = queues.filter((queue) => !known.has(queue.name));
    if (added.length === 0) return;
    const cursors = await this.redis.hmget(this.cursorsKey, ...added.map((queue) => queue.name));
    this.queues.push(...added);
    added.forEach((queue, index) => {
      const cursor = cursors[index] ?? '0-0';
      this.states.push({ queue, readCursor: cursor, doneCursor: cursor, pending: [] });
    });
  }

  /** How many queues it reads. */
  get size(): number {
    return this.queues.length;
  }

  /** (Re)starts from the persisted cursors, dropping what was held: a new leader, or after an error. */
  async restart(): Promise<void> {
    const cursors = await this.redis.hgetall(this.cursorsKey);
    this.states = this.queues.map((queue) => {
      const cursor = cursors[queue.name] ?? '0-0';
      return { queue, readCursor: cursor, doneCursor: cursor, pending: [] };
    });
  }

  /** Reads what BullMQ appended since the last read; true when a queue had more than one read takes. */
  async read(): Promise<{ more: boolean; gaps: string[] }> {
    const pipeline = this.redis.pipeline();
    const reading = this.states.filter((state) => state.pending.length < MAX_PENDING);
    for (const state of reading) {
      const { events } = state.queue;
      const start = state.readCursor === '0-0' ? '-' : `(${state.readCursor}`;
      pipeline.xrange(events, start, '+', 'COUNT', READ_COUNT);
      // Whether the cursor's own entry is still there: if it was trimmed, later ones may have been too.
      pipeline.xrange(events, state.readCursor, state.readCursor);
      pipeline.xrange(events, '-', '+', 'COUNT', 1);
    }
    const answers = (await pipeline.exec()) ?? [];
    let more = false;
    const gaps: string[] = [];
    for (const [index, state] of reading.entries()) {
      const [entries, atCursor, oldest] = [0, 1, 2].map((offset) => {
        const [error, value] = answers[index * 3 + offset]!;
        if (error) throw error;
        return value as StreamEntry[];
      }) as [StreamEntry[], StreamEntry[], StreamEntry[]];
      if (state.readCursor !== '0-0' && atCursor.length === 0) {
        const until = oldest[0] ? entryMs(oldest[0][0]) : Date.now();
        state.pending.unshift(...(await this.scanGap(state.queue, entryMs(state.readCursor), until)));
        gaps.push(state.queue.name);
        // Read what is left from its start (the entries just read are all of it): once, not a scan a call.
        if (entries.length === 0) state.readCursor = '0-0';
      }
      for (const entry of entries) {
        const notice = noticeOf(state.queue.name, entry);
        if (notice) state.pending.push(notice);
      }
      if (entries.length > 0) state.readCursor = entries[entries.length - 1]![0];
      if (entries.length === READ_COUNT) more = true;
    }
    return { more, gaps };
  }

  /** Takes the notices recorded at or before `dueBy` (ms), at most `limit`, oldest first per queue. */
  takeDue(dueBy: number, limit: number): AttemptEndNotice[] {
    const due: AttemptEndNotice[] = [];
    for (const state of this.states) {
      let count = 0;
      while (count < state.pending.length && state.pending[count]!.at <= dueBy && due.length + count < limit) count++;
      due.push(...state.pending.splice(0, count));
    }
    return due;
  }

  /**
   * Moves each queue's persisted cursor past the notices taken so far: to the last entry read when
   * nothing is held, else to the last taken entry before the first held one. Call once what
   * `takeDue` returned has been dealt with.
   */
  async commit(taken: readonly AttemptEndNotice[]): Promise<void> {
    const lastTaken = new Map<string, string>();
    for (const notice of taken) if (notice.entryId) lastTaken.set(notice.queue, notice.entryId);
    const moved: string[] = [];
    for (const state of this.states) {
      const next =
        state.pending.length === 0 ? state.readCursor : (lastTaken.get(state.queue.name) ?? state.doneCursor);
      if (next !== state.doneCursor) {
        state.doneCursor = next;
        moved.push(state.queue.name, next);
      }
    }
    if (moved.length > 0) await this.redis.hset(this.cursorsKey, ...moved);
  }

  /** How many notices wait for their grace. */
  get held(): number {
    return this.states.reduce((sum, state) => sum + state.pending.length, 0);
  }

  /** Jobs BullMQ finished between `from` and `until` (ms), as notices due at once. */
  private async scanGap(queue: FeedQueue, from: number, until: number): Promise<AttemptEndNotice[]> {
    const [min, max] = [from - CLOCK_SLACK_MS, until + CLOCK_SLACK_MS];
    const [completed, failed] = await Promise.all(
      [queue.completed, queue.failed].map((key) =>
        this.redis.zrangebyscore(key, min, max, 'WITHSCORES', 'LIMIT', 0, GAP_SCAN_LIMIT),
      ),
    );
    const notices = (members: string[], kind: 'completed' | 'failed') => {
      const found: AttemptEndNotice[] = [];
      for (let index = 0; index + 1 < members.length; index += 2) {
        found.push({ queue: queue.name, jobId: members[index]!, kind, at: Number(members[index + 1]) });
      }
      return found;
    };
    return [...notices(completed!, 'completed'), ...notices(failed!, 'failed')].sort((a, b) => a.at - b.at);
  }
}

/** The attempt end an entry records, if it records one. */
function noticeOf(queue: string, [entryId, list]: StreamEntry): AttemptEndNotice | null {
  const fields: Record<string, string> = {};
  for (let index = 0; index + 1 < list.length; index += 2) fields[list[index]!] = list[index + 1]!;
  const { event, jobId } = fields;
  if (!jobId) return null;
  const base = { queue, jobId, at: entryMs(entryId), entryId };
  switch (event) {
    case 'completed':
      return { ...base, kind: 'completed', returnValue: fields.returnvalue ?? 'null' };
    case 'failed':
      return { ...base, kind: 'failed', failedReason: fields.failedReason ?? 'failed' };
    case 'delayed':
      return { ...base, kind: 'delayed', delayUntil: Number(fields.delay) || undefined };
    case 'waiting':
      // Only a job that was running: added or promoted jobs say `prev` otherwise (or not at all).
      return fields.prev === 'active' ? { ...base, kind: 'waiting' } : null;
    default:
      return null;
  }
}
