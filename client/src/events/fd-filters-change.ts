import type { ViewFilters } from '../jobs-view/job-filters';

export interface FdFiltersChangeDetail {
  /** The filters now shown (also in the address). */
  filters: ViewFilters;
}

/** Fired by `fd-jobs-filters` when the person changed the filters. Bubbles and crosses shadow roots. */
export type FdFiltersChangeEvent = CustomEvent<FdFiltersChangeDetail>;

export const FD_FILTERS_CHANGE = 'fd-filters-change';

export function filtersChangeEvent(filters: ViewFilters): FdFiltersChangeEvent {
  return new CustomEvent(FD_FILTERS_CHANGE, { detail: { filters }, bubbles: true, composed: true });
}

declare global {
  interface GlobalEventHandlersEventMap {
    'fd-filters-change': FdFiltersChangeEvent;
  }
}
