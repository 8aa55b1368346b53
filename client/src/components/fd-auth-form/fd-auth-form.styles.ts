import { css } from 'lit';
import { checkLabelStyles } from '../../styles/controls.styles';

/** The form's own rules, after the shared checkbox with its label. */
const authFormStyles = css`
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
    margin-top: -0.5rem;
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

export default [checkLabelStyles, authFormStyles];
