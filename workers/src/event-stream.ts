import type { Redis } from 'ioredis';
import {
  FINAL_EVENT_TYPES,
  PROGRESS_EVENT_TYPES,
  type ActivityRef,
  type Actor,
  type Claim,
  type Comment,
  type JobChangeReason,
  type JobEventType,
  type StreamEvent,
} from '@flightdeck/contract';
import type { RedisKeys } from './redis-keys';
import { decodeSnapshot, encodeSnapshotFields, presentError, presentSnapshot, type StoredJob } from './job-snapshot';

/** An event before the stream gives it its `seq`. */
export type EventDraft = JobChangeDraft | JobNoteDraft;

/** A change of the job itself (state, progress, logs): merged into its snapshot and carried in the event. */
export interface JobChangeDraft {
  type: JobEventType;
  jobId: string;
  /** The job's changed attributes, as stored (its failure whole: see `storedJob`). */
  job: Partial<StoredJob> & Pick<StoredJob, 'id' | 'status'> & { errorStack?: never };
  lines?: string[];
  /**
   * The attempt (1 = the first) this draft reports on, when it comes from the run of one: then the
   * append script skips it (no seq, no event, no snapshot change) if the snapshot already records that
   * attempt as ended (its `attemptsMade` ≥ `attempt`). A worker's late end of an attempt and the
   * reconciler's (which appends what a dead worker could not) thus land exactly once, whichever is
   * first; and progress of an attempt already ended cannot drag the snapshot back to `active`.
   */
  attempt?: number;
  /** Who asked for it, when a person or key did (cancel, retry, promote). */
  actor?: Actor;
  /** The activity entry the API records for that action. */
  activity?: ActivityRef;
  /** Why it changed, when nobody asked and the type does not say (a hand-back at shutdown). */
  reason?: JobChangeReason;
}

/**
 * Something people did about a job that does not change its state: a claim (its `claimedBy` is
 * merged into the snapshot, when there is one, so later state events carry it) or a comment.
 */
export interface JobNoteDraft {
  type: 'job.claimed' | 'job.released' | 'comment.created';
  jobId: string;
  job?: undefined;
  actor: Actor;
  claimedBy?: Claim | null;
  comment?: Comment;
  /** The activity entry the API records for it. */
  activity?: ActivityRef;
}

// One atomic step per event: take the workspace's next seq, merge the job's snapshot, then append
// the event to the workspace's stream (trimmed) and to the history stream the MongoDB projector
// reads. Every state change carries the whole job, as REST shows it — as drafted when the draft is
// whole (a submit), else merged from the snapshot (field `j`, its hash as a JSON array) — so a
// reader never has to look the job up. Progress and log events carry only what changed.
//
// A final event (completed, failed, cancelled) also takes the job out of the workspace's fair-share
// running set (KEYS[4]; idempotent, so whichever of a worker, a remote worker or the reconciler
// appends it, and however often, the count stays right).
const APPEND_EVENTS = `
local workspaceId, maxLen, ttl, count = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local arg = 5
local seqs = {}
for i = 1, count do
  local event, full, always, attempt, fieldCount, final =
    ARGV[arg], ARGV[arg + 1] == '1', ARGV[arg + 2] == '1', tonumber(ARGV[arg + 3]), tonumber(ARGV[arg + 4]), ARGV[arg + 5] == '1'
  arg = arg + 6
  if final then redis.call('SREM', KEYS[4], ARGV[arg + fieldCount * 2]) end
  -- A draft of an attempt that the snapshot already records as ended (see JobChangeDraft.attempt) is
  -- skipped whole: no seq, no event, no change. Checked before INCR so that seqs stay gapless.
  local ended = false
  if attempt > 0 then
    local made = tonumber(redis.call('HGET', KEYS[4 + i], 'attemptsMade') or '')
    ended = made ~= nil and made >= attempt
  end
  if ended then
    seqs[i] = 0
  else
    local seq = redis.call('INCR', KEYS[1])
    -- Notes (claims, comments) touch only a snapshot that exists: never one made of their fields alone.
    if always or redis.call('EXISTS', KEYS[4 + i]) == 1 then
      local fields = { 'seq', tostring(seq) }
      for j = 0, fieldCount * 2 - 1 do fields[#fields + 1] = ARGV[arg + j] end
      redis.call('HSET', KEYS[4 + i], unpack(fields))
      redis.call('EXPIRE', KEYS[4 + i], ttl)
    end
    local hash = full and redis.call('HGETALL', KEYS[4 + i]) or {}
    if #hash > 0 then
      local job = cjson.encode(hash)
      redis.call('XADD', KEYS[2], 'MAXLEN', '~', maxLen, '0-' .. seq, 'e', event, 'j', job)
      redis.call('XADD', KEYS[3], '*', 'w', workspaceId, 's', seq, 'e', event, 'j', job)
    else
      redis.call('XADD', KEYS[2], 'MAXLEN', '~', maxLen, '0-' .. seq, 'e', event)
      redis.call('XADD', KEYS[3], '*', 'w', workspaceId, 's', seq, 'e', event)
    end
    seqs[i] = seq
  end
  arg = arg + fieldCount * 2 + 1
end
return seqs
`;

/**
 * Whether an event's job comes from the snapshot: not when the draft already is the whole job, and
 * not for progress and log events, the chattiest, which carry only what changed (the contract lets
 * them). Notes (claims, comments) take it from the snapshot, when there is one, so that the last
 * event of a finished job carries its final state even when someone comments on it afterwards.
 */
function needsSnapshot(draft: EventDraft): boolean {
  if (!draft.job) return true;
  if (PROGRESS_EVENT_TYPES.includes(draft.type)) return false;
  return !(draft.job.type && draft.job.createdAt && 'payload' in draft.job);
}

export interface EventStreamOptions {
  /** Approximate number of events each workspace stream retains for resuming clients. */
  retainedEvents: number;
  /** How long a job's snapshot stays in Redis after its last change. */
  snapshotTtlSeconds: number;
}

/** Drafts encoded for the append script: their snapshot keys and their arguments. */
interface EncodedAppend {
  keys: string[];
  args: (string | number)[];
  count: number;
  resolve(seqs: number[]): void;
  reject(error: unknown): void;
}

/** One workspace's appends from this process: at most one script call in flight, the rest waiting. */
interface AppendLane {
  waiting: EncodedAppend[];
  sending: boolean;
}

/**
 * Most drafts one script call carries when waiting appends are merged (one append of more — a
 * batch submit — still goes alone, whole).
 */
const MERGED_DRAFTS = 500;

/**
 * Appends job events to the workspace's ordered stream. Used by the API and by workers.
 *
 * Group commit: while a workspace's script call is in flight, later appends for it wait and then go
 * together in one call, in the order they were made. Under load that turns many round trips (and
 * many script runs in Redis) into few; an idle stream sends at once, so latency does not grow. Each
 * caller still gets its own seqs, and a failed call fails every append it carried.
 */
export class JobEventStream {
  private readonly lanes = new Map<string, AppendLane>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly options: EventStreamOptions,
  ) {
    // defineCommand sends the script once and then calls it by its SHA.
    if (!('flightdeckAppendEvents' in redis)) redis.defineCommand('flightdeckAppendEvents', { lua: APPEND_EVENTS });
  }

  /** Appends events of one workspace in order; returns their seqs (0 for a draft its `attempt` guard skipped). */
  append(workspaceId: string, drafts: EventDraft[]): Promise<number[]> {
    if (drafts.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      let lane = this.lanes.get(workspaceId);
      if (!lane) {
        lane = { waiting: [], sending: false };
        this.lanes.set(workspaceId, lane);
      }
      lane.waiting.push({ ...this.encode(workspaceId, drafts), count: drafts.length, resolve, reject });
      if (!lane.sending) void this.send(workspaceId, lane);
    });
  }

  /** Sends what waits in the lane, a merged call at a time, until nothing waits. */
  private async send(workspaceId: string, lane: AppendLane): Promise<void> {
    lane.sending = true;
    while (lane.waiting.length > 0) {
      const group = takeGroup(lane.waiting);
      const keys = [
        this.keys.workspaceSeq(workspaceId),
        this.keys.workspaceEvents(workspaceId),
        this.keys.history,
        this.keys.fairRunning(workspaceId),
      ];
      const args: (string | number)[] = [workspaceId, this.options.retainedEvents, this.options.snapshotTtlSeconds, 0];
      let count = 0;
      for (const append of group) {
        keys.push(...append.keys);
        args.push(...append.args);
        count += append.count;
      }
      args[3] = count;
      try {
        const redis = this.redis as Redis & {
          flightdeckAppendEvents(...args: (string | number)[]): Promise<number[]>;
        };
        const seqs = await redis.flightdeckAppendEvents(keys.length, ...keys, ...args);
        let offset = 0;
        for (const append of group) {
          append.resolve(seqs.slice(offset, offset + append.count));
          offset += append.count;
        }
      } catch (error) {
        for (const append of group) append.reject(error);
      }
    }
    lane.sending = false;
    this.lanes.delete(workspaceId);
  }

  /** The script's snapshot keys and per-event arguments for `drafts`, stamped with the time now. */
  private encode(workspaceId: string, drafts: EventDraft[]): Pick<EncodedAppend, 'keys' | 'args'> {
    const at = new Date().toISOString();
    const args: (string | number)[] = [];
    for (const draft of drafts) {
      const { type, jobId, job, actor, activity } = draft;
      const event: Omit<StreamEvent, 'seq'> = { type, jobId, at };
      if (job) event.job = job;
      if (actor) event.actor = actor;
      if (activity) event.activity = activity;
      let fields: string[];
      if (draft.job) {
        if (draft.lines) event.lines = draft.lines;
        if (draft.reason) event.reason = draft.reason;
        fields = encodeSnapshotFields({ ...draft.job, workspaceId });
      } else {
        if (draft.claimedBy !== undefined) event.claimedBy = draft.claimedBy;
        if (draft.comment) event.comment = draft.comment;
        fields = draft.claimedBy !== undefined ? encodeSnapshotFields({ claimedBy: draft.claimedBy }) : [];
      }
      const always = draft.job ? '1' : '0';
      const attempt = draft.job ? (draft.attempt ?? 0) : 0;
      const final = FINAL_EVENT_TYPES.includes(type) ? '1' : '0';
      args.push(
        JSON.stringify(event),
        needsSnapshot(draft) ? '1' : '0',
        always,
        attempt,
        fields.length / 2,
        final,
        ...fields,
        jobId,
      );
    }
    return { keys: drafts.map((draft) => this.keys.jobSnapshot(draft.jobId)), args };
  }
}

/** The waiting appends that go in the next call, in order: the first one always, more up to `MERGED_DRAFTS`. */
function takeGroup(waiting: EncodedAppend[]): EncodedAppend[] {
  let drafts = waiting[0]!.count;
  let taken = 1;
  while (taken < waiting.length && drafts + waiting[taken]!.count <= MERGED_DRAFTS) drafts += waiting[taken++]!.count;
  return waiting.splice(0, taken);
}

/** A stream entry's fields (`[name, value, name, value, …]`) as an object. */
export function entryFields(fields: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let index = 0; index + 1 < fields.length; index += 2) record[fields[index]!] = fields[index + 1]!;
  return record;
}

/** Reads an entry of a workspace stream (`XRANGE`/`XREAD`): its id is `0-<seq>`. */
export function decodeWorkspaceEntry([id, fields]: [string, string[]]): StreamEvent {
  return decodeEvent(Number(id.slice(id.indexOf('-') + 1)), entryFields(fields));
}

/**
 * The event in an entry's fields. A state change's `job` is the whole job as REST shows it, when the
 * snapshot was whole (it can be partial after it expired); otherwise the fields that changed.
 */
export function decodeEvent(seq: number, fields: Record<string, string>): StreamEvent {
  const event = { ...(JSON.parse(fields.e ?? '{}') as Omit<StreamEvent, 'seq'>), seq };
  if (fields.j) {
    const snapshot = decodeSnapshot(entryFields(JSON.parse(fields.j) as string[]));
    if (snapshot?.type && snapshot.createdAt) return { ...event, job: presentSnapshot(snapshot) };
  }
  // The fields that changed, as drafted: a failure among them is shown as everywhere else.
  const changed = event.job as (Partial<StoredJob> & Pick<StoredJob, 'id' | 'status'>) | undefined;
  if (changed && 'error' in changed) event.job = { ...changed, ...presentError(changed.error) };
  return event;
}
