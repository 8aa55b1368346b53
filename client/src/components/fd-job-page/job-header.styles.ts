import { css } from 'lit';

/** The job page's header: identity, progress, facts, the claim, the actions and the share snippet. */
export const jobHeaderStyles = css`
  /* ── Header ─────────────────────────────────────────────────────────────────────────────── */

  .job-header {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 0.75rem;
    align-content: start;
  }

  .job-header__top {
    display: flex;
    min-height: 2.25rem;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem 1rem;
  }

  .job-header__identity {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.75rem;
    min-width: 0;
  }

  .job-title {
    min-width: 0;
    font-size: 1.375rem;
    overflow-wrap: anywhere;
  }

  .badge {
    min-width: 6.5rem;
    justify-content: center;
  }

  .viewers {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    min-height: 1.75rem;
  }

  .viewers__label {
    color: var(--_muted);
    font-size: 0.8125rem;
  }

  .job-id {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.5rem;
    min-width: 0;
  }

  .job-id__label {
    color: var(--_muted);
    font-size: 0.75rem;
    font-weight: 600;
    letter-spacing: 0.04em;
  }

  .job-id__value {
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .copy {
    min-width: 4.75rem;
  }

  .job-progress {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    font-variant-numeric: tabular-nums;
  }

  .job-progress .bar {
    height: 0.625rem;
  }

  .job-progress__percent {
    flex: none;
    width: 4.5ch;
    color: var(--_muted);
    font-size: 0.875rem;
    text-align: end;
  }

  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr));
    gap: 0.5rem 1rem;
    margin: 0;
    font-size: 0.875rem;
    font-variant-numeric: tabular-nums;
  }

  .fact {
    min-width: 0;
  }

  .fact dt {
    color: var(--_muted);
    font-size: 0.75rem;
  }

  .fact dd {
    margin: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .job-header__controls {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    justify-content: space-between;
    gap: 0.75rem 1.5rem;
    padding-top: 0.75rem;
    border-top: 1px solid var(--_border);
  }

  .claim {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.75rem;
    min-width: 0;
    min-height: 2.5rem;
  }

  .claim__holder {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0 0.45rem;
    font-size: 0.9375rem;
  }

  .claim__since {
    font-size: 0.875rem;
    white-space: nowrap;
  }

  .claim__dot {
    flex: none;
    align-self: center;
    width: 0.55rem;
    height: 0.55rem;
    border-radius: 50%;
    background: var(--_success);
  }

  .claim__nobody,
  .claim__since {
    color: var(--_muted);
  }

  .claim__error {
    flex-basis: 100%;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  .job-loading {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    min-height: 2.5rem;
    color: var(--_muted);
  }

  .alert.job-loading {
    color: var(--_text);
  }

  .share {
    display: grid;
    gap: 0.35rem;
    padding-top: 0.75rem;
    border-top: 1px solid var(--_border);
  }

  .share__row {
    display: flex;
    align-items: flex-start;
    gap: 0.5rem;
  }

  .share__snippet {
    font-family: var(--_font-mono);
    font-size: 0.8125rem;
    resize: vertical;
  }
`;
