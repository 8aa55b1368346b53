import type { JobStatus } from '@flightdeck/contract';
import { capStack, type JobChangeDraft } from '@flightdeck/workers';

/**
 * An attempt's end as BullMQ recorded it: an entry of its queue's event stream (written in the same
 * Lua call that moved the job), or, after a gap in that stream, a member of its finished sets.
 */
export interface AttemptEndNotice {
  queue: string;
  jobId: string;
  /**
   * `completed`, `failed` (for good), `delayed` (a retry after its backoff, or a job added delayed)
   * or `waiting` (back from active: a retry without backoff, a stalled job, a hand-back).
   */
  kind: 'completed' | 'failed' | 'delayed' | 'waiting';
  /** When BullMQ recorded it (ms, Redis's clock). */
  at: number;
  /** The stream entry's id; none for a notice found by a gap scan. */
  entryId?: string;
  /** `completed`: the return value, JSON-encoded (BullMQ's own encoding). */
  returnValue?: string;
  /** `failed`: the reason. */
  failedReason?: string;
  /** `delayed`: when the job falls due (ms). */
  delayUntil?: number;
}

/** What the job's snapshot says now (the fields the reconciler needs). */
export interface SnapshotView {
  workspaceId: string | null;
  status: JobStatus | null;
  attemptsMade: number | null;
}

/** What BullMQ's job hash says now; every field null once BullMQ has removed the job. */
export interface BullJobView {
  workspaceId: string | null;
  attemptsMade: number | null;
  /** Whether the job is in BullMQ's active list now (a later attempt runs). */
  running: boolean;
  failedReason: string | null;
  /** The last attempt's stack (BullMQ keeps a list). */
  stack: string | null;
  finishedOn: number | null;
  returnValue: string | null;
}

/** A draft to append to one workspace's stream. */
export interface ReconciledDraft {
  workspaceId: string;
  draft: JobChangeDraft;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The event a worker should have appended for this attempt end and, as the snapshot shows, did not;
 * null when there is nothing to add. Only a snapshot still `active` at an earlier attempt lacks an
 * end: one that is final, queued or further along has its story told already (or told by someone
 * else, such as the API's cancel), and a `waiting`/`delayed` notice that did not count an attempt
 * (a stalled job, a hand-back, a job added delayed) ends nothing. The draft carries the attempt's
 * number as its guard, so if the worker's own append lands first after all, the append script skips
 * this one (and the other way round).
 */
export function attemptEndDraft(
  notice: AttemptEndNotice,
  snapshot: SnapshotView,
  bull: BullJobView,
): ReconciledDraft | null {
  if (snapshot.status !== 'active' || snapshot.attemptsMade === null) return null;
  const workspaceId = snapshot.workspaceId ?? bull.workspaceId;
  if (!workspaceId) return null;
  const finished = notice.kind === 'completed' || notice.kind === 'failed';
  // A finished job that BullMQ already removed (removeOnComplete) ended the attempt the snapshot shows
  // running. A retry needs BullMQ's count (only a counted attempt is a retry: a stalled or handed-back
  // run is not), and only while the job still waits for its next attempt: once that runs or has
  // ended, its own events tell the story.
  if (!finished && (bull.attemptsMade === null || bull.running || bull.finishedOn !== null)) return null;
  const attempt = bull.attemptsMade ?? snapshot.attemptsMade + 1;
  if (attempt <= snapshot.attemptsMade) return null;
  const { jobId } = notice;
  const finishedAt = iso(bull.finishedOn ?? notice.at);
  const reason = notice.failedReason ?? bull.failedReason ?? 'failed';
  const error = { message: reason, ...(bull.stack ? { stack: capStack(bull.stack) } : {}) };
  const draft = (type: JobChangeDraft['type'], job: Omit<JobChangeDraft['job'], 'id'>): ReconciledDraft => ({
    workspaceId,
    draft: { type, jobId, job: { id: jobId, ...job, attemptsMade: attempt }, attempt },
  });
  switch (notice.kind) {
    case 'completed':
      return draft('job.completed', {
        status: 'completed',
        progress: 100,
        result: parseReturnValue(notice.returnValue ?? bull.returnValue),
        error: null,
        finishedAt,
      });
    case 'failed':
      // The worker stops a cancelled job's run with this reason (see worker-runtime); who asked is
      // known only to that worker's memory, so the event names nobody.
      if (reason === 'cancelled') return draft('job.cancelled', { status: 'cancelled', error: null, finishedAt });
      return draft('job.failed', { status: 'failed', error, finishedAt });
    case 'delayed':
      return draft('job.retrying', {
        status: 'delayed',
        error,
        runAt: notice.delayUntil ? iso(notice.delayUntil) : null,
      });
    case 'waiting':
      return draft('job.retrying', { status: 'queued', error, runAt: null });
  }
}

/** BullMQ keeps a return value as JSON; anything unreadable is kept as the text it is. */
function parseReturnValue(text: string | null | undefined): unknown {
  if (text === null || text === undefined || text === '') return null;
  try {
    return JSON.parse(text) ?? null;
  } catch {
    return text;
  }
}
