import { LitElement, html, nothing, type CSSResultGroup } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { checkName } from '../../accounts/account-input';
import { CONSOLE_ACCOUNT_LIMITS } from '../../accounts/account-limits';
import { formErrorsOf } from '../../accounts/form-errors';
import { ROLE_LABELS } from '../../accounts/workspace-access';
import type { MyWorkspace, WorkspacesApi } from '../../api/api-client';
import { ClickOutsideController } from '../../controllers/click-outside-controller';
import { FormSubmitController } from '../../controllers/form-submit-controller';
import { workspaceCreatedEvent } from '../../events/fd-workspace-created';
import { workspacePath } from '../../routing/console-routes';
import { controlStyles } from '../../styles/controls.styles';
import { themeStyles } from '../../styles/theme.styles';
import styles from './fd-workspace-switcher.styles';

/**
 * Shows the current workspace and, on demand, the person's other workspaces (each with their role)
 * as links to `/w/<slug>`, and a form to create a workspace. A disclosure: the button says whether
 * the list is open; Escape or a click elsewhere closes it and focus goes back to the button.
 *
 * @attr current - The slug of the workspace shown now.
 * @attr can-create - Whether to offer "Create workspace" (sessions can; API keys cannot).
 * @event fd-workspace-created - A workspace was created; `detail.workspace` (role `owner`). Bubbles and composes.
 */
@customElement('fd-workspace-switcher')
export class FdWorkspaceSwitcher extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, styles];

  @property({ attribute: false }) workspaces: readonly MyWorkspace[] = [];
  @property() current = '';
  @property({ type: Boolean, attribute: 'can-create' }) canCreate = false;
  /** Where workspaces are created. */
  @property({ attribute: false }) api: WorkspacesApi | undefined;

  @state() private open = false;
  @state() private nameError = '';

  @query('.toggle') private toggle!: HTMLButtonElement;
  @query('#new-workspace-name') private nameInput?: HTMLInputElement;

  private readonly createForm = new FormSubmitController(this);

  constructor() {
    super();
    new ClickOutsideController(this, () => (this.open = false));
  }

  /** Closes the list (after a navigation, say). */
  close(): void {
    this.open = false;
  }

  private get currentWorkspace(): MyWorkspace | undefined {
    return this.workspaces.find((workspace) => workspace.slug === this.current);
  }

  override render() {
    const current = this.currentWorkspace;
    return html`
      <div class="switcher" @keydown=${this.onKeydown} @focusout=${this.onFocusOut}>
        <button
          class="toggle"
          type="button"
          aria-expanded=${this.open ? 'true' : 'false'}
          aria-controls="workspace-panel"
          @click=${this.onToggle}
        >
          <span class="visually-hidden">Workspace:</span>
          <span class="toggle__name">${current?.name ?? (this.current || 'Choose a workspace')}</span>
          ${current?.role ? html`<span class="role">${ROLE_LABELS[current.role]}</span>` : nothing}
          <span class="toggle__chevron" aria-hidden="true"></span>
        </button>
        <div id="workspace-panel" class="panel" ?hidden=${!this.open}>
          <h2 id="workspaces-heading" class="panel__heading">Your workspaces</h2>
          <ul class="list" aria-labelledby="workspaces-heading">
            ${this.workspaces.map((workspace) => this.renderWorkspace(workspace))}
          </ul>
          ${this.canCreate ? this.renderCreate() : nothing}
        </div>
      </div>
    `;
  }

  private renderWorkspace(workspace: MyWorkspace) {
    const isCurrent = workspace.slug === this.current;
    return html`
      <li>
        <a
          class="item"
          href=${workspacePath(workspace.slug)}
          aria-current=${isCurrent ? 'page' : nothing}
          @click=${() => (this.open = false)}
        >
          <span class="item__name">${workspace.name}</span>
          ${workspace.role ? html`<span class="role">${ROLE_LABELS[workspace.role]}</span>` : nothing}
          ${isCurrent ? html`<span class="visually-hidden">(current)</span>` : nothing}
        </a>
      </li>
    `;
  }

  private renderCreate() {
    return html`
      <form class="create" novalidate @submit=${this.onCreate}>
        ${this.createForm.failure ? html`<p class="alert" role="alert">${this.createForm.failure}</p>` : nothing}
        <div class="field">
          <label for="new-workspace-name">New workspace</label>
          <div class="create__row">
            <input
              id="new-workspace-name"
              class="input"
              name="name"
              autocomplete="off"
              placeholder="Name, e.g. Payments"
              maxlength=${CONSOLE_ACCOUNT_LIMITS.maxNameLength}
              aria-invalid=${this.nameError ? 'true' : 'false'}
              aria-describedby=${this.nameError ? 'new-workspace-error' : nothing}
              @input=${() => (this.nameError = '')}
            />
            <button class="button button--primary" type="submit" ?disabled=${this.createForm.submitting}>
              ${this.createForm.submitting ? 'Creating…' : 'Create workspace'}
            </button>
          </div>
          ${this.nameError ? html`<p id="new-workspace-error" class="field-error">${this.nameError}</p>` : nothing}
        </div>
      </form>
    `;
  }

  private async onToggle(): Promise<void> {
    this.open = !this.open;
    if (!this.open) return;
    // Into the list, so that Tab and Shift+Tab move through the workspaces.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.item[aria-current="page"], .item, #new-workspace-name')?.focus();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || !this.open) return;
    event.stopPropagation();
    this.open = false;
    this.toggle.focus();
  }

  /** Tabbing out of the switcher closes it. */
  private onFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    if (this.open && next && !this.renderRoot.contains(next)) this.open = false;
  }

  private async onCreate(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.createForm.submitting) return;
    this.createForm.clear();
    const name = checkName(this.nameInput?.value ?? '', 'workspace', CONSOLE_ACCOUNT_LIMITS.maxNameLength);
    if (name.error) {
      this.nameError = name.error;
      this.nameInput?.focus();
      return;
    }
    await this.createForm.runWith(
      this.api,
      'Sign in to create a workspace.',
      async (api) => {
        const created = await api.createWorkspace({ name: name.value });
        if (this.nameInput) this.nameInput.value = '';
        this.open = false;
        this.dispatchEvent(workspaceCreatedEvent({ ...created, role: 'owner' }));
      },
      (error) => {
        const shown = formErrorsOf(error, ['name'] as const);
        this.nameError = shown.fields.name ?? '';
        this.createForm.fail(shown.form);
        this.nameInput?.focus();
        return shown.form;
      },
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-workspace-switcher': FdWorkspaceSwitcher;
  }
}
