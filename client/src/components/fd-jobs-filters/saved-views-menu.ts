import type { SavedView } from '@flightdeck/contract';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { messageOf } from '../../accounts/form-errors';
import type { SavedViewsApi } from '../../api/api-client';
import { ClickOutsideController } from '../../controllers/click-outside-controller';
import { FormSubmitController } from '../../controllers/form-submit-controller';
import type { ToastRequest } from '../../events/fd-toast';
import {
  RANGE_LABELS,
  filtersFromSavedView,
  isFiltered,
  savedFiltersFromFilters,
  searchFromFilters,
  type ViewFilters,
} from '../../jobs-view/job-filters';
import type { FdConfirmDialog } from '../fd-confirm-dialog/fd-confirm-dialog.component';

export interface SavedViewsContext {
  api(): SavedViewsApi | undefined;
  /** Whether the person may save views (members and above). */
  canSave(): boolean;
  /** Whether the person may delete anyone's saved view (admins); everyone may delete their own. */
  canDeleteAny(): boolean;
  /** Who the person is as the API names them (user or API key id), to know their own views. */
  actorId(): string | null;
  /** Whose "me" the "Claimed by: me" filter means. */
  me(): string | null;
  /** The filters shown now. */
  filters(): ViewFilters;
  /** Shows a saved view's filters. */
  apply(filters: ViewFilters): void;
  toast(request: ToastRequest): void;
  confirmDialog(): FdConfirmDialog;
}

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

/**
 * The filters bar's saved views menu: the workspace's views (read afresh at every opening, since
 * they are shared), the one the filters match, saving the current filters under a name, deleting a
 * view (one's own, or any for admins). A disclosure: Escape, a click elsewhere or tabbing out closes
 * it. Renders into the filters bar's shadow root (its styles are the bar's).
 */
export class SavedViewsMenu implements ReactiveController {
  private open = false;
  private views: SavedView[] | null = null;
  private viewsError = '';
  private saveError = '';
  private readonly saveForm: FormSubmitController;

  constructor(
    private readonly host: Host,
    private readonly context: SavedViewsContext,
  ) {
    host.addController(this);
    this.saveForm = new FormSubmitController(host);
    new ClickOutsideController(host, () => this.setOpen(false));
  }

  hostConnected(): void {}

  private get toggle(): HTMLButtonElement | null {
    return this.host.renderRoot.querySelector<HTMLButtonElement>('.views-toggle');
  }

  private get nameInput(): HTMLInputElement | null {
    return this.host.renderRoot.querySelector<HTMLInputElement>('#view-name');
  }

  private setOpen(open: boolean): void {
    if (open === this.open) return;
    this.open = open;
    this.host.requestUpdate();
  }

  private activeView(): SavedView | undefined {
    const filters = this.context.filters();
    if (!this.views || !isFiltered(filters)) return undefined;
    const shown = searchFromFilters(filters);
    return this.views.find(
      (view) => searchFromFilters(filtersFromSavedView(view.filters, this.context.me())) === shown,
    );
  }

  private mayDelete(view: SavedView): boolean {
    const actorId = this.context.actorId();
    return this.context.canDeleteAny() || (this.context.canSave() && actorId !== null && view.createdBy.id === actorId);
  }

  private async toggleMenu(): Promise<void> {
    this.setOpen(!this.open);
    if (!this.open) return;
    // Read afresh on every opening: views are shared, others may have saved some since.
    void this.loadViews();
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('.view-apply, #view-name')?.focus();
  }

  private async loadViews(): Promise<void> {
    const api = this.context.api();
    if (!api) return;
    this.viewsError = '';
    try {
      this.views = await api.listSavedViews();
    } catch (error) {
      this.viewsError = `Saved views could not be loaded. ${messageOf(error)}`;
    }
    this.host.requestUpdate();
    // The list came in after the menu opened: focus its first view if focus is still on the toggle.
    if (this.open && this.host.shadowRoot?.activeElement === this.toggle) {
      await this.host.updateComplete;
      this.host.renderRoot.querySelector<HTMLElement>('.view-apply')?.focus();
    }
  }

  private applyView(view: SavedView): void {
    this.setOpen(false);
    this.toggle?.focus();
    this.context.apply(filtersFromSavedView(view.filters, this.context.me()));
  }

  private async onSave(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const api = this.context.api();
    if (!api || this.saveForm.submitting) return;
    const input = this.nameInput;
    const name = input?.value.trim() ?? '';
    if (!name) {
      this.setSaveError('Give the view a name.');
      input?.focus();
      return;
    }
    await this.saveForm.run(async () => {
      try {
        const filters = savedFiltersFromFilters(this.context.filters(), this.context.me());
        const view = await api.createSavedView({ name, filters });
        this.views = [...(this.views ?? []), view];
        if (input) input.value = '';
        this.context.toast({ message: `Saved view “${view.name}” for everyone in the workspace.`, tone: 'success' });
      } catch (error) {
        this.setSaveError(messageOf(error));
        input?.focus();
      }
    });
  }

  private async deleteView(view: SavedView): Promise<void> {
    const api = this.context.api();
    if (!api) return;
    const confirmed = await this.context.confirmDialog().ask({
      heading: `Delete view “${view.name}”?`,
      message: 'Everyone in the workspace loses it. The jobs stay as they are.',
      confirmLabel: 'Delete view',
    });
    if (!confirmed) return;
    try {
      await api.deleteSavedView(view.id);
      this.views = (this.views ?? []).filter((other) => other.id !== view.id);
      this.host.requestUpdate();
      this.context.toast({ message: `Deleted view “${view.name}”.`, tone: 'success' });
    } catch (error) {
      this.context.toast({ message: `The view was not deleted. ${messageOf(error)}`, tone: 'error' });
    }
    await this.host.updateComplete;
    this.host.renderRoot.querySelector<HTMLElement>('.view-apply, #view-name')?.focus();
  }

  private setSaveError(error: string): void {
    this.saveError = error;
    this.host.requestUpdate();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || !this.open) return;
    event.stopPropagation();
    this.setOpen(false);
    this.toggle?.focus();
  }

  /** Tabbing out of the menu closes it (not a move into the confirm dialog). */
  private onFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    if (this.open && next && !this.host.renderRoot.contains(next)) this.setOpen(false);
  }

  render() {
    const active = this.activeView();
    return html`
      <div
        class="views"
        @keydown=${(event: KeyboardEvent) => this.onKeydown(event)}
        @focusout=${(event: FocusEvent) => this.onFocusOut(event)}
      >
        <button
          class="button button--quiet views-toggle"
          type="button"
          aria-expanded=${this.open ? 'true' : 'false'}
          aria-controls="views-panel"
          @click=${() => this.toggleMenu()}
        >
          <span class="views-toggle__label">${active ? html`View: ${active.name}` : 'Saved views'}</span>
          <span class="chevron" aria-hidden="true"></span>
        </button>
        <div id="views-panel" class="views-panel" ?hidden=${!this.open}>
          <h3 id="views-heading" class="views-panel__heading">Saved views</h3>
          ${this.renderList(active)} ${this.context.canSave() ? this.renderSaveForm() : nothing}
        </div>
      </div>
    `;
  }

  private renderList(active: SavedView | undefined) {
    if (this.viewsError) return html`<p class="field-error" role="alert">${this.viewsError}</p>`;
    if (this.views === null) return html`<p class="hint" role="status">Loading saved views…</p>`;
    if (this.views.length === 0)
      return html`<p class="hint">
        No saved views yet.${this.context.canSave() ? ' Save the filters you use often.' : ''}
      </p>`;
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
    const range = this.context.filters().range;
    const error = this.saveError;
    return html`
      <form class="save" novalidate @submit=${(event: SubmitEvent) => this.onSave(event)}>
        <label for="view-name">Save current filters as</label>
        <div class="save__row">
          <input
            id="view-name"
            class="input"
            name="name"
            autocomplete="off"
            maxlength="100"
            placeholder="e.g. Failed http jobs"
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${[error ? 'view-name-error' : '', range ? 'view-name-note' : ''].join(' ').trim() || nothing}
            @input=${() => this.setSaveError('')}
          />
          <button class="button button--primary" type="submit" ?disabled=${this.saveForm.submitting}>
            ${this.saveForm.submitting ? 'Saving…' : 'Save view'}
          </button>
        </div>
        ${error ? html`<p id="view-name-error" class="field-error">${error}</p>` : nothing}
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
}
