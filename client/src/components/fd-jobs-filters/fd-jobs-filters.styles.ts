import { css } from 'lit';
import { cardSurface } from '../../styles/card.styles';
import { menuChevronStyles, menuHeading, menuList, menuPanel } from '../../styles/menu.styles';

export default css`
  :host {
    display: block;
    container-type: inline-size;
    color: var(--_text);
  }

  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 0.75rem;
    padding: 0.75rem;
    ${cardSurface}
  }

  .filters {
    display: grid;
    flex: 1 1 36rem;
    grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
    gap: 0.5rem 0.75rem;
    min-width: 0;
  }

  .field > label {
    font-size: 0.8125rem;
  }

  .field--search {
    grid-column: span 2;
  }

  /* Only narrow screens fold the filters away. */
  .more-toggle {
    display: none;
  }

  .input {
    min-height: 2.25rem;
    padding-block: 0.3rem;
    font-size: 0.875rem;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: 0.5rem;
    margin-inline-start: auto;
  }

  .button--quiet {
    min-height: 2.25rem;
  }

  .views {
    position: relative;
  }

  .views-toggle {
    max-width: 16rem;
  }

  .views-toggle__label {
    overflow: hidden;
    text-overflow: ellipsis;
  }

  ${menuChevronStyles(css`.chevron`, css`0.4rem`)}

  .views-panel {
    ${menuPanel}
    inset-inline-end: 0;
    width: min(22rem, calc(100vw - 2rem));
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.16);
  }

  .views-panel[hidden] {
    display: none;
  }

  .views-panel__heading {
    ${menuHeading}
  }

  .view-list {
    ${menuList}
    gap: 0.125rem;
  }

  .view-item {
    display: flex;
    align-items: center;
    gap: 0.25rem;
  }

  .view-apply,
  .view-delete {
    min-height: 2.25rem;
    border: 0;
    border-radius: var(--_radius);
    background: transparent;
    color: var(--_text);
    font: inherit;
    cursor: pointer;
  }

  .view-apply {
    display: grid;
    flex: 1;
    min-width: 0;
    padding: 0.3rem 0.5rem;
    text-align: start;
  }

  .view-apply__name {
    overflow: hidden;
    font-weight: 600;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .view-apply__by {
    color: var(--_muted);
    font-size: 0.75rem;
  }

  .view-apply[aria-current='true'] {
    box-shadow: inset 3px 0 0 var(--_accent);
    background: color-mix(in srgb, var(--_accent) 8%, transparent);
  }

  .view-delete {
    flex: none;
    width: 2.25rem;
    color: var(--_muted);
    font-size: 1.2rem;
  }

  .view-apply:hover,
  .view-delete:hover {
    background: var(--_surface-sunken);
  }

  .view-delete:hover {
    color: var(--_danger);
  }

  .save {
    display: grid;
    gap: 0.35rem;
    padding-top: 0.75rem;
    border-top: 1px solid var(--_border);
  }

  .save > label {
    font-size: 0.8125rem;
    font-weight: 600;
  }

  .save__row {
    display: flex;
    gap: 0.5rem;
  }

  .save__row .input {
    flex: 1;
  }

  .save .button {
    min-height: 2.25rem;
    padding-inline: 0.75rem;
  }

  @container (max-width: 36rem) {
    .bar {
      padding: 0.6rem;
    }

    .filters {
      flex-basis: 100%;
      grid-template-columns: repeat(2, minmax(0, 1fr));
    }

    .field--search {
      grid-column: 1 / -1;
    }

    .more-toggle {
      display: inline-flex;
      grid-column: 1 / -1;
      justify-self: start;
    }

    .filters:not(.filters--open) .field--more {
      display: none;
    }

    .actions {
      width: 100%;
    }
  }
`;
