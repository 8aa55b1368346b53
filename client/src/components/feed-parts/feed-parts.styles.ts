import { css } from 'lit';

/**
 * The look of `feed-parts.ts` and of an empty feed's text (`.empty__title`, `.empty__hint`), as the
 * jobs view and the activity feed show them (include after `themeStyles` and `controlStyles`). A
 * component may colour its own `.notice`s; the alert's colours win over them.
 */
export const feedPartsStyles = css`
  .notice {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
    margin: 0;
    padding: 0.5rem 0.75rem;
    border-radius: var(--_radius);
    font-size: 0.875rem;
  }

  .notice.notice--alert {
    border: 1px solid color-mix(in srgb, var(--_danger) 55%, transparent);
    background: color-mix(in srgb, var(--_danger) 9%, transparent);
  }

  .empty__title {
    margin: 0;
    color: var(--_text);
    font-weight: 600;
  }

  .empty__hint {
    margin: 0;
    max-width: 32rem;
    font-size: 0.875rem;
  }

  .more {
    display: grid;
    justify-items: center;
    gap: 0.5rem;
    margin: 0;
  }

  .more__end,
  .more--note {
    margin: 0;
    color: var(--_muted);
    font-size: 0.8125rem;
    text-align: center;
  }
`;
