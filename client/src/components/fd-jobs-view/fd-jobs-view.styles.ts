import { css } from 'lit';

export default css`
  :host {
    display: block;
    min-width: 0;
    color: var(--_text);
  }

  .jobs {
    display: grid;
    gap: 0.75rem;
    min-width: 0;
  }

  .jobs__header {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 1rem;
  }

  h2 {
    margin: 0;
    font-size: 1.125rem;
    font-weight: 600;
  }

  .jobs__count {
    color: var(--_muted);
    font-size: 0.875rem;
    font-variant-numeric: tabular-nums;
  }

  /* The live connection's problem, above the table. */
  .notice {
    border: 1px solid color-mix(in srgb, var(--_status-delayed) 50%, transparent);
    background: color-mix(in srgb, var(--_status-delayed) 10%, transparent);
  }

  /* The table's empty state (slotted: styled here). */
  .empty {
    display: grid;
    justify-items: center;
    gap: 0.5rem;
  }

  /* Phones: the bulk bar sits over the bottom of the screen while something is selected. */
  @media (max-width: 30rem) {
    .jobs--selecting {
      padding-bottom: 4rem;
    }

    /* There the bar floats over the screen's bottom edge: it takes no room (nor a gap) in the flow. */
    fd-bulk-bar {
      margin-top: -0.75rem;
    }
  }
`;
