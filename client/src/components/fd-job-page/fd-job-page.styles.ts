import { css } from 'lit';

export default css`
  :host {
    display: block;
    container-type: inline-size;
    color: var(--_text);
  }

  h2,
  h3,
  h4 {
    margin: 0;
    font-weight: 600;
    line-height: 1.3;
  }

  h3 {
    font-size: 1rem;
  }

  a {
    color: var(--_accent);
    text-underline-offset: 0.2em;
  }

  a:focus-visible {
    border-radius: 2px;
  }

  p {
    margin: 0;
  }

  .page {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 1rem;
  }

  .panel {
    min-width: 0;
    padding: 1.25rem;
    border: 1px solid var(--_border);
    border-radius: 0.5rem;
    background: var(--_surface);
  }

  .muted {
    color: var(--_muted);
    font-size: 0.875rem;
  }

  .crumbs {
    margin-top: -0.25rem;
    font-size: 0.875rem;
  }

  .crumbs a {
    text-decoration: none;
  }

  .crumbs a:hover {
    text-decoration: underline;
  }

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

  /* ── Sections ───────────────────────────────────────────────────────────────────────────── */

  .columns {
    display: grid;
    grid-template-columns: minmax(0, 1fr) minmax(18rem, 24rem);
    gap: 1rem;
    align-items: start;
  }

  .column {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 1rem;
    min-width: 0;
  }

  .section {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 0.75rem;
    align-content: start;
  }

  .section__header {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 1rem;
  }

  .section__meta {
    color: var(--_muted);
    font-size: 0.8125rem;
    font-variant-numeric: tabular-nums;
  }

  .subheading {
    color: var(--_muted);
    font-size: 0.75rem;
    letter-spacing: 0.04em;
    text-transform: uppercase;
  }

  .code {
    margin: 0;
    padding: 0.75rem;
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-sunken);
    font-family: var(--_font-mono);
    font-size: 0.8125rem;
    line-height: 1.5;
    tab-size: 2;
  }

  .log-wrap {
    position: relative;
  }

  .log {
    /* A fixed height: lines stream in without moving anything below. */
    height: 18rem;
    padding: 0.5rem 0.75rem;
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-sunken);
    font-family: var(--_font-mono);
    font-size: 0.8125rem;
    line-height: 1.55;
  }

  .log:focus-visible {
    outline-offset: 1px;
  }

  .log__line {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  .log__note {
    color: var(--_muted);
    font-family: system-ui, sans-serif;
    font-size: 0.875rem;
  }

  .log__gap {
    margin: 0.35rem 0;
    padding: 0.35rem 0;
    border-block: 1px dashed var(--_border);
    text-align: center;
  }

  .log__jump {
    position: absolute;
    right: 1rem;
    bottom: 0.75rem;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
  }

  .section--error {
    border-color: color-mix(in srgb, var(--_danger) 55%, var(--_border));
  }

  .error__message {
    padding: 0.5rem 0.75rem;
    border-inline-start: 3px solid var(--_danger);
    background: color-mix(in srgb, var(--_danger) 8%, transparent);
    font-family: var(--_font-mono);
    font-size: 0.875rem;
    overflow-wrap: anywhere;
  }

  .error__stack summary {
    width: fit-content;
    padding: 0.25rem 0;
    color: var(--_muted);
    font-size: 0.875rem;
    cursor: pointer;
  }

  .error__stack summary:focus-visible {
    border-radius: 2px;
  }

  .error__stack[open] summary {
    margin-bottom: 0.5rem;
    color: var(--_text);
  }

  .error__stack .code {
    max-height: 20rem;
  }

  .data {
    position: relative;
  }

  .data__code {
    max-height: 20rem;
    min-height: 3rem;
    padding-inline-end: 5.5rem;
  }

  .data .copy {
    position: absolute;
    top: 0.5rem;
    right: 0.5rem;
  }

  .skeleton {
    display: block;
    border-radius: var(--_radius);
    background: linear-gradient(90deg, var(--_surface-sunken), var(--_border), var(--_surface-sunken));
    background-size: 200% 100%;
    animation: shimmer 1.4s ease-in-out infinite;
  }

  .skeleton--title {
    width: min(16rem, 70%);
    height: 1.75rem;
  }

  .skeleton--block {
    height: 4.5rem;
  }

  .skeleton--text {
    width: 5rem;
    max-width: 100%;
    /* One line of the text it stands for. */
    height: 1lh;
  }

  @keyframes shimmer {
    to {
      background-position: -200% 0;
    }
  }

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

  /* ── Not found ──────────────────────────────────────────────────────────────────────────── */

  .not-found {
    display: grid;
    gap: 0.75rem;
    max-width: 40rem;
  }

  .not-found h2 {
    font-size: 1.125rem;
  }

  .not-found__id {
    overflow-wrap: anywhere;
  }

  /* ── Narrow ─────────────────────────────────────────────────────────────────────────────── */

  @container (max-width: 56rem) {
    .columns {
      grid-template-columns: minmax(0, 1fr);
    }
  }

  @container (max-width: 30rem) {
    .panel {
      padding: 1rem;
    }

    .job-title {
      font-size: 1.2rem;
    }

    .job-header__controls,
    .actions {
      flex-direction: column;
      align-items: stretch;
    }

    .actions .button,
    .claim .button {
      width: 100%;
    }

    .log {
      height: 14rem;
    }

    /* Phones: long values wrap rather than scroll sideways. */
    .data__code {
      padding-inline-end: 0.75rem;
      padding-top: 3rem;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .skeleton {
      animation: none;
    }
  }
`;
