import { css } from 'lit';

export default css`
  :host {
    display: block;
    container-type: inline-size;
    color: var(--_text);
  }

  .table {
    width: 100%;
    border-collapse: separate;
    border-spacing: 0;
    /* Fixed layout: column widths never depend on the values, so rows do not jump as they change. */
    table-layout: fixed;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    font-size: 0.875rem;
    font-variant-numeric: tabular-nums;
  }

  .table[aria-busy='true'] tbody {
    opacity: 0.55;
    transition: opacity 0.15s 0.15s;
  }

  th,
  td {
    padding: 0.5rem 0.75rem;
    text-align: start;
    vertical-align: middle;
    border-bottom: 1px solid var(--_border);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  /* One height for every row, whatever it holds (avatars, a claim, a badge). */
  tbody tr {
    height: 2.75rem;
  }

  tbody tr:last-child td {
    border-bottom: 0;
  }

  th {
    color: var(--_muted);
    font-size: 0.75rem;
    font-weight: 600;
    letter-spacing: 0.02em;
    text-transform: uppercase;
    background: var(--_surface-sunken);
  }

  th:first-child {
    border-start-start-radius: var(--_radius);
  }
  th:last-child {
    border-start-end-radius: var(--_radius);
  }

  .col-check {
    width: 2.75rem;
    padding-inline-end: 0;
  }
  .col-status {
    width: 8rem;
  }
  .col-progress {
    width: 20%;
  }
  .col-id {
    width: 6.5rem;
  }
  .col-claim {
    width: 7.75rem;
  }
  .col-viewers {
    width: 6.25rem;
  }
  .col-age {
    width: 5.5rem;
    text-align: end;
  }
  .cell-age {
    text-align: end;
    color: var(--_muted);
  }

  .cell-check {
    padding-inline-end: 0;
  }

  .check {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    cursor: pointer;
  }

  .check__input {
    width: 1rem;
    height: 1rem;
    margin: 0;
    accent-color: var(--_accent);
    cursor: pointer;
  }

  .check__text {
    display: none;
  }

  .row:focus {
    outline: none;
  }

  .row:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
  }

  .row--selected {
    background: color-mix(in srgb, var(--_accent) 9%, transparent);
  }

  .row--arrived {
    animation: arrive 1.5s ease-out;
  }

  @keyframes arrive {
    from {
      background: color-mix(in srgb, var(--_accent) 14%, transparent);
    }
  }

  .job-link {
    color: inherit;
    font-weight: 500;
    text-decoration: none;
  }

  .job-link:hover {
    color: var(--_accent);
    text-decoration: underline;
    text-underline-offset: 0.2em;
  }

  .cell-label {
    display: none;
  }

  .unclaimed {
    color: var(--_muted);
  }

  .cell-viewers fd-presence-avatars {
    --fd-avatar-size: 1.5rem;
  }

  .progress {
    display: flex;
    align-items: center;
    gap: 0.6rem;
  }

  .percent {
    flex: none;
    width: 4.5ch;
    text-align: end;
    color: var(--_muted);
  }

  code {
    font-family: var(--_font-mono);
    font-size: 0.8125rem;
  }

  .cell-id code {
    color: var(--_muted);
  }

  .empty {
    padding: 2.5rem 1.5rem;
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_muted);
    text-align: center;
  }

  .empty__title {
    margin: 0;
    color: var(--_text);
    font-weight: 600;
  }

  .empty__hint {
    margin: 0.5rem auto 0;
    max-width: 32rem;
    font-size: 0.875rem;
  }

  /* Medium widths: who is viewing goes first, then the claim. */
  @container (max-width: 52rem) {
    .col-viewers,
    .cell-viewers {
      display: none;
    }
  }

  /* Narrow: each job is a card of three lines (explicit ARIA roles keep the table semantics). */
  @container (max-width: 40rem) {
    .table,
    tbody {
      display: block;
    }

    thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }

    /* With checkboxes, the header keeps one visible cell: "Select all". */
    .table--selectable thead {
      position: static;
      display: block;
      width: auto;
      height: auto;
      overflow: visible;
      clip-path: none;
    }

    .table--selectable thead tr {
      display: flex;
    }

    .table--selectable thead th:not(.col-check) {
      position: absolute;
      width: 1px;
      height: 1px;
      padding: 0;
      overflow: hidden;
      clip-path: inset(50%);
    }

    .table--selectable thead .col-check {
      width: 100%;
      padding: 0.5rem 0.75rem;
      border-start-end-radius: var(--_radius);
      text-transform: none;
      letter-spacing: 0;
      font-size: 0.8125rem;
    }

    .check__text {
      display: inline;
    }

    .row {
      display: grid;
      /* Fixed first columns, so the job types line up whatever the status. */
      grid-template-columns: 7.25rem minmax(0, 1fr) auto;
      grid-template-areas:
        'status type age'
        'progress progress id'
        'claim claim viewers';
      grid-template-rows: 1.6rem 1.4rem 1.6rem;
      align-items: center;
      gap: 0.3rem 0.75rem;
      height: auto;
      padding: 0.6rem 0.75rem;
      border-bottom: 1px solid var(--_border);
    }

    .table--selectable .row {
      grid-template-columns: 1.5rem 7.25rem minmax(0, 1fr) auto;
      grid-template-areas:
        'check status type age'
        'check progress progress id'
        'check claim claim viewers';
    }

    tbody .row:last-child {
      border-bottom: 0;
    }

    td {
      padding: 0;
      border: 0;
    }

    .cell-check {
      grid-area: check;
      align-self: start;
      padding-top: 0.3rem;
    }
    .cell-status {
      grid-area: status;
    }
    .cell-type {
      grid-area: type;
      font-weight: 500;
    }
    .cell-age {
      grid-area: age;
    }
    .cell-progress {
      grid-area: progress;
    }
    .cell-id {
      grid-area: id;
      text-align: end;
    }
    .cell-claim {
      grid-area: claim;
      color: var(--_muted);
      font-size: 0.8125rem;
    }
    .cell-claim .claim {
      color: var(--_text);
    }
    .cell-label {
      display: inline;
      color: var(--_muted);
    }
    /* An unclaimed job's card leaves the line empty (screen readers still hear "Not claimed"). */
    .unclaimed {
      display: none;
    }
    .cell-viewers {
      display: block;
      grid-area: viewers;
      text-align: end;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .row--arrived,
    .status-active .badge::before {
      animation: none;
    }
    .bar__fill {
      transition: none;
    }
  }
`;
