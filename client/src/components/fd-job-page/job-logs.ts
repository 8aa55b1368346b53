import type { JobLogLine, StreamEvent } from '@flightdeck/contract';
import type { Page } from '../../api/api-client';

/**
 * A job's log as its page shows it: the lines read from REST (oldest first, `cursor` reads on when
 * there are more) and the lines that arrived live in `job.log` events. Each line carries the `seq`
 * of the event that brought it, so live lines the REST pages already hold are not shown twice, and
 * while REST has more to read the live lines wait after a gap the reader can fill ("Load more").
 */
export interface LogState {
  /** Read from REST, oldest first, with nothing missing in between. */
  loaded: readonly JobLogLine[];
  /** Where REST reads on; null when `loaded` reached the end of what REST had. */
  cursor: string | null;
  /** Arrived live, in order. */
  live: readonly JobLogLine[];
}

/** How many live lines a page keeps (the oldest go first). */
export const MAX_LIVE_LINES = 5_000;

export const emptyLog = (): LogState => ({ loaded: [], cursor: null, live: [] });

/** After reading the first page, or the next one (`append`). */
export function logPageLoaded(state: LogState, page: Page<JobLogLine>, append: boolean): LogState {
  return { loaded: append ? [...state.loaded, ...page.items] : page.items, cursor: page.nextCursor, live: state.live };
}

/** After an event: a `job.log` of this job adds its lines. */
export function logAfterEvent(state: LogState, event: StreamEvent, jobId: string): LogState {
  if (event.type !== 'job.log' || event.jobId !== jobId || !event.lines?.length) return state;
  const lines = event.lines.map((line) => ({ seq: event.seq, line, at: event.at }));
  const live = [...state.live, ...lines];
  return { ...state, live: live.length > MAX_LIVE_LINES ? live.slice(-MAX_LIVE_LINES) : live };
}

export interface VisibleLog {
  /** The lines to show before the gap (all of them when there is none). */
  lines: readonly JobLogLine[];
  /** Whether REST has lines between `lines` and `after` that are not read yet. */
  gap: boolean;
  /** Live lines after the gap. */
  after: readonly JobLogLine[];
}

/** What to show: the REST lines, then the live ones that are newer (after a gap while REST has more). */
export function visibleLog(state: LogState): VisibleLog {
  const lastSeq = state.loaded.at(-1)?.seq ?? 0;
  const newer = state.live.filter((line) => line.seq > lastSeq);
  if (state.cursor !== null) return { lines: state.loaded, gap: true, after: newer };
  return { lines: newer.length === 0 ? state.loaded : [...state.loaded, ...newer], gap: false, after: [] };
}

/** How many lines the log shows in all. */
export function lineCount(view: VisibleLog): number {
  return view.lines.length + view.after.length;
}
