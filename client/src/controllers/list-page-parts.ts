import { html, nothing } from 'lit';
import type { ListResourceController } from './list-resource-controller';
import type { RowActionController } from './row-action-controller';

// The parts a settings page's list shows around its rows (members, API keys, the ops view's queues).

/** A {@link RowActionController}'s failure as an alert, and its polite status line (always there, so it is announced). */
export function renderActionMessages(actions: Pick<RowActionController<string>, 'done' | 'failure'>) {
  return html`<div class="messages">
    ${actions.failure ? html`<p class="alert" role="alert">${actions.failure}</p>` : nothing}
    <p class="done" role="status">${actions.done}</p>
  </div>`;
}

/**
 * What a {@link ListResourceController}'s list shows before it has items: why it could not be read,
 * with a retry, or `loading` while it is read; null once there are items to show.
 */
export function renderListPending(
  list: Pick<ListResourceController<unknown, unknown>, 'items' | 'error'>,
  loading: string,
  retry: () => void,
) {
  if (list.error)
    return html`<div class="empty">
      <p class="alert" role="alert">${list.error}</p>
      <button class="button" type="button" @click=${retry}>Try again</button>
    </div>`;
  if (!list.items) return html`<p class="empty" role="status">${loading}</p>`;
  return null;
}
