import type { Job } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { allVisibleState } from '../../jobs-view/job-selection';
import { routePath } from '../../routing/console-routes';
import { statusColorStyles, themeStyles } from '../../styles/theme.styles';
import { jobStatusStyles } from '../../styles/job-status.styles';
import type { AvatarPerson } from '../fd-presence-avatars/fd-presence-avatars.component';
import '../fd-presence-avatars/fd-presence-avatars.component';
import styles from './fd-jobs-table.styles';
import { describeAge, formatAge, progressPercent, shortId } from './job-format';
import { renderProgressBar } from './job-progress-bar';
import { RowNavigationController } from './row-navigation-controller';

/** How long a job that arrives live stays highlighted. */
const ARRIVAL_HIGHLIGHT_MS = 1_500;

const NO_PEOPLE: readonly AvatarPerson[] = [];

/**
 * A live table of jobs: status, progress, type, id, who claimed it, who is looking at it, and age
 * (which ticks). Rows are keyed by job id, so an update changes a row in place; rows have one
 * height and columns fixed widths, so nothing shifts as values change. Narrow containers show each
 * job as a card (the table semantics stay).
 *
 * With `workspace`, each job's type links to its page. With `selectable`, each row has a checkbox
 * (and the header one for all rows shown); the table says what changed with `fd-selection-change`
 * and shows what it is given in `selected`.
 *
 * Keyboard: rows take focus one at a time (Tab enters the table at the last row focused); ↑ ↓
 * Home End move, Enter opens the job, Space checks the row (Shift+Space and Shift+↑↓ extend from
 * the last row checked), Ctrl/⌘+A checks every row shown, Escape clears. Shift-click checks a range.
 *
 * @slot empty - Shown when there are no jobs (a default message otherwise).
 * @csspart table - The table.
 * @event fd-selection-change - The person checked or unchecked rows; `detail.ids`. Bubbles and composes.
 */
@customElement('fd-jobs-table')
export class FdJobsTable extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, statusColorStyles, jobStatusStyles, styles];

  /** The jobs to show, in display order (a store's map or an array). */
  @property({ attribute: false }) jobs: ReadonlyMap<string, Job> | readonly Job[] = [];

  /** True while the first load is under way: the empty state says so instead of "no jobs". */
  @property({ type: Boolean, reflect: true }) loading = false;

  /** True while other rows are on their way (new filters): the rows shown are dimmed. */
  @property({ type: Boolean, reflect: true }) busy = false;

  /** The workspace's slug: with it, each job links to its page. */
  @property() workspace = '';

  /** Whether rows can be checked for bulk actions. */
  @property({ type: Boolean }) selectable = false;

  /** The ids of the checked rows. */
  @property({ attribute: false }) selected: ReadonlySet<string> = new Set();

  /** Who else has each job open (by job id), shown as avatars on its row. */
  @property({ attribute: false }) viewers: ReadonlyMap<string, readonly AvatarPerson[]> = new Map();

  /** The time ages are measured to; ticks every second while the table is on the page. */
  @state() private now = Date.now();

  /** The jobs as an array, for rendering. */
  private rows: readonly Job[] = [];
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** When each job was first shown (0: with the first rows), to highlight rows that arrive live. */
  private readonly firstShown = new Map<string, number>();
  /** Whether rows were ever shown: the first ones are the initial load, not arrivals. */
  private showedRows = false;
  private readonly navigation = new RowNavigationController(this);

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
      this.navigation.setRows(this.rows.map((job) => job.id));
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
    const tabStop = this.navigation.tabStop();
    return html`
      <table
        part="table"
        id="jobs-table"
        class="table ${this.selectable ? 'table--selectable' : ''}"
        role="table"
        aria-busy=${this.busy ? 'true' : 'false'}
      >
        <caption class="visually-hidden">
          Jobs, newest first, updated live${this.selectable ? '. Space checks the focused row.' : ''}
        </caption>
        <thead role="rowgroup">
          <tr role="row">
            ${this.selectable ? this.renderSelectAll() : nothing}
            <th role="columnheader" scope="col" class="col-status">Status</th>
            <th role="columnheader" scope="col" class="col-progress">Progress</th>
            <th role="columnheader" scope="col" class="col-type">Type</th>
            <th role="columnheader" scope="col" class="col-id">ID</th>
            <th role="columnheader" scope="col" class="col-claim">Claimed by</th>
            <th role="columnheader" scope="col" class="col-viewers">
              <span aria-hidden="true">Viewing</span><span class="visually-hidden">Also viewing</span>
            </th>
            <th role="columnheader" scope="col" class="col-age">Age</th>
          </tr>
        </thead>
        <tbody
          role="rowgroup"
          @keydown=${(event: KeyboardEvent) => this.navigation.onKeydown(event)}
          @focusin=${(event: FocusEvent) => this.navigation.onFocusIn(event)}
          @focusout=${() => this.navigation.onFocusOut()}
        >
          ${repeat(
            rows,
            (job) => job.id,
            (job, index) => this.renderRow(job, index, job.id === tabStop),
          )}
        </tbody>
      </table>
    `;
  }

  private renderSelectAll() {
    const visible = this.rows.map((job) => job.id);
    const state = allVisibleState(this.navigation.selection(), visible);
    return html`
      <th role="columnheader" scope="col" class="col-check">
        <label class="check">
          <input
            type="checkbox"
            class="check__input"
            aria-label="Select all ${visible.length} jobs shown"
            .checked=${live(state === 'all')}
            .indeterminate=${live(state === 'some')}
            @change=${() => this.navigation.onSelectAll()}
          />
          <span class="check__text" aria-hidden="true">Select all</span>
        </label>
      </th>
    `;
  }

  private renderRow(job: Job, index: number, tabStop: boolean) {
    const percent = progressPercent(job.progress);
    const created = Date.parse(job.createdAt);
    const elapsed = Number.isNaN(created) ? undefined : this.now - created;
    const selected = this.selected.has(job.id);
    const label = `${job.type} ${shortId(job.id)}`;
    const viewers = this.viewers.get(job.id) ?? NO_PEOPLE;
    // The type links to the job's page (no whitespace around it: the cell's text is the type).
    const type = this.workspace
      ? html`<a
          class="job-link"
          tabindex="-1"
          href=${routePath({ page: 'job', workspace: this.workspace, jobId: job.id })}
          >${job.type}</a
        >`
      : job.type;
    return html`
      <tr
        role="row"
        class="row status-${job.status} ${this.isFresh(job.id) ? 'row--arrived' : ''} ${selected ? 'row--selected' : ''}"
        data-job-id=${job.id}
        data-status=${job.status}
        data-index=${index}
        tabindex=${tabStop ? '0' : '-1'}
      >
        ${
          this.selectable
            ? html`<td role="cell" class="cell-check">
                <input
                  type="checkbox"
                  class="check__input"
                  tabindex="-1"
                  aria-label="Select job ${label}"
                  .checked=${live(selected)}
                  @click=${(event: MouseEvent) => this.navigation.onCheckClick(event, job.id)}
                />
              </td>`
            : nothing
        }
        <td role="cell" class="cell-status">
          <span class="badge">${job.status}</span>
        </td>
        <td role="cell" class="cell-progress">
          <span class="progress">
            ${renderProgressBar(percent, `Progress of job ${shortId(job.id)}`)}
            <span class="percent" aria-hidden="true">${percent}%</span>
          </span>
        </td>
        <td role="cell" class="cell-type" title=${job.type}>${type}</td>
        <td role="cell" class="cell-id">
          <code title=${job.id}><span class="visually-hidden">ending in </span>${shortId(job.id)}</code>
        </td>
        <td role="cell" class="cell-claim">
          ${
            job.claimedBy
              ? html`<span class="claim" title="Claimed by ${job.claimedBy.name}"
                  ><span class="cell-label" aria-hidden="true">Claimed by </span>${job.claimedBy.name}</span
                >`
              : html`<span class="unclaimed" aria-hidden="true">—</span
                  ><span class="visually-hidden">Not claimed</span>`
          }
        </td>
        <td role="cell" class="cell-viewers">
          ${
            viewers.length > 0
              ? html`<fd-presence-avatars .people=${viewers} max="2" label="Also viewing"></fd-presence-avatars>`
              : nothing
          }
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
