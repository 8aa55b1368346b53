import { css } from 'lit';
import { jobCollaborationStyles } from './job-collaboration.styles';
import { jobHeaderStyles } from './job-header.styles';
import { jobSectionStyles } from './job-sections.styles';
import { cardSurface } from '../../styles/card.styles';
import { linkStyles } from '../../styles/links.styles';

/** The page's base: the host, headings, panels and the breadcrumb. */
const pageStyles = css`
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
    ${cardSurface}
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
`;

/** Not found, and what changes on narrow pages (after the parts, so that it overrides them). */
const pageEndStyles = css`
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

/** The job page's styles, in cascade order: links, the base, the header, the sections, collaboration, the end. */
export default [linkStyles, pageStyles, jobHeaderStyles, jobSectionStyles, jobCollaborationStyles, pageEndStyles];
