import type { BulkAction, BulkResult } from '../jobs-view/bulk-actions';

export interface FdBulkDoneDetail {
  action: BulkAction;
  /** One per job acted on, in order. */
  results: readonly BulkResult[];
}

/** Fired by `fd-bulk-bar` after a bulk action was carried out. Bubbles and crosses shadow roots. */
export type FdBulkDoneEvent = CustomEvent<FdBulkDoneDetail>;

export const FD_BULK_DONE = 'fd-bulk-done';

export function bulkDoneEvent(action: BulkAction, results: readonly BulkResult[]): FdBulkDoneEvent {
  return new CustomEvent(FD_BULK_DONE, { detail: { action, results }, bubbles: true, composed: true });
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fd-bulk-done': FdBulkDoneEvent;
  }
}
