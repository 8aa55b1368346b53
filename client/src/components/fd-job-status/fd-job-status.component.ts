import type { Job, JobStatus } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import styles from './fd-job-status.styles';
import { JobStatusFeed, type JobStatusFeedOptions, type JobStatusView } from './job-status-feed';

/** Each status in words, with a mark so that it does not rest on colour alone. */
const STATUS_TEXT: Record<JobStatus, { label: string; mark: string }> = {
  queued: { label: 'Queued', mark: '○' },
  delayed: { label: 'Scheduled', mark: '◷' },
  active: { label: 'Running', mark: '◐' },
  completed: { label: 'Completed', mark: '✓' },
  failed: { label: 'Failed', mark: '✕' },
  cancelled: { label: 'Cancelled', mark: '–' },
};

/** Results are shown as JSON, up to this many characters. */
const MAX_RESULT_CHARS = 2_000;

/**
 * The live status of one job, for any web page: its type, status, progress, and its result or
 * error once it ends. It needs a job token for that job (issued server-side with
 * `POST /v1/jobs/{id}/token`): with it, it reads the job over REST and follows it over Socket.io,
 * and falls back to reading it every `poll-interval` ms when the socket cannot connect. A token
 * that does not open the job (another job's, invalid, expired) shows "not available" and no data.
 *
 * Built on its own into `embed/fd-job-status.js` (see docs/embedding.md).
 *
 * @attr job - The job's id.
 * @attr token - A job token for that job.
 * @attr api - Origin of the Flightdeck server, e.g. `https://flightdeck.example`; by default the
 *   origin the script was loaded from, else the page's.
 * @attr poll-interval - Milliseconds between two reads when the socket cannot connect (5000).
 *
 * @csspart base - The box.
 * @csspart header - The line with the type and the status.
 * @csspart type - The job's type.
 * @csspart status - The status badge (also `status-<status>`, e.g. `status-failed`).
 * @csspart progress - The progress track.
 * @csspart progress-bar - The filled part of the track.
 * @csspart progress-label - The percentage, in words.
 * @csspart note - How the status is kept up to date (live, or read every few seconds).
 * @csspart result - The result of a completed job.
 * @csspart error - The error of a failed job.
 * @csspart message - Loading, not available, and cancelled texts.
 *
 * @cssprop --fd-status-font - Font family (inherits the page's).
 * @cssprop --fd-status-font-size - Base font size (0.9375rem).
 * @cssprop --fd-status-text - Text colour.
 * @cssprop --fd-status-muted - Secondary text colour.
 * @cssprop --fd-status-background - Background of the box.
 * @cssprop --fd-status-border - Border colour of the box.
 * @cssprop --fd-status-radius - Corner radius of the box and the bar.
 * @cssprop --fd-status-padding - Padding of the box.
 * @cssprop --fd-status-accent - Progress bar and running status.
 * @cssprop --fd-status-track - The progress bar's empty part.
 * @cssprop --fd-status-success - Completed status and bar.
 * @cssprop --fd-status-danger - Failed status, bar and error text.
 */
export class FdJobStatus extends LitElement {
  static override styles: CSSResultGroup = styles;

  /** Where the server is when `api` is not set: the embed bundle sets it to the origin it was loaded from. */
  static defaultServer = '';

  @property() job = '';
  @property() token = '';
  @property() api = '';
  @property({ attribute: 'poll-interval', type: Number }) pollInterval = 5_000;
  /** For tests: how the socket is opened and how REST is fetched. */
  @property({ attribute: false }) transport: Pick<JobStatusFeedOptions, 'connect' | 'fetch'> = {};

  @state() private view: JobStatusView = { kind: 'loading' };

  private feed: JobStatusFeed | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // Put back in the page after being taken out: follow the job again.
    if (this.hasUpdated && !this.feed) this.restart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.feed?.stop();
    this.feed = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.isConnected) return;
    if (!this.feed || changed.has('job') || changed.has('token') || changed.has('api') || changed.has('transport')) {
      // Another job: nothing of the one shown before may stay on screen.
      this.restart(!this.feed || changed.has('job') || changed.has('api'));
    }
  }

  private restart(forget = true): void {
    this.feed?.stop();
    if (forget || this.view.kind !== 'job') this.view = { kind: 'loading' };
    const feed = new JobStatusFeed({
      jobId: this.job.trim(),
      token: this.token.trim(),
      server: (this.api || FdJobStatus.defaultServer).trim().replace(/\/+$/, ''),
      pollIntervalMs: Math.max(1_000, this.pollInterval || 5_000),
      ...this.transport,
      onChange: (view) => {
        if (feed === this.feed) this.view = view;
      },
    });
    this.feed = feed;
    feed.start();
  }

  override render() {
    const view = this.view;
    switch (view.kind) {
      case 'loading':
        return html`<div part="base" class="box" aria-busy="true">
          <p part="message" class="message" role="status">Loading the job's status…</p>
        </div>`;
      case 'unavailable':
        return html`<div part="base" class="box box--unavailable">
          <p part="message" class="message" role="status">
            <span class="mark" aria-hidden="true">⊘</span> This job's status is not available.
          </p>
        </div>`;
      case 'job':
        return this.renderJob(view.job, view.via);
    }
  }

  private renderJob(job: Job, via: 'live' | 'polling') {
    const { label, mark } = STATUS_TEXT[job.status] ?? { label: job.status, mark: '•' };
    // A job that completed is done, whatever its handler last reported.
    const progress = job.status === 'completed' ? 100 : clampProgress(job.progress);
    return html`
      <div part="base" class="box status-${job.status}">
        <div part="header" class="header">
          <span part="type" class="type">${job.type}</span>
          <span part="status status-${job.status}" class="badge" role="status" aria-label="Status: ${label}"
            ><span class="mark" aria-hidden="true">${mark}</span>${label}</span
          >
        </div>
        <div
          part="progress"
          class="track"
          role="progressbar"
          aria-label="Progress"
          aria-valuemin="0"
          aria-valuemax="100"
          aria-valuenow=${progress}
        >
          <div part="progress-bar" class="bar" style=${styleMap({ width: `${progress}%` })}></div>
        </div>
        <div class="meta">
          <span part="progress-label" class="percent">${progress} %</span>
          ${
            job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled'
              ? nothing
              : html`<span part="note" class="note">${via === 'live' ? 'Live' : 'Updated every few seconds'}</span>`
          }
        </div>
        ${job.status === 'completed' ? this.renderResult(job.result) : nothing}
        ${
          job.status === 'failed'
            ? html`<p part="error" class="error" role="alert">${job.error?.message ?? 'The job failed.'}</p>`
            : nothing
        }
        ${job.status === 'cancelled' ? html`<p part="message" class="message">The job was cancelled.</p>` : nothing}
      </div>
    `;
  }

  private renderResult(result: unknown) {
    if (result === null || result === undefined) return nothing;
    const text = JSON.stringify(result, null, 2) ?? String(result);
    const shown = text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}…` : text;
    return html`<div class="result">
      <span class="result__label">Result</span>
      <pre part="result" class="result__value">${shown}</pre>
    </div>`;
  }
}

function clampProgress(value: unknown): number {
  const number = typeof value === 'number' && Number.isFinite(value) ? value : 0;
  return Math.round(Math.min(100, Math.max(0, number)));
}

// Defined here rather than with @customElement: a page may load the embed script twice (or the
// console and the embed both), and a second definition would throw.
if (!customElements.get('fd-job-status')) customElements.define('fd-job-status', FdJobStatus);

declare global {
  interface HTMLElementTagNameMap {
    'fd-job-status': FdJobStatus;
  }
}
