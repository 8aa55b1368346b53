import type { Job, JobStatus } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { messageOf } from '../../accounts/form-errors';
import type { BulkJobsApi } from '../../api/api-client';
import { bulkDoneEvent } from '../../events/fd-bulk-done';
import { selectionChangeEvent } from '../../events/fd-selection-change';
import { toastEvent } from '../../events/fd-toast';
import {
  chunks,
  confirmationOf,
  countOf,
  doingVerb,
  planBulk,
  summaryOf,
  undoOf,
  undoableNow,
  type BulkAction,
  type BulkResult,
  type UndoPlan,
} from '../../jobs-view/bulk-actions';
import { controlStyles } from '../../styles/controls.styles';
import { themeStyles } from '../../styles/theme.styles';
import type { FdConfirmDialog } from '../fd-confirm-dialog/fd-confirm-dialog.component';
import '../fd-confirm-dialog/fd-confirm-dialog.component';
import { TOAST_LONG_DURATION_MS } from '../fd-toasts/fd-toasts.component';
import styles from './fd-bulk-bar.styles';

/**
 * Acts on the selected jobs at once: "3 selected: Retry · Cancel · Clear". Each action asks first,
 * saying how many jobs it applies to and which selected states it leaves alone; then it calls
 * `POST /v1/jobs/bulk` (200 ids a call), and a toast sums up what happened ("2 retried, 1 not
 * retryable") with an Undo where one is possible: a cancel of waiting jobs is undone by retrying
 * them, a retry by cancelling the jobs that are still waiting.
 *
 * The bar keeps its height whether or not anything is selected, so the table below never moves;
 * on phones the actions rise from the bottom of the screen while something is selected.
 *
 * @event fd-bulk-done - An action was carried out; `detail.action` and `detail.results`. Bubbles and composes.
 * @event fd-selection-change - Clear was pressed; `detail.ids` is empty. Bubbles and composes.
 * @event fd-toast - The summary (with Undo), or why the action failed.
 */
@customElement('fd-bulk-bar')
export class FdBulkBar extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, styles];

  /** The selected jobs, as the view shows them. */
  @property({ attribute: false }) jobs: readonly Job[] = [];
  @property({ attribute: false }) api: BulkJobsApi | undefined;
  /** A job's state now (for Undo: a retried job that started is not cancelled). */
  @property({ attribute: false }) statusOf: (id: string) => JobStatus | undefined = () => undefined;

  @state() private running: BulkAction | null = null;

  @query('fd-confirm-dialog') private confirmDialog!: FdConfirmDialog;

  override render() {
    const count = this.jobs.length;
    const retry = planBulk('retry', this.jobs);
    const cancel = planBulk('cancel', this.jobs);
    return html`
      <div class="slot">
        <div class="bar ${count > 0 ? 'bar--active' : ''}" role="group" aria-label="Bulk actions">
          <p class="count" role="status">
            ${
              this.running
                ? `${doingVerb(this.running)} ${countOf(count, 'job')}…`
                : count > 0
                  ? `${count} selected`
                  : html`<span class="hint">Select jobs to retry or cancel several at once.</span>`
            }
          </p>
          ${
            count > 0
              ? html`
                  <div class="actions">
                    <button
                      class="button button--quiet"
                      type="button"
                      aria-label="Retry selected jobs"
                      title=${retry.applicable.length === 0 ? 'None of the selected jobs is failed or cancelled' : nothing}
                      ?disabled=${this.running !== null || retry.applicable.length === 0}
                      @click=${() => this.act('retry')}
                    >
                      Retry
                    </button>
                    <button
                      class="button button--quiet button--danger"
                      type="button"
                      aria-label="Cancel selected jobs"
                      title=${cancel.applicable.length === 0 ? 'None of the selected jobs is queued, delayed or active' : nothing}
                      ?disabled=${this.running !== null || cancel.applicable.length === 0}
                      @click=${() => this.act('cancel')}
                    >
                      Cancel
                    </button>
                    <button
                      class="button button--quiet"
                      type="button"
                      aria-label="Clear selection"
                      ?disabled=${this.running !== null}
                      @click=${this.clear}
                    >
                      Clear
                    </button>
                  </div>
                `
              : nothing
          }
        </div>
      </div>
      <fd-confirm-dialog></fd-confirm-dialog>
    `;
  }

  private clear(): void {
    this.dispatchEvent(selectionChangeEvent(new Set()));
  }

  private async act(action: BulkAction): Promise<void> {
    const jobs = this.jobs;
    const plan = planBulk(action, jobs);
    if (!this.api || plan.applicable.length === 0 || this.running) return;
    const confirmed = await this.confirmDialog.ask({
      ...confirmationOf(plan),
      dismissLabel: action === 'cancel' ? 'Keep them' : 'Cancel',
      tone: action === 'cancel' ? 'danger' : 'primary',
    });
    if (!confirmed) return;
    const before = new Map(jobs.map((job) => [job.id, job.status] as const));
    this.running = action;
    // Every selected job goes to the server, which says for each what it did: the console's view of
    // a state may be a moment behind.
    const { results, failure } = await this.send(
      action,
      jobs.map((job) => job.id),
    );
    this.running = null;
    if (results.length > 0) {
      const undo = undoOf(action, results, before);
      const summary = summaryOf(action, results);
      this.dispatchEvent(
        toastEvent({
          message: failure ? `${summary}; then it stopped: ${failure}` : `${capital(summary)}.`,
          tone: results.some((result) => result.ok) && !failure ? 'success' : 'error',
          ...(undo ? { action: { label: 'Undo', run: () => this.undo(undo) } } : {}),
          durationMs: TOAST_LONG_DURATION_MS,
        }),
      );
      this.dispatchEvent(bulkDoneEvent(action, results));
    } else if (failure) {
      this.dispatchEvent(
        toastEvent({
          message: `Nothing was ${action === 'retry' ? 'retried' : 'cancelled'}: ${failure}`,
          tone: 'error',
        }),
      );
    }
  }

  /** Undoes a bulk action, for the jobs it still applies to. */
  private async undo(undo: UndoPlan): Promise<void> {
    const ids = undoableNow(undo, this.statusOf);
    const started = undo.ids.length - ids.length;
    if (ids.length === 0) {
      this.dispatchEvent(
        toastEvent({ message: 'Nothing to undo: the retried jobs have already started.', tone: 'info' }),
      );
      return;
    }
    const { results, failure } = await this.send(undo.action, ids);
    const parts = results.length > 0 ? [summaryOf(undo.action, results)] : [];
    if (started > 0) parts.push(`${started} already started`);
    const message = failure
      ? `Undo failed: ${failure}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`
      : `Undone: ${parts.join(', ')}.`;
    this.dispatchEvent(toastEvent({ message, tone: failure ? 'error' : 'success' }));
  }

  private async send(action: BulkAction, ids: readonly string[]): Promise<{ results: BulkResult[]; failure: string }> {
    const results: BulkResult[] = [];
    try {
      for (const chunk of chunks(ids)) results.push(...(await this.api!.bulkJobs({ action, ids: chunk })));
      return { results, failure: '' };
    } catch (error) {
      return { results, failure: messageOf(error) };
    }
  }
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-bulk-bar': FdBulkBar;
  }
}
