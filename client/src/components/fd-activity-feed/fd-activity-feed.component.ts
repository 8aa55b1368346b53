import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { ActivityFeed, type ActivityFeedApi, type ActivityFeedState } from '../../activity/activity-feed';
import {
  ACTION_LABELS,
  ALL_ACTIONS,
  PEOPLE,
  PEOPLE_ACTIONS,
  filterFromSearch,
  phraseOf,
  relativeTime,
  searchFromFilter,
  sentenceOf,
  type ActivityFilter,
  type ActivityItem,
  type FeedAction,
} from '../../activity/activity-list';
import { LiveFeedController } from '../../controllers/live-feed-controller';
import type { LiveStream } from '../../feeds/live-paged-feed';
import { routePath } from '../../routing/console-routes';
import { controlStyles } from '../../styles/controls.styles';
import { themeStyles } from '../../styles/theme.styles';
import { formatFullTime } from '../fd-job-page/job-page-format';
import { avatarColorOf, initialsOf } from '../fd-presence-avatars/avatar-format';
import { renderFeedFooter, renderReloadFailed } from '../feed-parts/feed-parts';
import { feedPartsStyles } from '../feed-parts/feed-parts.styles';
import styles from './fd-activity-feed.styles';

/** How often the relative times ("4 minutes ago") are written again. */
const CLOCK_MS = 15_000;

/** A job's own milestone, as the mark beside it shows it. */
const MILESTONE_MARKS: Partial<Record<FeedAction, string>> = {
  started: '▶',
  completed: '✓',
  failed: '✕',
  retrying: '↻',
};

/**
 * The workspace's activity feed: who retried, cancelled, promoted, claimed, released or commented
 * on which job — bulk actions and drains included — newest first and live, from `GET /v1/activity`
 * and the realtime stream (each entry once: events carry the ids pages list). The whole feed (the
 * page at `/w/<slug>/activity`) filters by people or everything (jobs' own attempts too) and by
 * action, kept in the address, and pages with "Load more"; `compact` is the jobs page's "Recent
 * activity" panel: the newest few entries and a link to the feed.
 *
 * ```html
 * <fd-activity-feed .api=${api} .realtime=${realtime} workspace="acme" search="?actor=all"></fd-activity-feed>
 * <fd-activity-feed compact limit="5" .api=${api} .realtime=${realtime} workspace="acme"></fd-activity-feed>
 * ```
 *
 * @attr workspace - The workspace's slug, for links to job pages and to the feed.
 * @attr search - The address's query (the full feed's filter: `actor=all`, `action=retried`).
 * @attr compact - The "Recent activity" panel: no filters, no paging.
 * @attr limit - How many entries the panel shows (5 by default).
 */
@customElement('fd-activity-feed')
export class FdActivityFeed extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, feedPartsStyles, styles];

  @property({ attribute: false }) api: ActivityFeedApi | undefined;
  /** The realtime client of the workspace (its events, its connection, the jobs it knows). */
  @property({ attribute: false }) realtime: LiveStream | undefined;
  @property() workspace = '';
  @property() search = '';
  @property({ type: Boolean, reflect: true }) compact = false;
  @property({ type: Number }) limit = 5;

  @state() private feedState: ActivityFeedState | undefined;
  @state() private filter: ActivityFilter = PEOPLE;
  @state() private now = Date.now();

  private readonly live = new LiveFeedController<ActivityFeed, LiveStream>(this, () => this.realtime);
  private clock: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.api && !this.live.feed) this.requestUpdate('api');
    this.clock = setInterval(() => (this.now = Date.now()), CLOCK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('search') || changed.has('compact'))
      this.filter = this.compact ? PEOPLE : filterFromSearch(this.search);
    if (changed.has('api') || changed.has('compact') || (!this.live.feed && this.api)) {
      this.startFeed();
      return;
    }
    if (changed.has('realtime')) this.live.follow();
    if (changed.has('search')) this.live.feed?.setFilter(this.filter);
  }

  private startFeed(): void {
    this.feedState = undefined;
    const api = this.api;
    const feed = this.live.replace(() =>
      api
        ? new ActivityFeed(api, {
            ...(this.compact ? { pageSize: this.limit, maxItems: this.limit } : {}),
            onState: (state) => (this.feedState = state),
          })
        : undefined,
    );
    feed?.setFilter(this.filter);
  }

  /** A new filter: shown at once, and kept in the address (replacing it: a filter is not a page to go back to). */
  private setFilter(filter: ActivityFilter): void {
    this.search = searchFromFilter(filter);
    const url = `${window.location.pathname}${this.search}${window.location.hash}`;
    window.history.replaceState(window.history.state, '', url);
  }

  private onActorChange(event: Event): void {
    const actor = (event.target as HTMLInputElement).value === 'all' ? 'all' : 'people';
    // An action only the other choice has (a milestone, with people) is dropped.
    const action = this.filter.action;
    const keep = action !== undefined && (actor === 'all' ? ALL_ACTIONS : PEOPLE_ACTIONS).includes(action);
    this.setFilter({ actor, ...(keep ? { action } : {}) });
  }

  private onActionChange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value as FeedAction | '';
    this.setFilter({ actor: this.filter.actor, ...(value ? { action: value } : {}) });
  }

  override render() {
    return this.compact ? this.renderPanel() : this.renderPage();
  }

  private renderPage() {
    const state = this.feedState;
    const items = state?.items ?? [];
    return html`
      <section class="feed" aria-labelledby="activity-heading">
        <div class="feed__header">
          <h2 id="activity-heading">Activity</h2>
          <span class="feed__count">${this.countText(state)}</span>
        </div>
        <p class="feed__intro">What people do to the workspace's jobs, as it happens.</p>
        ${this.renderFilters()} ${renderReloadFailed(state, 'The activity', () => this.live.feed?.retry())}
        ${items.length > 0 ? this.renderList(items, 'Activity, newest first') : this.renderEmpty(state)}
        ${this.renderMore(state)}
        <p class="visually-hidden" role="status">${state?.latestLive ? sentenceOf(state.latestLive) : ''}</p>
      </section>
    `;
  }

  private renderPanel() {
    const state = this.feedState;
    const items = (state?.items ?? []).slice(0, Math.max(1, this.limit));
    const feedPath = routePath({ page: 'activity', workspace: this.workspace });
    return html`
      <section class="feed feed--compact" aria-labelledby="recent-activity-heading">
        <div class="feed__header">
          <h2 id="recent-activity-heading">Recent activity</h2>
          <a class="feed__all" href=${feedPath}>All activity<span aria-hidden="true"> →</span></a>
        </div>
        ${items.length > 0 ? this.renderList(items, 'Recent activity, newest first') : this.renderEmpty(state)}
      </section>
    `;
  }

  private renderFilters() {
    const { actor, action } = this.filter;
    const actions = actor === 'all' ? ALL_ACTIONS : PEOPLE_ACTIONS;
    return html`
      <div class="filters">
        <div class="field">
          <span id="show-label" class="filters__label">Show</span>
          <div class="choice" role="radiogroup" aria-labelledby="show-label" @change=${this.onActorChange}>
            <label class="choice__option">
              <input type="radio" name="actor" value="people" .checked=${actor === 'people'} />
              <span>People</span>
            </label>
            <label class="choice__option">
              <input type="radio" name="actor" value="all" .checked=${actor === 'all'} />
              <span>Everything</span>
            </label>
          </div>
        </div>
        <div class="field filters__action">
          <label for="action" class="filters__label">Action</label>
          <select id="action" class="input" @change=${this.onActionChange}>
            <option value="" ?selected=${!action}>Any action</option>
            ${actions.map(
              (value) => html`<option value=${value} ?selected=${action === value}>${ACTION_LABELS[value]}</option>`,
            )}
          </select>
        </div>
      </div>
    `;
  }

  private renderList(items: readonly ActivityItem[], label: string) {
    const busy = this.feedState?.phase === 'loading';
    return html`
      <ol class="entries" aria-label=${label} aria-busy=${busy ? 'true' : 'false'}>
        ${repeat(
          items,
          (item) => item.id,
          (item) => this.renderItem(item),
        )}
      </ol>
    `;
  }

  private renderItem(item: ActivityItem) {
    const phrase = phraseOf(item);
    const jobPath = routePath({ page: 'job', workspace: this.workspace, jobId: item.jobId });
    return html`
      <li class="entry entry--${item.actor ? 'person' : 'job'}" data-activity-id=${item.id}>
        ${this.renderMark(item)}
        <p class="entry__text">
          ${phrase.actor ? html`<strong class="entry__actor">${phrase.actor}</strong> ` : nothing}${phrase.before}
          <a class="entry__job" href=${jobPath}>${phrase.job}</a>${phrase.after}
        </p>
        <time class="entry__time" datetime=${item.at} title=${formatFullTime(item.at)}
          >${relativeTime(item.at, this.now)}</time
        >
      </li>
    `;
  }

  /** A person's initials in their colour (square for an API key), or a job milestone's mark. */
  private renderMark(item: ActivityItem) {
    const actor = item.actor;
    if (!actor)
      return html`<span class="mark mark--${item.action}" aria-hidden="true"
        >${MILESTONE_MARKS[item.action as FeedAction] ?? '•'}</span
      >`;
    return html`<span
      class="mark mark--person ${actor.type === 'apiKey' ? 'mark--key' : ''}"
      style=${styleMap({ '--_mark-color': avatarColorOf(actor.id) })}
      aria-hidden="true"
      >${initialsOf(actor.name)}</span
    >`;
  }

  private renderEmpty(state: ActivityFeedState | undefined) {
    if (!state || state.phase === 'loading')
      return html`<p class="empty" role="status" aria-live="polite">Loading activity…</p>`;
    if (state.phase === 'error')
      return html`<div class="empty" role="alert">
        <p class="empty__title">The activity could not be loaded</p>
        <p class="empty__hint">${state.error}</p>
        <button class="button" type="button" @click=${() => this.live.feed?.retry()}>Try again</button>
      </div>`;
    const { actor, action } = this.filter;
    const what = action ? `No “${ACTION_LABELS[action].toLowerCase()}” activity yet` : 'No activity yet';
    const hint =
      actor === 'people'
        ? 'Retries, cancels, promotions, claims and comments show here the moment anyone makes them.'
        : 'What people do and what jobs do on their own show here as it happens.';
    return html`<div class="empty">
      <p class="empty__title">${what}</p>
      <p class="empty__hint">${hint}</p>
    </div>`;
  }

  private renderMore(state: ActivityFeedState | undefined) {
    const texts = {
      capped: `Showing the newest ${state?.items.length ?? 0} entries. Reload for older ones.`,
      end: 'That is all of it.',
      moreFailed: 'More activity could not be loaded.',
    };
    return renderFeedFooter(state, texts, () => this.live.feed?.loadMore());
  }

  private countText(state: ActivityFeedState | undefined): string {
    if (!state || state.items.length === 0) return '';
    const count = state.items.length;
    const entries = `${count} ${count === 1 ? 'entry' : 'entries'}`;
    return state.nextCursor && !state.capped ? `${entries} shown, more to load` : entries;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-activity-feed': FdActivityFeed;
  }
}
