import type { Job } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { can, type WorkspaceAccess } from '../../accounts/workspace-access';
import type { BulkJobsApi, JobsApi, MembersApi, SavedViewsApi } from '../../api/api-client';
import { LiveFeedController } from '../../controllers/live-feed-controller';
import type { FdFiltersChangeEvent } from '../../events/fd-filters-change';
import type { FdSelectionChangeEvent } from '../../events/fd-selection-change';
import { toastEvent } from '../../events/fd-toast';
import type { LiveStream } from '../../feeds/live-paged-feed';
import {
  emptyMessage,
  filtersFromSearch,
  isFiltered,
  queryFromFilters,
  searchFromFilters,
  type ViewFilters,
} from '../../jobs-view/job-filters';
import { JobsFeed, type FeedEvent, type JobsFeedState } from '../../jobs-view/jobs-feed';
import { keepVisible } from '../../jobs-view/job-selection';
import { actionTexts, personActionOf, type PersonAction } from '../../jobs-view/people-actions';
import { controlStyles } from '../../styles/controls.styles';
import { themeStyles } from '../../styles/theme.styles';
import '../fd-bulk-bar/fd-bulk-bar.component';
import type { FdJobsFilters, FilterMember } from '../fd-jobs-filters/fd-jobs-filters.component';
import '../fd-jobs-filters/fd-jobs-filters.component';
import '../fd-jobs-table/fd-jobs-table.component';
import type { AvatarPerson } from '../fd-presence-avatars/fd-presence-avatars.component';
import { renderFeedFooter, renderReloadFailed } from '../feed-parts/feed-parts';
import { feedPartsStyles } from '../feed-parts/feed-parts.styles';
import styles from './fd-jobs-view.styles';

/** What the jobs view calls: the jobs, saved views, bulk actions, and the members (for "claimed by"). */
export type JobsViewApi = Pick<JobsApi, 'listJobs' | 'getJob'> &
  SavedViewsApi &
  BulkJobsApi &
  Partial<Pick<MembersApi, 'listMembers'>>;

/** How long actions by others are gathered into one toast (a bulk retry of 40 jobs is one toast). */
const ACTION_TOAST_GATHER_MS = 400;
/** Most job types and queues remembered for the filters' suggestions. */
const MAX_SUGGESTIONS = 50;

const NO_VIEWERS: ReadonlyMap<string, readonly AvatarPerson[]> = new Map();

/**
 * A workspace's jobs, the control room's main view: the filters bar (in the address, so a view is a
 * link), the live table of the jobs that match (loaded page by page from the server, kept current
 * by the realtime stream: jobs that stop matching leave, new matching ones appear), multi-select
 * with bulk retry and cancel, who claimed each job and who is looking at it, and toasts when
 * someone else acts on a job in view.
 *
 * @event fd-toast - News of others' actions on jobs in view, and the views' and bulk actions' own.
 */
@customElement('fd-jobs-view')
export class FdJobsView extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, feedPartsStyles, styles];

  @property({ attribute: false }) api: JobsViewApi | undefined;
  /** The realtime client of the workspace (its events and connection). */
  @property({ attribute: false }) realtime: LiveStream | undefined;
  /** What the person may do; null when unknown (everything shows, the server decides). */
  @property({ attribute: false }) access: WorkspaceAccess | null = null;
  /** The workspace's slug, for links to job pages. */
  @property() workspace = '';
  /** The signed-in person's id ("claimed by me"); null for an API key. */
  @property({ attribute: false }) userId: string | null = null;
  /** Who acts, as events name them (the person, or the API key): their own actions make no toasts. */
  @property({ attribute: false }) actorId: string | null = null;
  /** The address's query: the filters. */
  @property() search = '';
  /** Who else has each job open. */
  @property({ attribute: false }) viewers: ReadonlyMap<string, readonly AvatarPerson[]> = NO_VIEWERS;
  /** Why the live connection is down, if it is (shown above the table). */
  @property() problem = '';

  @state() private filters: ViewFilters = {};
  @state() private feedState: JobsFeedState | undefined;
  @state() private selected: ReadonlySet<string> = new Set();
  @state() private members: readonly FilterMember[] = [];

  @query('fd-jobs-filters') private filtersBar?: FdJobsFilters;

  private readonly live = new LiveFeedController<JobsFeed, LiveStream>(this, () => this.realtime);
  private readonly types = new Set<string>();
  private readonly queues = new Set<string>();
  private gathered: PersonAction[] = [];
  private gatherTimer: ReturnType<typeof setTimeout> | undefined;
  private membersFor: unknown;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.api && !this.live.feed) this.requestUpdate('api');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.gatherTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('search')) {
      const filters = filtersFromSearch(this.search);
      if (searchFromFilters(filters) !== searchFromFilters(this.filters)) this.filters = filters;
    }
    if (changed.has('api') || (!this.live.feed && this.api)) this.startFeed();
    else if (changed.has('realtime')) this.live.follow();
    if (this.live.feed && (changed.has('search') || changed.has('userId') || changed.has('api'))) this.showFilters();
    if (changed.has('api') || changed.has('access')) void this.loadMembers();
  }

  private startFeed(): void {
    this.feedState = undefined;
    const api = this.api;
    const feed = this.live.replace(() =>
      api
        ? new JobsFeed(api, {
            onState: (state) => this.onFeedState(state),
            onEvent: (change) => this.onFeedEvent(change),
          })
        : undefined,
    );
    if (feed) this.showFilters();
  }

  private showFilters(): void {
    const filters = this.filters;
    const me = this.userId;
    this.live.feed?.setQuery(`${searchFromFilters(filters)} ${me ?? ''}`, () =>
      queryFromFilters(filters, { me, now: Date.now() }),
    );
  }

  private onFeedState(state: JobsFeedState): void {
    this.feedState = state;
    for (const job of state.items) {
      if (this.types.size < MAX_SUGGESTIONS) this.types.add(job.type);
      if (this.queues.size < MAX_SUGGESTIONS) this.queues.add(job.queue);
    }
    const kept = keepVisible(
      { ids: this.selected, anchor: null },
      state.items.map((job) => job.id),
    );
    if (kept.ids !== this.selected) this.selected = kept.ids;
  }

  /** Gathers what others do to jobs in view for a moment, then says it in as few toasts as it can. */
  private onFeedEvent({ event, before, after }: FeedEvent): void {
    const action = personActionOf(event, before, after, this.actorId);
    if (!action) return;
    this.gathered.push(action);
    this.gatherTimer ??= setTimeout(() => {
      this.gatherTimer = undefined;
      const actions = this.gathered.splice(0);
      for (const message of actionTexts(actions)) this.dispatchEvent(toastEvent({ message, tone: 'info' }));
    }, ACTION_TOAST_GATHER_MS);
  }

  private async loadMembers(): Promise<void> {
    const api = this.api;
    if (!api?.listMembers || (this.access && !can(this.access, 'members:read'))) {
      this.members = [];
      return;
    }
    if (this.membersFor === api) return;
    this.membersFor = api;
    try {
      const members = await api.listMembers();
      if (this.api === api) this.members = members.map((member) => ({ id: member.userId, name: member.name }));
    } catch {
      // Members are only a convenience of the "claimed by" filter: me and nobody still work.
    }
  }

  private get canAct(): boolean {
    return this.access === null || can(this.access, 'jobs:write');
  }

  override render() {
    const state = this.feedState;
    const rows = state?.items ?? [];
    const selectedJobs = this.canAct ? rows.filter((job) => this.selected.has(job.id)) : [];
    return html`
      <section
        class="jobs ${selectedJobs.length > 0 ? 'jobs--selecting' : ''}"
        aria-labelledby="jobs-heading"
        @fd-selection-change=${this.onSelectionChange}
      >
        <div class="jobs__header">
          <h2 id="jobs-heading">Jobs</h2>
          <span class="jobs__count">${this.countText(state)}</span>
        </div>
        ${this.problem ? html`<p class="notice">${this.problem} Trying again…</p>` : nothing}
        <fd-jobs-filters
          .search=${this.search}
          .me=${this.userId}
          .members=${this.members}
          .types=${[...this.types].sort()}
          .queues=${[...this.queues].sort()}
          .api=${this.api}
          .actorId=${this.actorId}
          ?can-save=${this.access === null || can(this.access, 'jobs:collaborate')}
          ?can-delete-any=${this.access !== null && can(this.access, 'claims:override')}
          @fd-filters-change=${this.onFiltersChange}
        ></fd-jobs-filters>
        ${
          this.canAct
            ? html`<fd-bulk-bar
                .jobs=${selectedJobs}
                .api=${this.api}
                .statusOf=${this.statusOf}
                @fd-bulk-done=${() => (this.selected = new Set())}
              ></fd-bulk-bar>`
            : nothing
        }
        ${renderReloadFailed(state, 'The jobs', () => this.live.feed?.retry())}
        <fd-jobs-table
          .jobs=${rows}
          ?loading=${!state || state.phase === 'loading'}
          ?busy=${state?.phase === 'loading' && rows.length > 0}
          workspace=${this.workspace}
          ?selectable=${this.canAct}
          .selected=${this.selected}
          .viewers=${this.viewers}
        >
          ${rows.length === 0 ? this.renderEmpty(state) : nothing}
        </fd-jobs-table>
        ${this.renderMore(state)}
      </section>
    `;
  }

  /** The table's empty state, for what is (not) shown: loading, failed, or nothing matches the filters. */
  private renderEmpty(state: JobsFeedState | undefined) {
    if (!state || state.phase === 'loading') return html`<p slot="empty" class="empty__title">Loading jobs…</p>`;
    if (state.phase === 'error')
      return html`<div slot="empty" class="empty" role="alert">
        <p class="empty__title">The jobs could not be loaded</p>
        <p class="empty__hint">${state.error}</p>
        <button class="button" type="button" @click=${() => this.live.feed?.retry()}>Try again</button>
      </div>`;
    if (!isFiltered(this.filters)) return nothing;
    const nameOf = (id: string) => this.members.find((member) => member.id === id)?.name;
    return html`<div slot="empty" class="empty">
      <p class="empty__title">${emptyMessage(this.filters, { nameOf })}</p>
      <p class="empty__hint">Matching jobs appear here the moment they do.</p>
      <button class="button" type="button" @click=${() => this.filtersBar?.clear()}>Clear filters</button>
    </div>`;
  }

  private renderMore(state: JobsFeedState | undefined) {
    const count = state?.items.length ?? 0;
    const texts = {
      capped: `Showing the newest ${count} jobs. Narrow the filters to find older ones.`,
      end: count === 1 ? 'The only matching job.' : `All ${count} matching jobs shown.`,
      moreFailed: 'More jobs could not be loaded.',
    };
    return renderFeedFooter(state, texts, () => this.live.feed?.loadMore());
  }

  private countText(state: JobsFeedState | undefined): string {
    if (!state || (state.phase === 'loading' && state.items.length === 0)) return '';
    const count = state.items.length;
    const jobs = `${count} ${count === 1 ? 'job' : 'jobs'}`;
    return state.nextCursor && !state.capped ? `${jobs} shown, more to load` : jobs;
  }

  private readonly statusOf = (id: string) => this.live.feed?.job(id)?.status;

  private onFiltersChange(event: FdFiltersChangeEvent): void {
    this.filters = event.detail.filters;
    this.search = searchFromFilters(this.filters);
    this.showFilters();
  }

  private onSelectionChange(event: FdSelectionChangeEvent): void {
    const visible = new Set((this.feedState?.items ?? []).map((job: Job) => job.id));
    this.selected = new Set([...event.detail.ids].filter((id) => visible.has(id)));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-jobs-view': FdJobsView;
  }
}
