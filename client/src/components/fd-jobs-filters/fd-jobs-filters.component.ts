import { JOB_STATUSES, type JobStatus, type SavedView } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { messageOf } from '../../accounts/form-errors';
import type { SavedViewsApi } from '../../api/api-client';
import { filtersChangeEvent } from '../../events/fd-filters-change';
import { toastEvent } from '../../events/fd-toast';
import {
  CLAIMED_BY_ME,
  CLAIMED_BY_NOBODY,
  RANGE_LABELS,
  RANGE_MS,
  RELATIVE_RANGES,
  filtersFromSavedView,
  filtersFromSearch,
  isFiltered,
  isoFromLocalInput,
  localInputFromIso,
  savedFiltersFromFilters,
  searchFromFilters,
  type RelativeRange,
  type ViewFilters,
} from '../../jobs-view/job-filters';
import { controlStyles } from '../../styles/controls.styles';
import { themeStyles } from '../../styles/theme.styles';
import type { FdConfirmDialog } from '../fd-confirm-dialog/fd-confirm-dialog.component';
import '../fd-confirm-dialog/fd-confirm-dialog.component';
import styles from './fd-jobs-filters.styles';

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
 * `fd-filters-change`. The text search waits for a pause in typing.
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
  @state() private menuOpen = false;
  @state() private views: SavedView[] | null = null;
  @state() private viewsError = '';
  @state() private saveError = '';
  @state() private saving = false;

  @query('.views-toggle') private viewsToggle?: HTMLButtonElement;
  @query('#view-name') private viewNameInput?: HTMLInputElement;
  @query('fd-confirm-dialog') private confirmDialog!: FdConfirmDialog;

  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the current search text already has its own history entry (typing replaces it). */
  private searchEntry = false;

  private readonly onDocumentClick = (event: MouseEvent) => {
    if (this.menuOpen && !event.composedPath().includes(this)) this.menuOpen = false;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('click', this.onDocumentClick);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('click', this.onDocumentClick);
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
          <div class="field field--more">
            <label for="type">Type</label>
            <input
              id="type"
              class="input"
              name="type"
              list="type-suggestions"
              autocomplete="off"
              spellcheck="false"
              placeholder="Any type"
              maxlength="100"
              .value=${filters.type ?? ''}
              @change=${(event: Event) => this.onText('type', event)}
            />
            <datalist id="type-suggestions">
              ${this.types.map((type) => html`<option value=${type}></option>`)}
            </datalist>
          </div>
          <div class="field field--more">
            <label for="queue">Queue</label>
            <input
              id="queue"
              class="input"
              name="queue"
              list="queue-suggestions"
              autocomplete="off"
              spellcheck="false"
              placeholder="Any queue"
              maxlength="100"
              .value=${filters.queue ?? ''}
              @change=${(event: Event) => this.onText('queue', event)}
            />
            <datalist id="queue-suggestions">
              ${this.queues.map((queue) => html`<option value=${queue}></option>`)}
            </datalist>
          </div>
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
              ? html`
                  <div class="field field--more">
                    <label for="from">From</label>
                    <input
                      id="from"
                      class="input"
                      type="datetime-local"
                      .value=${localInputFromIso(filters.from)}
                      @change=${(event: Event) => this.onTime('from', event)}
                    />
                  </div>
                  <div class="field field--more">
                    <label for="to">To</label>
                    <input
                      id="to"
                      class="input"
                      type="datetime-local"
                      .value=${localInputFromIso(filters.to)}
                      @change=${(event: Event) => this.onTime('to', event)}
                    />
                  </div>
                `
              : nothing
          }
        </form>
        <div class="actions">
          ${
            isFiltered(filters)
              ? html`<button class="button button--quiet" type="button" @click=${this.clear}>Clear filters</button>`
              : nothing
          }
          ${this.api ? this.renderViewsMenu() : nothing}
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

  private renderViewsMenu() {
    const active = this.activeView();
    return html`
      <div class="views" @keydown=${this.onMenuKeydown} @focusout=${this.onMenuFocusOut}>
        <button
          class="button button--quiet views-toggle"
          type="button"
          aria-expanded=${this.menuOpen ? 'true' : 'false'}
          aria-controls="views-panel"
          @click=${this.toggleMenu}
        >
          <span class="views-toggle__label">${active ? html`View: ${active.name}` : 'Saved views'}</span>
          <span class="chevron" aria-hidden="true"></span>
        </button>
        <div id="views-panel" class="views-panel" ?hidden=${!this.menuOpen}>
          <h3 id="views-heading" class="views-panel__heading">Saved views</h3>
          ${this.renderViewList(active)} ${this.canSave ? this.renderSaveForm() : nothing}
        </div>
      </div>
    `;
  }

  private renderViewList(active: SavedView | undefined) {
    if (this.viewsError) return html`<p class="field-error" role="alert">${this.viewsError}</p>`;
    if (this.views === null) return html`<p class="hint" role="status">Loading saved views…</p>`;
    if (this.views.length === 0)
      return html`<p class="hint">No saved views yet.${this.canSave ? ' Save the filters you use often.' : ''}</p>`;
    return html`
      <ul class="view-list" aria-labelledby="views-heading">
        ${this.views.map(
          (view) => html`
            <li class="view-item">
              <button
                class="view-apply"
                type="button"
                aria-current=${view === active ? 'true' : nothing}
                @click=${() => this.applyView(view)}
              >
                <span class="view-apply__name">${view.name}</span>
                <span class="view-apply__by">by ${view.createdBy.name}</span>
              </button>
              ${
                this.mayDelete(view)
                  ? html`<button
                      class="view-delete"
                      type="button"
                      aria-label="Delete view ${view.name}"
                      title="Delete view"
                      @click=${() => this.deleteView(view)}
                    >
                      <span aria-hidden="true">×</span>
                    </button>`
                  : nothing
              }
            </li>
          `,
        )}
      </ul>
    `;
  }

  private renderSaveForm() {
    const range = this.filters.range;
    return html`
      <form class="save" novalidate @submit=${this.onSave}>
        <label for="view-name">Save current filters as</label>
        <div class="save__row">
          <input
            id="view-name"
            class="input"
            name="name"
            autocomplete="off"
            maxlength="100"
            placeholder="e.g. Failed http jobs"
            aria-invalid=${this.saveError ? 'true' : 'false'}
            aria-describedby=${[this.saveError ? 'view-name-error' : '', range ? 'view-name-note' : ''].join(' ').trim() || nothing}
            @input=${() => (this.saveError = '')}
          />
          <button class="button button--primary" type="submit" ?disabled=${this.saving}>
            ${this.saving ? 'Saving…' : 'Save view'}
          </button>
        </div>
        ${this.saveError ? html`<p id="view-name-error" class="field-error">${this.saveError}</p>` : nothing}
        ${
          range
            ? html`<p id="view-name-note" class="hint">
                “${RANGE_LABELS[range]}” keeps moving with the clock in the saved view.
              </p>`
            : nothing
        }
      </form>
    `;
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

  // ── Saved views ─────────────────────────────────────────────────────────────────────────────

  private activeView(): SavedView | undefined {
    if (!this.views || !isFiltered(this.filters)) return undefined;
    const shown = searchFromFilters(this.filters);
    return this.views.find((view) => searchFromFilters(filtersFromSavedView(view.filters, this.me)) === shown);
  }

  private mayDelete(view: SavedView): boolean {
    return this.canDeleteAny || (this.canSave && this.actorId !== null && view.createdBy.id === this.actorId);
  }

  private async toggleMenu(): Promise<void> {
    this.menuOpen = !this.menuOpen;
    if (!this.menuOpen) return;
    // Read afresh on every opening: views are shared, others may have saved some since.
    void this.loadViews();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.view-apply, #view-name')?.focus();
  }

  private async loadViews(): Promise<void> {
    if (!this.api) return;
    this.viewsError = '';
    try {
      this.views = await this.api.listSavedViews();
    } catch (error) {
      this.viewsError = `Saved views could not be loaded. ${messageOf(error)}`;
    }
    // The list came in after the menu opened: focus its first view if focus is still on the toggle.
    if (this.menuOpen && this.shadowRoot?.activeElement === this.viewsToggle) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.view-apply')?.focus();
    }
  }

  private applyView(view: SavedView): void {
    const filters = filtersFromSavedView(view.filters, this.me);
    this.text = filters.q ?? '';
    this.customRange = Boolean(filters.from || filters.to);
    this.searchEntry = false;
    this.menuOpen = false;
    this.viewsToggle?.focus();
    this.change(filters);
  }

  private async onSave(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.api || this.saving) return;
    const name = this.viewNameInput?.value.trim() ?? '';
    if (!name) {
      this.saveError = 'Give the view a name.';
      this.viewNameInput?.focus();
      return;
    }
    this.saving = true;
    try {
      const view = await this.api.createSavedView({ name, filters: savedFiltersFromFilters(this.filters, this.me) });
      this.views = [...(this.views ?? []), view];
      if (this.viewNameInput) this.viewNameInput.value = '';
      this.dispatchEvent(
        toastEvent({ message: `Saved view “${view.name}” for everyone in the workspace.`, tone: 'success' }),
      );
    } catch (error) {
      this.saveError = messageOf(error);
      this.viewNameInput?.focus();
    } finally {
      this.saving = false;
    }
  }

  private async deleteView(view: SavedView): Promise<void> {
    if (!this.api) return;
    const confirmed = await this.confirmDialog.ask({
      heading: `Delete view “${view.name}”?`,
      message: 'Everyone in the workspace loses it. The jobs stay as they are.',
      confirmLabel: 'Delete view',
    });
    if (!confirmed) return;
    try {
      await this.api.deleteSavedView(view.id);
      this.views = (this.views ?? []).filter((other) => other.id !== view.id);
      this.dispatchEvent(toastEvent({ message: `Deleted view “${view.name}”.`, tone: 'success' }));
    } catch (error) {
      this.dispatchEvent(toastEvent({ message: `The view was not deleted. ${messageOf(error)}`, tone: 'error' }));
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.view-apply, #view-name')?.focus();
  }

  private onMenuKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || !this.menuOpen) return;
    event.stopPropagation();
    this.menuOpen = false;
    this.viewsToggle?.focus();
  }

  /** Tabbing out of the menu closes it (not a move into the confirm dialog). */
  private onMenuFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    if (this.menuOpen && next && !this.renderRoot.contains(next)) this.menuOpen = false;
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
