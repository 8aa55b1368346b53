import {
  FINAL_JOB_STATUSES,
  NOTE_EVENT_TYPES,
  PROGRESS_EVENT_TYPES,
  type Job,
  type StreamEvent,
} from '@flightdeck/contract';

/**
 * The jobs a console knows, by id, in display order (newest first). Pure functions over immutable
 * maps: every change returns a new map, an event that changes nothing returns the same one, so
 * views can compare by identity.
 */
export type JobMap = ReadonlyMap<string, Job>;

/** How many jobs a store keeps by default; the oldest beyond it are dropped. */
export const DEFAULT_MAX_JOBS = 500;

const EMPTY: JobMap = new Map();
export const emptyJobs = (): JobMap => EMPTY;

/** Newest first: by creation time, then by id (ids are ULIDs, so they sort by creation too). */
export function compareNewestFirst(a: Job, b: Job): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** A store holding exactly these jobs (a REST page, say), newest first, at most `maxJobs`. */
export function jobsFromList(items: readonly Job[], maxJobs = DEFAULT_MAX_JOBS): JobMap {
  const sorted = [...items].sort(compareNewestFirst).slice(0, maxJobs);
  return new Map(sorted.map((job) => [job.id, job]));
}

type EventJob = NonNullable<StreamEvent['job']>;

/** Events carry the whole job, unless its snapshot had expired: then only the fields that changed. */
export function isWholeJob(job: EventJob | undefined): job is Job {
  return (
    job !== undefined &&
    typeof job.type === 'string' &&
    job.type !== '' &&
    typeof job.createdAt === 'string' &&
    job.createdAt !== ''
  );
}

const isFinal = (job: Pick<Job, 'status'>) => FINAL_JOB_STATUSES.includes(job.status);

/**
 * The store after one event. A whole job replaces what was known; a partial one (a job whose
 * snapshot had expired) is merged into the known job. A partial event for a job the store does not
 * know is dropped (see {@link needsJobFetch}). So is a progress or log event for a job already in a
 * final state: for one job, anything after a final event begins with a state change (a retry's
 * `job.queued`), so such an event is older than what the store holds (a REST load can be ahead of
 * the stream). Notes (claims, comments) carry the job as it was, and change nothing here; neither do
 * events of types the console does not know, or without a job.
 */
export function applyJobEvent(jobs: JobMap, event: StreamEvent, maxJobs = DEFAULT_MAX_JOBS): JobMap {
  const incoming = event.job;
  if (!incoming || NOTE_EVENT_TYPES.includes(event.type)) return jobs;
  const known = jobs.get(incoming.id);
  if (known && isFinal(known) && PROGRESS_EVENT_TYPES.includes(event.type)) return jobs;
  if (isWholeJob(incoming)) {
    const merged = known ? { ...known, ...incoming } : incoming;
    return putJob(jobs, merged, maxJobs);
  }
  if (!known) return jobs;
  const merged: Job = { ...known, ...(incoming as Partial<Job>) };
  if (sameJob(known, merged)) return jobs;
  return putJob(jobs, merged, maxJobs);
}

/** True when the event is about a job the store cannot show: it does not know the job and the event carries only part of it. */
export function needsJobFetch(jobs: JobMap, event: StreamEvent): boolean {
  const incoming = event.job;
  return incoming !== undefined && !isWholeJob(incoming) && !jobs.has(incoming.id);
}

/**
 * Adds a job learned outside the stream (a submit's answer, a REST fetch) unless the store knows it
 * already: the stream's version is at least as new, so it wins.
 */
export function rememberJob(jobs: JobMap, job: Job, maxJobs = DEFAULT_MAX_JOBS): JobMap {
  return jobs.has(job.id) ? jobs : putJob(jobs, job, maxJobs);
}

/** The jobs newest first, as an array (for rendering). */
export function jobList(jobs: JobMap): Job[] {
  return [...jobs.values()];
}

/** Puts a job in place (an update keeps its position; a new job goes where its creation time says). */
function putJob(jobs: JobMap, job: Job, maxJobs: number): JobMap {
  if (jobs.has(job.id)) {
    const next = new Map(jobs);
    next.set(job.id, job);
    return next;
  }
  const entries = [...jobs.values()];
  // New jobs are almost always the newest: the common case is a plain prepend.
  let index = 0;
  while (index < entries.length && compareNewestFirst(entries[index]!, job) < 0) index++;
  entries.splice(index, 0, job);
  if (entries.length > maxJobs) entries.length = maxJobs;
  return new Map(entries.map((entry) => [entry.id, entry]));
}

function sameJob(a: Job, b: Job): boolean {
  for (const key of Object.keys(b) as (keyof Job)[]) if (a[key] !== b[key]) return false;
  return true;
}
