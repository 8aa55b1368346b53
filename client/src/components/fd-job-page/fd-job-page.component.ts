import {
  COLLABORATION_LIMITS,
  isFinalStatus,
  type ActivityEntry,
  type Comment,
  type Job,
  type Permission,
  type StreamEvent,
} from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { messageOf } from '../../accounts/form-errors';
import { can, type WorkspaceAccess } from '../../accounts/workspace-access';
import { ApiError, type JobDetailsApi, type JobToken } from '../../api/api-client';
import { toastEvent, type ToastRequest } from '../../events/fd-toast';
import { typingText, viewersOf, type Person, type PresenceSource } from '../../realtime/presence';
import type { StreamListener } from '../../realtime/realtime-client';
import { routePath } from '../../routing/console-routes';
import { controlStyles } from '../../styles/controls.styles';
import { jobStatusStyles } from '../../styles/job-status.styles';
import { statusColorStyles, themeStyles } from '../../styles/theme.styles';
import type { FdConfirmDialog } from '../fd-confirm-dialog/fd-confirm-dialog.component';
import '../fd-confirm-dialog/fd-confirm-dialog.component';
import '../fd-presence-avatars/fd-presence-avatars.component';
import { progressPercent } from '../fd-jobs-table/job-format';
import { copyText } from './copy-text';
import styles from './fd-job-page.styles';
import {
  activityOfEvent,
  actorName,
  attemptsOf,
  describeActivity,
  jobAfterEvent,
  mergeActivity,
  mergeComments,
  toastOfEvent,
  type Attempt,
} from './job-activity';
import { emptyLog, lineCount, logAfterEvent, logPageLoaded, visibleLog, type LogState } from './job-logs';
import {
  durationBetween,
  formatDuration,
  formatFullTime,
  formatWhen,
  prettyJson,
  sendShortcutLabel,
} from './job-page-format';

/** What the page needs of the realtime client: the workspace's events, and presence. */
export interface JobPageRealtime {
  listen(listener: StreamListener): () => void;
  readonly presence: PresenceSource;
}

type Loading = 'loading' | 'ready' | 'failed';

/** How many log lines a REST page reads. */
const LOG_PAGE_SIZE = 500;
/** How many comments the page reads at most when it opens. */
const MAX_COMMENT_PAGES = 5;
/** How close to the bottom of the log counts as "at the bottom" (follows new lines). */
const PINNED_SLACK_PX = 24;

/**
 * One job, live: its status and progress, logs as they stream, payload, result, error with stack,
 * attempts and activity (who did what), comments with a typing indicator, the claim ("I'm on it"),
 * and the actions the person's role allows (cancel, retry, run now). Who else has the job open
 * shows as avatars, and what others do to it as toasts ("Bob retried this job", through `fd-toast`).
 *
 * Loads from REST when it opens (and again after a gap in the stream), then follows the
 * workspace's events through `realtime`; it does not say where the person is (fd-app does, for
 * every page). Every section keeps its room while it loads, so nothing jumps as data arrives.
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

  @state() private job: Job | null = null;
  @state() private jobLoad: Loading | 'not-found' = 'loading';
  @state() private jobLoadError = '';
  @state() private log: LogState = emptyLog();
  @state() private logLoad: Loading = 'loading';
  @state() private logMoreLoading = false;
  @state() private comments: readonly Comment[] = [];
  @state() private commentsLoad: Loading = 'loading';
  @state() private activity: readonly ActivityEntry[] = [];
  @state() private activityLoad: Loading = 'loading';
  @state() private viewers: readonly Person[] = [];
  @state() private typists: readonly Person[] = [];
  @state() private busy: 'claim' | 'release' | 'cancel' | 'retry' | 'promote' | 'share' | null = null;
  @state() private claimError = '';
  @state() private actionError = '';
  @state() private commentError = '';
  @state() private sending = false;
  @state() private copied = '';
  @state() private followLog = true;
  @state() private unseenLines = false;
  @state() private shared: JobToken | null = null;

  @query('fd-confirm-dialog') private confirmDialog!: FdConfirmDialog;
  @query('#comment-body') private commentField?: HTMLTextAreaElement;
  @query('.log') private logBox?: HTMLElement;

  /** Bumped for every new job (or API): answers about an older one are dropped. */
  private generation = 0;
  /** Events that arrived before the job did, applied to it once it is read. */
  private early: StreamEvent[] = [];
  /** Activity entries seen live (kept across reloads of the list, until it holds them too). */
  private liveActivity: ActivityEntry[] = [];
  /** Comments seen live (merged into every list read). */
  private liveComments: Comment[] = [];
  /** How many of this job's events arrived: an action's answer is newer only when none did meanwhile. */
  private eventCount = 0;
  private stopListening: (() => void) | undefined;
  private copiedTimer: ReturnType<typeof setTimeout> | undefined;
  private lastLineCount = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    this.listen();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening?.();
    this.stopListening = undefined;
    clearTimeout(this.copiedTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('realtime') && this.isConnected) this.listen();
    if (changed.has('jobId') || changed.has('api')) this.open();
    if (changed.has('currentUserId') || changed.has('jobId')) this.readPresence();
  }

  protected override updated(): void {
    const count = lineCount(visibleLog(this.log));
    if (count !== this.lastLineCount) {
      const grew = count > this.lastLineCount;
      this.lastLineCount = count;
      if (this.followLog) this.scrollLogToEnd();
      else if (grew) this.unseenLines = true;
    }
  }

  // ── Loading ────────────────────────────────────────────────────────────────────────────────

  private listen(): void {
    this.stopListening?.();
    const realtime = this.realtime;
    if (!realtime) {
      this.stopListening = undefined;
      return;
    }
    const stopEvents = realtime.listen({
      event: (event) => this.onEvent(event),
      reloaded: () => this.reload(),
    });
    const stopPresence = realtime.presence.subscribe(() => this.readPresence());
    this.stopListening = () => {
      stopEvents();
      stopPresence();
    };
    this.readPresence();
  }

  /** Starts over for the job in `jobId`. */
  private open(): void {
    const generation = ++this.generation;
    this.job = null;
    this.jobLoad = 'loading';
    this.jobLoadError = '';
    this.log = emptyLog();
    this.logLoad = 'loading';
    this.comments = [];
    this.commentsLoad = 'loading';
    this.activity = [];
    this.activityLoad = 'loading';
    this.early = [];
    this.liveActivity = [];
    this.liveComments = [];
    this.claimError = '';
    this.actionError = '';
    this.commentError = '';
    this.shared = null;
    this.followLog = true;
    this.unseenLines = false;
    this.lastLineCount = 0;
    if (!this.api || !this.jobId) return;
    void this.loadJob(generation);
    void this.loadLog(generation);
    void this.loadComments(generation);
    void this.loadActivity(generation);
  }

  /** After a gap in the stream: read everything again (what arrived live stays). */
  private reload(): void {
    if (!this.api || !this.jobId || this.jobLoad === 'not-found') return;
    const generation = this.generation;
    void this.loadJob(generation);
    void this.loadLog(generation);
    void this.loadComments(generation);
    void this.loadActivity(generation);
  }

  private async loadJob(generation: number): Promise<void> {
    try {
      let job = await this.api!.getJob(this.jobId);
      if (generation !== this.generation) return;
      for (const event of this.early.splice(0)) job = jobAfterEvent(job, event);
      this.job = job;
      this.jobLoad = 'ready';
    } catch (error) {
      if (generation !== this.generation) return;
      // Another workspace's job is "not found" too (the API says so on purpose); so is an id that cannot be one.
      if (error instanceof ApiError && (error.status === 404 || error.status === 400 || error.status === 422)) {
        this.jobLoad = 'not-found';
      } else if (!this.job) {
        this.jobLoad = 'failed';
        this.jobLoadError = messageOf(error);
      }
    }
  }

  private async loadLog(generation: number): Promise<void> {
    try {
      const page = await this.api!.jobLogs(this.jobId, { limit: LOG_PAGE_SIZE });
      if (generation !== this.generation) return;
      this.log = logPageLoaded(this.log, page, false);
      this.logLoad = 'ready';
    } catch {
      if (generation === this.generation && this.logLoad !== 'ready') this.logLoad = 'failed';
    }
  }

  private async loadMoreLog(): Promise<void> {
    const cursor = this.log.cursor;
    if (!this.api || cursor === null || this.logMoreLoading) return;
    const generation = this.generation;
    this.logMoreLoading = true;
    try {
      const page = await this.api.jobLogs(this.jobId, { cursor, limit: LOG_PAGE_SIZE });
      if (generation === this.generation) this.log = logPageLoaded(this.log, page, true);
    } catch (error) {
      if (generation === this.generation)
        this.toast({ message: `Could not load more log lines: ${messageOf(error)}`, tone: 'error' });
    } finally {
      if (generation === this.generation) this.logMoreLoading = false;
    }
  }

  private async loadComments(generation: number): Promise<void> {
    try {
      const items: Comment[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_COMMENT_PAGES; page++) {
        const answer = await this.api!.jobComments(this.jobId, {
          limit: COLLABORATION_LIMITS.maxCommentListLimit,
          ...(cursor ? { cursor } : {}),
        });
        items.push(...answer.items);
        if (answer.nextCursor === null) break;
        cursor = answer.nextCursor;
      }
      if (generation !== this.generation) return;
      this.comments = mergeComments(items, this.liveComments);
      this.commentsLoad = 'ready';
    } catch {
      if (generation === this.generation && this.commentsLoad !== 'ready') this.commentsLoad = 'failed';
    }
  }

  private async loadActivity(generation: number): Promise<void> {
    try {
      const items = await this.api!.jobActivity(this.jobId);
      if (generation !== this.generation) return;
      this.activity = mergeActivity(items, this.liveActivity);
      this.activityLoad = 'ready';
    } catch {
      if (generation === this.generation && this.activityLoad !== 'ready') this.activityLoad = 'failed';
    }
  }

  // ── Live ───────────────────────────────────────────────────────────────────────────────────

  private onEvent(event: StreamEvent): void {
    const id = this.jobId;
    if (!id || (event.jobId ?? event.job?.id) !== id) return;
    this.eventCount++;
    const before = this.job;
    if (before) this.job = jobAfterEvent(before, event);
    else this.early.push(event);
    this.log = logAfterEvent(this.log, event, id);
    if (event.type === 'comment.created' && event.comment) {
      this.liveComments.push(event.comment);
      this.comments = mergeComments(this.comments, [event.comment]);
    }
    const entry = activityOfEvent(event);
    if (entry) {
      this.liveActivity.push(entry);
      this.activity = mergeActivity(this.activity, [entry]);
    }
    const toast = toastOfEvent(event, id, this.selfId);
    if (toast) this.toast({ message: toast, tone: 'info' });
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

  /** Runs an action that answers the job; its answer is shown unless an event already said more. */
  private async act(
    kind: NonNullable<FdJobPage['busy']>,
    call: (api: JobDetailsApi, id: string) => Promise<Job>,
    onError: (message: string, error: unknown) => void,
  ): Promise<void> {
    if (!this.api || this.busy) return;
    const generation = this.generation;
    const events = this.eventCount;
    this.busy = kind;
    this.claimError = '';
    this.actionError = '';
    try {
      const job = await call(this.api, this.jobId);
      if (generation === this.generation && this.eventCount === events && this.job)
        this.job = { ...this.job, ...job, payload: job.payload ?? this.job.payload };
    } catch (error) {
      if (generation === this.generation) onError(messageOf(error), error);
    } finally {
      if (generation === this.generation) this.busy = null;
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
    const holder = this.job?.claimedBy;
    if (!holder) return;
    if (holder.id !== this.selfId) {
      const confirmed = await this.confirmDialog.ask({
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
    const job = this.job;
    if (!job) return;
    const confirmed = await this.confirmDialog.ask({
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
    if (!this.api || this.busy) return;
    const generation = this.generation;
    this.busy = 'share';
    this.actionError = '';
    try {
      const token = await this.api.createJobToken(this.jobId);
      if (generation === this.generation) this.shared = token;
    } catch (error) {
      if (generation === this.generation) this.actionError = `Could not make a share link: ${messageOf(error)}`;
    } finally {
      if (generation === this.generation) this.busy = null;
    }
  }

  private async onCommentSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    await this.sendComment();
  }

  private async sendComment(): Promise<void> {
    const field = this.commentField;
    if (!this.api || !field || this.sending) return;
    const body = field.value.trim();
    if (!body) {
      this.commentError = 'Write something first.';
      field.focus();
      return;
    }
    if (body.length > COLLABORATION_LIMITS.maxCommentLength) {
      this.commentError = `A comment can be at most ${COLLABORATION_LIMITS.maxCommentLength} characters.`;
      field.focus();
      return;
    }
    const generation = this.generation;
    this.sending = true;
    this.commentError = '';
    try {
      const comment = await this.api.addComment(this.jobId, body);
      if (generation !== this.generation) return;
      this.liveComments.push(comment);
      this.comments = mergeComments(this.comments, [comment]);
      if (field.value.trim() === body) field.value = '';
    } catch (error) {
      if (generation === this.generation) this.commentError = `Your comment was not posted: ${messageOf(error)}`;
    } finally {
      if (generation === this.generation) this.sending = false;
      await this.updateComplete;
      this.commentField?.focus();
    }
  }

  private onCommentInput(): void {
    if (this.commentError && this.commentField?.value.trim()) this.commentError = '';
    if (this.commentField?.value.trim()) this.realtime?.presence.typing(this.jobId);
  }

  private onCommentKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      void this.sendComment();
    }
  }

  private async onCopy(what: string, text: string): Promise<void> {
    const ok = await copyText(text);
    clearTimeout(this.copiedTimer);
    this.copied = ok ? what : '';
    if (!ok) this.toast({ message: 'Could not copy: select the text and copy it yourself.', tone: 'error' });
    this.copiedTimer = setTimeout(() => (this.copied = ''), 2_000);
  }

  private toast(request: ToastRequest): void {
    this.dispatchEvent(toastEvent(request));
  }

  // ── The log's scrolling ────────────────────────────────────────────────────────────────────

  private onLogScroll(): void {
    const box = this.logBox;
    if (!box) return;
    const atEnd = box.scrollHeight - box.scrollTop - box.clientHeight <= PINNED_SLACK_PX;
    if (atEnd !== this.followLog) this.followLog = atEnd;
    if (atEnd) this.unseenLines = false;
  }

  private scrollLogToEnd(): void {
    const box = this.logBox;
    if (box) box.scrollTop = box.scrollHeight;
    this.unseenLines = false;
  }

  private onJumpToLatest(): void {
    this.followLog = true;
    this.scrollLogToEnd();
    this.logBox?.focus();
  }

  // ── Rendering ──────────────────────────────────────────────────────────────────────────────

  override render() {
    if (this.jobLoad === 'not-found') return this.renderNotFound();
    return html`
      <div class="page">
        <nav class="crumbs" aria-label="Breadcrumb">
          <a href=${this.jobsPath()}><span aria-hidden="true">←</span> Jobs</a>
        </nav>
        ${this.renderHeader()}
        <div class="columns">
          <div class="column column--main">
            ${this.renderLogs()} ${this.renderError()} ${this.renderData('payload', 'Payload')}
            ${this.renderData('result', 'Result')}
          </div>
          <div class="column column--side">${this.renderComments()} ${this.renderActivity()}</div>
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
    const job = this.job;
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
          ${this.renderCopyButton('id', job.id, 'Copy ID', 'Copy ID of this job')}
        </div>
        <div class="job-progress">
          <span
            class="bar"
            role="progressbar"
            aria-label="Progress"
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=${percent}
            aria-valuetext="${percent}%"
            style=${styleMap({ '--_progress': String(percent / 100) })}
          >
            <span class="bar__fill"></span>
          </span>
          <span class="job-progress__percent" aria-hidden="true">${percent}%</span>
        </div>
        ${this.renderFacts(job)}
        <div class="job-header__controls">${this.renderClaim(job)} ${this.renderActions(job)}</div>
        ${this.actionError ? html`<p class="alert job-header__error" role="alert">${this.actionError}</p>` : nothing}
        ${this.renderShared()}
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
          ${this.renderCopyButton('id', this.jobId, 'Copy ID', 'Copy ID of this job')}
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
            this.jobLoad === 'failed'
              ? html`<p class="alert job-loading" role="alert">
                  Could not load this job: ${this.jobLoadError}
                  <button class="button button--quiet" type="button" @click=${() => this.open()}>Try again</button>
                </p>`
              : html`<p class="job-loading" role="status">Loading the job…</p>`
          }
        </div>
      </header>
    `;
  }

  private renderFacts(job: Job) {
    const ran = durationBetween(job.startedAt, job.finishedAt);
    const waited = durationBetween(job.createdAt, job.startedAt);
    const facts: [string, unknown][] = [
      ['Queue', job.queue],
      ['Attempts', `${job.attemptsMade} of ${job.attempts}`],
      ['Created', this.renderTime(job.createdAt)],
      [
        job.status === 'delayed' ? 'Runs at' : 'Started',
        job.status === 'delayed' ? this.renderTime(job.runAt) : this.renderTime(job.startedAt),
      ],
      ['Finished', this.renderTime(job.finishedAt)],
      ['Took', ran !== null ? formatDuration(ran) : waited !== null ? `waited ${formatDuration(waited)}` : '—'],
    ];
    return html`
      <dl class="facts">
        ${facts.map(
          ([term, value]) =>
            html`<div class="fact">
              <dt>${term}</dt>
              <dd>${value}</dd>
            </div>`,
        )}
      </dl>
    `;
  }

  private renderTime(iso: string | null) {
    if (!iso) return '—';
    return html`<time datetime=${iso} title=${formatFullTime(iso)}>${formatWhen(iso)}</time>`;
  }

  private renderClaim(job: Job) {
    const holder = job.claimedBy;
    const mine = holder !== null && holder.id === this.selfId;
    const mayClaim = this.may('jobs:collaborate');
    let control: unknown = nothing;
    if (!holder && mayClaim) {
      control = html`<button
        class="button button--primary"
        type="button"
        ?disabled=${this.busy !== null}
        @click=${this.onClaim}
      >
        ${this.busy === 'claim' ? 'Claiming…' : 'I’m on it'}
      </button>`;
    } else if (holder && mine) {
      control = html`<button class="button" type="button" ?disabled=${this.busy !== null} @click=${this.onRelease}>
        ${this.busy === 'release' ? 'Releasing…' : 'Release'}
      </button>`;
    } else if (holder && this.may('claims:override')) {
      control = html`<button class="button" type="button" ?disabled=${this.busy !== null} @click=${this.onRelease}>
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
                  <span class="claim__since">since ${this.renderTime(holder.at)}</span>`
              : html`<span class="claim__nobody">Nobody has claimed this job.</span>`
          }
        </p>
        ${control}
        ${this.claimError ? html`<p class="claim__error field-error" role="alert">${this.claimError}</p>` : nothing}
      </div>
    `;
  }

  private renderActions(job: Job) {
    if (!this.may('jobs:write') && !this.may('jobs:share')) return nothing;
    const write = this.may('jobs:write');
    const disabled = this.busy !== null;
    const canCancel = write && (job.status === 'queued' || job.status === 'delayed' || job.status === 'active');
    const canRetry = write && (job.status === 'failed' || job.status === 'cancelled');
    const canPromote = write && job.status === 'delayed';
    return html`
      <div class="actions" role="group" aria-label="Actions">
        ${
          canRetry
            ? html`<button class="button" type="button" ?disabled=${disabled} @click=${this.onRetry}>
                ${this.busy === 'retry' ? 'Retrying…' : 'Retry'}
              </button>`
            : nothing
        }
        ${
          canPromote
            ? html`<button class="button" type="button" ?disabled=${disabled} @click=${this.onPromote}>
                ${this.busy === 'promote' ? 'Starting…' : 'Run now'}
              </button>`
            : nothing
        }
        ${
          canCancel
            ? html`<button class="button button--danger" type="button" ?disabled=${disabled} @click=${this.onCancel}>
                ${this.busy === 'cancel' ? 'Cancelling…' : 'Cancel job'}
              </button>`
            : nothing
        }
        ${
          this.may('jobs:share') && !this.shared
            ? html`<button class="button" type="button" ?disabled=${disabled} @click=${this.onShare}>
                ${this.busy === 'share' ? 'Sharing…' : 'Share live status'}
              </button>`
            : nothing
        }
      </div>
    `;
  }

  private renderShared() {
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
          ${this.renderCopyButton('share', snippet, 'Copy', 'Copy the embed code')}
        </div>
      </div>
    `;
  }

  /** `accessibleLabel` starts with the visible `label`, so that people who speak commands can say what they see. */
  private renderCopyButton(what: string, text: string, label: string, accessibleLabel: string) {
    const done = this.copied === what;
    return html`<button
      class="button button--quiet copy"
      type="button"
      aria-label=${accessibleLabel}
      @click=${() => this.onCopy(what, text)}
    >
      <span aria-hidden="true">${done ? 'Copied' : label}</span>
      <span class="visually-hidden" aria-live="polite">${done ? 'Copied' : ''}</span>
    </button>`;
  }

  private renderLogs() {
    const view = visibleLog(this.log);
    const count = lineCount(view);
    const empty = this.logLoad === 'ready' && count === 0 && !view.gap;
    const line = (entry: { line: string }) => html`<div class="log__line">${entry.line}</div>`;
    return html`
      <section class="panel section" aria-labelledby="logs-heading">
        <div class="section__header">
          <h3 id="logs-heading">Logs</h3>
          <span class="section__meta">${count > 0 ? `${count} ${count === 1 ? 'line' : 'lines'}` : ''}</span>
        </div>
        <div class="log-wrap">
          <div
            class="log"
            role="log"
            aria-live="polite"
            aria-labelledby="logs-heading"
            tabindex="0"
            @scroll=${this.onLogScroll}
          >
            ${
              this.logLoad === 'loading' && count === 0
                ? html`<p class="log__note">Loading logs…</p>`
                : this.logLoad === 'failed' && count === 0
                  ? html`<p class="log__note">Could not load the logs. New lines still show here as they come.</p>`
                  : empty
                    ? html`<p class="log__note">
                        ${this.job && !isFinalStatus(this.job.status) ? 'No log lines yet. They appear here as the job writes them.' : 'This job wrote no log lines.'}
                      </p>`
                    : nothing
            }
            ${view.lines.map(line)}
            ${
              view.gap
                ? html`<div class="log__gap">
                    <button
                      class="button button--quiet"
                      type="button"
                      ?disabled=${this.logMoreLoading}
                      @click=${this.loadMoreLog}
                    >
                      ${this.logMoreLoading ? 'Loading…' : 'Load more lines'}
                    </button>
                  </div>`
                : nothing
            }
            ${view.after.map(line)}
          </div>
          ${
            this.unseenLines && !this.followLog
              ? html`<button class="button button--quiet log__jump" type="button" @click=${this.onJumpToLatest}>
                  New lines below <span aria-hidden="true">↓</span>
                </button>`
              : nothing
          }
        </div>
      </section>
    `;
  }

  private renderError() {
    const error = this.job?.error;
    if (!error) return nothing;
    const stack = this.job?.errorStack;
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
    const job = this.job;
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
          ${this.renderCopyButton(field, text, 'Copy', `Copy the ${field}`)}
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

  private renderComments() {
    const mayComment = this.may('jobs:collaborate');
    const typing = typingText(this.typists);
    const shortcut = sendShortcutLabel(navigator.platform || navigator.userAgent);
    return html`
      <section class="panel section" aria-labelledby="comments-heading">
        <div class="section__header">
          <h3 id="comments-heading">Comments</h3>
          <span class="section__meta">${this.comments.length > 0 ? this.comments.length : ''}</span>
        </div>
        ${
          this.commentsLoad === 'loading' && this.comments.length === 0
            ? html`<p class="muted comments__note">Loading comments…</p>`
            : this.commentsLoad === 'failed' && this.comments.length === 0
              ? html`<p class="muted comments__note">Could not load the comments. New ones still show here.</p>`
              : this.comments.length === 0
                ? html`<p class="muted comments__note">No comments yet. Say what you found, or what you are trying.</p>`
                : html`<ol class="comments" aria-label="Comments, oldest first">
                    ${repeat(
                      this.comments,
                      (comment) => comment.id,
                      (comment) => html`
                        <li class="comment">
                          <div class="comment__meta">
                            <fd-presence-avatars
                              class="comment__avatar"
                              aria-hidden="true"
                              .people=${[comment.author]}
                            ></fd-presence-avatars>
                            <strong class="comment__author">${actorName(comment.author)}</strong>
                            ${this.renderTime(comment.createdAt)}
                          </div>
                          <p class="comment__body">${comment.body}</p>
                        </li>
                      `,
                    )}
                  </ol>`
        }
        ${
          mayComment
            ? html`
                <form class="composer" novalidate @submit=${this.onCommentSubmit}>
                  <label class="label" for="comment-body">Add a comment</label>
                  <textarea
                    id="comment-body"
                    class="input composer__field"
                    rows="3"
                    maxlength=${COLLABORATION_LIMITS.maxCommentLength}
                    aria-invalid=${this.commentError ? 'true' : 'false'}
                    aria-describedby="comment-hint ${this.commentError ? 'comment-error' : ''}"
                    @input=${this.onCommentInput}
                    @keydown=${this.onCommentKeydown}
                  ></textarea>
                  ${
                    this.commentError
                      ? html`<p id="comment-error" class="field-error" role="alert">${this.commentError}</p>`
                      : nothing
                  }
                  <p class="typing" aria-live="polite">${typing}</p>
                  <div class="composer__footer">
                    <span id="comment-hint" class="hint composer__hint">${shortcut} to send</span>
                    <button class="button button--primary" type="submit" ?disabled=${this.sending}>
                      ${this.sending ? 'Posting…' : 'Comment'}
                    </button>
                  </div>
                </form>
              `
            : html`
                <p class="typing" aria-live="polite">${typing}</p>
                <p class="muted">Viewers read the comments; members and above write them.</p>
              `
        }
      </section>
    `;
  }

  private renderActivity() {
    const attempts = attemptsOf(this.activity);
    return html`
      <section class="panel section" aria-labelledby="activity-heading">
        <h3 id="activity-heading">Activity</h3>
        ${attempts.length > 0 ? this.renderAttempts(attempts) : nothing}
        ${
          this.activityLoad === 'loading' && this.activity.length === 0
            ? html`<p class="muted">Loading activity…</p>`
            : this.activityLoad === 'failed' && this.activity.length === 0
              ? html`<p class="muted">Could not load the activity. What happens from now on shows here.</p>`
              : html`<ol class="activity" aria-label="Activity, oldest first">
                  ${this.activity.map(
                    (entry) => html`
                      <li class="activity__item activity__item--${entry.actor ? 'person' : 'job'}">
                        <span class="activity__text">${describeActivity(entry)}</span>
                        ${this.renderTime(entry.at)}
                      </li>
                    `,
                  )}
                </ol>`
        }
      </section>
    `;
  }

  private renderAttempts(attempts: Attempt[]) {
    return html`
      <h4 class="subheading" id="attempts-heading">Attempts</h4>
      <ol class="attempts" aria-labelledby="attempts-heading">
        ${attempts.map((attempt) => {
          const took = durationBetween(attempt.startedAt, attempt.endedAt);
          const outcome =
            attempt.outcome === 'running'
              ? 'running'
              : attempt.outcome === 'retrying'
                ? 'failed, retried'
                : attempt.outcome;
          const status =
            attempt.outcome === 'retrying' ? 'failed' : attempt.outcome === 'running' ? 'active' : attempt.outcome;
          return html`
            <li class="attempt status-${status}">
              <span class="attempt__number">#${attempt.number}</span>
              <span class="badge">${outcome}</span>
              <span class="attempt__time">${took !== null ? formatDuration(took) : ''}</span>
              ${attempt.error ? html`<span class="attempt__error">${attempt.error}</span>` : nothing}
            </li>
          `;
        })}
      </ol>
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
