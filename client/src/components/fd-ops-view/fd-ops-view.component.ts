import type { StreamEvent } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { messageOf } from '../../accounts/form-errors';
import { can, type WorkspaceAccess } from '../../accounts/workspace-access';
import { ApiError, type OpsApi } from '../../api/api-client';
import { fairShareApiOf } from '../../api/fair-share-api';
import { PollController } from '../../controllers/poll-controller';
import { SubscriptionController } from '../../controllers/subscription-controller';
import { JobFlow } from '../../ops/job-flow';
import { formatDuration } from '../../ops/ops-format';
import { OpsHistory } from '../../ops/ops-history';
import type { OpsOverview } from '../../ops/ops-overview';
import { controlStyles } from '../../styles/controls.styles';
import { settingsPageStyles } from '../../styles/settings-page.styles';
import { themeStyles } from '../../styles/theme.styles';
import type { FdConfirmDialog } from '../fd-confirm-dialog/fd-confirm-dialog.component';
import '../fd-confirm-dialog/fd-confirm-dialog.component';
import '../fd-fair-share-panel/fd-fair-share-panel.component';
import '../fd-ops-autoscaling/fd-ops-autoscaling.component';
import styles from './fd-ops-view.styles';
import { renderCharts, type Charts } from './ops-charts';
import { OpsQueuesSection } from './ops-queues-section';

/** Where the view hears the workspace's events (the console's {@link RealtimeClient}). */
export interface OpsEventSource {
  listen(listener: { event?(event: StreamEvent): void }): () => void;
}

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

  @query('fd-confirm-dialog') private confirmDialog!: FdConfirmDialog;

  private history = new OpsHistory();
  private flow = new JobFlow(Date.now());
  /** Server clock minus browser clock, from the last reading: events and readings carry server times. */
  private skewMs = 0;
  /** The source the events come from, while connected. */
  private heardEvents: OpsEventSource | undefined;
  private readonly readings = new PollController<OpsApi, OpsOverview>(this, {
    api: () => this.api,
    interval: () => this.pollInterval,
    read: (api) => api.getOps(),
    onRestart: () => {
      this.history = new OpsHistory();
      this.overview = null;
      this.charts = null;
      this.loadError = '';
      this.refused = false;
    },
    onReading: (overview) => {
      this.skewMs = Date.parse(overview.at) - Date.now() || 0;
      this.history.add(overview);
      this.overview = overview;
      this.loadError = '';
    },
    onError: (error) => {
      if (error instanceof ApiError && (error.status === 403 || error.isUnauthorized)) {
        this.refused = true;
        this.loadError = `The ops figures are not available: ${error.message}`;
        return false;
      }
      this.loadError = `The ops figures could not be read: ${messageOf(error)} Trying again…`;
      return true;
    },
    afterReading: () => (this.charts = this.chartsNow()),
  });
  private readonly queues = new OpsQueuesSection(this, {
    api: () => this.api,
    overview: () => this.overview,
    queueChanged: (queue) => {
      if (this.overview)
        this.overview = {
          ...this.overview,
          queues: this.overview.queues.map((known) => (known.name === queue.name ? queue : known)),
        };
    },
    canPause: () => this.canPause,
    loadError: () => this.loadError,
    confirmDialog: () => this.confirmDialog,
  });
  private readonly listening = new SubscriptionController(this, () => this.listen());

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.heardEvents = undefined;
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    if (this.isConnected && this.events !== this.heardEvents) this.listening.renew();
  }

  /** Counts the workspace's events into a new flow, from now; returns what stops it. */
  private listen(): (() => void) | undefined {
    this.heardEvents = this.events;
    this.flow = new JobFlow(this.serverNow());
    return this.events?.listen({ event: (event) => this.flow.record(event) });
  }

  private serverNow(): number {
    return Date.now() + this.skewMs;
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
        ${this.refused ? nothing : renderCharts(this.charts, this.overview)}
        ${this.refused ? nothing : this.renderAutoscaling()} ${this.refused ? nothing : this.queues.render()}
        <fd-fair-share-panel .api=${fairShareApiOf(this.api)} poll-interval=${this.pollInterval}></fd-fair-share-panel>
      </section>
      <fd-confirm-dialog></fd-confirm-dialog>
    `;
  }

  private renderAutoscaling() {
    const overview = this.overview;
    return html`<fd-ops-autoscaling
      .autoscaling=${overview?.autoscaling ?? null}
      .now=${overview ? Date.parse(overview.at) : this.serverNow()}
    ></fd-ops-autoscaling>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-ops-view': FdOpsView;
  }
}
