import { JOB_LIMITS, type Job, type JobFilters, type StreamEvent } from '@flightdeck/contract';
import type { JobList, JobsApi } from '../api/api-client';
import { LivePagedFeed, NOTHING_LOADED, type LivePagedFeedState, type PageRequest } from '../feeds/live-paged-feed';
import { MAX_ROWS, appendPage, applyEventToRows, rememberJob, type JobRows } from './jobs-list';

/**
 * The jobs shown (`items`, newest first, at most {@link MAX_ROWS}) and how far they are loaded. While
 * the first page for new filters loads (`phase: 'loading'`), the items still show the previous ones.
 */
export type JobsFeedState = LivePagedFeedState<Job>;

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

/**
 * The jobs of one filtered view: the first page from `GET /v1/jobs` with the filters, more pages on
 * demand (the cursor: never everything), and the realtime stream's events applied to what is shown
 * (see {@link applyEventToRows}), as a {@link LivePagedFeed}. An event about a job the view cannot
 * place without reading it (a claim in a "claimed by" view) has the job read, and shown if it matches.
 */
export class JobsFeed extends LivePagedFeed<Job, JobsFeedState> {
  private key: string | null = null;
  private build: () => JobFilters = () => ({});
  private query: JobFilters = {};
  private readonly fetching = new Set<string>();

  constructor(
    private readonly api: Pick<JobsApi, 'listJobs' | 'getJob'>,
    private readonly options: JobsFeedOptions,
  ) {
    super({
      initial: NOTHING_LOADED,
      limits: {
        pageSize: options.pageSize ?? JOB_LIMITS.defaultListLimit,
        maxPageSize: JOB_LIMITS.maxListLimit,
        maxItems: MAX_ROWS,
      },
      clearedByQuery: {},
      onState: (state) => options.onState(state),
    });
  }

  /** The job as shown, if it is. */
  job(id: string): Job | undefined {
    return this.state.items.find((job) => job.id === id);
  }

  /**
   * Shows the jobs of other filters: `key` names them (the same key changes nothing), `build` makes
   * the query (again at each reload, so "the last hour" stays the last hour).
   */
  setQuery(key: string, build: () => JobFilters): void {
    if (key === this.key) return;
    this.key = key;
    this.build = build;
    this.loadNewQuery();
  }

  protected override beforeReload(): void {
    this.query = this.build();
  }

  protected override fetchPage(request: PageRequest): Promise<JobList> {
    return this.api.listJobs({ ...this.query, ...request });
  }

  protected override itemsOfFirstPage(page: JobList, { arrived }: { arrived: readonly StreamEvent[] }): JobRows {
    const position = { complete: page.nextCursor === null };
    let rows: JobRows = page.items;
    for (const event of arrived) {
      const change = applyEventToRows(rows, event, this.query, position);
      rows = change.rows;
      if (change.fetch) this.fetch(change.fetch);
    }
    return rows;
  }

  protected override itemsWithNextPage(page: JobList, arrived: readonly StreamEvent[]): JobRows {
    const position = { complete: page.nextCursor === null };
    let rows = appendPage(this.state.items, page.items);
    for (const event of arrived) rows = applyEventToRows(rows, event, this.query, position).rows;
    return rows;
  }

  protected override applyEvent(event: StreamEvent): void {
    const rows = this.state.items;
    const change = applyEventToRows(rows, event, this.query, { complete: this.state.nextCursor === null });
    if (change.fetch) this.fetch(change.fetch);
    if (change.rows !== rows) this.showLive(change.rows);
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
          if (generation !== this.generation || this.loadingFirstPage) return;
          const rows = this.state.items;
          const shown = rememberJob(rows, job, this.query, { complete: this.state.nextCursor === null });
          if (shown !== rows) this.setState({ items: shown });
        },
        () => undefined, // gone or unreadable: the next event about it tries again
      )
      .finally(() => this.fetching.delete(id));
  }
}
