import { LitElement, html, nothing, type CSSResultGroup } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import {
  agoText,
  autoscalingSourceLabel,
  conditionLabel,
  conditionTone,
  formatCount,
  scaledObjectSummary,
} from '../../ops/ops-format';
import type { AutoscalingState, ScaledObjectState, ScalingEvent } from '../../ops/ops-overview';
import { controlStyles } from '../../styles/controls.styles';
import { settingsPageStyles } from '../../styles/settings-page.styles';
import { themeStyles } from '../../styles/theme.styles';
import styles from './fd-ops-autoscaling.styles';

const TONE_MARKS = { ok: '✓', warn: '⚠', neutral: '•' } as const;

/**
 * What decides the worker replicas, and what it decides. Inside Kubernetes: per Flightdeck
 * ScaledObject, what its HPA asks for against what its Deployment has ready, KEDA's conditions
 * (Ready, Active, Fallback, Paused) and its newest Events. Elsewhere: that Flightdeck's own scaling
 * policy gives the figures (the queues table shows them per queue), and why.
 *
 * A card per ScaledObject, each with a heading (headings navigate), its figures as a description
 * list, its state in words with a mark (never colour alone), its newest Event in a line and the
 * others with the conditions' messages behind a native disclosure (keyboard: Tab, Enter/Space).
 */
@customElement('fd-ops-autoscaling')
export class FdOpsAutoscaling extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, settingsPageStyles, styles];

  /** The `autoscaling` of the latest `GET /v1/ops` reading; null before the first. */
  @property({ attribute: false }) autoscaling: AutoscalingState | null = null;
  /** The reading's server time (epoch ms), so ages do not depend on the browser's clock. */
  @property({ attribute: false }) now = Date.now();

  override render() {
    const autoscaling = this.autoscaling;
    return html`
      <section class="autoscaling" aria-labelledby="autoscaling-heading">
        <div class="autoscaling__head">
          <h3 id="autoscaling-heading" class="autoscaling__heading">Autoscaling</h3>
          ${
            autoscaling
              ? html`<span class="source source--${autoscaling.source}" data-source=${autoscaling.source}
                  >Source: ${autoscalingSourceLabel(autoscaling.source)}</span
                >`
              : nothing
          }
        </div>
        ${autoscaling ? this.renderState(autoscaling) : html`<p class="empty" role="status">Loading…</p>`}
      </section>
    `;
  }

  private renderState(autoscaling: AutoscalingState) {
    const read = autoscaling.readAt ? ` Read ${agoText(autoscaling.readAt, this.now)}.` : '';
    return html`
      <p class="muted intro">${autoscaling.reason}${read}</p>
      ${
        autoscaling.error
          ? html`<p class="alert" role="alert">
              The Kubernetes API could not be
              read${autoscaling.scaledObjects.length > 0 ? ' (showing the last reading)' : ''}: ${autoscaling.error}
            </p>`
          : nothing
      }
      ${
        autoscaling.source === 'policy'
          ? html`<p class="hint">
              Worker replicas desired are what Flightdeck's scaling policy computes from the queue depths (the Replicas
              column of the queues below); running are the worker processes that report a heartbeat.
            </p>`
          : autoscaling.scaledObjects.length === 0
            ? html`<p class="empty">
                No ScaledObject labelled <code>app.kubernetes.io/part-of=flightdeck</code> in namespace
                <code>${autoscaling.namespace}</code>.
              </p>`
            : html`<ul class="cards" role="list">
                ${repeat(
                  autoscaling.scaledObjects,
                  (state) => state.name,
                  (state) => this.renderScaledObject(state),
                )}
              </ul>`
      }
    `;
  }

  private renderScaledObject(state: ScaledObjectState) {
    const id = `scaled-object-${state.name}`;
    const figure = (label: string, value: string) =>
      html`<div class="figure">
        <dt>${label}</dt>
        <dd>${value}</dd>
      </div>`;
    const count = (value: number | undefined) => (value === undefined ? '—' : formatCount(value));
    const [latest, ...older] = state.events;
    return html`
      <li class="card" data-scaled-object=${state.name}>
        <article aria-labelledby=${id}>
          <h4 id=${id} class="card__heading">
            <code>${state.name}</code>
            <span class="muted card__target"
              >${state.deployment ? html`Deployment <code>${state.deployment.name}</code>` : 'Deployment missing'}</span
            >
          </h4>
          <p class="card__summary">${scaledObjectSummary(state)}</p>
          <dl class="figures">
            ${figure('HPA desired', count(state.hpa?.desiredReplicas))}
            ${figure('HPA current', count(state.hpa?.currentReplicas))}
            ${figure('Deployment replicas', count(state.deployment?.replicas))}
            ${figure('Ready', count(state.deployment?.readyReplicas))}
            ${figure('Range', `${count(state.minReplicas ?? undefined)}–${count(state.maxReplicas ?? undefined)}`)}
            ${state.queues.length > 0 ? figure(state.queues.length === 1 ? 'Queue' : 'Queues', state.queues.join(', ')) : nothing}
          </dl>
          ${
            state.conditions.length === 0
              ? html`<p class="muted conditions-none">KEDA has not reported this ScaledObject's state yet.</p>`
              : html`<ul class="conditions" role="list" aria-label="State of ${state.name}">
                  ${state.conditions
                    .filter((condition) => condition.type !== 'Paused' || condition.status === 'True')
                    .map((condition) => {
                      const tone = conditionTone(condition);
                      return html`<li class="condition condition--${tone}" data-condition=${condition.type}>
                        <span class="condition__mark" aria-hidden="true">${TONE_MARKS[tone]}</span
                        >${conditionLabel(condition)}
                      </li>`;
                    })}
                </ul>`
          }
          ${
            latest
              ? html`<p class="latest"><span class="muted">Latest KEDA event:</span> ${this.renderEvent(latest)}</p>`
              : html`<p class="muted latest">No recent KEDA event.</p>`
          }
          ${this.renderDetails(state, older)}
        </article>
      </li>
    `;
  }

  private renderDetails(state: ScaledObjectState, older: ScalingEvent[]) {
    const messages = state.conditions.filter((condition) => condition.message);
    if (older.length === 0 && messages.length === 0) return nothing;
    return html`<details class="details">
      <summary>
        ${older.length > 0 ? `${formatCount(older.length)} earlier ${older.length === 1 ? 'event' : 'events'} and ` : ''}what
        KEDA says<span class="visually-hidden"> about ${state.name}</span>
      </summary>
      ${
        messages.length > 0
          ? html`<ul class="messages-list" aria-label="Conditions of ${state.name}">
              ${messages.map(
                (condition) =>
                  html`<li>
                    <strong>${condition.type}</strong> ${condition.reason ? html`(${condition.reason})` : nothing}:
                    ${condition.message}${condition.since ? html` <span class="muted">— since ${agoText(condition.since, this.now)}</span>` : nothing}
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      ${
        older.length > 0
          ? html`<ol class="events" aria-label="Earlier KEDA events of ${state.name}, newest first">
              ${older.map((event) => html`<li>${this.renderEvent(event)}</li>`)}
            </ol>`
          : nothing
      }
    </details>`;
  }

  private renderEvent(event: ScalingEvent) {
    const warning = event.type === 'Warning';
    return html`<span class="event ${warning ? 'event--warning' : ''}"
      >${warning ? html`<span class="event__mark" aria-hidden="true">⚠</span><span class="visually-hidden">Warning: </span>` : nothing}<strong
        class="event__reason"
        >${event.reason}</strong
      >${event.message ? html` — ${event.message}` : nothing}
      <span class="muted"
        >${event.at ? html`<time datetime=${event.at} title=${new Date(event.at).toLocaleString()}>${agoText(event.at, this.now)}</time>` : 'at an unknown time'}${
          event.count > 1 ? `, ${formatCount(event.count)} times` : ''
        }</span
      ></span
    >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-ops-autoscaling': FdOpsAutoscaling;
  }
}
