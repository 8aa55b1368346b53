import { css } from 'lit';

export default css`
  :host {
    display: block;
    color: var(--_text);
  }

  /* One height whether or not anything is selected: nothing below moves when the first row is checked. */
  .slot {
    min-height: 2.75rem;
  }

  .bar {
    display: flex;
    align-items: center;
    gap: 0.5rem 0.75rem;
    height: 2.75rem;
    padding: 0.125rem 0.25rem 0.125rem 0.75rem;
    border: 1px solid transparent;
    border-radius: var(--_radius);
    font-size: 0.875rem;
  }

  .bar--active {
    border-color: color-mix(in srgb, var(--_accent) 45%, transparent);
    background: color-mix(in srgb, var(--_accent) 9%, var(--_surface));
  }

  .count {
    min-width: 0;
    margin: 0;
    overflow: hidden;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .hint {
    color: var(--_muted);
    font-weight: 400;
  }

  .actions {
    display: flex;
    gap: 0.35rem;
    margin-inline-start: auto;
  }

  .button--quiet {
    min-height: 2.25rem;
    padding-inline: 0.85rem;
    font-weight: 600;
  }

  /* Phones: while something is selected, the actions sit at the bottom of the screen, within thumb reach. */
  @media (max-width: 30rem) {
    /* Nothing in the flow: the hint goes, and the actions float over the page's bottom edge. */
    .slot {
      min-height: 0;
    }

    .bar:not(.bar--active) {
      display: none;
    }

    .bar--active {
      height: auto;
      position: fixed;
      inset-inline: 0;
      bottom: 0;
      z-index: 20;
      padding: 0.5rem 0.75rem calc(0.5rem + env(safe-area-inset-bottom, 0px));
      border-width: 1px 0 0;
      border-radius: 0;
      background: var(--_surface);
      box-shadow: 0 -6px 18px rgb(0 0 0 / 0.15);
    }

    .actions {
      gap: 0.25rem;
    }

    .button--quiet {
      padding-inline: 0.65rem;
    }
  }
`;
