import { css } from 'lit';

/**
 * A job's status badge (`.badge` inside an element with class `status-<status>`, see
 * `statusColorStyles`) and progress bar (`.bar` with `--_progress` 0–1, holding a `.bar__fill`),
 * as the job page and the jobs table show them. Include after `themeStyles` and `statusColorStyles`.
 */
export const jobStatusStyles = css`
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    padding: 0.05rem 0.6rem 0.05rem 0.5rem;
    border: 1px solid color-mix(in srgb, var(--_status-color) 45%, transparent);
    border-radius: 999px;
    background: color-mix(in srgb, var(--_status-color) 12%, transparent);
    color: var(--_text);
    font-size: 0.8125rem;
    font-weight: 500;
    line-height: 1.4;
    white-space: nowrap;
  }

  .badge::before {
    content: '';
    flex: none;
    width: 0.5rem;
    height: 0.5rem;
    border-radius: 50%;
    background: var(--_status-color);
  }

  .status-active .badge::before,
  .badge.status-active::before {
    animation: badge-pulse 1.2s ease-in-out infinite;
  }

  @keyframes badge-pulse {
    50% {
      opacity: 0.3;
    }
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
    background: var(--_status-color, var(--_accent));
    transform: scaleX(var(--_progress, 0));
    transform-origin: left;
    transition: transform 0.25s ease-out;
  }

  :host(:dir(rtl)) .bar__fill {
    transform-origin: right;
  }

  @media (prefers-reduced-motion: reduce) {
    .status-active .badge::before,
    .badge.status-active::before {
      animation: none;
    }
    .bar__fill {
      transition: none;
    }
  }
`;
