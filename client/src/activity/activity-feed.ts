import { COLLABORATION_LIMITS, type StreamEvent } from '@flightdeck/contract';
import type { ActivityApi, JobsApi } from '../api/api-client';
import type { ConnectionState, StreamListener } from '../realtime/realtime-client';
import {
  itemOfEvent,
  matchesFilter,
  mergeItems,
  queryOfFilter,
  type ActivityFilter,
  type ActivityItem,
} from './activity-list';

/** What the feed needs of the realtime client: its events, whether it is live, and the jobs it knows (for their types). */
export interface ActivityStream {
  listen(listener: StreamListener): () => void;
  subscribe(
    listener: (snapshot: { connection: ConnectionState; jobs?: ReadonlyMap<string, { type: string }> }) => void,
  ): () => void;
}

/** What the feed calls: the workspace's activity, and (optionally) a job, to name its type. */
export type ActivityFeedApi = ActivityApi & Partial<Pick<JobsApi, 'getJob'>>;

export interface ActivityFeedState {
  /** The entries shown, newest first. */
  items: readonly ActivityItem[];
  /** `loading`: the first page for the filter is on its way; `error`: it failed (`error` says why). */
  phase: 'loading' | 'ready' | 'error';
  error: string | null;
  /** Where the next (older) page starts; null when everything is shown. */
  nextCursor: string | null;
  loadingMore: boolean;
  moreError: string | null;
  /** Live entries pushed the oldest out (past the most kept): paging on from here would skip entries. */
  capped: boolean;
  /** The newest entry that arrived live since the last load, for an announcement. */
  latestLive: ActivityItem | null;
}

export interface ActivityFeedOptions {
  /** Entries per page (the API's default when omitted). */
  pageSize?: number;
  /** Most entries kept; the oldest are dropped beyond it. */
  maxItems?: number;
  onState(state: ActivityFeedState): void;
}

const INITIAL: ActivityFeedState = {
  items: [],
  phase: 'loading',
  error: null,
  nextCursor: null,
  loadingMore: false,
  moreError: null,
  capped: false,
  latestLive: null,
};

const DEFAULT_MAX_ITEMS = 500;

/**
 * The workspace's activity as a feed: the newest page of `GET /v1/activity` for the filter, older
 * pages on demand, and what happens from then on added live from the realtime stream — each entry
 * once, as events carry the ids REST lists (see {@link itemOfEvent}).
 *
 * As in the jobs feed, events that arrive while the first page loads are added over it afterwards; a
 * page read before the stream was live, or before a gap the stream could not replay, is read again
 * (keeping the entries seen live meanwhile that the page is too old to hold).
 */
export class ActivityFeed {
  private current: ActivityFeedState = INITIAL;
  private filter: ActivityFilter | null = null;
  private generation = 0;
  /** Events that came during the first page's load (null when none is loading). */
  private pending: StreamEvent[] | null = null;
  private live = false;
  private cold = true;
  private jobs: ReadonlyMap<string, { type: string }> = new Map();
  /** Job types learned from pages and look-ups, for live entries whose event does not say it. */
  private readonly types = new Map<string, string>();
  private readonly fetching = new Set<string>();
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly api: ActivityFeedApi,
    private readonly options: ActivityFeedOptions,
  ) {}

  get state(): ActivityFeedState {
    return this.current;
  }

  /** Follows the stream's events; returns the function that stops following. */
  connect(stream: ActivityStream): () => void {
    const stopEvents = stream.listen({
      event: (event) => this.onEvent(event),
      reloaded: () => void this.reload('stream'),
    });
    const stopState = stream.subscribe(({ connection, jobs }) => {
      if (jobs) this.jobs = jobs;
      const live = connection === 'live';
      const becameLive = live && !this.live;
      this.live = live;
      if (becameLive && this.cold && this.filter !== null) void this.reload('stream');
    });
    const stop = () => {
      stopEvents();
      stopState();
    };
    this.stops.push(stop);
    return stop;
  }

  /** Shows the entries of another filter (the same filter changes nothing). */
  setFilter(filter: ActivityFilter): void {
    if (this.filter && this.filter.actor === filter.actor && this.filter.action === filter.action) return;
    this.filter = filter;
    void this.reload('filter');
  }

  /** Reads the first page again (after an error, say). */
  retry(): void {
    void this.reload('filter');
  }

  /** Reads the next, older, page, if there is one. */
  async loadMore(): Promise<void> {
    const state = this.current;
    const cursor = state.nextCursor;
    if (!cursor || !this.filter || state.loadingMore || state.phase !== 'ready' || state.capped) return;
    const generation = this.generation;
    this.setState({ loadingMore: true, moreError: null });
    let page;
    try {
      page = await this.api.listActivity({ ...queryOfFilter(this.filter), limit: this.pageSize, cursor });
    } catch (error) {
      if (generation === this.generation) this.setState({ loadingMore: false, moreError: messageOf(error) });
      return;
    }
    if (generation !== this.generation) return;
    this.learnTypes(page.items);
    this.setState({
      items: mergeItems(this.current.items, page.items, { replace: true }),
      nextCursor: page.nextCursor,
      loadingMore: false,
    });
  }

  /** Stops following the stream; answers still on their way are dropped. */
  dispose(): void {
    this.generation++;
    for (const stop of this.stops.splice(0)) stop();
  }

  private get pageSize(): number {
    return this.options.pageSize ?? COLLABORATION_LIMITS.defaultActivityListLimit;
  }

  private async reload(reason: 'filter' | 'stream'): Promise<void> {
    const filter = this.filter;
    if (filter === null) return;
    const generation = ++this.generation;
    this.cold = !this.live;
    this.pending = [];
    // A reload for the stream's sake keeps as many entries as the person had loaded (up to the API's limit).
    const limit =
      reason === 'stream'
        ? Math.min(Math.max(this.current.items.length, this.pageSize), COLLABORATION_LIMITS.maxActivityListLimit)
        : this.pageSize;
    const before = reason === 'stream' ? this.current.items : [];
    if (reason === 'filter')
      this.setState({
        items: [],
        phase: 'loading',
        error: null,
        loadingMore: false,
        moreError: null,
        capped: false,
        latestLive: null,
      });
    let page;
    try {
      page = await this.api.listActivity({ ...queryOfFilter(filter), limit });
    } catch (error) {
      if (generation !== this.generation) return;
      this.pending = null;
      this.setState({ phase: 'error', error: messageOf(error), loadingMore: false });
      return;
    }
    if (generation !== this.generation) return;
    this.learnTypes(page.items);
    // Entries seen before the reload stay when the page reaches back to them (a page read a moment
    // too early may lack an action whose event came first); older ones are the next pages' to show.
    const oldest = page.items.at(-1)?.at;
    const kept = before.filter((item) => page.nextCursor === null || (oldest !== undefined && item.at >= oldest));
    let items = mergeItems(kept, page.items, { replace: true });
    const arrived = (this.pending ?? []).flatMap((event) => this.itemsOf(event, filter));
    this.pending = null;
    items = mergeItems(items, arrived);
    this.setState({
      items,
      phase: 'ready',
      error: null,
      nextCursor: page.nextCursor,
      loadingMore: false,
      moreError: null,
      capped: false,
    });
  }

  private onEvent(event: StreamEvent): void {
    const filter = this.filter;
    if (filter === null) return;
    if (this.pending) {
      this.pending.push(event);
      return;
    }
    const [item] = this.itemsOf(event, filter);
    if (!item || this.current.items.some((known) => known.id === item.id)) return;
    const merged = mergeItems(this.current.items, [item]);
    const max = this.options.maxItems ?? DEFAULT_MAX_ITEMS;
    const capped = merged.length > max;
    this.setState({
      items: capped ? merged.slice(0, max) : merged,
      latestLive: item,
      ...(capped ? { capped: true } : {}),
    });
  }

  /** The entry an event adds to this filter's feed (none or one). */
  private itemsOf(event: StreamEvent, filter: ActivityFilter): ActivityItem[] {
    const jobId = event.jobId ?? event.job?.id;
    const known = jobId ? (this.types.get(jobId) ?? this.jobs.get(jobId)?.type ?? null) : null;
    const item = itemOfEvent(event, known);
    if (!item || !matchesFilter(item, filter)) return [];
    if (item.jobType) this.types.set(item.jobId, item.jobType);
    else this.fetchType(item.jobId);
    return [item];
  }

  private learnTypes(items: readonly ActivityItem[]): void {
    for (const item of items) if (item.jobType) this.types.set(item.jobId, item.jobType);
  }

  /** Reads a job whose type no event or page said, and names it on its entries. */
  private fetchType(jobId: string): void {
    if (!this.api.getJob || this.fetching.has(jobId)) return;
    this.fetching.add(jobId);
    const generation = this.generation;
    this.api
      .getJob(jobId)
      .then(
        (job) => {
          this.types.set(jobId, job.type);
          if (generation !== this.generation) return;
          const items = this.current.items.map((item) =>
            item.jobId === jobId && item.jobType === null ? { ...item, jobType: job.type } : item,
          );
          this.setState({ items });
        },
        () => undefined, // gone or unreadable: the entry names the job by its id
      )
      .finally(() => this.fetching.delete(jobId));
  }

  private setState(change: Partial<ActivityFeedState>): void {
    this.current = { ...this.current, ...change };
    this.options.onState(this.current);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
