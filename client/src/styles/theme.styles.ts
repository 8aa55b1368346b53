import { css } from 'lit';

/**
 * The design tokens every component reads. A page (or `fd-app`) sets the public `--fd-*` custom
 * properties; a component used on its own falls back to these defaults, light or dark after the
 * page's `color-scheme`. Components use the private `--_*` names only.
 */
export const themeStyles = css`
  :host {
    --_bg: var(--fd-bg, light-dark(#f6f8fa, #0d1117));
    --_surface: var(--fd-surface, light-dark(#ffffff, #151b23));
    --_surface-sunken: var(--fd-surface-sunken, light-dark(#eff2f5, #0d1117));
    --_text: var(--fd-text, light-dark(#1f2328, #f0f6fc));
    --_muted: var(--fd-muted, light-dark(#59636e, #9198a1));
    --_border: var(--fd-border, light-dark(#d1d9e0, #3d444d));
    /* The outline of a form control: at least 3:1 against its background (WCAG 1.4.11). */
    --_control-border: var(--fd-control-border, light-dark(#818b98, #656c76));
    --_accent: var(--fd-accent, light-dark(#0969da, #4493f8));
    --_on-accent: var(--fd-on-accent, light-dark(#ffffff, #0d1117));
    --_danger: var(--fd-danger, light-dark(#d1242f, #f85149));
    --_success: var(--fd-success, light-dark(#1a7f37, #3fb950));
    --_focus: var(--fd-focus, var(--_accent));
    --_radius: var(--fd-radius, 0.375rem);
    --_font-mono: var(--fd-font-mono, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);

    --_status-queued: var(--fd-status-queued, light-dark(#818b98, #9198a1));
    --_status-delayed: var(--fd-status-delayed, light-dark(#9a6700, #d29922));
    --_status-active: var(--fd-status-active, light-dark(#0969da, #4493f8));
    --_status-completed: var(--fd-status-completed, light-dark(#1a7f37, #3fb950));
    --_status-failed: var(--fd-status-failed, light-dark(#d1242f, #f85149));
    --_status-cancelled: var(--fd-status-cancelled, light-dark(#59636e, #656c76));

    color-scheme: light dark;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }

  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
`;

/** The colour of each job status, as `--_status-color` on an element with class `status-<status>`. */
export const statusColorStyles = css`
  .status-queued {
    --_status-color: var(--_status-queued);
  }
  .status-delayed {
    --_status-color: var(--_status-delayed);
  }
  .status-active {
    --_status-color: var(--_status-active);
  }
  .status-completed {
    --_status-color: var(--_status-completed);
  }
  .status-failed {
    --_status-color: var(--_status-failed);
  }
  .status-cancelled {
    --_status-color: var(--_status-cancelled);
  }
`;
