import { css } from 'lit';
import { cardSurface } from '../../styles/card.styles';

export default css`
  :host {
    display: block;
    min-width: 0;
    color: var(--_text);
    /* Entries lay out by the width the feed has (a page, or the jobs page's side panel). */
    container-type: inline-size;
  }

  .feed {
    display: grid;
    gap: 0.75rem;
    min-width: 0;
  }

  .feed__header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 0.25rem 1rem;
  }

  h2 {
    margin: 0;
    font-size: 1.125rem;
    font-weight: 600;
  }

  .feed__count,
  .feed__intro {
    margin: 0;
    color: var(--_muted);
    font-size: 0.875rem;
    font-variant-numeric: tabular-nums;
  }

  .feed__all {
    color: var(--_accent);
    font-size: 0.875rem;
    font-weight: 600;
    text-decoration: none;
  }

  .feed__all:hover {
    text-decoration: underline;
  }

  /* Filters: people or everything, and an action. */
  .filters {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    gap: 0.75rem 1.25rem;
    padding: 0.75rem;
    ${cardSurface}
  }

  .filters__label {
    font-size: 0.875rem;
    font-weight: 600;
  }

  .filters__action {
    flex: 0 1 14rem;
  }

  .choice {
    display: inline-flex;
    justify-self: start;
    border: 1px solid var(--_control-border);
    border-radius: var(--_radius);
    overflow: hidden;
  }

  .choice__option {
    position: relative;
    display: inline-flex;
  }

  /* The radio stays in the page (keyboard and screen readers use it); its label is the visible button. */
  .choice__option input {
    position: absolute;
    inset: 0;
    margin: 0;
    opacity: 0;
    cursor: pointer;
  }

  .choice__option span {
    display: inline-flex;
    align-items: center;
    /* With the group's border, as tall as the action menu beside it. */
    min-height: calc(2.5rem - 2px);
    padding: 0.4rem 1rem;
    background: var(--_bg);
    font-size: 0.875rem;
    font-weight: 600;
  }

  .choice__option + .choice__option span {
    border-inline-start: 1px solid var(--_control-border);
  }

  .choice__option input:checked + span {
    background: var(--_accent);
    color: var(--_on-accent);
  }

  .choice__option input:focus-visible + span {
    outline: 2px solid var(--_focus);
    outline-offset: -4px;
  }

  /* The entries. */
  .entries {
    margin: 0;
    padding: 0;
    list-style: none;
    ${cardSurface}
  }

  .entries[aria-busy='true'] {
    opacity: 0.6;
  }

  .entry {
    display: grid;
    grid-template-columns: 2rem minmax(0, 1fr) auto;
    align-items: center;
    gap: 0.25rem 0.75rem;
    padding: 0.6rem 0.9rem;
  }

  .entry + .entry {
    border-top: 1px solid var(--_border);
  }

  .entry__text {
    margin: 0;
    overflow-wrap: anywhere;
    line-height: 1.4;
  }

  .entry--job .entry__text {
    color: var(--_muted);
  }

  .entry__actor {
    font-weight: 600;
  }

  .entry__job {
    color: var(--_accent);
    font-family: var(--_font-mono);
    font-size: 0.875em;
    text-decoration: none;
    /* "demo.sleep 1GPX20JT" stays on one line. */
    white-space: nowrap;
  }

  .entry__job:hover {
    text-decoration: underline;
  }

  .entry__time {
    color: var(--_muted);
    font-size: 0.8125rem;
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }

  .mark {
    display: inline-grid;
    place-items: center;
    width: 2rem;
    height: 2rem;
    border-radius: 50%;
    background: var(--_mark-color, var(--_surface-sunken));
    color: #ffffff;
    font-size: 0.75rem;
    font-weight: 600;
    line-height: 1;
    user-select: none;
  }

  /* An API key is not a person: a rounded square. */
  .mark--key {
    border-radius: var(--_radius);
  }

  .mark--started,
  .mark--completed,
  .mark--failed,
  .mark--retrying {
    width: 1.5rem;
    height: 1.5rem;
    justify-self: center;
    border: 1.5px solid var(--_mark-color);
    background: transparent;
    color: var(--_mark-color);
    font-size: 0.75rem;
  }

  .mark--started {
    --_mark-color: var(--_status-active);
  }

  .mark--completed {
    --_mark-color: var(--_status-completed);
  }

  .mark--failed {
    --_mark-color: var(--_status-failed);
  }

  .mark--retrying {
    --_mark-color: var(--_status-delayed);
  }

  /* Narrow (a phone, the side panel): the time goes under the text. */
  @container (max-width: 34rem) {
    .entry {
      grid-template-columns: 2rem minmax(0, 1fr);
      align-items: start;
      padding: 0.6rem 0.75rem;
    }

    .entry__time {
      grid-column: 2;
    }

    .filters__action {
      flex: 1 1 12rem;
    }
  }

  /* The panel: no frame of its own (its panel has one), entries edge to edge. */
  .feed--compact .entries {
    border: 0;
    border-radius: 0;
    background: none;
  }

  .feed--compact .entry {
    padding-inline: 0;
  }

  .empty {
    display: grid;
    justify-items: center;
    gap: 0.5rem;
    margin: 0;
    padding: 2rem 1rem;
    border: 1px dashed var(--_border);
    border-radius: 0.5rem;
    color: var(--_muted);
    text-align: center;
  }

  .feed--compact .empty {
    justify-items: start;
    padding: 0.5rem 0 0;
    border: 0;
    text-align: start;
    font-size: 0.875rem;
  }
`;
