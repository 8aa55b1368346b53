import { css } from 'lit';
import { cardSurface } from '../../styles/card.styles';
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
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    color: var(--_text);
    font: inherit;
    font-weight: 600;
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

  .toggle__chevron {
    flex: none;
    width: 0.45rem;
    height: 0.45rem;
    margin: 0 0.1rem 0.2rem;
    border: solid var(--_muted);
    border-width: 0 2px 2px 0;
    transform: rotate(45deg);
  }

  [aria-expanded='true'] .toggle__chevron {
    margin: 0.2rem 0.1rem 0;
    transform: rotate(-135deg);
  }

  .role {
    flex: none;
    padding: 0 0.45rem;
    ${pillLook}
    line-height: 1.5;
  }

  .panel {
    position: absolute;
    top: calc(100% + 0.35rem);
    inset-inline-start: 0;
    z-index: 10;
    display: grid;
    gap: 0.75rem;
    width: max-content;
    min-width: 17rem;
    /* Never wider than a phone's screen, whatever the switcher's position. */
    max-width: min(24rem, calc(100vw - 2rem));
    padding: 0.75rem;
    ${cardSurface}
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.18);
  }

  .panel[hidden] {
    display: none;
  }

  .panel__heading {
    margin: 0;
    color: var(--_muted);
    font-size: 0.75rem;
    font-weight: 600;
    letter-spacing: 0.02em;
    text-transform: uppercase;
  }

  .list {
    display: grid;
    gap: 0.15rem;
    max-height: 16rem;
    margin: 0;
    padding: 0;
    overflow-y: auto;
    list-style: none;
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
