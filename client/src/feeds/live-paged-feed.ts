import type { StreamEvent } from '@flightdeck/contract';
import type { Page } from '../api/api-client';
import type { ConnectionState, StreamListener } from '../realtime/realtime-client';

/** What a live feed needs of the realtime client: its events, and snapshots that say whether it is live. */
export interface LiveStream<Snapshot extends { connection: ConnectionState } = { connection: ConnectionState }> {
  listen(listener: StreamListener): () => void;
  subscribe(listener: (snapshot: Snapshot) => void): () => void;
}

export interface LivePagedFeedState<Item> {
  /** The items shown, newest first. */
  items: readonly Item[];
  /** `loading`: the first page for a new query is on its way; `error`: it failed (`error` says why). */
  phase: 'loading' | 'ready' | 'error';
  error: string | null;
  /** Where the next (older) page starts; null when everything is shown. */
  nextCursor: string | null;
  loadingMore: boolean;
  /** Why the last "load more" failed. */
  moreError: string | null;
  /** Live arrivals pushed the oldest items out (past the most kept): paging on from here would skip items. */
  capped: boolean;
}

/** A feed before its first page: loading, nothing shown. */
export const NOTHING_LOADED: LivePagedFeedState<never> = {
  items: [],
  phase: 'loading',
  error: null,
  nextCursor: null,
  loadingMore: false,
  moreError: null,
  capped: false,
};

export interface LivePagedFeedLimits {
  /** Items per page. */
  pageSize: number;
  /** The most items the API lists in one page: a reload that keeps what was loaded reads no more. */
  maxPageSize: number;
  /** The most items kept; live arrivals beyond it push the oldest out. */
  maxItems: number;
}

export interface LivePagedFeedConfig<State> {
  initial: State;
  limits: LivePagedFeedLimits;
  /** What a new query clears at once, besides the phase and errors (whatever it leaves shows until the page is in). */
  clearedByQuery: Partial<State>;
  onState(state: State): void;
}

/** What a feed asks its API for: `limit` items, from `cursor` on when there is one. */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

/**
 * A REST list kept live by the realtime stream: the first page for a query, older pages on demand,
 * and the stream's events applied to what is shown. Subclasses say how to read a page and how pages
 * and events change their items; this holds when to read and which answers still count.
 *
 * Events that arrive while the first page loads are kept and applied over it once it is in, so a page
 * read a moment before a change cannot undo the change; events that arrive during "load more" are
 * applied at once and handed to the next page's merge too. A page read while the stream was not live
 * (the first paint does not wait for the socket) may have missed events from before the stream's
 * start: it is read again once the stream is live, and whenever the stream had a gap it could not
 * replay — as many items as were loaded, up to the API's most. Every read bumps a generation, so the
 * answers of reads overtaken since are dropped.
 */
export abstract class LivePagedFeed<
  Item,
  State extends LivePagedFeedState<Item>,
  Snapshot extends { connection: ConnectionState } = { connection: ConnectionState },
> {
  private current: State;
  private latestGeneration = 0;
  /** Whether a query was given (nothing is read, and events are ignored, before). */
  private queryGiven = false;
  /** Events that came during the first page's load (null when none is loading). */
  private pending: StreamEvent[] | null = null;
  /** Events that came during a "load more" (applied now, and handed to the new page's merge). */
  private duringMore: StreamEvent[] | null = null;
  private live = false;
  /** Whether the items were read while the stream was not live. */
  private cold = true;
  private readonly stops: (() => void)[] = [];

  protected constructor(private readonly config: LivePagedFeedConfig<State>) {
    this.current = config.initial;
  }

  get state(): State {
    return this.current;
  }

  /** Follows the stream's events; returns the function that stops following. */
  connect(stream: LiveStream<Snapshot>): () => void {
    const stopEvents = stream.listen({
      event: (event) => this.onEvent(event),
      // Reads the stream asks for start after its subscription: they miss nothing.
      reloaded: () => this.reload('stream', { exact: true }),
      subscribed: () => (this.cold && this.queryGiven ? this.reload('stream', { exact: true }) : undefined),
    });
    const stopState = stream.subscribe((snapshot) => {
      const live = snapshot.connection === 'live';
      const becameLive = live && !this.live;
      this.live = live;
      if (becameLive && this.cold && this.queryGiven) void this.reload('stream');
    });
    const stop = () => {
      stopEvents();
      stopState();
    };
    this.stops.push(stop);
    return stop;
  }

  /** Reads the first page again (after an error, say). */
  retry(): void {
    void this.reload('query');
  }

  /** Reads the next, older, page, if there is one. */
  async loadMore(): Promise<void> {
    const state = this.current;
    const cursor = state.nextCursor;
    if (!cursor || state.loadingMore || state.phase !== 'ready' || state.capped) return;
    const generation = this.latestGeneration;
    this.duringMore = [];
    this.update({ loadingMore: true, moreError: null });
    let page;
    try {
      page = await this.fetchPage({ limit: this.config.limits.pageSize, cursor });
    } catch (error) {
      if (generation !== this.latestGeneration) return;
      this.duringMore = null;
      this.update({ loadingMore: false, moreError: messageOf(error) });
      return;
    }
    if (generation !== this.latestGeneration) return;
    const items = this.itemsWithNextPage(page, this.duringMore ?? []);
    this.duringMore = null;
    this.update({ items, nextCursor: page.nextCursor, loadingMore: false });
  }

  /** Stops following the stream; answers still on their way are dropped. */
  dispose(): void {
    this.latestGeneration++;
    for (const stop of this.stops.splice(0)) stop();
  }

  /** Reads a page of the query (`request.cursor` absent: the first). */
  protected abstract fetchPage(request: PageRequest): Promise<Page<Item>>;

  /**
   * The items once a first page is in: `shown` are the items shown before a reload for the stream's
   * sake (none for a new query), `arrived` the events that came while the page loaded.
   */
  protected abstract itemsOfFirstPage(
    page: Page<Item>,
    context: { shown: readonly Item[]; arrived: readonly StreamEvent[] },
  ): readonly Item[];

  /** The items with the next page added; `arrived` are the events applied while it loaded. */
  protected abstract itemsWithNextPage(page: Page<Item>, arrived: readonly StreamEvent[]): readonly Item[];

  /** Applies a stream event to what is shown (see {@link showLive}). */
  protected abstract applyEvent(event: StreamEvent): void;

  /** Just before a first page is read (after the generation moved on). */
  protected beforeReload(): void {}

  /** The subclass has a new query: reads its first page. */
  protected loadNewQuery(): void {
    this.queryGiven = true;
    void this.reload('query');
  }

  /** Whether a query was given. */
  protected get hasQuery(): boolean {
    return this.queryGiven;
  }

  /** Moves on with every read: an answer to an older generation is dropped. */
  protected get generation(): number {
    return this.latestGeneration;
  }

  /** Whether a first page is on its way (its events wait to be applied over it). */
  protected get loadingFirstPage(): boolean {
    return this.pending !== null;
  }

  /** Shows items a live event changed, the newest {@link LivePagedFeedLimits.maxItems} of them (then capped). */
  protected showLive(items: readonly Item[], change: Partial<State> = {}): void {
    const max = this.config.limits.maxItems;
    const capped = items.length > max;
    this.setState({ ...change, items: capped ? items.slice(0, max) : items, ...(capped ? { capped: true } : {}) });
  }

  protected setState(change: Partial<State>): void {
    this.current = { ...this.current, ...change };
    this.config.onState(this.current);
  }

  /** {@link setState} with the fields every feed's state has (TypeScript cannot tell they are `State`'s). */
  private update(change: Partial<LivePagedFeedState<Item>>): void {
    this.setState(change as Partial<State>);
  }

  /** Reads the first page; `exact`: the read starts after the stream's subscription, so it misses nothing. */
  private async reload(reason: 'query' | 'stream', { exact = false } = {}): Promise<void> {
    if (!this.queryGiven) return;
    const generation = ++this.latestGeneration;
    this.beforeReload();
    this.cold = !exact && !this.live;
    this.pending = [];
    this.duringMore = null;
    const { pageSize, maxPageSize } = this.config.limits;
    // A reload for the stream's sake keeps as many items as the person had loaded (up to the API's most).
    const shown = reason === 'stream' ? this.current.items : [];
    const limit = reason === 'stream' ? Math.min(Math.max(shown.length, pageSize), maxPageSize) : pageSize;
    if (reason === 'query')
      this.update({
        ...this.config.clearedByQuery,
        phase: 'loading',
        error: null,
        loadingMore: false,
        moreError: null,
      });
    let page;
    try {
      page = await this.fetchPage({ limit });
    } catch (error) {
      if (generation !== this.latestGeneration) return;
      this.pending = null;
      this.update({ phase: 'error', error: messageOf(error), loadingMore: false });
      return;
    }
    if (generation !== this.latestGeneration) return;
    const items = this.itemsOfFirstPage(page, { shown, arrived: this.pending ?? [] });
    this.pending = null;
    this.update({
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
    if (!this.queryGiven) return;
    if (this.pending) {
      this.pending.push(event);
      return;
    }
    this.duringMore?.push(event);
    this.applyEvent(event);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
