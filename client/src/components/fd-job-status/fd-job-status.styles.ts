import { css } from 'lit';

/**
 * The embeddable status's look. It lives on other people's pages: every colour and size comes from
 * a public `--fd-status-*` custom property with a default, light or dark after the page's own
 * `color-scheme` (the component does not impose one), and each piece is a `::part` to style further.
 */
export default css`
  :host {
    --_font: var(--fd-status-font, inherit);
    --_font-size: var(--fd-status-font-size, 0.9375rem);
    --_text: var(--fd-status-text, light-dark(#1f2328, #f0f6fc));
    --_muted: var(--fd-status-muted, light-dark(#59636e, #9198a1));
    --_background: var(--fd-status-background, light-dark(#ffffff, #151b23));
    --_border: var(--fd-status-border, light-dark(#d1d9e0, #3d444d));
    --_radius: var(--fd-status-radius, 0.5rem);
    --_padding: var(--fd-status-padding, 0.875rem 1rem);
    --_accent: var(--fd-status-accent, light-dark(#0969da, #4493f8));
    --_track: var(--fd-status-track, light-dark(#eff2f5, #2a313c));
    --_success: var(--fd-status-success, light-dark(#1a7f37, #3fb950));
    --_danger: var(--fd-status-danger, light-dark(#d1242f, #f85149));

    display: block;
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.45;
    color: var(--_text);
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  .box {
    display: grid;
    gap: 0.6rem;
    padding: var(--_padding);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_background);
  }

  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.25rem 0.75rem;
  }

  .type {
    min-width: 0;
    overflow-wrap: anywhere;
    font-weight: 600;
  }

  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    padding: 0.05rem 0.6rem;
    border: 1px solid currentColor;
    border-radius: 999px;
    color: var(--_status, var(--_muted));
    font-size: 0.8125em;
    font-weight: 600;
    white-space: nowrap;
  }

  .status-active {
    --_status: var(--_accent);
  }
  .status-completed {
    --_status: var(--_success);
  }
  .status-failed {
    --_status: var(--_danger);
  }

  .track {
    height: 0.5rem;
    overflow: hidden;
    border-radius: var(--_radius);
    background: var(--_track);
  }

  .bar {
    height: 100%;
    border-radius: inherit;
    background: var(--_status, var(--_accent));
    transition: width 0.3s ease;
  }

  @media (prefers-reduced-motion: reduce) {
    .bar {
      transition: none;
    }
  }

  .meta {
    display: flex;
    justify-content: space-between;
    gap: 0.75rem;
    color: var(--_muted);
    font-size: 0.8125em;
  }

  .percent {
    font-variant-numeric: tabular-nums;
  }

  .message {
    margin: 0;
    color: var(--_muted);
  }

  .box--unavailable .message {
    display: flex;
    align-items: center;
    gap: 0.4rem;
  }

  .error {
    margin: 0;
    color: var(--_danger);
    font-weight: 600;
    overflow-wrap: anywhere;
  }

  .result {
    display: grid;
    gap: 0.25rem;
  }

  .result__label {
    color: var(--_muted);
    font-size: 0.8125em;
  }

  .result__value {
    max-height: 12rem;
    margin: 0;
    overflow: auto;
    padding: 0.5rem 0.65rem;
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_track);
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.8125em;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
`;
