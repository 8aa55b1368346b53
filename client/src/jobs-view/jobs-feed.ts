import { JOB_LIMITS, type Job, type JobFilters, type StreamEvent } from '@flightdeck/contract';
import type { JobsApi } from '../api/api-client';
import type { ConnectionState, StreamListener } from '../realtime/realtime-client';
import { MAX_ROWS, appendPage, applyEventToRows, capRows, rememberJob, type JobRows } from './jobs-list';

/** What the feed needs of the realtime client: its events, and whether it is live. */
export interface JobsStream {
  listen(listener: StreamListener): () => void;
  subscribe(listener: (snapshot: { connection: ConnectionState }) => void): () => void;
}

export interface JobsFeedState {
  /** The jobs shown, newest first. */
  rows: JobRows;
  /**
   * `loading`: the first page for new filters is on its way (rows still show the previous ones);
   * `error`: it failed (`error` says why).
   */
  phase: 'loading' | 'ready' | 'error';
  error: string | null;
  /** Where the next page starts; null when every matching job is shown. */
  nextCursor: string | null;
  loadingMore: boolean;
  /** Why the last "load more" failed. */
  moreError: string | null;
  /** Live arrivals pushed the oldest rows out (past {@link MAX_ROWS}): paging on from here would skip jobs. */
  capped: boolean;
}

/** A stream event and the job it is about as the view showed it before and after. */
export interface FeedEvent {
  event: StreamEvent;
  before: Job | undefined;
  after: Job | undefined;
}

export interface JobsFeedOptions {
  /** Jobs per page. */
  pageSize?: number;
  onState(state: JobsFeedState): void;
  /** Every stream event, after it was applied (for the toasts of what others did). */
  onEvent?(change: FeedEvent): void;
}

const INITIAL: JobsFeedState = {
  rows: [],
  phase: 'loading',
  error: null,
  nextCursor: null,
  loadingMore: false,
  moreError: null,
  capped: false,
};

/**
 * The jobs of one filtered view: the first page from `GET /v1/jobs` with the filters, more pages on
 * demand (the cursor: never everything), and the realtime stream's events applied to what is shown
 * (see {@link applyEventToRows}).
 *
 * Events that arrive while a page loads are kept and applied over it once it is in, so a page read
 * a moment before a change cannot undo the change. A page loaded before the stream was live (the
 * first paint does not wait for the socket) may have missed events from before the stream's start:
 * it is read again once the stream is live, and whenever the stream had a gap it could not replay.
 */
export class JobsFeed {
  private current: JobsFeedState = INITIAL;
  private key: string | null = null;
  private build: () => JobFilters = () => ({});
  private query: JobFilters = {};
  private generation = 0;
  /** Events that came during the first page's load (null when none is loading). */
  private pending: StreamEvent[] | null = null;
  /** Events that came during a "load more" (applied now, and again over the new page). */
  private duringMore: StreamEvent[] | null = null;
  private live = false;
  /** Whether the rows were read while the stream was not live. */
  private cold = true;
  private readonly fetching = new Set<string>();
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly api: Pick<JobsApi, 'listJobs' | 'getJob'>,
    private readonly options: JobsFeedOptions,
  ) {}

  get state(): JobsFeedState {
    return this.current;
  }

  /** The job as shown, if it is. */
  job(id: string): Job | undefined {
    return this.current.rows.find((job) => job.id === id);
  }

  /** Follows the stream's events; returns the function that stops following. */
  connect(stream: JobsStream): () => void {
    const stopEvents = stream.listen({
      event: (event) => this.onEvent(event),
      reloaded: () => void this.reload('stream'),
    });
    const stopState = stream.subscribe(({ connection }) => {
      const live = connection === 'live';
      const becameLive = live && !this.live;
      this.live = live;
      if (becameLive && this.cold && this.key !== null) void this.reload('stream');
    });
    const stop = () => {
      stopEvents();
      stopState();
    };
    this.stops.push(stop);
    return stop;
  }

  /**
   * Shows the jobs of other filters: `key` names them (the same key changes nothing), `build` makes
   * the query (again at each reload, so "the last hour" stays the last hour).
   */
  setQuery(key: string, build: () => JobFilters): void {
    if (key === this.key) return;
    this.key = key;
    this.build = build;
    void this.reload('filters');
  }

  /** Reads the first page again (after an error, say). */
  retry(): void {
    void this.reload('filters');
  }

  /** Reads the next page, if there is one. */
  async loadMore(): Promise<void> {
    const state = this.current;
    const cursor = state.nextCursor;
    if (!cursor || state.loadingMore || state.phase !== 'ready' || state.capped) return;
    const generation = this.generation;
    this.duringMore = [];
    this.setState({ loadingMore: true, moreError: null });
    let page;
    try {
      page = await this.api.listJobs({ ...this.query, limit: this.pageSize, cursor });
    } catch (error) {
      if (generation !== this.generation) return;
      this.duringMore = null;
      this.setState({ loadingMore: false, moreError: messageOf(error) });
      return;
    }
    if (generation !== this.generation) return;
    const position = { complete: page.nextCursor === null };
    let rows = appendPage(this.current.rows, page.items);
    for (const event of this.duringMore ?? []) rows = applyEventToRows(rows, event, this.query, position).rows;
    this.duringMore = null;
    this.setState({ rows, nextCursor: page.nextCursor, loadingMore: false });
  }

  /** Stops following the stream; answers still on their way are dropped. */
  dispose(): void {
    this.generation++;
    for (const stop of this.stops.splice(0)) stop();
  }

  private get pageSize(): number {
    return this.options.pageSize ?? JOB_LIMITS.defaultListLimit;
  }

  private async reload(reason: 'filters' | 'stream'): Promise<void> {
    if (this.key === null) return;
    const generation = ++this.generation;
    this.query = this.build();
    this.cold = !this.live;
    this.pending = [];
    this.duringMore = null;
    // A reload for the stream's sake keeps the pages the person already loaded (up to the API's limit).
    const limit =
      reason === 'stream'
        ? Math.min(Math.max(this.current.rows.length, this.pageSize), JOB_LIMITS.maxListLimit)
        : this.pageSize;
    if (reason === 'filters') this.setState({ phase: 'loading', error: null, loadingMore: false, moreError: null });
    let page;
    try {
      page = await this.api.listJobs({ ...this.query, limit });
    } catch (error) {
      if (generation !== this.generation) return;
      this.pending = null;
      this.setState({ phase: 'error', error: messageOf(error), loadingMore: false });
      return;
    }
    if (generation !== this.generation) return;
    const position = { complete: page.nextCursor === null };
    let rows: JobRows = page.items;
    for (const event of this.pending ?? []) {
      const change = applyEventToRows(rows, event, this.query, position);
      rows = change.rows;
      if (change.fetch) this.fetch(change.fetch);
    }
    this.pending = null;
    this.setState({
      rows,
      phase: 'ready',
      error: null,
      nextCursor: page.nextCursor,
      loadingMore: false,
      moreError: null,
      capped: false,
    });
  }

  private onEvent(event: StreamEvent): void {
    if (this.key === null) return;
    if (this.pending) {
      this.pending.push(event);
      return;
    }
    this.duringMore?.push(event);
    const change = applyEventToRows(this.current.rows, event, this.query, {
      complete: this.current.nextCursor === null,
    });
    if (change.fetch) this.fetch(change.fetch);
    if (change.rows !== this.current.rows) {
      const { rows, dropped } = capRows(change.rows, MAX_ROWS);
      this.setState({ rows, ...(dropped ? { capped: true } : {}) });
    }
    this.options.onEvent?.({ event, before: change.before, after: change.after });
  }

  /** A job an event named without describing it, which may now match: read it, and show it if it does. */
  private fetch(id: string): void {
    if (this.fetching.has(id)) return;
    this.fetching.add(id);
    const generation = this.generation;
    this.api
      .getJob(id)
      .then(
        (job) => {
          if (generation !== this.generation || this.pending) return;
          const rows = rememberJob(this.current.rows, job, this.query, { complete: this.current.nextCursor === null });
          if (rows !== this.current.rows) this.setState({ rows });
        },
        () => undefined, // gone or unreadable: the next event about it tries again
      )
      .finally(() => this.fetching.delete(id));
  }

  private setState(change: Partial<JobsFeedState>): void {
    this.current = { ...this.current, ...change };
    this.options.onState(this.current);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
