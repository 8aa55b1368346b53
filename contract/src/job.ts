/** Job states as clients see them. BullMQ's internal states map onto these (see workers/src/job-state.ts). */
export const JOB_STATUSES = ['queued', 'delayed', 'active', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export function isFinalStatus(status: JobStatus): boolean {
  return FINAL_JOB_STATUSES.includes(status);
}

/** A failure as Flightdeck stores it; REST and events show `message` as `error` and `stack` as `errorStack`. */
export interface JobError {
  message: string;
  /** Where the handler threw (its first lines), when the failure came from a thrown error. */
  stack?: string;
}

/** Who holds a job ("I'm on it"), and since when. */
export interface Claim {
  id: string;
  name: string;
  at: string;
}

/** A job as the REST API returns it and as `event.job` carries it. */
export interface Job {
  id: string;
  type: string;
  queue: string;
  status: JobStatus;
  /** 0–100. */
  progress: number;
  payload: Record<string, unknown>;
  result: unknown;
  /** Why the last attempt failed: `{ message }` exactly, as the contract has it. */
  error: { message: string } | null;
  /** Where the handler threw (its first lines), when the failure came from a thrown error. */
  errorStack: string | null;
  attemptsMade: number;
  /** How many attempts the job may take in all. */
  attempts: number;
  priority: number;
  backoff: { type: 'fixed' | 'exponential'; delayMs: number } | null;
  timeoutMs: number | null;
  idempotencyKey: string | null;
  /** Where Flightdeck POSTs the job's final event (signed), if anywhere. */
  webhookUrl: string | null;
  createdAt: string;
  /** When the job is due, for delayed jobs. */
  runAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The person who claimed the job, or null. */
  claimedBy: Claim | null;
}
