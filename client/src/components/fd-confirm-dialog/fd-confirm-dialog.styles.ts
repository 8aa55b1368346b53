import { css } from 'lit';
import { cardSurface } from '../../styles/card.styles';

export default css`
  :host {
    display: contents;
  }

  dialog {
    width: min(28rem, calc(100vw - 2rem));
    padding: 0;
    ${cardSurface}
    color: var(--_text);
    box-shadow: 0 12px 32px rgb(0 0 0 / 0.25);
  }

  dialog::backdrop {
    background: rgb(0 0 0 / 0.45);
  }

  .body {
    display: grid;
    gap: 0.75rem;
    padding: 1.25rem;
  }

  .heading {
    margin: 0;
    font-size: 1.125rem;
    font-weight: 600;
  }

  .message {
    margin: 0;
    color: var(--_muted);
    font-size: 0.9375rem;
  }

  .option {
    display: grid;
    gap: 0.25rem;
  }

  .option__label {
    display: flex;
    align-items: flex-start;
    gap: 0.5rem;
    font-size: 0.9375rem;
    cursor: pointer;
  }

  .option__box {
    flex: none;
    width: 1.125rem;
    height: 1.125rem;
    margin: 0.125rem 0 0;
    accent-color: var(--_accent);
  }

  .option__hint {
    margin: 0 0 0 1.625rem;
    color: var(--_muted);
    font-size: 0.875rem;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 0.5rem;
    margin-top: 0.5rem;
  }
`;
