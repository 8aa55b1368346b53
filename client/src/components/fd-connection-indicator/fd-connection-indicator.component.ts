import { LitElement, html, type CSSResultGroup } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ConnectionState } from '../../realtime/realtime-client';
import { themeStyles } from '../../styles/theme.styles';
import styles from './fd-connection-indicator.styles';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/**
 * Shows how the live link to Flightdeck is doing: live, connecting, reconnecting or offline. A
 * `role="status"` region, so assistive technology announces changes without moving focus.
 *
 * @attr state - `connecting` | `live` | `reconnecting` | `offline` (reflected).
 * @attr detail - Why it is not live, when known (shown as a tooltip and read after the state).
 * @csspart indicator - The pill around the dot and the label.
 */
@customElement('fd-connection-indicator')
export class FdConnectionIndicator extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, styles];

  @property({ reflect: true }) state: ConnectionState = 'connecting';
  @property() detail = '';

  override render() {
    const label = LABELS[this.state] ?? this.state;
    const name = `Realtime connection: ${this.state}${this.detail ? `. ${this.detail}` : ''}`;
    return html`
      <span part="indicator" class="indicator" role="status" aria-label=${name} title=${this.detail || label}>
        <span class="indicator__dot" aria-hidden="true"></span>
        <span class="indicator__label">${label}</span>
      </span>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-connection-indicator': FdConnectionIndicator;
  }
}
