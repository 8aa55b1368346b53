import type { Job } from './job';

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
] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

/** Event types that end a job: never coalesced, always carry the final job. */
export const FINAL_EVENT_TYPES: readonly JobEventType[] = ['job.completed', 'job.failed', 'job.cancelled'];

export interface StreamEvent {
  /** Strictly growing within a workspace. */
  seq: number;
  type: JobEventType;
  jobId?: string;
  /** The job as REST shows it, after the change (payload omitted except on `job.queued`/`job.delayed`). */
  job?: Partial<Job> & Pick<Job, 'id' | 'status'>;
  /** Log lines, for `job.log`. */
  lines?: string[];
  at: string;
}
