import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { messageOf } from '../../accounts/form-errors';
import { ApiError, type OpsApi } from '../../api/api-client';
import { RowActionController } from '../../controllers/row-action-controller';
import { renderActionMessages } from '../../controllers/list-page-parts';
import { toastEvent } from '../../events/fd-toast';
import { formatCount } from '../../ops/ops-format';
import type { OpsOverview, QueueOverview } from '../../ops/ops-overview';
import type { FdConfirmDialog } from '../fd-confirm-dialog/fd-confirm-dialog.component';

type QueueAction = 'pause' | 'resume' | 'drain';
const PAST: Record<QueueAction, string> = { pause: 'paused', resume: 'resumed', drain: 'drained' };

/** What the queues section reads of the ops view it renders in. */
export interface OpsQueuesContext {
  api(): OpsApi | undefined;
  overview(): OpsOverview | null;
  /** The queue as an action left it, in place of the one the last reading had. */
  queueChanged(queue: QueueOverview): void;
  /** Whether the viewer may pause, resume and drain. */
  canPause(): boolean;
  loadError(): string;
  confirmDialog(): FdConfirmDialog;
}

/**
 * The ops view's queues: their jobs by state and replicas, and pause, resume and drain (asked
 * first) for those who may. One action per queue at a time. Renders into the view's shadow root
 * (its styles are the view's); toasts (a drain's count) go out from the view.
 */
export class OpsQueuesSection implements ReactiveController {
  /** Queues with an action under way, and which; what the last one did. */
  private readonly actions: RowActionController<QueueAction>;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly context: OpsQueuesContext,
  ) {
    host.addController(this);
    this.actions = new RowActionController<QueueAction>(host);
  }

  hostConnected(): void {}

  render() {
    const overview = this.context.overview();
    return html`
      <section class="queues" aria-labelledby="queues-heading">
        <h3 id="queues-heading" class="queues__heading">Queues</h3>
        ${renderActionMessages(this.actions)}
        ${
          !overview
            ? html`<p class="empty" role="status">
                ${this.context.loadError() ? 'No data yet.' : 'Loading the queues…'}
              </p>`
            : overview.queues.length === 0
              ? html`<p class="empty">No queues yet.</p>`
              : this.renderTable(overview.queues)
        }
        ${
          overview && !this.context.canPause()
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

  private renderTable(queues: QueueOverview[]) {
    const canPause = this.context.canPause();
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
    const busy = this.actions.busyWith(queue.name);
    return html`<td class="cell-actions">
      <button
        class="button button--quiet ${queue.paused ? '' : 'button--danger'}"
        type="button"
        ?disabled=${busy !== undefined}
        aria-label="${queue.paused ? 'Resume' : 'Pause'} queue ${queue.name}"
        @click=${() => (queue.paused ? this.act(queue.name, 'resume') : this.onPause(queue))}
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
    const confirmed = await this.context.confirmDialog().ask({
      heading: `Pause queue ${queue.name}?`,
      message: `Workers stop taking jobs from “${queue.name}”, for every workspace of this deployment. Jobs already running finish; new jobs are accepted and wait until the queue is resumed.`,
      confirmLabel: 'Pause queue',
    });
    if (confirmed) await this.act(queue.name, 'pause');
  }

  /** Asks first, with what the queue holds now and whether delayed jobs go too (they do by default). */
  private async onDrain(queue: QueueOverview): Promise<void> {
    const { queued, delayed } = queue.counts;
    const choice = await this.context.confirmDialog().choose({
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
    const api = this.context.api();
    if (!api) return;
    await this.actions.run(
      name,
      action,
      async () => {
        let queue: QueueOverview;
        if (action === 'drain') {
          const answer = await api.drainQueue(name, options);
          if (api !== this.context.api()) return;
          queue = answer.queue;
          this.host.dispatchEvent(
            toastEvent({ message: drainedText(name, answer.drained, answer.skipped), tone: 'success' }),
          );
        } else {
          queue = action === 'pause' ? await api.pauseQueue(name) : await api.resumeQueue(name);
          if (api !== this.context.api()) return;
          this.actions.succeeded(action === 'pause' ? `Paused queue ${name}.` : `Resumed queue ${name}.`);
        }
        this.context.queueChanged(queue);
      },
      (error) => {
        // A drain cancels job by job: one cut short has cancelled some already.
        const partly =
          action === 'drain' && !(error instanceof ApiError && error.status >= 400 && error.status < 500)
            ? ' Jobs it cancelled before that stay cancelled; drain again to finish.'
            : '';
        return `Queue ${name} was not ${PAST[action]}: ${messageOf(error)}${partly}`;
      },
    );
  }
}

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
