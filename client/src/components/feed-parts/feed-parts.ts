import { html, nothing } from 'lit';
import type { LivePagedFeedState } from '../../feeds/live-paged-feed';

/**
 * The parts of a live paged feed's view that the jobs view and the activity feed share: the alert
 * when reading the items again fails while they are still shown, and the footer under the items.
 * `controlStyles` and `feedPartsStyles` style them.
 */

/** Over items still shown when reading them again failed (`what` names them: "The jobs"), with a retry. */
export function renderReloadFailed(state: LivePagedFeedState<unknown> | undefined, what: string, retry: () => void) {
  if (state?.phase !== 'error' || state.items.length === 0) return nothing;
  return html`<div class="notice notice--alert" role="alert">
    <span>${what} could not be loaded again. ${state.error}</span>
    <button class="button button--quiet" type="button" @click=${retry}>Try again</button>
  </div>`;
}

export interface FeedFooterTexts {
  /** When live arrivals capped the items: how many are shown, and how to find older ones. */
  capped: string;
  /** When every item is shown. */
  end: string;
  /** Before the reason "load more" failed ("More jobs could not be loaded."). */
  moreFailed: string;
}

/** Under the items: "Load more" while there is more, what is shown when there is not, and why "load more" failed. */
export function renderFeedFooter(
  state: LivePagedFeedState<unknown> | undefined,
  texts: FeedFooterTexts,
  loadMore: () => void,
) {
  if (!state || state.items.length === 0) return nothing;
  if (state.capped) return html`<p class="more more--note">${texts.capped}</p>`;
  return html`
    <div class="more">
      ${
        state.nextCursor
          ? html`<button class="button" type="button" ?disabled=${state.loadingMore} @click=${loadMore}>
              ${state.loadingMore ? 'Loading…' : 'Load more'}
            </button>`
          : html`<p class="more__end">${texts.end}</p>`
      }
      ${state.moreError ? html`<p class="field-error" role="alert">${texts.moreFailed} ${state.moreError}</p>` : nothing}
    </div>
  `;
}
