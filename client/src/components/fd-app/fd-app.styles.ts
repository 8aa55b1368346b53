import { css } from 'lit';

export default css`
  :host {
    --fd-bg: #f6f8fa;
    --fd-surface: #ffffff;
    --fd-text: #1f2328;
    --fd-muted: #59636e;
    --fd-border: #d1d9e0;
    --fd-accent: #0969da;
    --fd-status-queued: #818b98;
    --fd-status-delayed: #bf8700;
    --fd-status-active: #0969da;
    --fd-status-completed: #1a7f37;
    --fd-status-failed: #d1242f;
    --fd-status-cancelled: #59636e;

    display: flex;
    flex-direction: column;
    min-height: 100vh;
    box-sizing: border-box;
    color-scheme: light dark;
    background: var(--fd-bg);
    color: var(--fd-text);
    font-family: system-ui, sans-serif;
    line-height: 1.5;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --fd-bg: #0d1117;
      --fd-surface: #151b23;
      --fd-text: #f0f6fc;
      --fd-muted: #9198a1;
      --fd-border: #3d444d;
      --fd-accent: #4493f8;
      --fd-status-queued: #9198a1;
      --fd-status-delayed: #d29922;
      --fd-status-active: #4493f8;
      --fd-status-completed: #3fb950;
      --fd-status-failed: #f85149;
      --fd-status-cancelled: #656c76;
    }
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .header,
  .footer {
    padding: 0.75rem 1.5rem;
    background: var(--fd-surface);
    border-color: var(--fd-border);
    border-style: solid;
    border-width: 0;
  }

  .header {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    border-bottom-width: 1px;
  }

  .header__mark {
    color: var(--fd-accent);
    font-size: 1.25rem;
  }

  .header__title {
    margin: 0;
    font-size: 1.25rem;
    font-weight: 600;
  }

  .main {
    flex: 1;
    width: 100%;
    max-width: 64rem;
    margin: 0 auto;
    padding: 1.5rem;
  }

  h2,
  h3 {
    margin: 0 0 0.75rem;
    font-weight: 600;
  }

  h2 {
    font-size: 1.125rem;
  }

  h3 {
    margin-top: 1.5rem;
    font-size: 0.875rem;
    color: var(--fd-muted);
  }

  .placeholder {
    padding: 2.5rem 1.5rem;
    border: 1px dashed var(--fd-border);
    border-radius: 0.5rem;
    background: var(--fd-surface);
    color: var(--fd-muted);
    text-align: center;
  }

  .statuses {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .status {
    display: inline-flex;
    align-items: center;
    gap: 0.375rem;
    padding: 0.125rem 0.625rem;
    border: 1px solid var(--fd-border);
    border-radius: 999px;
    background: var(--fd-surface);
    font-size: 0.875rem;
  }

  .status::before {
    content: '';
    width: 0.5rem;
    height: 0.5rem;
    border-radius: 50%;
    background: var(--status-color, var(--fd-muted));
  }

  .status--queued {
    --status-color: var(--fd-status-queued);
  }
  .status--delayed {
    --status-color: var(--fd-status-delayed);
  }
  .status--active {
    --status-color: var(--fd-status-active);
  }
  .status--completed {
    --status-color: var(--fd-status-completed);
  }
  .status--failed {
    --status-color: var(--fd-status-failed);
  }
  .status--cancelled {
    --status-color: var(--fd-status-cancelled);
  }

  .footer {
    border-top-width: 1px;
    color: var(--fd-muted);
    font-size: 0.875rem;
  }

  a {
    color: var(--fd-accent);
    text-underline-offset: 0.2em;
  }

  a:focus-visible {
    outline: 2px solid var(--fd-accent);
    outline-offset: 2px;
    border-radius: 2px;
  }
`;
