import { css } from 'lit';
import { cardSurface } from '../../styles/card.styles';
import { textFieldBox } from '../../styles/controls.styles';

export default css`
  :host {
    display: block;
  }

  .panel {
    padding: 1.25rem;
    ${cardSurface}
  }

  .connect {
    padding-block: 0.75rem;
  }

  .connect__summary {
    padding: 0.25rem 0;
    color: var(--_muted);
    font-size: 0.9375rem;
    font-weight: 500;
    cursor: pointer;
  }

  .connect[open] .connect__summary {
    color: var(--_text);
  }

  .connect__summary:focus-visible {
    border-radius: 2px;
  }

  .connect__intro {
    margin: 0.5rem 0 1rem;
    color: var(--_muted);
    font-size: 0.875rem;
  }

  .connect code {
    font-family: var(--_font-mono);
    font-size: 0.8125rem;
    white-space: nowrap;
  }

  .connect__form label {
    display: block;
    margin-bottom: 0.3rem;
    font-size: 0.875rem;
    font-weight: 600;
  }

  .connect__row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }

  .connect__row input {
    flex: 1 1 14rem;
    min-width: 0;
    ${textFieldBox}
  }

  .connect__row input[aria-invalid='true'] {
    border-color: var(--_danger);
  }

  .connect__error {
    margin: 0.5rem 0 0;
    color: var(--_danger);
    font-size: 0.875rem;
  }

  @media (max-width: 30rem) {
    .panel {
      padding: 1rem;
    }
  }
`;
