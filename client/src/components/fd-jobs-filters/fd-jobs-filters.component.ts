import { JOB_STATUSES, type JobStatus } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { SavedViewsApi } from '../../api/api-client';
import { filtersChangeEvent } from '../../events/fd-filters-change';
import { toastEvent } from '../../events/fd-toast';
import {
  CLAIMED_BY_ME,
  CLAIMED_BY_NOBODY,
  RANGE_LABELS,
  RANGE_MS,
  RELATIVE_RANGES,
  filtersFromSearch,
  isFiltered,
  isoFromLocalInput,
  localInputFromIso,
  searchFromFilters,
  type RelativeRange,
  type ViewFilters,
} from '../../jobs-view/job-filters';
import { controlStyles } from '../../styles/controls.styles';
import { themeStyles } from '../../styles/theme.styles';
import type { FdConfirmDialog } from '../fd-confirm-dialog/fd-confirm-dialog.component';
import '../fd-confirm-dialog/fd-confirm-dialog.component';
import styles from './fd-jobs-filters.styles';
import { SavedViewsMenu } from './saved-views-menu';

/** A member the "claimed by" filter offers. */
export interface FilterMember {
  id: string;
  name: string;
}

/** How long the text search waits after the last keystroke before it searches. */
export const SEARCH_DEBOUNCE_MS = 300;

const CUSTOM = 'custom';

/**
 * The jobs view's filters bar: status, type, queue, who claimed, time range and a text search, plus
 * the workspace's saved views. The filters live in the address (`?status=failed&q=…`), so a view
 * can be shared as a link and Back goes to the previous filters: `search` is the address's query (the
 * page passes it in again after Back), and every change the person makes is written to the address
 * (a new history entry; typing in the search box replaces its own entry instead) and announced with
 * `fd-filters-change`. The text search waits for a pause in typing. The saved views menu is
 * {@link SavedViewsMenu}'s.
 *
 * @event fd-filters-change - The person changed the filters; `detail.filters`. Bubbles and composes.
 * @event fd-toast - Asks for a toast (a saved view was saved or deleted, or that failed).
 */
@customElement('fd-jobs-filters')
export class FdJobsFilters extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, styles];

  /** The address's query; the filters follow it. */
  @property() search = '';
  /** Whose "me" the "Claimed by: me" filter means; null (an API key) hides that choice. */
  @property({ attribute: false }) me: string | null = null;
  /** The workspace's members, for "Claimed by". */
  @property({ attribute: false }) members: readonly FilterMember[] = [];
  /** Job types and queues to suggest (what the view has seen). */
  @property({ attribute: false }) types: readonly string[] = [];
  @property({ attribute: false }) queues: readonly string[] = [];
  /** Where saved views are read and written; without it, no saved views menu. */
  @property({ attribute: false }) api: SavedViewsApi | undefined;
  /** Whether the person may save views (members and above). */
  @property({ type: Boolean, attribute: 'can-save' }) canSave = false;
  /** Whether the person may delete anyone's saved view (admins); everyone may delete their own. */
  @property({ type: Boolean, attribute: 'can-delete-any' }) canDeleteAny = false;
  /** Who the person is as the API names them (user or API key id), to know their own views. */
  @property({ attribute: false }) actorId: string | null = null;
  @property({ type: Number, attribute: 'debounce-ms' }) debounceMs = SEARCH_DEBOUNCE_MS;

  @state() private filters: ViewFilters = {};
  /** The search box's text (ahead of `filters.q` while the person types). */
  @state() private text = '';
  /** The time select shows "Custom" (the from/to fields) even before a time is entered. */
  @state() private customRange = false;
  /** Narrow screens show the search only, until the person asks for the other filters. */
  @state() private moreOpen = false;

  @query('fd-confirm-dialog') private confirmDialog!: FdConfirmDialog;

  private readonly viewsMenu = new SavedViewsMenu(this, {
    api: () => this.api,
    canSave: () => this.canSave,
    canDeleteAny: () => this.canDeleteAny,
    actorId: () => this.actorId,
    me: () => this.me,
    filters: () => this.filters,
    apply: (filters) => this.applyView(filters),
    toast: (request) => this.dispatchEvent(toastEvent(request)),
    confirmDialog: () => this.confirmDialog,
  });

  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the current search text already has its own history entry (typing replaces it). */
  private searchEntry = false;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  /** The filters shown now. */
  get value(): ViewFilters {
    return this.filters;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('search')) {
      const filters = filtersFromSearch(this.search);
      if (searchFromFilters(filters) !== searchFromFilters(this.filters)) {
        clearTimeout(this.searchTimer);
        this.filters = filters;
        this.text = filters.q ?? '';
        this.customRange = Boolean(filters.from || filters.to);
        this.searchEntry = false;
      }
    }
  }

  override render() {
    const filters = this.filters;
    const rangeValue = filters.range ?? (this.customRange || filters.from || filters.to ? CUSTOM : '');
    return html`
      <div class="bar">
        <form
          class="filters ${this.moreOpen ? 'filters--open' : ''}"
          role="search"
          aria-label="Filter jobs"
          @submit=${this.onSubmit}
        >
          <div class="field field--search">
            <label for="q">Search</label>
            <input
              id="q"
              class="input"
              type="search"
              name="q"
              autocomplete="off"
              spellcheck="false"
              placeholder="Job id, type or error text"
              maxlength="100"
              .value=${this.text}
              @input=${this.onSearchInput}
              @keydown=${this.onSearchKeydown}
            />
          </div>
          <button
            class="button button--quiet more-toggle"
            type="button"
            aria-expanded=${this.moreOpen ? 'true' : 'false'}
            @click=${() => (this.moreOpen = !this.moreOpen)}
          >
            ${this.moreOpen ? 'Fewer filters' : moreLabel(this.filters)}
          </button>
          <div class="field field--more">
            <label for="status">Status</label>
            <select id="status" class="input" @change=${this.onStatus}>
              <option value="" ?selected=${!filters.status}>Any status</option>
              ${JOB_STATUSES.map(
                (status) =>
                  html`<option value=${status} ?selected=${filters.status === status}>${capital(status)}</option>`,
              )}
            </select>
          </div>
          ${this.renderSuggested('type', 'Type', this.types)} ${this.renderSuggested('queue', 'Queue', this.queues)}
          <div class="field field--more">
            <label for="claimed-by">Claimed by</label>
            <select id="claimed-by" class="input" @change=${this.onClaimedBy}>
              ${this.claimOptions().map(
                (option) =>
                  html`<option value=${option.value} ?selected=${(filters.claimedBy ?? '') === option.value}>
                    ${option.label}
                  </option>`,
              )}
            </select>
          </div>
          <div class="field field--more">
            <label for="range">Created</label>
            <select id="range" class="input" @change=${this.onRange}>
              <option value="" ?selected=${rangeValue === ''}>Any time</option>
              ${RELATIVE_RANGES.map(
                (range) =>
                  html`<option value=${range} ?selected=${rangeValue === range}>${RANGE_LABELS[range]}</option>`,
              )}
              <option value=${CUSTOM} ?selected=${rangeValue === CUSTOM}>Custom range…</option>
            </select>
          </div>
          ${
            rangeValue === CUSTOM
              ? html`${this.renderTimeField('from', 'From')} ${this.renderTimeField('to', 'To')}`
              : nothing
          }
        </form>
        <div class="actions">
          ${
            isFiltered(filters)
              ? html`<button class="button button--quiet" type="button" @click=${this.clear}>Clear filters</button>`
              : nothing
          }
          ${this.api ? this.viewsMenu.render() : nothing}
        </div>
      </div>
      <fd-confirm-dialog></fd-confirm-dialog>
    `;
  }

  private claimOptions(): { value: string; label: string }[] {
    const options = [{ value: '', label: 'Any' }];
    if (this.me !== null) options.push({ value: CLAIMED_BY_ME, label: 'Me' });
    options.push({ value: CLAIMED_BY_NOBODY, label: 'Nobody' });
    for (const member of this.members)
      if (member.id !== this.me) options.push({ value: member.id, label: member.name });
    const current = this.filters.claimedBy;
    // Someone no longer listed (or members not readable): still shown, so the select tells the truth.
    if (current && !options.some((option) => option.value === current))
      options.push({ value: current, label: 'Another member' });
    return options;
  }

  // ── Changes ─────────────────────────────────────────────────────────────────────────────────

  /** Shows new filters: in the address (a new entry, or replacing the current one) and to listeners. */
  private change(filters: ViewFilters, { replace = false } = {}): void {
    clearTimeout(this.searchTimer);
    if (searchFromFilters(filters) === searchFromFilters(this.filters)) return;
    this.filters = filters;
    const search = searchFromFilters(filters);
    const url = `${window.location.pathname}${search}${window.location.hash}`;
    if (replace) window.history.replaceState(window.history.state, '', url);
    else window.history.pushState(window.history.state, '', url);
    this.search = search;
    this.dispatchEvent(filtersChangeEvent(filters));
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    // Enter in the search box searches now.
    this.commitSearch();
  }

  private onSearchInput(event: InputEvent): void {
    this.text = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.commitSearch(), this.debounceMs);
  }

  /** Enter searches now (the form has several text fields, so Enter does not submit it). */
  private onSearchKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    this.commitSearch();
  }

  private commitSearch(): void {
    const q = this.text.trim();
    const { q: _old, ...rest } = this.filters;
    const next = q ? { ...rest, q } : rest;
    // One history entry per search, not per keystroke.
    const replace = this.searchEntry;
    this.searchEntry = q !== '';
    this.change(next, { replace });
  }

  private onStatus(event: Event): void {
    const value = (event.target as HTMLSelectElement).value as JobStatus | '';
    const { status: _old, ...rest } = this.filters;
    this.change(value ? { ...rest, status: value } : rest);
  }

  /** A text filter (type, queue) that suggests the values seen so far. */
  private renderSuggested(name: 'type' | 'queue', label: string, suggestions: readonly string[]) {
    return html`<div class="field field--more">
      <label for=${name}>${label}</label>
      <input
        id=${name}
        class="input"
        name=${name}
        list="${name}-suggestions"
        autocomplete="off"
        spellcheck="false"
        placeholder="Any ${name}"
        maxlength="100"
        .value=${this.filters[name] ?? ''}
        @change=${(event: Event) => this.onText(name, event)}
      />
      <datalist id="${name}-suggestions">
        ${suggestions.map((value) => html`<option value=${value}></option>`)}
      </datalist>
    </div>`;
  }

  private onText(name: 'type' | 'queue', event: Event): void {
    const value = (event.target as HTMLInputElement).value.trim();
    const rest = { ...this.filters };
    delete rest[name];
    this.change(value ? { ...rest, [name]: value } : rest);
  }

  private onClaimedBy(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    const { claimedBy: _old, ...rest } = this.filters;
    this.change(value ? { ...rest, claimedBy: value } : rest);
  }

  private onRange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    const { range: _range, from: _from, to: _to, ...rest } = this.filters;
    this.customRange = value === CUSTOM;
    if (value === CUSTOM) {
      // Custom starts from the range shown, if any, so switching keeps the same jobs in view.
      const from = this.filters.range ? new Date(Date.now() - RANGE_MS[this.filters.range]).toISOString() : undefined;
      this.change(from ? { ...rest, from } : rest);
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#from')?.focus());
      return;
    }
    this.change(value ? { ...rest, range: value as RelativeRange } : rest);
  }

  /** One end of the custom time range. */
  private renderTimeField(name: 'from' | 'to', label: string) {
    return html`<div class="field field--more">
      <label for=${name}>${label}</label>
      <input
        id=${name}
        class="input"
        type="datetime-local"
        .value=${localInputFromIso(this.filters[name])}
        @change=${(event: Event) => this.onTime(name, event)}
      />
    </div>`;
  }

  private onTime(name: 'from' | 'to', event: Event): void {
    const iso = isoFromLocalInput((event.target as HTMLInputElement).value);
    const rest = { ...this.filters };
    delete rest[name];
    delete rest.range;
    this.change(iso ? { ...rest, [name]: iso } : rest);
  }

  /** Shows every job again. */
  clear(): void {
    this.text = '';
    this.customRange = false;
    this.searchEntry = false;
    this.change({});
  }

  /** Shows a saved view's filters. */
  private applyView(filters: ViewFilters): void {
    this.text = filters.q ?? '';
    this.customRange = Boolean(filters.from || filters.to);
    this.searchEntry = false;
    this.change(filters);
  }
}

/** "More filters", with how many are set besides the search ("More filters (2)"). */
function moreLabel(filters: ViewFilters): string {
  const { q: _q, from, to, range, ...rest } = filters;
  const count = Object.values(rest).filter(Boolean).length + (range || from || to ? 1 : 0);
  return count > 0 ? `More filters (${count})` : 'More filters';
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-jobs-filters': FdJobsFilters;
  }
}
