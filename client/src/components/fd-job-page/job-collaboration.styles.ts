import { css } from 'lit';

/** The job page's comments and activity (attempts and the timeline). */
export const jobCollaborationStyles = css`
  /* ── Comments ───────────────────────────────────────────────────────────────────────────── */

  .comments {
    display: grid;
    gap: 0.75rem;
    max-height: 26rem;
    margin: 0;
    padding: 0;
    overflow: auto;
    list-style: none;
  }

  .comment {
    display: grid;
    gap: 0.25rem;
    padding-bottom: 0.75rem;
    border-bottom: 1px solid var(--_border);
  }

  .comment:last-child {
    padding-bottom: 0;
    border-bottom: 0;
  }

  .comment__meta {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.5rem;
    font-size: 0.8125rem;
  }

  .comment__meta time {
    color: var(--_muted);
  }

  .comment__avatar {
    --fd-avatar-size: 1.5rem;
  }

  .comment__body {
    font-size: 0.9375rem;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  .comments__note {
    padding: 0.25rem 0;
  }

  .composer {
    display: grid;
    gap: 0.4rem;
    padding-top: 0.75rem;
    border-top: 1px solid var(--_border);
  }

  .composer__field {
    min-height: 4.75rem;
    resize: vertical;
  }

  .composer__footer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem 0.75rem;
  }

  .typing {
    /* Reserved, so the notice comes and goes without moving anything. */
    min-height: 1.25rem;
    color: var(--_muted);
    font-size: 0.8125rem;
    font-style: italic;
  }

  /* ── Activity ───────────────────────────────────────────────────────────────────────────── */

  .attempts,
  .activity {
    display: grid;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .attempts {
    gap: 0.4rem;
  }

  .attempt {
    display: grid;
    grid-template-columns: 2rem auto 1fr;
    align-items: center;
    gap: 0.25rem 0.5rem;
    font-size: 0.875rem;
    font-variant-numeric: tabular-nums;
  }

  .attempt .badge {
    min-width: 0;
  }

  .attempt__number {
    color: var(--_muted);
  }

  .attempt__time {
    color: var(--_muted);
    text-align: end;
  }

  .attempt__error {
    grid-column: 2 / -1;
    color: var(--_muted);
    font-family: var(--_font-mono);
    font-size: 0.8125rem;
    overflow-wrap: anywhere;
  }

  .activity {
    max-height: 24rem;
    overflow: auto;
  }

  .activity__item {
    position: relative;
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: 0 0.75rem;
    padding: 0.35rem 0 0.35rem 1.1rem;
    font-size: 0.875rem;
  }

  /* A timeline: a line through the dots. */
  .activity__item::before {
    content: '';
    position: absolute;
    top: 0;
    bottom: 0;
    left: 0.27rem;
    width: 2px;
    background: var(--_border);
  }

  .activity__item:first-child::before {
    top: 0.9rem;
  }

  .activity__item:last-child::before {
    bottom: calc(100% - 0.9rem);
  }

  .activity__item::after {
    content: '';
    position: absolute;
    top: 0.68rem;
    left: 0;
    width: 0.6rem;
    height: 0.6rem;
    border: 2px solid var(--_surface);
    border-radius: 50%;
    background: var(--_muted);
  }

  .activity__item--person::after {
    background: var(--_accent);
  }

  .activity__item--person .activity__text {
    font-weight: 500;
  }

  .activity__item time {
    color: var(--_muted);
    font-size: 0.8125rem;
    font-variant-numeric: tabular-nums;
  }
`;
