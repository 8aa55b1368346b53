import { isFinalStatus, type Permission } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { can, type WorkspaceAccess } from '../../accounts/workspace-access';
import type { JobDetailsApi } from '../../api/api-client';
import { SubscriptionController } from '../../controllers/subscription-controller';
import { toastEvent, type ToastRequest } from '../../events/fd-toast';
import { viewersOf, type Person, type PresenceSource } from '../../realtime/presence';
import type { StreamListener } from '../../realtime/realtime-client';
import { routePath } from '../../routing/console-routes';
import { controlStyles } from '../../styles/controls.styles';
import { jobStatusStyles } from '../../styles/job-status.styles';
import { statusColorStyles, themeStyles } from '../../styles/theme.styles';
import type { FdConfirmDialog } from '../fd-confirm-dialog/fd-confirm-dialog.component';
import '../fd-confirm-dialog/fd-confirm-dialog.component';
import '../fd-presence-avatars/fd-presence-avatars.component';
import { progressPercent } from '../fd-jobs-table/job-format';
import { renderProgressBar } from '../fd-jobs-table/job-progress-bar';
import styles from './fd-job-page.styles';
import { JobActionsSection } from './job-actions-section';
import { JobCommentsSection } from './job-comments-section';
import { JobCopyButtons } from './job-copy-buttons';
import { JobLogSection } from './job-log-section';
import { JobPageData } from './job-page-data';
import { prettyJson } from './job-page-format';
import { renderActivity, renderFacts } from './job-summary';

/** What the page needs of the realtime client: the workspace's events, and presence. */
export interface JobPageRealtime {
  listen(listener: StreamListener): () => void;
  readonly presence: PresenceSource;
}

/**
 * One job, live: its status and progress, logs as they stream, payload, result, error with stack,
 * attempts and activity (who did what), comments with a typing indicator, the claim ("I'm on it"),
 * and the actions the person's role allows (cancel, retry, run now). Who else has the job open
 * shows as avatars, and what others do to it as toasts ("Bob retried this job", through `fd-toast`).
 *
 * Loads from REST when it opens (and again after a gap in the stream), then follows the
 * workspace's events through `realtime` ({@link JobPageData}); it does not say where the person is
 * (fd-app does, for every page). Every section keeps its room while it loads, so nothing jumps as
 * data arrives. The log, the comments and the actions are sections of their own (job-*-section.ts),
 * rendered into this element's shadow root.
 *
 * @attr job-id - The job to show.
 * @attr workspace - The workspace's slug, for links back to its jobs.
 * @attr current-user-id - Who is looking (a user id, or the API key's id): left out of the avatars, toasts and typing notices.
 * @event fd-toast - What someone else did to the job, or a failure of the page's own (fd-app shows it).
 */
@customElement('fd-job-page')
export class FdJobPage extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, statusColorStyles, controlStyles, jobStatusStyles, styles];

  @property({ attribute: false }) api: JobDetailsApi | undefined;
  @property({ attribute: false }) realtime: JobPageRealtime | undefined;
  /** What the person may do here; null when unknown (everything shows, and the server decides). */
  @property({ attribute: false }) access: WorkspaceAccess | null = null;
  @property({ attribute: 'job-id' }) jobId = '';
  @property() workspace = '';
  @property({ attribute: 'current-user-id' }) currentUserId = '';

  @state() private viewers: readonly Person[] = [];
  @state() private typists: readonly Person[] = [];

  @query('fd-confirm-dialog') private confirmDialog!: FdConfirmDialog;

  private readonly data = new JobPageData(this, {
    toast: (request) => this.toast(request),
    selfId: () => this.selfId,
  });
  private readonly copy = new JobCopyButtons(this, (request) => this.toast(request));
  private readonly logSection = new JobLogSection(this, this.data);
  private readonly comments = new JobCommentsSection(this, this.data, {
    api: () => this.api,
    jobId: () => this.jobId,
    mayComment: () => this.may('jobs:collaborate'),
    typists: () => this.typists,
    typing: () => this.realtime?.presence.typing(this.jobId),
  });
  private readonly actions = new JobActionsSection(this, this.data, this.copy, {
    api: () => this.api,
    jobId: () => this.jobId,
    selfId: () => this.selfId,
    may: (permission) => this.may(permission),
    confirmDialog: () => this.confirmDialog,
  });
  private readonly listening = new SubscriptionController(this, () => this.listen());

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('realtime') && this.isConnected) this.listening.renew();
    if (changed.has('jobId') || changed.has('api')) this.open();
    if (changed.has('currentUserId') || changed.has('jobId')) this.readPresence();
  }

  // ── Loading ────────────────────────────────────────────────────────────────────────────────

  /** Hears the job's events and who else is here, from the realtime client; returns what stops it. */
  private listen(): (() => void) | undefined {
    const realtime = this.realtime;
    if (!realtime) return undefined;
    const stopEvents = realtime.listen(this.data.listener);
    const stopPresence = realtime.presence.subscribe(() => this.readPresence());
    this.readPresence();
    return () => {
      stopEvents();
      stopPresence();
    };
  }

  /** Starts over for the job in `jobId`. */
  private open(): void {
    this.actions.reset();
    this.comments.reset();
    this.logSection.reset();
    this.data.open(this.api, this.jobId);
  }

  private readPresence(): void {
    const presence = this.realtime?.presence;
    if (!presence || !this.jobId) {
      this.viewers = [];
      this.typists = [];
      return;
    }
    const viewers = viewersOf(presence.members, this.jobId, this.selfId);
    if (!samePeople(viewers, this.viewers)) this.viewers = viewers;
    const typists = presence.typists(this.jobId).filter((person) => person.id !== this.selfId);
    if (!samePeople(typists, this.typists)) this.typists = typists;
  }

  private get selfId(): string | null {
    return this.currentUserId || null;
  }

  // ── Actions ────────────────────────────────────────────────────────────────────────────────

  /** Whether the person may (as far as the console knows: unknown access shows everything). */
  private may(permission: Permission): boolean {
    return this.access === null || can(this.access, permission);
  }

  private toast(request: ToastRequest): void {
    this.dispatchEvent(toastEvent(request));
  }

  // ── Rendering ──────────────────────────────────────────────────────────────────────────────

  override render() {
    if (this.data.jobLoad === 'not-found') return this.renderNotFound();
    return html`
      <div class="page">
        <nav class="crumbs" aria-label="Breadcrumb">
          <a href=${this.jobsPath()}><span aria-hidden="true">←</span> Jobs</a>
        </nav>
        ${this.renderHeader()}
        <div class="columns">
          <div class="column column--main">
            ${this.logSection.render()} ${this.renderError()} ${this.renderData('payload', 'Payload')}
            ${this.renderData('result', 'Result')}
          </div>
          <div class="column column--side">
            ${this.comments.render()} ${renderActivity(this.data.activity, this.data.activityLoad)}
          </div>
        </div>
      </div>
      <fd-confirm-dialog></fd-confirm-dialog>
    `;
  }

  private jobsPath(): string {
    return this.workspace ? routePath({ page: 'jobs', workspace: this.workspace }) : '/';
  }

  private renderNotFound() {
    return html`
      <section class="panel not-found" aria-labelledby="job-heading">
        <h2 id="job-heading">Job not found</h2>
        <p>
          There is no job <code class="not-found__id">${this.jobId}</code> in this workspace. The link may be mistyped,
          or the job may belong to another workspace.
        </p>
        <p><a href=${this.jobsPath()}>Back to the jobs</a></p>
      </section>
    `;
  }

  private renderHeader() {
    const job = this.data.job;
    if (!job) return this.renderHeaderPlaceholder();
    const percent = progressPercent(job.progress);
    return html`
      <header class="panel job-header status-${job.status}">
        <div class="job-header__top">
          <div class="job-header__identity">
            <h2 id="job-heading" class="job-title">${job.type}</h2>
            <span class="status" aria-live="polite" aria-atomic="true">
              <span class="visually-hidden">Status:</span>
              <span class="badge" data-status=${job.status}>${job.status}</span>
            </span>
          </div>
          <div class="viewers">
            ${
              this.viewers.length > 0 ? html`<span class="viewers__label" aria-hidden="true">Also here</span>` : nothing
            }
            <fd-presence-avatars label="Also viewing this job" .people=${this.viewers}></fd-presence-avatars>
          </div>
        </div>
        <div class="job-id">
          <span class="job-id__label">ID</span>
          <code class="job-id__value">${job.id}</code>
          ${this.copy.render('id', job.id, 'Copy ID', 'Copy ID of this job')}
        </div>
        <div class="job-progress">
          ${renderProgressBar(percent, 'Progress')}
          <span class="job-progress__percent" aria-hidden="true">${percent}%</span>
        </div>
        ${renderFacts(job)}
        <div class="job-header__controls">${this.actions.renderClaim(job)} ${this.actions.renderActions(job)}</div>
        ${
          this.actions.actionError
            ? html`<p class="alert job-header__error" role="alert">${this.actions.actionError}</p>`
            : nothing
        }
        ${this.actions.renderShared()}
      </header>
    `;
  }

  /** The header while the job loads: the same rows, so nothing moves when it arrives. */
  private renderHeaderPlaceholder() {
    const placeholder = html`<span class="skeleton skeleton--text" aria-hidden="true"></span>`;
    return html`
      <header class="panel job-header" aria-busy="true">
        <div class="job-header__top">
          <h2 id="job-heading" class="job-title">
            <span class="visually-hidden">Job ${this.jobId}</span>
            <span class="skeleton skeleton--title" aria-hidden="true"></span>
          </h2>
        </div>
        <div class="job-id">
          <span class="job-id__label">ID</span>
          <code class="job-id__value">${this.jobId}</code>
          ${this.copy.render('id', this.jobId, 'Copy ID', 'Copy ID of this job')}
        </div>
        <div class="job-progress" aria-hidden="true">
          <span class="bar"></span>
          <span class="job-progress__percent">${'\u00a0'}</span>
        </div>
        <dl class="facts" aria-hidden="true">
          ${['Queue', 'Attempts', 'Created', 'Started', 'Finished', 'Took'].map(
            (term) =>
              html`<div class="fact">
                <dt>${term}</dt>
                <dd>${placeholder}</dd>
              </div>`,
          )}
        </dl>
        <div class="job-header__controls">
          ${
            this.data.jobLoad === 'failed'
              ? html`<p class="alert job-loading" role="alert">
                  Could not load this job: ${this.data.jobLoadError}
                  <button class="button button--quiet" type="button" @click=${() => this.open()}>Try again</button>
                </p>`
              : html`<p class="job-loading" role="status">Loading the job…</p>`
          }
        </div>
      </header>
    `;
  }

  private renderError() {
    const error = this.data.job?.error;
    if (!error) return nothing;
    const stack = this.data.job?.errorStack;
    return html`
      <section class="panel section section--error" aria-labelledby="error-heading">
        <h3 id="error-heading">Error</h3>
        <p class="error__message">${error.message}</p>
        ${
          stack
            ? html`<details class="error__stack">
                <summary>Stack trace</summary>
                <pre class="code" tabindex="0" role="group" aria-label="Stack trace">${stack}</pre>
              </details>`
            : nothing
        }
      </section>
    `;
  }

  private renderData(field: 'payload' | 'result', title: string) {
    const job = this.data.job;
    const id = `${field}-heading`;
    let body: unknown;
    if (!job) body = html`<div class="skeleton skeleton--block" aria-hidden="true"></div>`;
    else if (field === 'result' && (job.result === null || job.result === undefined))
      body = html`<p class="muted">
        ${job.status === 'completed' ? 'The job returned nothing.' : isFinalStatus(job.status) ? 'No result: the job did not complete.' : 'No result yet: it appears when the job completes.'}
      </p>`;
    else {
      const text = prettyJson(job[field]);
      // Focusable so that a keyboard scrolls it; a group, so that it is named after its heading.
      body = html`
        <div class="data">
          <pre class="code data__code" tabindex="0" role="group" aria-labelledby=${id}>${text}</pre>
          ${this.copy.render(field, text, 'Copy', `Copy the ${field}`)}
        </div>
      `;
    }
    return html`
      <section class="panel section" aria-labelledby=${id}>
        <h3 id=${id}>${title}</h3>
        ${body}
      </section>
    `;
  }
}

function samePeople(a: readonly Person[], b: readonly Person[]): boolean {
  return (
    a.length === b.length && a.every((person, index) => person.id === b[index]!.id && person.name === b[index]!.name)
  );
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-job-page': FdJobPage;
  }
}
