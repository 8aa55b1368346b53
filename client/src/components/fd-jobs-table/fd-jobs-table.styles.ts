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

  .col-status {
    width: 8.5rem;
  }
  .col-progress {
    width: 34%;
  }
  .col-id {
    width: 7.5rem;
  }
  .col-age {
    width: 6rem;
    text-align: end;
  }
  .cell-age {
    text-align: end;
    color: var(--_muted);
  }

  .row--arrived {
    animation: arrive 1.5s ease-out;
  }

  @keyframes arrive {
    from {
      background: color-mix(in srgb, var(--_accent) 14%, transparent);
    }
  }

  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    padding: 0.05rem 0.55rem 0.05rem 0.45rem;
    border: 1px solid color-mix(in srgb, var(--_status-color) 45%, transparent);
    border-radius: 999px;
    background: color-mix(in srgb, var(--_status-color) 12%, transparent);
    color: var(--_text);
    font-size: 0.8125rem;
    line-height: 1.4;
  }

  .badge::before {
    content: '';
    flex: none;
    width: 0.5rem;
    height: 0.5rem;
    border-radius: 50%;
    background: var(--_status-color);
  }

  .status-active .badge::before {
    animation: pulse 1.2s ease-in-out infinite;
  }

  @keyframes pulse {
    50% {
      opacity: 0.3;
    }
  }

  .progress {
    display: flex;
    align-items: center;
    gap: 0.6rem;
  }

  .bar {
    position: relative;
    flex: 1;
    min-width: 3rem;
    height: 0.5rem;
    overflow: hidden;
    border-radius: 999px;
    background: var(--_surface-sunken);
    box-shadow: inset 0 0 0 1px var(--_border);
  }

  .bar__fill {
    position: absolute;
    inset: 0;
    background: var(--_status-color);
    transform: scaleX(var(--_progress, 0));
    transform-origin: left;
    transition: transform 0.25s ease-out;
  }

  :host(:dir(rtl)) .bar__fill {
    transform-origin: right;
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

  /* Narrow: each job is a two-line card row (explicit ARIA roles keep the table semantics). */
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

    .row {
      display: grid;
      /* A fixed first column, so the job types line up whatever the status. */
      grid-template-columns: 7.25rem minmax(0, 1fr) auto;
      grid-template-areas:
        'status type age'
        'progress progress id';
      align-items: center;
      gap: 0.4rem 0.75rem;
      padding: 0.6rem 0.75rem;
      border-bottom: 1px solid var(--_border);
    }

    tbody .row:last-child {
      border-bottom: 0;
    }

    td {
      padding: 0;
      border: 0;
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
