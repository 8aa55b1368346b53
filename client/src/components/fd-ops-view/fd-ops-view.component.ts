import type { StreamEvent } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { messageOf } from '../../accounts/form-errors';
import { can, type WorkspaceAccess } from '../../accounts/workspace-access';
import { ApiError, type OpsApi } from '../../api/api-client';
import { toastEvent } from '../../events/fd-toast';
import { JobFlow, type FlowFigures } from '../../ops/job-flow';
import {
  depthSummary,
  failureSummary,
  formatCount,
  formatDuration,
  formatPercent,
  formatRate,
  gatewaySummary,
  latencySummary,
  throughputSummary,
  workerSummary,
} from '../../ops/ops-format';
import { OpsHistory } from '../../ops/ops-history';
import type { OpsOverview, QueueOverview } from '../../ops/ops-overview';
import type { TimeSeries } from '../../ops/time-series';
import { controlStyles } from '../../styles/controls.styles';
import { settingsPageStyles } from '../../styles/settings-page.styles';
import { themeStyles } from '../../styles/theme.styles';
import type { FdConfirmDialog } from '../fd-confirm-dialog/fd-confirm-dialog.component';
import '../fd-confirm-dialog/fd-confirm-dialog.component';
import '../fd-ops-autoscaling/fd-ops-autoscaling.component';
import { fairShareApiOf } from '../../api/fair-share-api';
import '../fd-fair-share-panel/fd-fair-share-panel.component';
import type { AxisSpec, LineStyle } from '../fd-ops-chart/fd-ops-chart.component';
import '../fd-ops-chart/fd-ops-chart.component';
import styles from './fd-ops-view.styles';

/** Where the view hears the workspace's events (the console's {@link RealtimeClient}). */
export interface OpsEventSource {
  listen(listener: { event?(event: StreamEvent): void }): () => void;
}

interface Charts {
  depth: TimeSeries;
  throughput: TimeSeries;
  failures: TimeSeries;
  latency: TimeSeries;
  gateways: TimeSeries;
  workers: TimeSeries;
  figures: FlowFigures;
}

const styleTable = (table: Record<string, LineStyle>) => (key: string) => table[key] ?? { color: 'var(--_accent)' };

const DEPTH_STYLES = styleTable({
  queued: { color: 'var(--_status-queued)' },
  delayed: { color: 'var(--_status-delayed)', dash: [6, 4] },
  active: { color: 'var(--_status-active)', dash: [2, 3] },
});
const THROUGHPUT_STYLES = styleTable({ completed: { color: 'var(--_status-completed)', fill: true } });
const FAILURE_STYLES = styleTable({
  'per-minute': { color: 'var(--_status-failed)' },
  share: { color: 'var(--_status-delayed)', dash: [6, 4], scale: 'y2' },
});
const LATENCY_STYLES = styleTable({
  p50: { color: 'var(--_accent)' },
  p95: { color: 'var(--_status-delayed)', dash: [6, 4] },
});
const WORKER_STYLES = styleTable({
  desired: { color: 'var(--_accent)', dash: [6, 4], stepped: true },
  running: { color: 'var(--_status-completed)', stepped: true },
});
/** Gateways come and go: colours and dashes in turn, so two lines never look alike. */
const GATEWAY_COLORS = [
  '--_accent',
  '--_status-completed',
  '--_status-delayed',
  '--_status-failed',
  '--_status-queued',
];
const GATEWAY_DASHES: (number[] | undefined)[] = [undefined, [6, 4], [2, 3], [10, 3, 2, 3]];
const gatewayStyle = (_key: string, index: number): LineStyle => {
  const dash = GATEWAY_DASHES[index % GATEWAY_DASHES.length];
  return { color: `var(${GATEWAY_COLORS[index % GATEWAY_COLORS.length]})`, stepped: true, ...(dash ? { dash } : {}) };
};

const COUNT_AXIS: AxisSpec = { format: formatCount, integer: true };
const THROUGHPUT_AXIS: AxisSpec = { format: (value) => `${formatRate(value)}/s` };
const FAILURE_AXIS: AxisSpec = { format: (value) => `${formatRate(value)}/min` };
const SHARE_AXIS: AxisSpec = { format: formatPercent, max: 100 };
const LATENCY_AXIS: AxisSpec = { format: formatDuration };

/**
 * The ops view of a workspace (`/w/<slug>/ops`): live charts of queue depth by state, throughput,
 * failures, latency from submit to start, gateway connections and worker replicas (desired vs
 * running: the real autoscaler's inside Kubernetes, else the scaling policy's), what the autoscaler
 * decides per Deployment (`fd-ops-autoscaling`), and the queues with pause, resume and drain for those who may.
 *
 * Queues, gateways and workers are the deployment's: read from `GET /v1/ops` every `poll-interval`
 * ms while the view is open. Throughput, failures and latency are the workspace's own jobs, counted
 * from its live events since the view opened. Ten minutes of both are kept, in memory only.
 *
 * @attr poll-interval - Milliseconds between two readings of `/v1/ops` (2000).
 * @attr workspace-name - The workspace's name, for the texts.
 * @event fd-toast - How many jobs a drain cancelled.
 */
@customElement('fd-ops-view')
export class FdOpsView extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, settingsPageStyles, styles];

  /** Setting it starts over (new readings, new history). */
  @property({ attribute: false }) api: OpsApi | undefined;
  /** What the viewer may do; null when unknown (everything shows, the server decides). */
  @property({ attribute: false }) access: WorkspaceAccess | null = null;
  @property({ attribute: false }) events: OpsEventSource | undefined;
  @property({ attribute: 'poll-interval', type: Number }) pollInterval = 2_000;
  @property({ attribute: 'workspace-name' }) workspaceName = '';

  @state() private overview: OpsOverview | null = null;
  @state() private charts: Charts | null = null;
  @state() private loadError = '';
  /** Readings stopped for good: the server refused them (no permission). */
  @state() private refused = false;
  /** Queues with an action under way, and which. */
  @state() private busy = new Map<string, QueueAction>();
  @state() private done = '';
  @state() private failure = '';

  @query('fd-confirm-dialog') private confirmDialog!: FdConfirmDialog;

  private history = new OpsHistory();
  private flow = new JobFlow(Date.now());
  /** Server clock minus browser clock, from the last reading: events and readings carry server times. */
  private skewMs = 0;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped to abandon readings under way (another API, or the view closed). */
  private generation = 0;
  private stopListening: (() => void) | undefined;
  /** The API the readings come from, and the source the events come from, while connected. */
  private polledApi: OpsApi | undefined;
  private heardEvents: OpsEventSource | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.listen();
    this.restart();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.generation++;
    clearTimeout(this.pollTimer);
    this.polledApi = undefined;
    this.stopListening?.();
    this.stopListening = undefined;
    this.heardEvents = undefined;
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    if (!this.isConnected) return;
    if (this.events !== this.heardEvents) this.listen();
    if (this.api !== this.polledApi) this.restart();
  }

  private restart(): void {
    this.polledApi = this.api;
    this.generation++;
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.history = new OpsHistory();
    this.overview = null;
    this.charts = null;
    this.loadError = '';
    this.refused = false;
    if (this.api) void this.poll();
  }

  private listen(): void {
    this.stopListening?.();
    this.heardEvents = this.events;
    this.flow = new JobFlow(this.serverNow());
    this.stopListening = this.events?.listen({ event: (event) => this.flow.record(event) });
  }

  private serverNow(): number {
    return Date.now() + this.skewMs;
  }

  private async poll(): Promise<void> {
    const api = this.api;
    const generation = this.generation;
    if (!api) return;
    try {
      const overview = await api.getOps();
      if (generation !== this.generation) return;
      this.skewMs = Date.parse(overview.at) - Date.now() || 0;
      this.history.add(overview);
      this.overview = overview;
      this.loadError = '';
    } catch (error) {
      if (generation !== this.generation) return;
      if (error instanceof ApiError && (error.status === 403 || error.isUnauthorized)) {
        this.refused = true;
        this.loadError = `The ops figures are not available: ${error.message}`;
        return;
      }
      this.loadError = `The ops figures could not be read: ${messageOf(error)} Trying again…`;
    }
    this.charts = this.chartsNow();
    this.pollTimer = setTimeout(() => void this.poll(), this.pollInterval);
  }

  private chartsNow(): Charts {
    const now = this.serverNow();
    this.flow.prune(now);
    return {
      depth: this.history.depth(),
      throughput: this.flow.throughput(now),
      failures: this.flow.failureRate(now),
      latency: this.flow.latency(now),
      gateways: this.history.gatewayConnections(),
      workers: this.history.workerReplicas(),
      figures: this.flow.figures(now),
    };
  }

  private get canPause(): boolean {
    return (this.access === null || can(this.access, 'queues:write')) && this.overview?.operator !== false;
  }

  override render() {
    return html`
      <section class="section" aria-labelledby="ops-heading">
        <div class="section__head">
          <h2 id="ops-heading">Operations</h2>
          <p class="section__intro">
            Queue depth, gateways and workers are the whole deployment's, read every
            ${formatDuration(this.pollInterval)}. Throughput, failures and latency count the jobs of
            ${this.workspaceName || 'this workspace'} from its live events since you opened this page. Charts show the
            last 10 minutes.
          </p>
        </div>
        ${this.loadError ? html`<p class="alert" role="alert">${this.loadError}</p>` : nothing}
        ${this.refused ? nothing : this.renderCharts()} ${this.refused ? nothing : this.renderAutoscaling()}
        ${this.refused ? nothing : this.renderQueues()}
        <fd-fair-share-panel .api=${fairShareApiOf(this.api)} poll-interval=${this.pollInterval}></fd-fair-share-panel>
      </section>
      <fd-confirm-dialog></fd-confirm-dialog>
    `;
  }

  private renderCharts() {
    const charts = this.charts;
    const overview = this.overview;
    const empty: TimeSeries = { x: [], lines: [] };
    const figures = charts?.figures;
    return html`
      <div class="charts">
        <fd-ops-chart
          heading="Queue depth"
          summary=${overview ? depthSummary(overview) : ''}
          .series=${charts?.depth ?? empty}
          .lineStyle=${DEPTH_STYLES}
          .axis=${COUNT_AXIS}
        ></fd-ops-chart>
        <fd-ops-chart
          heading="Throughput"
          summary=${figures ? throughputSummary(figures) : ''}
          .series=${charts?.throughput ?? empty}
          .lineStyle=${THROUGHPUT_STYLES}
          .axis=${THROUGHPUT_AXIS}
        ></fd-ops-chart>
        <fd-ops-chart
          heading="Failures"
          summary=${figures ? failureSummary(figures) : ''}
          .series=${charts?.failures ?? empty}
          .lineStyle=${FAILURE_STYLES}
          .axis=${FAILURE_AXIS}
          .axis2=${SHARE_AXIS}
        ></fd-ops-chart>
        <fd-ops-chart
          heading="Latency, submit to start"
          summary=${figures ? latencySummary(figures) : ''}
          .series=${charts?.latency ?? empty}
          .lineStyle=${LATENCY_STYLES}
          .axis=${LATENCY_AXIS}
        ></fd-ops-chart>
        <fd-ops-chart
          heading="Gateway connections"
          summary=${overview ? gatewaySummary(overview) : ''}
          .series=${charts?.gateways ?? empty}
          .lineStyle=${gatewayStyle}
          .axis=${COUNT_AXIS}
        ></fd-ops-chart>
        <fd-ops-chart
          heading="Worker replicas"
          summary=${overview ? workerSummary(overview) : ''}
          .series=${charts?.workers ?? empty}
          .lineStyle=${WORKER_STYLES}
          .axis=${COUNT_AXIS}
        ></fd-ops-chart>
      </div>
    `;
  }

  private renderAutoscaling() {
    const overview = this.overview;
    return html`<fd-ops-autoscaling
      .autoscaling=${overview?.autoscaling ?? null}
      .now=${overview ? Date.parse(overview.at) : this.serverNow()}
    ></fd-ops-autoscaling>`;
  }

  private renderQueues() {
    const overview = this.overview;
    return html`
      <section class="queues" aria-labelledby="queues-heading">
        <h3 id="queues-heading" class="queues__heading">Queues</h3>
        <div class="messages">
          ${this.failure ? html`<p class="alert" role="alert">${this.failure}</p>` : nothing}
          <p class="done" role="status">${this.done}</p>
        </div>
        ${
          !overview
            ? html`<p class="empty" role="status">${this.loadError ? 'No data yet.' : 'Loading the queues…'}</p>`
            : overview.queues.length === 0
              ? html`<p class="empty">No queues yet.</p>`
              : this.renderQueueTable(overview.queues)
        }
        ${
          overview && !this.canPause
            ? html`<p class="hint">
                ${
                  overview.operator
                    ? 'Only admins and owners can pause, resume and drain queues.'
                    : 'Queues are shared by every workspace of this deployment: admins of the operator workspace (default) pause, resume and drain them.'
                }
              </p>`
            : nothing
        }
      </section>
    `;
  }

  private renderQueueTable(queues: QueueOverview[]) {
    const canPause = this.canPause;
    return html`
      <table class="table queue-table">
        <caption class="visually-hidden">
          Queues of the deployment, with their jobs by state and the worker replicas their scaling policy asks for
        </caption>
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col">State</th>
            <th scope="col" class="number">Queued</th>
            <th scope="col" class="number">Delayed</th>
            <th scope="col" class="number">Active</th>
            <th scope="col" class="number">Completed</th>
            <th scope="col" class="number">Failed</th>
            <th scope="col" class="number">Replicas</th>
            ${canPause ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${repeat(
            queues,
            (queue) => queue.name,
            (queue) => this.renderQueue(queue, canPause),
          )}
        </tbody>
      </table>
    `;
  }

  private renderQueue(queue: QueueOverview, canPause: boolean) {
    const { counts, scaling } = queue;
    const count = (label: string, value: number) =>
      html`<td class="number"><span class="cell-label">${label}: </span>${formatCount(value)}</td>`;
    return html`
      <tr class="row" data-queue=${queue.name}>
        <th scope="row" class="cell-name"><code>${queue.name}</code></th>
        <td class="cell-state">
          <span class="cell-label">State: </span>
          <span class="state ${queue.paused ? 'state--paused' : 'state--running'}"
            ><span class="state__mark" aria-hidden="true">${queue.paused ? '❚❚' : '▶'}</span>${
              queue.paused ? 'Paused' : 'Running'
            }</span
          >
        </td>
        ${count('Queued', counts.queued)} ${count('Delayed', counts.delayed)} ${count('Active', counts.active)}
        ${count('Completed', counts.completed)} ${count('Failed', counts.failed)}
        <td class="number cell-replicas">
          <span class="cell-label">Replicas asked for: </span>${formatCount(scaling.desiredReplicas)}
          <span class="muted range" title="The scaling policy's minimum and maximum"
            >(${formatCount(scaling.minReplicas)}–${formatCount(scaling.maxReplicas)})</span
          >
        </td>
        ${canPause ? this.renderActions(queue) : nothing}
      </tr>
    `;
  }

  private renderActions(queue: QueueOverview) {
    const busy = this.busy.get(queue.name);
    return html`<td class="cell-actions">
      <button
        class="button button--quiet ${queue.paused ? '' : 'button--danger'}"
        type="button"
        ?disabled=${busy !== undefined}
        aria-label="${queue.paused ? 'Resume' : 'Pause'} queue ${queue.name}"
        @click=${() => (queue.paused ? this.onResume(queue) : this.onPause(queue))}
      >
        ${queue.paused ? 'Resume' : 'Pause'}
      </button>
      <button
        class="button button--quiet button--danger"
        type="button"
        ?disabled=${busy !== undefined}
        aria-label="Drain queue ${queue.name}"
        aria-haspopup="dialog"
        @click=${() => this.onDrain(queue)}
      >
        ${busy === 'drain' ? 'Draining…' : 'Drain…'}
      </button>
    </td>`;
  }

  private async onPause(queue: QueueOverview): Promise<void> {
    const confirmed = await this.confirmDialog.ask({
      heading: `Pause queue ${queue.name}?`,
      message: `Workers stop taking jobs from “${queue.name}”, for every workspace of this deployment. Jobs already running finish; new jobs are accepted and wait until the queue is resumed.`,
      confirmLabel: 'Pause queue',
    });
    if (confirmed) await this.act(queue.name, 'pause');
  }

  private onResume(queue: QueueOverview): Promise<void> {
    return this.act(queue.name, 'resume');
  }

  /** Asks first, with what the queue holds now and whether delayed jobs go too (they do by default). */
  private async onDrain(queue: QueueOverview): Promise<void> {
    const { queued, delayed } = queue.counts;
    const choice = await this.confirmDialog.choose({
      heading: `Drain queue ${queue.name}?`,
      message: `${drainHoldings(queue.name, queued, delayed)} Draining cancels every waiting job, for every workspace of this deployment: each workspace sees its jobs cancelled by you. Running jobs finish. This cannot be undone.`,
      option: {
        label: `Also cancel delayed jobs (${formatCount(delayed)} now)`,
        checked: true,
        hint: 'Delayed jobs, and jobs waiting to retry, are cancelled too. Unchecked, they stay and run when due.',
      },
      confirmLabel: 'Drain queue',
      dismissLabel: 'Keep jobs',
    });
    if (choice) await this.act(queue.name, 'drain', { delayed: choice.option });
  }

  private async act(
    name: string,
    action: QueueAction,
    options: { delayed: boolean } = { delayed: true },
  ): Promise<void> {
    const api = this.api;
    if (!api || this.busy.has(name)) return;
    this.busy = new Map(this.busy).set(name, action);
    this.done = '';
    this.failure = '';
    try {
      let queue: QueueOverview;
      if (action === 'drain') {
        const answer = await api.drainQueue(name, options);
        if (api !== this.api) return;
        queue = answer.queue;
        this.dispatchEvent(toastEvent({ message: drainedText(name, answer.drained, answer.skipped), tone: 'success' }));
      } else {
        queue = action === 'pause' ? await api.pauseQueue(name) : await api.resumeQueue(name);
        if (api !== this.api) return;
        this.done = action === 'pause' ? `Paused queue ${name}.` : `Resumed queue ${name}.`;
      }
      if (this.overview)
        this.overview = {
          ...this.overview,
          queues: this.overview.queues.map((known) => (known.name === queue.name ? queue : known)),
        };
    } catch (error) {
      // A drain cancels job by job: one cut short has cancelled some already.
      const partly =
        action === 'drain' && !(error instanceof ApiError && error.status >= 400 && error.status < 500)
          ? ' Jobs it cancelled before that stay cancelled; drain again to finish.'
          : '';
      this.failure = `Queue ${name} was not ${PAST[action]}: ${messageOf(error)}${partly}`;
    } finally {
      const busy = new Map(this.busy);
      busy.delete(name);
      this.busy = busy;
    }
  }
}

type QueueAction = 'pause' | 'resume' | 'drain';
const PAST: Record<QueueAction, string> = { pause: 'paused', resume: 'resumed', drain: 'drained' };

const jobsText = (count: number) => `${formatCount(count)} ${count === 1 ? 'job' : 'jobs'}`;

/** "“demo” holds 12 queued jobs and 3 delayed ones." */
function drainHoldings(name: string, queued: number, delayed: number): string {
  if (queued === 0 && delayed === 0) return `No job is waiting in “${name}” right now.`;
  return `“${name}” holds ${formatCount(queued)} queued ${queued === 1 ? 'job' : 'jobs'} and ${formatCount(delayed)} delayed ${delayed === 1 ? 'one' : 'ones'}.`;
}

/** "Drained queue demo: 1,200 jobs cancelled." and what it left, if anything. */
function drainedText(name: string, drained: number, skipped: number): string {
  const left =
    skipped > 0 ? ` ${jobsText(skipped)} left: started or ended meanwhile, or the next run of a schedule.` : '';
  return `Drained queue ${name}: ${jobsText(drained)} cancelled.${left}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-ops-view': FdOpsView;
  }
}
