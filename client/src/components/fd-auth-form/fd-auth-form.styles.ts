import { css } from 'lit';

export default css`
  :host {
    display: block;
    color: var(--_text);
  }

  .form {
    display: grid;
    gap: 1rem;
  }

  .heading {
    margin: 0;
    font-size: 1.25rem;
    font-weight: 600;
  }

  .check {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    width: fit-content;
    min-height: 2rem;
    margin-top: -0.5rem;
    font-size: 0.875rem;
    cursor: pointer;
  }

  .check input {
    width: 1.1rem;
    height: 1.1rem;
    margin: 0;
    accent-color: var(--_accent);
  }

  .submit {
    width: 100%;
  }

  .submit:disabled {
    cursor: progress;
  }

  .switch {
    margin: 0;
    color: var(--_muted);
    font-size: 0.875rem;
    text-align: center;
  }

  a {
    color: var(--_accent);
    font-weight: 600;
    text-underline-offset: 0.2em;
  }
`;
