import { COLLABORATION_LIMITS, type ActivityFeed as ActivityPage, type StreamEvent } from '@flightdeck/contract';
import type { ActivityApi, JobsApi } from '../api/api-client';
import { LivePagedFeed, NOTHING_LOADED, type LivePagedFeedState, type PageRequest } from '../feeds/live-paged-feed';
import {
  PEOPLE,
  itemOfEvent,
  matchesFilter,
  mergeItems,
  queryOfFilter,
  type ActivityFilter,
  type ActivityItem,
} from './activity-list';

/** What the feed calls: the workspace's activity, and (optionally) a job, to name its type. */
export type ActivityFeedApi = ActivityApi & Partial<Pick<JobsApi, 'getJob'>>;

export interface ActivityFeedState extends LivePagedFeedState<ActivityItem> {
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

const DEFAULT_MAX_ITEMS = 500;

/**
 * The workspace's activity as a {@link LivePagedFeed}: the newest page of `GET /v1/activity` for the
 * filter, older pages on demand, and what happens from then on added live from the realtime stream
 * — each entry once, as events carry the ids REST lists (see {@link itemOfEvent}). A page read again
 * for the stream's sake keeps the entries seen live meanwhile that the page is too old to hold.
 */
export class ActivityFeed extends LivePagedFeed<ActivityItem, ActivityFeedState> {
  private filter: ActivityFilter = PEOPLE;
  /** Job types learned from pages, events and look-ups, for live entries whose event does not say it. */
  private readonly types = new Map<string, string>();
  private readonly fetching = new Set<string>();

  constructor(
    private readonly api: ActivityFeedApi,
    options: ActivityFeedOptions,
  ) {
    const pageSize = options.pageSize ?? COLLABORATION_LIMITS.defaultActivityListLimit;
    super({
      initial: { ...NOTHING_LOADED, latestLive: null },
      limits: {
        pageSize,
        maxPageSize: COLLABORATION_LIMITS.maxActivityListLimit,
        maxItems: options.maxItems ?? DEFAULT_MAX_ITEMS,
      },
      // Another filter's entries do not stay on screen while its page loads.
      clearedByQuery: { items: [], capped: false, latestLive: null },
      onState: (state) => options.onState(state),
    });
  }

  /** Shows the entries of another filter (the same filter changes nothing). */
  setFilter(filter: ActivityFilter): void {
    if (this.hasQuery && this.filter.actor === filter.actor && this.filter.action === filter.action) return;
    this.filter = filter;
    this.loadNewQuery();
  }

  protected override fetchPage(request: PageRequest): Promise<ActivityPage> {
    return this.api.listActivity({ ...queryOfFilter(this.filter), ...request });
  }

  protected override itemsOfFirstPage(
    page: ActivityPage,
    { shown, arrived }: { shown: readonly ActivityItem[]; arrived: readonly StreamEvent[] },
  ): ActivityItem[] {
    this.learnTypes(page.items);
    // Entries seen before the reload stay when the page reaches back to them (a page read a moment
    // too early may lack an action whose event came first); older ones are the next pages' to show.
    const oldest = page.items.at(-1)?.at;
    const kept = shown.filter((item) => page.nextCursor === null || (oldest !== undefined && item.at >= oldest));
    const items = mergeItems(kept, page.items, { replace: true });
    return mergeItems(
      items,
      arrived.flatMap((event) => this.itemsOf(event)),
    );
  }

  protected override itemsWithNextPage(page: ActivityPage): ActivityItem[] {
    this.learnTypes(page.items);
    return mergeItems(this.state.items, page.items, { replace: true });
  }

  protected override applyEvent(event: StreamEvent): void {
    const [item] = this.itemsOf(event);
    if (!item || this.state.items.some((known) => known.id === item.id)) return;
    this.showLive(mergeItems(this.state.items, [item]), { latestLive: item });
  }

  /** The entry an event adds to this filter's feed (none or one). */
  private itemsOf(event: StreamEvent): ActivityItem[] {
    const jobId = event.jobId ?? event.job?.id;
    // Every event that describes its job names its type, whether or not it makes an entry here.
    if (jobId && event.job?.type) this.types.set(jobId, event.job.type);
    const known = jobId ? (this.types.get(jobId) ?? null) : null;
    const item = itemOfEvent(event, known);
    if (!item || !matchesFilter(item, this.filter)) return [];
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
          const items = this.state.items.map((item) =>
            item.jobId === jobId && item.jobType === null ? { ...item, jobType: job.type } : item,
          );
          this.setState({ items });
        },
        () => undefined, // gone or unreadable: the entry names the job by its id
      )
      .finally(() => this.fetching.delete(jobId));
  }
}
