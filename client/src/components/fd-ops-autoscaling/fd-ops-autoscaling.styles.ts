import { css } from 'lit';

export default css`
  .autoscaling {
    display: grid;
    gap: 0.75rem;
  }

  .autoscaling__head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.75rem;
  }

  .autoscaling__heading {
    margin: 0;
    font-size: 1rem;
    font-weight: 600;
  }

  .intro,
  .hint {
    margin: 0;
    font-size: 0.875rem;
  }

  /* The source, in words: which one is said, not shown by colour. */
  .source {
    padding: 0 0.5rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
    font-size: 0.75rem;
    font-weight: 600;
    line-height: 1.6;
    white-space: nowrap;
  }

  .source--kubernetes {
    border-color: var(--_accent);
    color: var(--_accent);
  }

  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr));
    gap: 0.75rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .card article {
    display: grid;
    align-content: start;
    gap: 0.5rem;
    height: 100%;
    box-sizing: border-box;
    padding: 0.75rem 1rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    font-size: 0.875rem;
  }

  .card__heading {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25rem 0.5rem;
    margin: 0;
    font-size: 0.9375rem;
    font-weight: 600;
  }

  .card__target {
    font-size: 0.8125rem;
    font-weight: 400;
  }

  .card__summary,
  .latest,
  .conditions-none {
    margin: 0;
  }

  .figures {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(7.5rem, 1fr));
    gap: 0.25rem 0.75rem;
    margin: 0;
  }

  .figure dt {
    color: var(--_muted);
    font-size: 0.75rem;
  }

  .figure dd {
    margin: 0;
    font-variant-numeric: tabular-nums;
  }

  .conditions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.35rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .condition {
    display: inline-flex;
    align-items: center;
    gap: 0.3rem;
    padding: 0 0.5rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
    font-size: 0.75rem;
    line-height: 1.6;
    white-space: nowrap;
  }

  .condition--ok .condition__mark {
    color: var(--_success);
  }

  .condition--warn {
    border-color: var(--_status-delayed);
    color: var(--_status-delayed);
    font-weight: 600;
  }

  .event--warning .event__mark {
    margin-inline-end: 0.25rem;
    color: var(--_status-delayed);
  }

  .event__reason {
    font-weight: 600;
  }

  .details summary {
    cursor: pointer;
    color: var(--_accent);
    border-radius: var(--_radius);
  }

  .details summary:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }

  .messages-list,
  .events {
    margin: 0.5rem 0 0;
    padding-inline-start: 1.25rem;
    display: grid;
    gap: 0.35rem;
  }
`;
