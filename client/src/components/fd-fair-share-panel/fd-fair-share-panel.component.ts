import type { FairShare, WorkspaceShare } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { repeat } from 'lit/directives/repeat.js';
import { formErrorsOf, messageOf } from '../../accounts/form-errors';
import { ApiError } from '../../api/api-client';
import type { FairShareApi } from '../../api/fair-share-api';
import { FormSubmitController } from '../../controllers/form-submit-controller';
import { PollController } from '../../controllers/poll-controller';
import { formatCount, formatDuration } from '../../ops/ops-format';
import {
  LIMIT_FIELDS,
  limitText,
  parseLimitsInput,
  shareText,
  type LimitField,
} from '../../ops/workspace-limits-input';
import { controlStyles } from '../../styles/controls.styles';
import { settingsPageStyles } from '../../styles/settings-page.styles';
import { themeStyles } from '../../styles/theme.styles';
import styles from './fd-fair-share-panel.styles';

const FIELD_LABELS: Record<LimitField, string> = {
  maxRunning: 'Running at once',
  maxPending: 'Waiting',
  weight: 'Weight',
};
const FIELD_HINTS: Record<LimitField, string> = {
  maxRunning: 'Most of its jobs running at the same time; more wait their turn.',
  maxPending: 'Most of its jobs waiting; submits beyond it are refused (429 quota_exceeded).',
  weight: 'Its share of the workers against other busy workspaces (1–100): 3 gets three times what 1 gets.',
};

/**
 * Fair share between the workspaces of the deployment, in the ops view: per workspace, jobs
 * waiting and running, its limits and its share of the jobs started in the last minute, read from
 * `GET /v1/fair-share` every `poll-interval` ms. Operators see every workspace and edit a
 * workspace's limits (`PUT /v1/workspaces/{id}/limits`); anyone else sees their own workspace's line.
 *
 * @attr poll-interval - Milliseconds between two readings (2000).
 */
@customElement('fd-fair-share-panel')
export class FdFairSharePanel extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, settingsPageStyles, styles];

  /** Setting it starts over. Without it the panel shows nothing. */
  @property({ attribute: false }) api: FairShareApi | undefined;
  @property({ attribute: 'poll-interval', type: Number }) pollInterval = 2_000;

  @state() private share: FairShare | null = null;
  @state() private loadError = '';
  /** Readings stopped for good: the server refused them. */
  @state() private refused = false;
  /** The server has no fair share (`404 route_not_found`): the panel shows nothing. */
  @state() private unavailable = false;
  /** The workspace whose limits the form edits. */
  @state() private editing: WorkspaceShare | null = null;
  @state() private fieldErrors: Partial<Record<LimitField, string>> = {};
  @state() private done = '';

  @query('form.limits') private form?: HTMLFormElement;

  private readonly save = new FormSubmitController(this);
  private readonly readings = new PollController<FairShareApi, FairShare>(this, {
    api: () => this.api,
    interval: () => this.pollInterval,
    read: (api) => api.getFairShare(),
    onRestart: () => {
      this.share = null;
      this.loadError = '';
      this.refused = false;
      this.unavailable = false;
      this.editing = null;
    },
    onReading: (share) => {
      this.share = share;
      this.loadError = '';
    },
    onError: (error) => {
      // A server from before fair share: nothing to show, nothing to say.
      if (error instanceof ApiError && error.code === 'route_not_found') {
        this.unavailable = true;
        return false;
      }
      if (error instanceof ApiError && (error.status === 403 || error.isUnauthorized)) {
        this.refused = true;
        this.loadError = `The fair share is not available: ${error.message}`;
        return false;
      }
      this.loadError = `The fair share could not be read: ${messageOf(error)} Trying again…`;
      return true;
    },
  });

  override render() {
    if (!this.api || this.unavailable) return nothing;
    const share = this.share;
    return html`
      <section class="fair-share" aria-labelledby="fair-share-heading">
        <h3 id="fair-share-heading" class="fair-share__heading">Fair share</h3>
        <p class="hint">${this.introText()}</p>
        <div class="messages">
          ${this.loadError ? html`<p class="alert" role="alert">${this.loadError}</p>` : nothing}
          <p class="done" role="status">${this.done}</p>
        </div>
        ${
          this.refused
            ? nothing
            : !share
              ? html`<p class="empty" role="status">${this.loadError ? 'No data yet.' : 'Loading the fair share…'}</p>`
              : this.renderTable(share)
        }
        ${share?.operator && this.editing ? keyed(this.editing.workspaceId, this.renderForm(this.editing)) : nothing}
      </section>
    `;
  }

  private introText(): string {
    const seconds = this.share?.windowSeconds ?? 60;
    const window = seconds === 60 ? 'minute' : formatDuration(seconds * 1000);
    if (this.share?.operator)
      return `Workers are shared round-robin between the workspaces with jobs waiting, in proportion to their weights. Share: of the jobs started in the last ${window}. Limits in grey are the deployment's defaults.`;
    return `Workers are shared fairly between the workspaces of this deployment. Your workspace's share is of the jobs started in the last ${window}; operators set its limits.`;
  }

  private renderTable(share: FairShare) {
    const operator = share.operator;
    return html`
      <table class="table share-table">
        <caption class="visually-hidden">
          ${operator ? 'Every workspace' : 'Your workspace'}: jobs waiting and running, limits, and share of the workers
        </caption>
        <thead>
          <tr>
            <th scope="col">Workspace</th>
            <th scope="col" class="number">Waiting</th>
            <th scope="col" class="number">Running</th>
            <th scope="col" class="number">Running limit</th>
            <th scope="col" class="number">Waiting limit</th>
            <th scope="col" class="number">Weight</th>
            <th scope="col" class="number">Share of workers</th>
            ${operator ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${repeat(
            share.workspaces,
            (line) => line.workspaceId,
            (line) => this.renderLine(line, operator),
          )}
        </tbody>
      </table>
    `;
  }

  private renderLine(line: WorkspaceShare, operator: boolean) {
    const count = (label: string, value: number) =>
      html`<td class="number"><span class="cell-label">${label}: </span>${formatCount(value)}</td>`;
    const limit = (label: string, field: LimitField) => {
      const { text, isDefault } = limitText(line.limits[field], line.effective[field]);
      return html`<td class="number" data-limit=${field}>
        <span class="cell-label">${label}: </span
        ><span
          class=${isDefault ? 'muted' : 'set'}
          title=${isDefault ? "The deployment's default" : 'Set by an operator'}
          >${text}${isDefault ? html`<span class="visually-hidden"> (default)</span>` : nothing}</span
        >
      </td>`;
    };
    const percent = line.share === null ? 0 : Math.round(line.share * 100);
    return html`
      <tr class="row" data-workspace=${line.workspaceId}>
        <th scope="row" class="cell-name">${line.name} <span class="muted slug">${line.slug}</span></th>
        ${count('Waiting', line.pending)} ${count('Running', line.running)} ${limit('Running limit', 'maxRunning')}
        ${limit('Waiting limit', 'maxPending')} ${limit('Weight', 'weight')}
        <td class="number cell-share">
          <span class="cell-label">Share of workers: </span>
          <span class="share">
            <span class="share__bar" aria-hidden="true"><span style="width: ${percent}%"></span></span>
            ${shareText(line.share)}
          </span>
        </td>
        ${
          operator
            ? html`<td class="cell-actions">
                <button
                  class="button button--quiet"
                  type="button"
                  aria-label="Edit limits of ${line.name}"
                  ?disabled=${this.save.submitting}
                  @click=${() => this.openForm(line)}
                >
                  Edit limits
                </button>
              </td>`
            : nothing
        }
      </tr>
    `;
  }

  private renderForm(line: WorkspaceShare) {
    const defaults = this.share?.defaults;
    return html`
      <form class="panel limits" novalidate aria-labelledby="limits-heading" @submit=${this.onSave}>
        <h4 id="limits-heading" class="panel__heading">Limits of ${line.name}</h4>
        <p class="hint">Leave a field empty for the deployment's default.</p>
        ${this.save.failure ? html`<p class="alert" role="alert">${this.save.failure}</p>` : nothing}
        <div class="limits__fields">
          ${LIMIT_FIELDS.map((field) => {
            const error = this.fieldErrors[field];
            const id = `limit-${field}`;
            const fallback = defaults ? limitText(null, defaults[field]).text : '';
            return html`<div class="field">
              <label for=${id}>${FIELD_LABELS[field]}</label>
              <input
                id=${id}
                class="input"
                name=${field}
                inputmode="numeric"
                autocomplete="off"
                value=${line.limits[field] ?? ''}
                placeholder=${fallback ? `Default: ${fallback}` : ''}
                aria-invalid=${error ? 'true' : 'false'}
                aria-describedby=${error ? `${id}-error ${id}-hint` : `${id}-hint`}
                @input=${() => this.clearError(field)}
              />
              <p id="${id}-hint" class="hint">${FIELD_HINTS[field]}</p>
              ${error ? html`<p id="${id}-error" class="field-error">${error}</p>` : nothing}
            </div>`;
          })}
        </div>
        <div class="limits__actions">
          <button class="button button--primary" type="submit" ?disabled=${this.save.submitting}>
            ${this.save.submitting ? 'Saving…' : 'Save limits'}
          </button>
          <button class="button button--quiet" type="button" @click=${this.closeForm}>Cancel</button>
        </div>
      </form>
    `;
  }

  private async openForm(line: WorkspaceShare): Promise<void> {
    this.editing = line;
    this.fieldErrors = {};
    this.done = '';
    this.save.clear();
    await this.updateComplete;
    this.form?.querySelector('input')?.focus();
  }

  private closeForm = (): void => {
    this.editing = null;
    this.fieldErrors = {};
    this.save.clear();
  };

  private clearError(field: LimitField): void {
    if (!this.fieldErrors[field]) return;
    const { [field]: _cleared, ...rest } = this.fieldErrors;
    this.fieldErrors = rest;
  }

  private async onSave(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const api = this.api;
    const line = this.editing;
    const form = this.form;
    if (!api || !line || !form || this.save.submitting) return;
    this.save.clear();
    this.done = '';
    const data = new FormData(form);
    const values = Object.fromEntries(LIMIT_FIELDS.map((field) => [field, String(data.get(field) ?? '')]));
    const { limits, errors } = parseLimitsInput(values as Record<LimitField, string>);
    this.fieldErrors = errors;
    if (Object.keys(errors).length > 0) {
      await this.updateComplete;
      this.form?.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    await this.save.run(
      async () => {
        const answer = await api.setWorkspaceLimits(line.workspaceId, limits);
        if (api !== this.api) return;
        if (this.share)
          this.share = {
            ...this.share,
            workspaces: this.share.workspaces.map((known) =>
              known.workspaceId === answer.workspaceId
                ? { ...known, limits: answer.limits, effective: answer.effective }
                : known,
            ),
          };
        this.editing = null;
        this.done = `Saved the limits of ${line.name}.`;
      },
      async (error) => {
        const shown = formErrorsOf(error, LIMIT_FIELDS);
        this.fieldErrors = shown.fields;
        return shown.form ? `The limits of ${line.name} were not saved: ${shown.form}` : '';
      },
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-fair-share-panel': FdFairSharePanel;
  }
}
