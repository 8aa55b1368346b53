import { css } from 'lit';
import { buttonFace } from '../../styles/controls.styles';
import { menuChevronStyles, menuHeading, menuList, menuPanel } from '../../styles/menu.styles';
import { pillLook } from '../../styles/pill.styles';

export default css`
  :host {
    display: inline-block;
    min-width: 0;
    max-width: 100%;
    color: var(--_text);
  }

  .switcher {
    position: relative;
    min-width: 0;
  }

  .toggle {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    max-width: 100%;
    min-height: 2.25rem;
    padding: 0.25rem 0.65rem;
    ${buttonFace}
    cursor: pointer;
  }

  .toggle:hover {
    background: var(--_surface-sunken);
  }

  .toggle__name {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  ${menuChevronStyles(css`.toggle__chevron`, css`0.45rem`)}

  .role {
    flex: none;
    padding: 0 0.45rem;
    ${pillLook}
    line-height: 1.5;
  }

  .panel {
    ${menuPanel}
    inset-inline-start: 0;
    width: max-content;
    min-width: 17rem;
    /* Never wider than a phone's screen, whatever the switcher's position. */
    max-width: min(24rem, calc(100vw - 2rem));
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.18);
  }

  .panel[hidden] {
    display: none;
  }

  .panel__heading {
    ${menuHeading}
  }

  .list {
    ${menuList}
    gap: 0.15rem;
  }

  .item {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-height: 2.5rem;
    padding: 0.35rem 0.6rem;
    border-radius: var(--_radius);
    color: var(--_text);
    text-decoration: none;
  }

  .item:hover {
    background: var(--_surface-sunken);
  }

  .item:focus-visible {
    outline-offset: -2px;
  }

  .item[aria-current='page'] {
    background: color-mix(in srgb, var(--_accent) 12%, transparent);
    font-weight: 600;
  }

  .item__name {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }

  .create {
    display: grid;
    gap: 0.5rem;
    padding-top: 0.75rem;
    border-top: 1px solid var(--_border);
  }

  .create__row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  /* The name gets the whole width; the button goes under it. */
  .create__row .input,
  .create__row .button {
    flex: 1 1 100%;
  }
`;
