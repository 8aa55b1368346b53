export interface FdSelectionChangeDetail {
  /** The ids of the selected jobs, after the change. */
  ids: ReadonlySet<string>;
}

/** Fired by `fd-jobs-table` (rows checked) and `fd-bulk-bar` (Clear) when the selection changed. Bubbles and composes. */
export type FdSelectionChangeEvent = CustomEvent<FdSelectionChangeDetail>;

export const FD_SELECTION_CHANGE = 'fd-selection-change';

export function selectionChangeEvent(ids: ReadonlySet<string>): FdSelectionChangeEvent {
  return new CustomEvent(FD_SELECTION_CHANGE, { detail: { ids }, bubbles: true, composed: true });
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fd-selection-change': FdSelectionChangeEvent;
  }
}
