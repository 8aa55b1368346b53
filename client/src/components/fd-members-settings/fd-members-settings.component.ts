import type { Member, MemberRole } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { checkEmail } from '../../accounts/account-input';
import { formatDay, formatMoment } from '../../accounts/account-format';
import { formErrorsOf, messageOf } from '../../accounts/form-errors';
import {
  ROLE_DESCRIPTIONS,
  ROLE_LABELS,
  assignableRoles,
  can,
  canManageMember,
  type WorkspaceAccess,
} from '../../accounts/workspace-access';
import { ApiError, type MembersApi } from '../../api/api-client';
import { FormSubmitController } from '../../controllers/form-submit-controller';
import { ListResourceController } from '../../controllers/list-resource-controller';
import { RowActionController } from '../../controllers/row-action-controller';
import { renderActionMessages, renderListPending } from '../../controllers/list-page-parts';
import { controlStyles } from '../../styles/controls.styles';
import { settingsPageStyles } from '../../styles/settings-page.styles';
import { themeStyles } from '../../styles/theme.styles';
import type { FdConfirmDialog } from '../fd-confirm-dialog/fd-confirm-dialog.component';
import '../fd-confirm-dialog/fd-confirm-dialog.component';
import styles from './fd-members-settings.styles';

/**
 * The members of a workspace: everyone sees the list; who may manage members (the contract's
 * permission table: admins and owners) also adds people by email, changes roles and removes
 * people, and only among the roles they may give (only owners make or unmake owners). Your own row
 * has no controls: another admin or owner changes your role, so nobody locks themselves out.
 *
 * @attr workspace-name - The workspace's name, for the texts.
 */
@customElement('fd-members-settings')
export class FdMembersSettings extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, settingsPageStyles, styles];

  /** The workspace's members API. Setting it (re)loads the list. */
  @property({ attribute: false }) api: MembersApi | undefined;
  /** What the person (or key) looking may do; read-only until told otherwise. */
  @property({ attribute: false }) access: WorkspaceAccess = { kind: 'member', role: 'viewer' };
  /** The signed-in person's id, to mark their own row (null with an API key). */
  @property({ attribute: false }) currentUserId: string | null = null;
  @property({ attribute: 'workspace-name' }) workspaceName = '';

  @state() private addErrors: { email?: string; role?: string } = {};
  /** The role the add form gives. */
  @state() private addRole: MemberRole = 'member';

  @query('#member-email') private emailInput?: HTMLInputElement;
  @query('fd-confirm-dialog') private confirmDialog!: FdConfirmDialog;

  private readonly list = new ListResourceController<MembersApi, Member>(this, {
    read: (api) => api.listMembers(),
    failure: (message) => `The members could not be loaded: ${message}`,
  });
  private readonly addForm = new FormSubmitController(this);
  private readonly actions = new RowActionController(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api')) void this.load();
  }

  /** Reads the list again. */
  load(): Promise<void> {
    return this.list.load(this.api);
  }

  /** null while loading. */
  private get members(): Member[] | null {
    return this.list.items;
  }

  private get canWrite(): boolean {
    return can(this.access, 'members:write');
  }

  override render() {
    return html`
      <section class="section" aria-labelledby="members-heading">
        <div class="section__head">
          <h2 id="members-heading" tabindex="-1">Members</h2>
          <p class="section__intro">
            People who can open ${this.workspaceName || 'this workspace'}, and what each may do.
            ${this.canWrite ? nothing : html`Only admins and owners can add or change members.`}
          </p>
        </div>
        ${this.canWrite ? this.renderAddForm() : nothing} ${renderActionMessages(this.actions)} ${this.renderList()}
      </section>
      <fd-confirm-dialog></fd-confirm-dialog>
    `;
  }

  private renderAddForm() {
    const roles = assignableRoles(this.access);
    const { email: emailError } = this.addErrors;
    return html`
      <form class="panel add" novalidate aria-labelledby="add-heading" @submit=${this.onAdd}>
        <h3 id="add-heading" class="panel__heading">Add a member</h3>
        ${this.addForm.failure ? html`<p class="alert" role="alert">${this.addForm.failure}</p>` : nothing}
        <div class="add__fields">
          <div class="field add__email">
            <label for="member-email">Email</label>
            <input
              id="member-email"
              class="input"
              type="email"
              name="email"
              autocomplete="off"
              spellcheck="false"
              placeholder="someone@example.com"
              aria-invalid=${emailError ? 'true' : 'false'}
              aria-describedby=${emailError ? 'member-email-error member-email-hint' : 'member-email-hint'}
              @input=${() => (this.addErrors = {})}
            />
            <p id="member-email-hint" class="hint">They need a Flightdeck account already.</p>
            ${emailError ? html`<p id="member-email-error" class="field-error">${emailError}</p>` : nothing}
          </div>
          <div class="field add__role">
            <label for="member-role">Role</label>
            <select
              id="member-role"
              class="input"
              name="role"
              aria-describedby="member-role-hint"
              @change=${(event: Event) => (this.addRole = (event.target as HTMLSelectElement).value as MemberRole)}
            >
              ${roles.map((role) => html`<option value=${role} ?selected=${role === this.addRole}>${ROLE_LABELS[role]}</option>`)}
            </select>
            <p id="member-role-hint" class="hint">${ROLE_DESCRIPTIONS[this.addRole]}</p>
          </div>
          <button class="button button--primary add__submit" type="submit" ?disabled=${this.addForm.submitting}>
            ${this.addForm.submitting ? 'Adding…' : 'Add member'}
          </button>
        </div>
      </form>
    `;
  }

  private renderList() {
    const pending = renderListPending(this.list, 'Loading members…', () => void this.load());
    if (pending || !this.members) return pending;
    const showActions = this.canWrite;
    return html`
      <table class="table">
        <caption class="visually-hidden">
          Members of ${this.workspaceName || 'the workspace'}
        </caption>
        <thead>
          <tr>
            <th scope="col" class="col-name">Name</th>
            <th scope="col" class="col-email">Email</th>
            <th scope="col" class="col-role">Role</th>
            <th scope="col" class="col-added">Added</th>
            ${showActions ? html`<th scope="col" class="col-actions"><span class="visually-hidden">Actions</span></th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${repeat(
            this.members,
            (member) => member.userId,
            (member) => this.renderMember(member, showActions),
          )}
        </tbody>
      </table>
    `;
  }

  private renderMember(member: Member, showActions: boolean) {
    const isMe = member.userId === this.currentUserId;
    const manageable = showActions && !isMe && canManageMember(this.access, member);
    const busy = this.actions.busyWith(member.userId) !== undefined;
    const selectId = `role-${member.userId}`;
    return html`
      <tr class="row" data-user-id=${member.userId}>
        <th scope="row" class="cell-name">
          <span class="name-line">
            <span class="name">${member.name}</span>
            ${isMe ? html`<span class="pill">you</span>` : nothing}
          </span>
        </th>
        <td class="cell-email muted">${member.email}</td>
        <td class="cell-role">
          ${
            manageable
              ? html`<label class="visually-hidden" for=${selectId}>Role of ${member.name}</label>
                  <select
                    id=${selectId}
                    class="input input--compact"
                    ?disabled=${busy}
                    @change=${(event: Event) => this.onRoleChange(member, event.target as HTMLSelectElement)}
                  >
                    ${assignableRoles(this.access).map(
                      (role) =>
                        html`<option value=${role} ?selected=${role === member.role}>${ROLE_LABELS[role]}</option>`,
                    )}
                  </select>`
              : html`<span class="pill">${ROLE_LABELS[member.role]}</span>`
          }
        </td>
        <td class="cell-added">
          <span class="cell-label">Added </span>
          <time datetime=${member.addedAt} title=${formatMoment(member.addedAt)}>${formatDay(member.addedAt)}</time>
        </td>
        ${
          showActions
            ? html`<td class="cell-actions">
                ${
                  manageable
                    ? html`<button
                        class="button button--danger button--quiet"
                        type="button"
                        ?disabled=${busy}
                        aria-label="Remove ${member.name}"
                        @click=${() => this.onRemove(member)}
                      >
                        Remove
                      </button>`
                    : nothing
                }
              </td>`
            : nothing
        }
      </tr>
    `;
  }

  private async onAdd(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const api = this.api;
    if (this.addForm.submitting || !api) return;
    this.addForm.clear();
    this.actions.succeeded('');
    const email = checkEmail(this.emailInput?.value ?? '');
    if (email.error) {
      this.addErrors = { email: email.error };
      this.emailInput?.focus();
      return;
    }
    const role = this.addRole;
    await this.addForm.run(
      async () => {
        const member = await api.addMember({ email: email.value, role });
        this.list.set([...(this.members ?? []).filter((other) => other.userId !== member.userId), member]);
        if (this.emailInput) this.emailInput.value = '';
        this.addErrors = {};
        this.actions.succeeded(`Added ${member.name} as ${ROLE_LABELS[member.role]}.`);
      },
      async (error) => {
        const shown = formErrorsOf(error, ['email', 'role'] as const, {
          user_not_found: 'email',
          already_member: 'email',
        });
        if (error instanceof ApiError && error.code === 'user_not_found')
          shown.fields.email = `${shown.fields.email} Ask them to create an account first.`;
        this.addErrors = shown.fields;
        this.addForm.fail(shown.form);
        await this.updateComplete;
        if (shown.fields.email) this.emailInput?.focus();
        return shown.form;
      },
    );
  }

  private async onRoleChange(member: Member, select: HTMLSelectElement): Promise<void> {
    const role = select.value as MemberRole;
    const api = this.api;
    if (!api || role === member.role) return;
    await this.actions.run(
      member.userId,
      'busy',
      async () => {
        const updated = await api.updateMember(member.userId, { role });
        this.replace(updated);
        this.actions.succeeded(`${updated.name} is now ${ROLE_LABELS[updated.role]}.`);
      },
      (error) => {
        select.value = member.role;
        return `The role of ${member.name} was not changed: ${messageOf(error)}`;
      },
    );
  }

  private async onRemove(member: Member): Promise<void> {
    const api = this.api;
    if (!api) return;
    const confirmed = await this.confirmDialog.ask({
      heading: `Remove ${member.name}?`,
      message: `${member.name} (${member.email}) loses access to ${this.workspaceName || 'this workspace'} at once. You can add them again later.`,
      confirmLabel: 'Remove member',
    });
    if (!confirmed) return;
    await this.actions.run(
      member.userId,
      'busy',
      async () => {
        await api.removeMember(member.userId);
        this.list.set((this.members ?? []).filter((other) => other.userId !== member.userId));
        this.actions.succeeded(`Removed ${member.name}.`);
        // The row and its button are gone: keep keyboard users in the section.
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLElement>('#members-heading')?.focus();
      },
      (error) => `${member.name} was not removed: ${messageOf(error)}`,
    );
  }

  private replace(member: Member): void {
    this.list.set((this.members ?? []).map((other) => (other.userId === member.userId ? member : other)));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-members-settings': FdMembersSettings;
  }
}
