import {
  PROGRESS_EVENT_TYPES,
  jobIdOfEvent,
  reduceJobEvent,
  type Job,
  type JobFilters,
  type StreamEvent,
} from '@flightdeck/contract';
import { matchesFilters } from './job-filters';

/**
 * The rows of a filtered jobs view, newest first: REST pages appended as they load, live events
 * applied as they come. Pure functions over immutable arrays; a change that changes nothing returns
 * the same array.
 */
export type JobRows = readonly Job[];

/** The most rows a view keeps; beyond it the oldest go (and the view says so instead of paging on). */
export const MAX_ROWS = 1_000;

export interface ListPosition {
  /** Whether every matching job older than the last row is loaded (no next page). */
  complete: boolean;
}

export interface RowsChange {
  rows: JobRows;
  /** The job as it was in the view before the event, if it was there. */
  before: Job | undefined;
  /** The job as the view shows it after, if it is there. */
  after: Job | undefined;
  /** A job the event is about that may now match but that the event cannot describe: fetch it. */
  fetch: string | null;
}

/** Newest first: by creation time, then by id (ids are ULIDs, so they sort by creation too). */
export function compareNewestFirst(a: Job, b: Job): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** The rows with a REST page added at the end; jobs already shown keep their (live, newer) state. */
export function appendPage(rows: JobRows, page: readonly Job[]): JobRows {
  if (page.length === 0) return rows;
  const shown = new Set(rows.map((job) => job.id));
  const added = page.filter((job) => !shown.has(job.id));
  return added.length === 0 ? rows : [...rows, ...added];
}

/**
 * The rows after one stream event, for a view of `query`: the event applied to the job as shown by
 * the contract's {@link reduceJobEvent} (the rules every holder of a job applies), then placed. A job
 * that matches after the event is updated in place (or joins, where its creation time puts it); one
 * that no longer matches leaves. A job that joins but is older than the last row while more pages
 * remain is left for "load more" (which will bring it), so rows stay in order with nothing skipped.
 */
export function applyEventToRows(
  rows: JobRows,
  event: StreamEvent,
  query: JobFilters,
  position: ListPosition,
): RowsChange {
  const id = jobIdOfEvent(event);
  const unchanged = (before?: Job): RowsChange => ({ rows, before, after: before, fetch: null });
  if (!id) return unchanged();
  const known = rows.find((job) => job.id === id);
  const outcome = reduceJobEvent(known, event);
  if (outcome.kind === 'same') return unchanged(known);
  if (outcome.kind === 'unknown') return { ...unchanged(), fetch: mayMatchOnceRead(event, query) ? id : null };
  return placeJob(rows, outcome.job, query, position, known);
}

/** Whether a job not shown, which an event names without describing it, could match once read. */
function mayMatchOnceRead(event: StreamEvent, query: JobFilters): boolean {
  if (event.type === 'job.claimed' || event.type === 'job.released')
    return claimWouldMatch(event.type === 'job.released' ? null : (event.claimedBy ?? null), query);
  // Progress of a job not shown: if it matched, it would be shown (or on a later page).
  if (PROGRESS_EVENT_TYPES.includes(event.type)) return false;
  return !(query.status && query.status !== event.job?.status);
}

/** The rows with a job learned outside the stream (a fetch after an event) placed as it matches. */
export function rememberJob(rows: JobRows, job: Job, query: JobFilters, position: ListPosition): JobRows {
  if (rows.some((row) => row.id === job.id)) return rows;
  return placeJob(rows, job, query, position, undefined).rows;
}

function placeJob(
  rows: JobRows,
  job: Job,
  query: JobFilters,
  position: ListPosition,
  known: Job | undefined,
): RowsChange {
  const matches = matchesFilters(job, query);
  if (known) {
    if (!matches)
      return { rows: rows.filter((row) => row.id !== job.id), before: known, after: undefined, fetch: null };
    if (sameJob(known, job)) return { rows, before: known, after: known, fetch: null };
    return { rows: rows.map((row) => (row.id === job.id ? job : row)), before: known, after: job, fetch: null };
  }
  if (!matches) return { rows, before: undefined, after: undefined, fetch: null };
  let index = 0;
  while (index < rows.length && compareNewestFirst(rows[index]!, job) < 0) index++;
  // Older than every row while more pages remain: the next page brings it, in its place.
  if (index === rows.length && !position.complete) return { rows, before: undefined, after: undefined, fetch: null };
  return { rows: [...rows.slice(0, index), job, ...rows.slice(index)], before: undefined, after: job, fetch: null };
}

/** Whether a claim change could make a job not shown match: only a view filtered by who claimed cares. */
function claimWouldMatch(claimedBy: Job['claimedBy'], query: JobFilters): boolean {
  if (!query.claimedBy) return false;
  return query.claimedBy === 'nobody' ? claimedBy === null : claimedBy?.id === query.claimedBy;
}

function sameJob(a: Job, b: Job): boolean {
  for (const key of Object.keys(b) as (keyof Job)[]) if (a[key] !== b[key]) return false;
  return true;
}
