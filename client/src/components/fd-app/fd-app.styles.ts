import { css } from 'lit';
import { cardSurface } from '../../styles/card.styles';
import { linkStyles } from '../../styles/links.styles';
import { pillLook } from '../../styles/pill.styles';

/** The app's shell: the colours it gives the page, the header, the tabs, the pages' frames and the footer. */
const appStyles = css`
  :host {
    --fd-bg: #f6f8fa;
    --fd-surface: #ffffff;
    --fd-surface-sunken: #f6f8fa;
    --fd-text: #1f2328;
    --fd-muted: #59636e;
    --fd-border: #d1d9e0;
    --fd-accent: #0969da;
    --fd-on-accent: #ffffff;
    --fd-danger: #d1242f;
    --fd-success: #1a7f37;
    --fd-status-queued: #818b98;
    --fd-status-delayed: #9a6700;
    --fd-status-active: #0969da;
    --fd-status-completed: #1a7f37;
    --fd-status-failed: #d1242f;
    --fd-status-cancelled: #59636e;

    display: flex;
    flex-direction: column;
    min-height: 100vh;
    min-height: 100dvh;
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
      --fd-surface-sunken: #0d1117;
      --fd-text: #f0f6fc;
      --fd-muted: #9198a1;
      --fd-border: #3d444d;
      --fd-accent: #4493f8;
      --fd-on-accent: #0d1117;
      --fd-danger: #f85149;
      --fd-success: #3fb950;
      --fd-status-queued: #9198a1;
      --fd-status-delayed: #d29922;
      --fd-status-active: #4493f8;
      --fd-status-completed: #3fb950;
      --fd-status-failed: #f85149;
      --fd-status-cancelled: #656c76;
    }
  }

  .skip-link {
    position: absolute;
    top: 0.5rem;
    left: 0.5rem;
    z-index: 1;
    padding: 0.5rem 0.75rem;
    border-radius: var(--_radius);
    background: var(--_surface);
    transform: translateY(-200%);
  }

  .skip-link:focus-visible {
    transform: none;
  }

  .header,
  .footer {
    padding: 0.75rem 1.5rem;
    background: var(--_surface);
    border-color: var(--_border);
    border-style: solid;
    border-width: 0;
  }

  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 0.75rem;
    border-bottom-width: 1px;
  }

  .header__brand {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
  }

  .header__mark {
    color: var(--_accent);
    font-size: 1.25rem;
  }

  .header__title {
    margin: 0;
    font-size: 1.25rem;
    font-weight: 600;
  }

  .header__home {
    color: inherit;
    text-decoration: none;
  }

  .header__home:hover {
    text-decoration: underline;
  }

  .header__switcher {
    min-width: 0;
  }

  .header__workspace {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    min-width: 0;
    font-weight: 600;
  }

  .header__end {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: 0.5rem 0.75rem;
    min-width: 0;
    margin-inline-start: auto;
  }

  .header__user {
    max-width: 14rem;
    overflow: hidden;
    color: var(--_muted);
    font-size: 0.875rem;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .pill {
    padding: 0 0.45rem;
    ${pillLook}
    line-height: 1.5;
  }

  .loading {
    color: var(--_muted);
  }

  .alert {
    margin: 0 0 1rem;
  }

  .tabs {
    display: flex;
    gap: 0.25rem;
    margin: -0.25rem 0 1.25rem;
    overflow-x: auto;
    border-bottom: 1px solid var(--_border);
  }

  .tabs__link {
    flex: none;
    padding: 0.5rem 0.85rem;
    border-bottom: 2px solid transparent;
    margin-bottom: -1px;
    color: var(--_muted);
    font-weight: 500;
    text-decoration: none;
  }

  .tabs__link:hover {
    color: var(--_text);
  }

  .tabs__link:focus-visible {
    outline-offset: -2px;
  }

  .tabs__link[aria-current='page'] {
    border-bottom-color: var(--_accent);
    color: var(--_text);
    font-weight: 600;
  }

  .message {
    max-width: 40rem;
  }

  .message p {
    margin: 0 0 0.5rem;
  }

  .muted {
    margin: 0;
    color: var(--_muted);
    font-size: 0.875rem;
  }

  .auth {
    display: grid;
    gap: 1rem;
    max-width: 26rem;
    margin: 1.5rem auto;
  }

  .main {
    flex: 1;
    width: 100%;
    max-width: 80rem;
    margin: 0 auto;
    padding: 1.5rem;
  }

  .main:focus {
    outline: none;
  }

  h2 {
    margin: 0 0 0.75rem;
    font-size: 1.125rem;
    font-weight: 600;
  }

  .console {
    display: grid;
    grid-template-columns: minmax(15rem, 18rem) minmax(0, 1fr);
    /* The side column: the submit form, then recent activity right under it (the jobs span both rows). */
    grid-template-rows: auto 1fr;
    grid-template-areas:
      'submit jobs'
      'activity jobs';
    gap: 1.5rem;
    align-items: start;
  }

  .console__submit {
    grid-area: submit;
  }

  .console__jobs {
    grid-area: jobs;
  }

  .console__activity {
    grid-area: activity;
  }

  .panel {
    padding: 1.25rem;
    ${cardSurface}
  }

  .notice {
    margin: 0 0 0.75rem;
    padding: 0.5rem 0.75rem;
    border: 1px solid color-mix(in srgb, var(--_status-delayed) 50%, transparent);
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_status-delayed) 10%, transparent);
    font-size: 0.875rem;
  }

  .notice--alert {
    border-color: color-mix(in srgb, var(--_danger) 55%, transparent);
    background: color-mix(in srgb, var(--_danger) 9%, transparent);
  }

  .notice--status {
    border-color: color-mix(in srgb, var(--_success) 50%, transparent);
    background: color-mix(in srgb, var(--_success) 9%, transparent);
  }

  .auth .notice {
    margin: 0;
  }

  .footer {
    border-top-width: 1px;
    color: var(--_muted);
    font-size: 0.875rem;
  }

  @media (max-width: 52rem) {
    /* One column: the jobs before recent activity. */
    .console {
      grid-template-columns: minmax(0, 1fr);
      grid-template-rows: none;
      grid-template-areas:
        'submit'
        'jobs'
        'activity';
    }
  }

  @media (max-width: 30rem) {
    .header,
    .footer {
      padding-inline: 1rem;
    }

    /* Phones: the brand and the session controls on one line, the workspace switcher under them. */
    .header__switcher,
    .header__workspace {
      order: 1;
      flex-basis: 100%;
    }

    .header__user {
      display: none;
    }

    .main {
      padding: 1rem;
    }

    .panel {
      padding: 1rem;
    }

    /* Every tab shows on a phone: six do not fit a 360 px line, so they wrap rather than scroll out of sight. */
    .tabs {
      flex-wrap: wrap;
      gap: 0;
    }

    .tabs__link {
      padding-inline: 0.5rem;
      font-size: 0.875rem;
    }

    .auth {
      margin: 0.5rem auto;
    }
  }
`;

export default [linkStyles, appStyles];
