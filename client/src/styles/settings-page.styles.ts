import { css } from 'lit';
import { cardSurface } from './card.styles';
import { pillLook } from './pill.styles';

/**
 * The layout the workspace settings pages share (include after `themeStyles` and `controlStyles`):
 * a section with a heading and an intro, a form panel, messages, and a table that turns into one
 * card per row in a narrow container (each page's own styles place the cells in the card); `.number`
 * marks a column of figures.
 */
export const settingsPageStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    color: var(--_text);
  }

  .section {
    display: grid;
    gap: 1rem;
  }

  .section__head h2 {
    margin: 0;
    font-size: 1.125rem;
    font-weight: 600;
  }

  .section__head h2:focus {
    outline: none;
  }

  .section__intro {
    margin: 0.25rem 0 0;
    color: var(--_muted);
    font-size: 0.875rem;
  }

  .panel {
    display: grid;
    gap: 0.75rem;
    padding: 1rem;
    ${cardSurface}
  }

  .panel__heading {
    margin: 0;
    font-size: 1rem;
    font-weight: 600;
  }

  .messages {
    display: contents;
  }

  /* An empty status region stays in the page (to announce what comes) but takes no room. */
  .done:empty {
    position: absolute;
  }

  .done {
    margin: 0;
    color: var(--_success);
    font-size: 0.875rem;
  }

  .empty {
    display: grid;
    justify-items: start;
    gap: 0.75rem;
    margin: 0;
    padding: 1.5rem;
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_muted);
  }

  .table {
    width: 100%;
    border-collapse: separate;
    border-spacing: 0;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    font-size: 0.875rem;
  }

  .table th,
  .table td {
    padding: 0.55rem 0.75rem;
    text-align: start;
    vertical-align: middle;
    border-bottom: 1px solid var(--_border);
  }

  .table tbody tr:last-child > * {
    border-bottom: 0;
  }

  .table thead th {
    color: var(--_muted);
    font-size: 0.75rem;
    font-weight: 600;
    letter-spacing: 0.02em;
    text-transform: uppercase;
    white-space: nowrap;
    background: var(--_surface-sunken);
  }

  .table thead th:first-child {
    border-start-start-radius: var(--_radius);
  }

  .table thead th:last-child {
    border-start-end-radius: var(--_radius);
  }

  .table tbody th {
    font-weight: 600;
  }

  .muted {
    color: var(--_muted);
  }

  .pill {
    display: inline-block;
    padding: 0 0.5rem;
    ${pillLook}
    line-height: 1.6;
    white-space: nowrap;
  }

  .input--compact {
    width: auto;
    min-width: 7.5rem;
    min-height: 2.25rem;
    padding-block: 0.25rem;
  }

  .cell-actions {
    text-align: end;
    white-space: nowrap;
  }

  /* Figures: aligned on the end, in digits of one width. */
  .table .number {
    text-align: end;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }

  /* What a cell holds: read out in the table (where the column header shows it), shown on cards. */
  .cell-label {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  /* Narrow: each row is a card; the header row is kept for assistive technology only. */
  @container (max-width: 40rem) {
    .table,
    .table tbody {
      display: block;
      border: 0;
      background: none;
    }

    .table thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }

    .table tbody {
      display: grid;
      gap: 0.75rem;
    }

    .table .row {
      display: grid;
      gap: 0.4rem 0.75rem;
      padding: 0.75rem;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
    }

    .table .row > * {
      padding: 0;
      border: 0;
      min-width: 0;
    }

    .cell-actions {
      text-align: start;
    }

    .table .number {
      text-align: start;
    }

    .cell-label {
      position: static;
      width: auto;
      height: auto;
      overflow: visible;
      clip-path: none;
      color: var(--_muted);
      font-size: 0.8125rem;
    }
  }
`;
