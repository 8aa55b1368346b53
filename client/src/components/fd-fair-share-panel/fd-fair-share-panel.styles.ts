import { css } from 'lit';

export default css`
  .fair-share {
    display: grid;
    gap: 0.75rem;
  }

  .fair-share__heading {
    margin: 0;
    font-size: 1rem;
    font-weight: 600;
  }

  .fair-share > .hint {
    max-width: 60rem;
  }

  .slug {
    margin-inline-start: 0.25rem;
    font-size: 0.75rem;
    font-weight: 400;
  }

  .set {
    font-weight: 600;
  }

  /* The share in figures, with a bar beside it: the number says it, the bar shows it at a glance. */
  .share {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
  }

  .share__bar {
    display: inline-block;
    width: 4rem;
    height: 0.4rem;
    border-radius: 999px;
    background: var(--_surface-sunken);
    border: 1px solid var(--_border);
    overflow: hidden;
  }

  .share__bar > span {
    display: block;
    height: 100%;
    background: var(--_accent);
  }

  .limits__fields {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 14rem), 1fr));
    gap: 0.75rem 1rem;
    align-items: start;
  }

  .limits__actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  /* Narrow: a card per workspace, the figures in a grid of label and value. */
  @container (max-width: 40rem) {
    .share-table .row {
      grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr));
    }

    .share-table .cell-name,
    .share-table .cell-share,
    .share-table .cell-actions {
      grid-column: 1 / -1;
    }
  }
`;
