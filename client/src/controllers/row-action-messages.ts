import { html, nothing } from 'lit';
import type { RowActionController } from './row-action-controller';

/** A {@link RowActionController}'s failure as an alert, and its polite status line (always there, so it is announced). */
export function renderActionMessages(actions: Pick<RowActionController<string>, 'done' | 'failure'>) {
  return html`<div class="messages">
    ${actions.failure ? html`<p class="alert" role="alert">${actions.failure}</p>` : nothing}
    <p class="done" role="status">${actions.done}</p>
  </div>`;
}
