import { css } from 'lit';
import { checkLabelStyles, controlStyles, textFieldBox } from '../../styles/controls.styles';

/** The form's own rules, after the shared form controls (the fields, hints and code) and checkbox. */
const submitFormStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    color: var(--_text);
  }

  .form {
    display: grid;
    gap: 0.9rem;
  }

  .note {
    margin: 0;
    color: var(--_muted);
    font-size: 0.875rem;
  }

  .fields {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(7rem, 1fr));
    gap: 0.9rem 0.75rem;
    align-items: start;
  }

  .hint {
    color: var(--_muted);
    font-size: 0.75rem;
    font-variant-numeric: tabular-nums;
  }

  .field input {
    width: 100%;
    ${textFieldBox}
    font-variant-numeric: tabular-nums;
  }

  .field input[aria-invalid='true'] {
    border-color: var(--_danger);
  }

  .field input:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 1px;
    border-color: var(--_focus);
  }

  .error {
    color: var(--_danger);
    font-size: 0.8125rem;
  }

  .submit {
    min-height: 2.5rem;
    padding: 0.5rem 1rem;
    border: 1px solid transparent;
    border-radius: var(--_radius);
    background: var(--_accent);
    color: var(--_on-accent);
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }

  .submit:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_accent) 88%, black);
  }

  .submit:disabled {
    cursor: progress;
    opacity: 0.7;
  }

  .outcome {
    /* Room for one line of outcome, so the form does not jump when a message appears. */
    min-height: 1.5rem;
    font-size: 0.875rem;
  }

  .outcome p {
    margin: 0;
  }

  .failure {
    color: var(--_danger);
  }

  .success {
    color: var(--_success);
  }

  /* Given room (a tablet, say), the button keeps a button's width instead of spanning the form. */
  @container (min-width: 30rem) {
    .submit {
      justify-self: start;
      min-width: 12rem;
    }
  }
`;

export default [controlStyles, checkLabelStyles, submitFormStyles];
