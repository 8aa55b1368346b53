import type { Actor } from './account-schemas';
import type { PersonActivityAction } from './collaboration-schemas';
import type { Claim, Job } from './job';

/** Event types in a workspace's stream. More may be added; clients ignore types they do not know. */
export const JOB_EVENT_TYPES = [
  'job.queued',
  'job.delayed',
  'job.active',
  'job.progress',
  'job.log',
  'job.retrying',
  'job.completed',
  'job.failed',
  'job.cancelled',
  'job.claimed',
  'job.released',
  'comment.created',
] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

/** Event types that end a job: never coalesced, always carry the final job. */
export const FINAL_EVENT_TYPES: readonly JobEventType[] = ['job.completed', 'job.failed', 'job.cancelled'];

/** Event types that report a running job's progress or output and never change its state. */
export const PROGRESS_EVENT_TYPES: readonly JobEventType[] = ['job.progress', 'job.log'];

/** Event types of what people did about a job (claims, comments): the job they carry is as it was, not news. */
export const NOTE_EVENT_TYPES: readonly JobEventType[] = ['job.claimed', 'job.released', 'comment.created'];

export interface StreamEvent {
  /** Strictly growing within a workspace. */
  seq: number;
  type: JobEventType;
  jobId?: string;
  /**
   * The job as REST shows it, after the change; only the fields that changed when its Redis snapshot
   * has expired. Notes (claims, comments) carry it while the snapshot is there.
   */
  job?: Partial<Job> & Pick<Job, 'id' | 'status'>;
  /** Log lines, for `job.log`. */
  lines?: string[];
  /** Who did it, for actions people (or API keys) take: cancel, retry, promote, claim, release, comment. */
  actor?: Actor;
  /** The claim after `job.claimed`; null after `job.released`. */
  claimedBy?: Claim | null;
  /** The new comment, for `comment.created`. */
  comment?: Comment;
  /**
   * For an action a person (or key) took: the entry it adds to the job's activity. Its `id` is the
   * entry's `id` in `GET /v1/activity`, so an action seen live is known again when a page lists it.
   */
  activity?: ActivityRef;
  /** Why a job changed state when nobody asked and its type does not say: see {@link JobChangeReason}. */
  reason?: JobChangeReason;
  at: string;
}

/**
 * `shutdown`: on a `job.queued` after `job.active`, the job's worker stopped before the job ended and
 * handed it back to its queue, its attempt not counted; another worker runs it.
 */
export type JobChangeReason = 'shutdown';

/** An entry of a job's activity, named in the event of the action it records. */
export interface ActivityRef {
  id: string;
  action: PersonActivityAction;
}

/** A comment on a job. */
export interface Comment {
  id: string;
  jobId: string;
  body: string;
  author: Actor;
  createdAt: string;
}
