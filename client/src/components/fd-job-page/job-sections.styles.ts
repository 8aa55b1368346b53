import { css } from 'lit';

/** Monospace text on the sunken surface, scrolling inside its border: the code blocks and the log. */
const monospaceBlock = css`
  overflow: auto;
  border: 1px solid var(--_border);
  border-radius: var(--_radius);
  background: var(--_surface-sunken);
  font-family: var(--_font-mono);
  font-size: 0.8125rem;
`;

/** The job page's sections: columns, the log, the error, payload and result, and placeholders. */
export const jobSectionStyles = css`
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
    ${monospaceBlock}
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
    ${monospaceBlock}
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
`;
