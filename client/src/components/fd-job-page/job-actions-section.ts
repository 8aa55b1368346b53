import type { Job, Permission } from '@flightdeck/contract';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { messageOf } from '../../accounts/form-errors';
import { ApiError, type JobDetailsApi, type JobToken } from '../../api/api-client';
import type { FdConfirmDialog } from '../fd-confirm-dialog/fd-confirm-dialog.component';
import type { JobCopyButtons } from './job-copy-buttons';
import type { JobPageData } from './job-page-data';
import { formatWhen } from './job-page-format';
import { renderTime } from './job-time';

type Busy = 'claim' | 'release' | 'cancel' | 'retry' | 'promote' | 'share';

export interface JobActionsContext {
  api(): JobDetailsApi | undefined;
  jobId(): string;
  selfId(): string | null;
  /** Whether the person may (as far as the console knows). */
  may(permission: Permission): boolean;
  confirmDialog(): FdConfirmDialog;
}

/**
 * What a person does to a job from its page: the claim ("I'm on it", release), the actions their
 * role allows (retry, run now, cancel, share live status) and the share snippet. One action at a
 * time; an action's answer shows unless an event already said more. Renders into the page's
 * shadow root (its styles are the page's).
 */
export class JobActionsSection implements ReactiveController {
  private busy: Busy | null = null;
  private claimError = '';
  /** Why the last action failed (shown under the header). */
  actionError = '';
  private shared: JobToken | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly data: JobPageData,
    private readonly copy: JobCopyButtons,
    private readonly context: JobActionsContext,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** A new job: nothing of the last one's errors or share link. */
  reset(): void {
    this.claimError = '';
    this.actionError = '';
    this.shared = null;
  }

  /** Runs an action that answers the job. */
  private async act(
    kind: Busy,
    call: (api: JobDetailsApi, id: string) => Promise<Job>,
    onError: (message: string, error: unknown) => void,
  ): Promise<void> {
    const api = this.context.api();
    if (!api || this.busy) return;
    const ticket = this.data.ticket();
    this.busy = kind;
    this.claimError = '';
    this.actionError = '';
    this.host.requestUpdate();
    try {
      this.data.actionAnswered(ticket, await call(api, this.context.jobId()));
    } catch (error) {
      if (this.data.isCurrent(ticket.generation)) onError(messageOf(error), error);
    } finally {
      if (this.data.isCurrent(ticket.generation)) this.busy = null;
      this.host.requestUpdate();
    }
  }

  private onClaim(): void {
    void this.act(
      'claim',
      (api, id) => api.claimJob(id),
      (message, error) => {
        // The server names the holder ("Bob is already on this job (claimed <time>)"); the time shows elsewhere.
        this.claimError =
          error instanceof ApiError && error.code === 'job_claimed'
            ? message.replace(/\s*\(claimed [^)]*\)/, '')
            : `Could not claim the job: ${message}`;
      },
    );
  }

  private async onRelease(): Promise<void> {
    const holder = this.data.job?.claimedBy;
    if (!holder) return;
    if (holder.id !== this.context.selfId()) {
      const confirmed = await this.context.confirmDialog().ask({
        heading: `Release ${holder.name}'s claim?`,
        message: `${holder.name} said they are on this job. Releasing the claim lets anyone take it.`,
        confirmLabel: 'Release claim',
      });
      if (!confirmed) return;
    }
    void this.act(
      'release',
      (api, id) => api.releaseJob(id),
      (message) => (this.claimError = message),
    );
  }

  private async onCancel(): Promise<void> {
    const job = this.data.job;
    if (!job) return;
    const confirmed = await this.context.confirmDialog().ask({
      heading: 'Cancel this job?',
      message:
        job.status === 'active'
          ? `The ${job.type} job is running: it is told to stop, and ends cancelled. Someone can retry it later.`
          : `The ${job.type} job will not run. Someone can retry it later.`,
      confirmLabel: 'Cancel job',
    });
    if (!confirmed) return;
    void this.act(
      'cancel',
      (api, id) => api.cancelJob(id),
      (message) => (this.actionError = `Could not cancel the job: ${message}`),
    );
  }

  private onRetry(): void {
    void this.act(
      'retry',
      (api, id) => api.retryJob(id),
      (message) => (this.actionError = `Could not retry the job: ${message}`),
    );
  }

  private onPromote(): void {
    void this.act(
      'promote',
      (api, id) => api.promoteJob(id),
      (message) => (this.actionError = `Could not run the job now: ${message}`),
    );
  }

  private async onShare(): Promise<void> {
    const api = this.context.api();
    if (!api || this.busy) return;
    const generation = this.data.currentGeneration;
    this.busy = 'share';
    this.actionError = '';
    this.host.requestUpdate();
    try {
      const token = await api.createJobToken(this.context.jobId());
      if (this.data.isCurrent(generation)) this.shared = token;
    } catch (error) {
      if (this.data.isCurrent(generation)) this.actionError = `Could not make a share link: ${messageOf(error)}`;
    } finally {
      if (this.data.isCurrent(generation)) this.busy = null;
      this.host.requestUpdate();
    }
  }

  renderClaim(job: Job) {
    const holder = job.claimedBy;
    const mine = holder !== null && holder.id === this.context.selfId();
    const mayClaim = this.context.may('jobs:collaborate');
    let control: unknown = nothing;
    if (!holder && mayClaim) {
      control = html`<button
        class="button button--primary"
        type="button"
        ?disabled=${this.busy !== null}
        @click=${() => this.onClaim()}
      >
        ${this.busy === 'claim' ? 'Claiming…' : 'I’m on it'}
      </button>`;
    } else if (holder && mine) {
      control = html`<button
        class="button"
        type="button"
        ?disabled=${this.busy !== null}
        @click=${() => this.onRelease()}
      >
        ${this.busy === 'release' ? 'Releasing…' : 'Release'}
      </button>`;
    } else if (holder && this.context.may('claims:override')) {
      control = html`<button
        class="button"
        type="button"
        ?disabled=${this.busy !== null}
        @click=${() => this.onRelease()}
      >
        Release ${holder.name}’s claim
      </button>`;
    }
    return html`
      <div class="claim" aria-live="polite">
        <p class="claim__holder">
          ${
            holder
              ? html`<span class="claim__dot" aria-hidden="true"></span>
                  <span class="claim__who"
                    >${mine ? html`<strong>You</strong> are` : html`<strong>${holder.name}</strong> is`} on it</span
                  >
                  <span class="claim__since">since ${renderTime(holder.at)}</span>`
              : html`<span class="claim__nobody">Nobody has claimed this job.</span>`
          }
        </p>
        ${control}
        ${this.claimError ? html`<p class="claim__error field-error" role="alert">${this.claimError}</p>` : nothing}
      </div>
    `;
  }

  renderActions(job: Job) {
    const may = (permission: Permission) => this.context.may(permission);
    if (!may('jobs:write') && !may('jobs:share')) return nothing;
    const write = may('jobs:write');
    const disabled = this.busy !== null;
    const canCancel = write && (job.status === 'queued' || job.status === 'delayed' || job.status === 'active');
    const canRetry = write && (job.status === 'failed' || job.status === 'cancelled');
    const canPromote = write && job.status === 'delayed';
    return html`
      <div class="actions" role="group" aria-label="Actions">
        ${
          canRetry
            ? html`<button class="button" type="button" ?disabled=${disabled} @click=${() => this.onRetry()}>
                ${this.busy === 'retry' ? 'Retrying…' : 'Retry'}
              </button>`
            : nothing
        }
        ${
          canPromote
            ? html`<button class="button" type="button" ?disabled=${disabled} @click=${() => this.onPromote()}>
                ${this.busy === 'promote' ? 'Starting…' : 'Run now'}
              </button>`
            : nothing
        }
        ${
          canCancel
            ? html`<button
                class="button button--danger"
                type="button"
                ?disabled=${disabled}
                @click=${() => this.onCancel()}
              >
                ${this.busy === 'cancel' ? 'Cancelling…' : 'Cancel job'}
              </button>`
            : nothing
        }
        ${
          may('jobs:share') && !this.shared
            ? html`<button class="button" type="button" ?disabled=${disabled} @click=${() => this.onShare()}>
                ${this.busy === 'share' ? 'Sharing…' : 'Share live status'}
              </button>`
            : nothing
        }
      </div>
    `;
  }

  renderShared() {
    const shared = this.shared;
    if (!shared) return nothing;
    const snippet = [
      `<script src="${window.location.origin}/embed/fd-job-status.js" defer></script>`,
      `<fd-job-status job="${shared.jobId}" token="${shared.token}"></fd-job-status>`,
    ].join('\n');
    return html`
      <div class="share">
        <label class="label" for="share-snippet">Live status for any web page</label>
        <p class="hint">
          Anyone with this token can watch this one job until ${formatWhen(shared.expiresAt)}, and nothing else.
        </p>
        <div class="share__row">
          <textarea id="share-snippet" class="input share__snippet" rows="3" readonly .value=${snippet}></textarea>
          ${this.copy.render('share', snippet, 'Copy', 'Copy the embed code')}
        </div>
      </div>
    `;
  }
}
