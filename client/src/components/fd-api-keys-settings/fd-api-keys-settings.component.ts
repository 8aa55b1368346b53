import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES, type ApiKeyInfo, type ApiKeyScope } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { checkName } from '../../accounts/account-input';
import { CONSOLE_ACCOUNT_LIMITS } from '../../accounts/account-limits';
import { describeCreator, formatDay, formatMoment } from '../../accounts/account-format';
import { formErrorsOf, messageOf } from '../../accounts/form-errors';
import { can, type WorkspaceAccess } from '../../accounts/workspace-access';
import type { ApiKeysApi, CreatedApiKey } from '../../api/api-client';
import { FormSubmitController } from '../../controllers/form-submit-controller';
import { ListResourceController } from '../../controllers/list-resource-controller';
import { RowActionController } from '../../controllers/row-action-controller';
import { renderActionMessages, renderListPending } from '../../controllers/list-page-parts';
import { controlStyles } from '../../styles/controls.styles';
import { settingsPageStyles } from '../../styles/settings-page.styles';
import { themeStyles } from '../../styles/theme.styles';
import type { FdConfirmDialog } from '../fd-confirm-dialog/fd-confirm-dialog.component';
import '../fd-confirm-dialog/fd-confirm-dialog.component';
import styles from './fd-api-keys-settings.styles';

/** What each scope lets a program do (the contract's permission table, in words). */
export const SCOPE_DESCRIPTIONS: Record<ApiKeyScope, string> = {
  'jobs:read': 'See jobs, their events, schedules and webhooks.',
  'jobs:write': 'Submit, cancel and retry jobs; manage schedules.',
  'queues:read': 'See queues and their depth.',
  'queues:write': 'Pause, resume and drain queues.',
  'workers:run': 'Run the workspace’s own workers: register job types and run their jobs.',
  admin: 'Everything, including members, API keys and webhooks.',
};

/**
 * The API keys of a workspace, for those who may manage them (admins and owners; keys with the
 * `admin` scope): the list (prefix, scopes, created, last used, revoked), a form that creates a key
 * and shows its secret this one time, with a copy button, and revoking with a confirmation.
 *
 * @attr workspace-name - The workspace's name, for the texts.
 */
@customElement('fd-api-keys-settings')
export class FdApiKeysSettings extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, settingsPageStyles, styles];

  /** The workspace's API keys API. Setting it (re)loads the list. */
  @property({ attribute: false }) api: ApiKeysApi | undefined;
  @property({ attribute: false }) access: WorkspaceAccess = { kind: 'member', role: 'viewer' };
  /** The key this console is connected with, if any: marked, and revoking it warns. */
  @property({ attribute: false }) currentKeyId: string | null = null;
  @property({ attribute: 'workspace-name' }) workspaceName = '';

  @state() private scopes = new Set<ApiKeyScope>(DEFAULT_API_KEY_SCOPES);
  @state() private nameError = '';
  @state() private scopesError = '';
  /** The key just created, with its secret: shown until dismissed, never stored anywhere. */
  @state() private created: CreatedApiKey | null = null;
  @state() private copyOutcome = '';

  @query('#key-name') private nameInput?: HTMLInputElement;
  @query('#new-key-value') private newKeyInput?: HTMLInputElement;
  @query('fd-confirm-dialog') private confirmDialog!: FdConfirmDialog;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api')) {
      this.created = null;
      void this.load();
    }
  }

  private readonly list = new ListResourceController<ApiKeysApi, ApiKeyInfo>(this, {
    read: (api) => api.listApiKeys(),
    failure: (message) => `The API keys could not be loaded: ${message}`,
  });
  private readonly createForm = new FormSubmitController(this);
  private readonly actions = new RowActionController(this);

  /** Reads the list again. */
  load(): Promise<void> {
    return this.list.load(this.api, can(this.access, 'api-keys:read'));
  }

  /** null while loading. */
  private get keys(): ApiKeyInfo[] | null {
    return this.list.items;
  }

  private get canWrite(): boolean {
    return can(this.access, 'api-keys:write');
  }

  override render() {
    const readable = can(this.access, 'api-keys:read');
    return html`
      <section class="section" aria-labelledby="keys-heading">
        <div class="section__head">
          <h2 id="keys-heading" tabindex="-1">API keys</h2>
          <p class="section__intro">
            Programs use an API key to submit and watch the jobs of ${this.workspaceName || 'this workspace'} (<code
              >Authorization: Bearer &lt;key&gt;</code
            >).
          </p>
        </div>
        ${
          readable
            ? html`
                ${this.created ? this.renderCreated(this.created) : this.canWrite ? this.renderCreateForm() : nothing}
                ${renderActionMessages(this.actions)} ${this.renderList()}
              `
            : html`<p class="empty">Only admins and owners can see and manage API keys.</p>`
        }
      </section>
      <fd-confirm-dialog></fd-confirm-dialog>
    `;
  }

  private renderCreateForm() {
    return html`
      <form class="panel create" novalidate aria-labelledby="create-heading" @submit=${this.onCreate}>
        <h3 id="create-heading" class="panel__heading">Create a key</h3>
        ${this.createForm.failure ? html`<p class="alert" role="alert">${this.createForm.failure}</p>` : nothing}
        <div class="field">
          <label for="key-name">Name</label>
          <input
            id="key-name"
            class="input"
            name="name"
            autocomplete="off"
            maxlength=${CONSOLE_ACCOUNT_LIMITS.maxApiKeyNameLength}
            aria-invalid=${this.nameError ? 'true' : 'false'}
            aria-describedby=${this.nameError ? 'key-name-error key-name-hint' : 'key-name-hint'}
            @input=${() => (this.nameError = '')}
          />
          <p id="key-name-hint" class="hint">What uses it, e.g. “billing service”.</p>
          ${this.nameError ? html`<p id="key-name-error" class="field-error">${this.nameError}</p>` : nothing}
        </div>
        <fieldset class="scopes" aria-describedby=${this.scopesError ? 'scopes-error' : nothing}>
          <legend class="label">Scopes</legend>
          ${API_KEY_SCOPES.map(
            (scope) => html`
              <label class="scope">
                <input
                  type="checkbox"
                  name="scopes"
                  value=${scope}
                  .checked=${this.scopes.has(scope)}
                  @change=${(event: Event) => this.toggleScope(scope, (event.target as HTMLInputElement).checked)}
                />
                <span class="scope__text">
                  <code class="scope__name">${scope}</code>
                  <span class="scope__description">${SCOPE_DESCRIPTIONS[scope]}</span>
                </span>
              </label>
            `,
          )}
          ${this.scopesError ? html`<p id="scopes-error" class="field-error">${this.scopesError}</p>` : nothing}
        </fieldset>
        <div>
          <button class="button button--primary" type="submit" ?disabled=${this.createForm.submitting}>
            ${this.createForm.submitting ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
    `;
  }

  private renderCreated(created: CreatedApiKey) {
    return html`
      <div class="panel new-key" role="region" aria-labelledby="new-key-heading">
        <h3 id="new-key-heading" class="panel__heading" tabindex="-1">Copy your new key “${created.name}”</h3>
        <p class="warning" id="new-key-warning">
          <strong>This is the only time the key is shown.</strong> Store it somewhere safe now: Flightdeck keeps only a
          hash of it and cannot show it again. If it is lost, create another key and revoke this one.
        </p>
        <div class="new-key__row">
          <label class="visually-hidden" for="new-key-value">New API key</label>
          <input
            id="new-key-value"
            class="input new-key__value"
            readonly
            spellcheck="false"
            autocomplete="off"
            aria-describedby="new-key-warning"
            .value=${created.key}
            @focus=${(event: FocusEvent) => (event.target as HTMLInputElement).select()}
          />
          <button class="button button--primary" type="button" @click=${this.onCopy}>Copy key</button>
        </div>
        <div class="new-key__footer">
          <button class="button" type="button" @click=${this.onDismissCreated}>Done, I have stored it</button>
          <p class="copy-outcome" role="status">${this.copyOutcome}</p>
        </div>
      </div>
    `;
  }

  private renderList() {
    const pending = renderListPending(this.list, 'Loading API keys…', () => void this.load());
    if (pending || !this.keys) return pending;
    if (this.keys.length === 0) return html`<p class="empty">No API keys yet.</p>`;
    return html`
      <table class="table">
        <caption class="visually-hidden">
          API keys of ${this.workspaceName || 'the workspace'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            this.keys,
            (key) => key.id,
            (key) => this.renderKey(key),
          )}
        </tbody>
      </table>
    `;
  }

  private renderKey(key: ApiKeyInfo) {
    const creator = describeCreator(key.createdBy);
    const inUse = key.id === this.currentKeyId;
    return html`
      <tr class="row ${key.revokedAt ? 'row--revoked' : ''}" data-key-id=${key.id}>
        <th scope="row" class="cell-name">
          <span class="name-line">
            <span>${key.name}</span>
            ${inUse ? html`<span class="pill">this console</span>` : nothing}
          </span>
        </th>
        <td class="cell-prefix"><code title="The start of the key">${key.prefix}…</code></td>
        <td class="cell-scopes">
          <span class="cell-label">Scopes: </span>
          <span class="scope-list">${key.scopes.map((scope) => html`<code class="pill">${scope}</code>`)}</span>
        </td>
        <td class="cell-created">
          <span class="cell-label">Created </span>
          <time datetime=${key.createdAt} title=${formatMoment(key.createdAt)}>${formatDay(key.createdAt)}</time>
          ${creator ? html`<span class="muted by">by ${creator}</span>` : nothing}
        </td>
        <td class="cell-used">
          <span class="cell-label">Last used </span>
          ${
            key.lastUsedAt
              ? html`<time datetime=${key.lastUsedAt} title=${formatMoment(key.lastUsedAt)}
                  >${formatDay(key.lastUsedAt)}</time
                >`
              : html`<span class="muted">Never</span>`
          }
        </td>
        <td class="cell-actions">
          ${
            key.revokedAt
              ? html`<span class="revoked"
                  >Revoked
                  <time datetime=${key.revokedAt} title=${formatMoment(key.revokedAt)}
                    >${formatDay(key.revokedAt)}</time
                  ></span
                >`
              : this.canWrite
                ? html`<button
                    class="button button--danger button--quiet"
                    type="button"
                    ?disabled=${this.actions.busyWith(key.id) !== undefined}
                    aria-label="Revoke ${key.name}"
                    @click=${() => this.onRevoke(key)}
                  >
                    Revoke
                  </button>`
                : html`<span class="active">Active</span>`
          }
        </td>
      </tr>
    `;
  }

  private toggleScope(scope: ApiKeyScope, checked: boolean): void {
    const scopes = new Set(this.scopes);
    if (checked) scopes.add(scope);
    else scopes.delete(scope);
    this.scopes = scopes;
    this.scopesError = '';
  }

  private async onCreate(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const api = this.api;
    if (this.createForm.submitting || !api) return;
    this.createForm.clear();
    this.actions.succeeded('');
    const name = checkName(this.nameInput?.value ?? '', 'key', CONSOLE_ACCOUNT_LIMITS.maxApiKeyNameLength);
    this.nameError = name.error ?? '';
    this.scopesError = this.scopes.size === 0 ? 'Choose at least one scope.' : '';
    if (this.nameError || this.scopesError) {
      await this.updateComplete;
      if (this.nameError) this.nameInput?.focus();
      else this.renderRoot.querySelector<HTMLInputElement>('.scope input')?.focus();
      return;
    }
    await this.createForm.run(
      async () => {
        // In the contract's order, whatever order they were ticked in.
        const scopes = API_KEY_SCOPES.filter((scope) => this.scopes.has(scope));
        const created = await api.createApiKey({ name: name.value, scopes });
        const { key: _secret, ...listed } = created;
        this.list.set([listed, ...(this.keys ?? []).filter((key) => key.id !== created.id)]);
        this.created = created;
        this.copyOutcome = '';
        this.scopes = new Set(DEFAULT_API_KEY_SCOPES);
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('#new-key-heading')?.focus();
      },
      (error) => {
        const shown = formErrorsOf(error, ['name', 'scopes'] as const);
        this.nameError = shown.fields.name ?? '';
        this.scopesError = shown.fields.scopes ?? '';
        return shown.form;
      },
    );
  }

  private async onCopy(): Promise<void> {
    const key = this.created?.key;
    if (!key) return;
    this.copyOutcome = '';
    try {
      if (!navigator.clipboard) throw new Error('no clipboard API (the page is not served over HTTPS)');
      await navigator.clipboard.writeText(key);
      this.copyOutcome = 'Copied to the clipboard.';
      return;
    } catch {
      // Without the async clipboard API (plain HTTP, or permission refused), copy the selection.
    }
    const input = this.newKeyInput;
    input?.focus();
    input?.select();
    const copied = input ? document.execCommand('copy') : false;
    this.copyOutcome = copied
      ? 'Copied to the clipboard.'
      : 'The browser did not allow copying: the key is selected, press Ctrl+C (⌘C on a Mac).';
  }

  private async onDismissCreated(): Promise<void> {
    this.created = null;
    this.copyOutcome = '';
    await this.updateComplete;
    (this.nameInput ?? this.renderRoot.querySelector<HTMLElement>('#keys-heading'))?.focus();
  }

  private async onRevoke(key: ApiKeyInfo): Promise<void> {
    const api = this.api;
    if (!api) return;
    const inUse = key.id === this.currentKeyId;
    const confirmed = await this.confirmDialog.ask({
      heading: `Revoke “${key.name}”?`,
      message:
        `Programs using this key (${key.prefix}…) stop working at once, open live connections included. This cannot be undone.` +
        (inUse ? ' This console is connected with it too.' : ''),
      confirmLabel: 'Revoke key',
    });
    if (!confirmed) return;
    await this.actions.run(
      key.id,
      'busy',
      async () => {
        const revoked = await api.revokeApiKey(key.id);
        this.list.set((this.keys ?? []).map((other) => (other.id === revoked.id ? revoked : other)));
        this.actions.succeeded(`Revoked “${revoked.name}”.`);
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('#keys-heading')?.focus();
      },
      (error) => `“${key.name}” was not revoked: ${messageOf(error)}`,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-api-keys-settings': FdApiKeysSettings;
  }
}
