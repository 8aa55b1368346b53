import { NOTE_EVENT_TYPES, PROGRESS_EVENT_TYPES, type StreamEvent } from './events';
import { isFinalStatus, type Job } from './job';

/**
 * How one stream event changes one job: the rules every holder of a job applies (a view's rows, a
 * job's page, the embed), the same the server applies when it decides what an event carries.
 * Pure functions; a job that an event does not change comes back as the same object.
 */

/** What an event's `job` (or a job snapshot) holds: at least its id and status. */
type PartialJob = Partial<Job> & Pick<Job, 'id' | 'status'>;

/**
 * Whether a job (an event's, or a stored snapshot) is the whole job as REST shows it, or only the
 * fields that changed (its snapshot had expired): whole jobs have their type and creation time.
 * The server's rule (event stream, job reader): `snapshot.type && snapshot.createdAt`.
 */
export function isWholeJob(job: Partial<Job> | null | undefined): job is Job {
  return (
    job !== undefined &&
    job !== null &&
    typeof job.type === 'string' &&
    job.type !== '' &&
    typeof job.createdAt === 'string' &&
    job.createdAt !== ''
  );
}

/** The id of the job an event is about, if it is about one. */
export function jobIdOfEvent(event: Pick<StreamEvent, 'job' | 'jobId'>): string | undefined {
  return event.job?.id ?? event.jobId;
}

/**
 * What an event does to a job its holder knows (`known`) or does not (`undefined`):
 * - `same`: nothing the holder has to change (or nothing it can learn: an event of no job, a
 *   comment, a type it does not know, a late progress event of a job already finished);
 * - `changed`: the job after the event;
 * - `unknown`: the event is about a job the holder does not know and does not describe whole
 *   (a claim, or a change after the job's snapshot expired): only a read tells what the job is.
 */
export type JobEventOutcome = { kind: 'same' } | { kind: 'changed'; job: Job } | { kind: 'unknown'; id: string };

const SAME: JobEventOutcome = { kind: 'same' };

/**
 * The job after one event. A claim or a release sets `claimedBy`. A whole job replaces what was
 * known (merged over it); a partial one is merged into the known job. Progress and log events of a
 * job already in a final state are older than what is held (for one job, anything after a final
 * event begins with a state change, a retry's `job.queued`; a REST read can be ahead of the stream)
 * and change nothing. Other notes (comments) carry the job as it was, and change nothing either.
 */
export function reduceJobEvent(known: Job | undefined, event: StreamEvent): JobEventOutcome {
  const id = jobIdOfEvent(event);
  if (!id || (known && known.id !== id)) return SAME;
  if (event.type === 'job.claimed' || event.type === 'job.released') {
    if (!known) return { kind: 'unknown', id };
    const claimedBy = event.type === 'job.released' ? null : (event.claimedBy ?? null);
    if (known.claimedBy?.id === claimedBy?.id && known.claimedBy?.at === claimedBy?.at) return SAME;
    return { kind: 'changed', job: { ...known, claimedBy } };
  }
  const incoming: PartialJob | undefined = event.job;
  if (!incoming || NOTE_EVENT_TYPES.includes(event.type)) return SAME;
  if (known && isFinalStatus(known.status) && PROGRESS_EVENT_TYPES.includes(event.type)) return SAME;
  if (!known) return isWholeJob(incoming) ? { kind: 'changed', job: incoming } : { kind: 'unknown', id };
  const merged: Job = { ...known, ...(incoming as Partial<Job>) };
  return sameJob(known, merged) ? SAME : { kind: 'changed', job: merged };
}

/** The job after an event, or the same job when the event changes nothing of it. */
export function jobAfterEvent(job: Job, event: StreamEvent): Job {
  const outcome = reduceJobEvent(job, event);
  return outcome.kind === 'changed' ? outcome.job : job;
}

function sameJob(a: Job, b: Job): boolean {
  for (const key of Object.keys(b) as (keyof Job)[]) if (a[key] !== b[key]) return false;
  return true;
}
