import type { Job } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { statusColorStyles, themeStyles } from '../../styles/theme.styles';
import styles from './fd-jobs-table.styles';
import { describeAge, formatAge, progressPercent, shortId } from './job-format';

/** How long a job that arrives live stays highlighted. */
const ARRIVAL_HIGHLIGHT_MS = 1_500;

/**
 * A live table of jobs: status, progress, type, id and age (which ticks). Rows are keyed by job id,
 * so an update changes a row in place; columns have fixed widths, so nothing shifts as values change.
 * Narrow containers show each job as a two-line row.
 *
 * @slot empty - Shown when there are no jobs (a default message otherwise).
 * @csspart table - The table.
 */
@customElement('fd-jobs-table')
export class FdJobsTable extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, statusColorStyles, styles];

  /** The jobs to show, in display order (a store's map or an array). */
  @property({ attribute: false }) jobs: ReadonlyMap<string, Job> | readonly Job[] = [];

  /** True while the first load is under way: the empty state says so instead of "no jobs". */
  @property({ type: Boolean, reflect: true }) loading = false;

  /** The time ages are measured to; ticks every second while the table is on the page. */
  @state() private now = Date.now();

  /** The jobs as an array, for rendering. */
  private rows: readonly Job[] = [];
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** When each job was first shown (0: with the first rows), to highlight rows that arrive live. */
  private readonly firstShown = new Map<string, number>();
  /** Whether rows were ever shown: the first ones are the initial load, not arrivals. */
  private showedRows = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this.now = Date.now();
    this.ticker = setInterval(() => {
      if (this.rows.length > 0) this.now = Date.now();
    }, 1_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('jobs')) {
      const { jobs } = this;
      this.rows = jobs instanceof Map ? [...jobs.values()] : (jobs as readonly Job[]);
      // New data shows ages as of now, not as of the last tick.
      this.now = Date.now();
    }
  }

  private isFresh(id: string): boolean {
    let shown = this.firstShown.get(id);
    if (shown === undefined) {
      shown = this.showedRows ? Date.now() : 0;
      this.firstShown.set(id, shown);
    }
    return Date.now() - shown < ARRIVAL_HIGHLIGHT_MS;
  }

  protected override updated(): void {
    if (this.rows.length > 0) this.showedRows = true;
    // Forget jobs that left the table.
    if (this.firstShown.size > 2 * this.rows.length + 100) {
      const ids = new Set(this.rows.map((job) => job.id));
      for (const id of this.firstShown.keys()) if (!ids.has(id)) this.firstShown.delete(id);
    }
  }

  override render() {
    const rows = this.rows;
    if (rows.length === 0) return this.renderEmpty();
    return html`
      <table part="table" class="table" role="table">
        <caption class="visually-hidden">
          Jobs, newest first, updated live
        </caption>
        <thead role="rowgroup">
          <tr role="row">
            <th role="columnheader" scope="col" class="col-status">Status</th>
            <th role="columnheader" scope="col" class="col-progress">Progress</th>
            <th role="columnheader" scope="col" class="col-type">Type</th>
            <th role="columnheader" scope="col" class="col-id">ID</th>
            <th role="columnheader" scope="col" class="col-age">Age</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          ${repeat(
            rows,
            (job) => job.id,
            (job) => this.renderRow(job),
          )}
        </tbody>
      </table>
    `;
  }

  private renderRow(job: Job) {
    const percent = progressPercent(job.progress);
    const created = Date.parse(job.createdAt);
    const elapsed = Number.isNaN(created) ? undefined : this.now - created;
    return html`
      <tr
        role="row"
        class="row status-${job.status} ${this.isFresh(job.id) ? 'row--arrived' : ''}"
        data-job-id=${job.id}
        data-status=${job.status}
      >
        <td role="cell" class="cell-status">
          <span class="badge">${job.status}</span>
        </td>
        <td role="cell" class="cell-progress">
          <span class="progress">
            <span
              class="bar"
              role="progressbar"
              aria-label="Progress of job ${shortId(job.id)}"
              aria-valuemin="0"
              aria-valuemax="100"
              aria-valuenow=${percent}
              aria-valuetext="${percent}%"
              style="--_progress: ${percent / 100}"
            >
              <span class="bar__fill"></span>
            </span>
            <span class="percent" aria-hidden="true">${percent}%</span>
          </span>
        </td>
        <td role="cell" class="cell-type" title=${job.type}>${job.type}</td>
        <td role="cell" class="cell-id">
          <code title=${job.id}><span class="visually-hidden">ending in </span>${shortId(job.id)}</code>
        </td>
        <td role="cell" class="cell-age">
          ${
            elapsed === undefined
              ? nothing
              : html`<time datetime=${job.createdAt} title=${new Date(created).toLocaleString()}>
                  <span aria-hidden="true">${formatAge(elapsed)}</span>
                  <span class="visually-hidden">${describeAge(elapsed)}</span>
                </time>`
          }
        </td>
      </tr>
    `;
  }

  private renderEmpty() {
    return html`
      <div class="empty" role="status">
        <slot name="empty">
          ${
            this.loading
              ? html`<p class="empty__title">Loading jobs…</p>`
              : html`<p class="empty__title">No jobs yet</p>
                  <p class="empty__hint">
                    Submit one with the form, or <code>POST /v1/jobs</code> with your API key. It appears here the
                    moment it is queued.
                  </p>`
          }
        </slot>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-jobs-table': FdJobsTable;
  }
}
