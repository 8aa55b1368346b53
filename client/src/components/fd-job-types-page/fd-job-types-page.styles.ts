import { css } from 'lit';

export default css`
  .types {
    display: grid;
    gap: 1rem;
    grid-template-columns: minmax(14rem, 22rem) minmax(0, 1fr);
    align-items: start;
  }

  @media (max-width: 48rem) {
    .types {
      grid-template-columns: minmax(0, 1fr);
    }
  }

  .type-list {
    display: grid;
    gap: 0.25rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .type-button {
    display: grid;
    gap: 0.15rem;
    width: 100%;
    padding: 0.5rem 0.65rem;
    border: 1px solid var(--fd-border, #d0d7de);
    border-radius: 0.4rem;
    background: var(--fd-surface, #fff);
    color: inherit;
    font: inherit;
    text-align: start;
    cursor: pointer;
  }

  .type-button[aria-current='true'] {
    border-color: var(--fd-accent, #0969da);
    box-shadow: inset 3px 0 0 var(--fd-accent, #0969da);
  }

  .type-button:focus-visible {
    outline: 2px solid var(--fd-accent, #0969da);
    outline-offset: 2px;
  }

  .type-name {
    font-family: var(--fd-mono, ui-monospace, monospace);
    font-weight: 600;
  }

  .facts {
    display: grid;
    grid-template-columns: max-content minmax(0, 1fr);
    gap: 0.25rem 1rem;
    margin: 0 0 1rem;
  }

  .facts dt {
    color: var(--fd-muted, #57606a);
  }

  .facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }

  .schema {
    max-height: 20rem;
    overflow: auto;
    padding: 0.75rem;
    border-radius: 0.4rem;
    background: var(--fd-code-bg, #f6f8fa);
    font-size: 0.85rem;
  }

  .submit-form {
    display: grid;
    gap: 0.75rem;
    max-width: 36rem;
  }

  .check {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
`;
