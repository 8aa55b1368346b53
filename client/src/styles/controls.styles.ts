import { css } from 'lit';

/**
 * A text field's box: its height, padding, outline and text, as `.input` draws it. Declarations, not a
 * stylesheet: `.input` uses them, and so do the forms that style their fields by a selector of their own.
 */
export const textFieldBox = css`
  min-height: 2.5rem;
  padding: 0.45rem 0.65rem;
  border: 1px solid var(--_control-border);
  border-radius: var(--_radius);
  background: var(--_bg);
  color: var(--_text);
  font: inherit;
`;

/**
 * A plain button's face: outline, surface, text and weight, as `.button` draws it. Declarations, not a
 * stylesheet: `.button` uses them, and so do buttons that keep a size and layout of their own.
 */
export const buttonFace = css`
  border: 1px solid var(--_border);
  border-radius: var(--_radius);
  background: var(--_surface);
  color: var(--_text);
  font: inherit;
  font-weight: 600;
`;

/**
 * Form controls, buttons and messages shared by the console's forms and settings pages, built on
 * the theme tokens (include after `themeStyles`). Class names: `.field` (a label, the control, a
 * hint and an error, stacked), `.input`, `.button` (`--primary`, `--danger`, `--quiet`), `.alert`
 * (an error for the whole form), `.hint`, `.field-error`.
 */
export const controlStyles = css`
  .field {
    display: grid;
    gap: 0.3rem;
    min-width: 0;
  }

  .field > label,
  .label {
    font-size: 0.875rem;
    font-weight: 600;
  }

  .input {
    width: 100%;
    min-width: 0;
    ${textFieldBox}
  }

  select.input {
    padding-inline-end: 0.4rem;
  }

  .input[aria-invalid='true'] {
    border-color: var(--_danger);
  }

  .input:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 1px;
    border-color: var(--_focus);
  }

  .hint {
    margin: 0;
    color: var(--_muted);
    font-size: 0.8125rem;
  }

  .field-error {
    margin: 0;
    color: var(--_danger);
    font-size: 0.8125rem;
  }

  .alert {
    margin: 0;
    padding: 0.5rem 0.75rem;
    border: 1px solid color-mix(in srgb, var(--_danger) 55%, transparent);
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_danger) 9%, transparent);
    color: var(--_text);
    font-size: 0.875rem;
  }

  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4rem;
    min-height: 2.5rem;
    padding: 0.4rem 1rem;
    ${buttonFace}
    text-decoration: none;
    white-space: nowrap;
    cursor: pointer;
  }

  .button:hover:not(:disabled) {
    background: var(--_surface-sunken);
  }

  .button:disabled {
    cursor: not-allowed;
    opacity: 0.65;
  }

  .button--primary {
    border-color: transparent;
    background: var(--_accent);
    color: var(--_on-accent);
  }

  .button--primary:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_accent) 88%, black);
  }

  .button--danger {
    border-color: color-mix(in srgb, var(--_danger) 55%, transparent);
    color: var(--_danger);
  }

  .button--danger.button--solid {
    border-color: transparent;
    background: var(--_danger);
    color: var(--_on-accent);
  }

  .button--danger.button--solid:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_danger) 88%, black);
  }

  .button--quiet {
    min-height: 2rem;
    padding: 0.2rem 0.75rem;
    font-size: 0.8125rem;
    font-weight: 500;
  }

  code {
    font-family: var(--_font-mono);
    font-size: 0.8125rem;
  }
`;

/**
 * A checkbox with its label beside it (`<label class="check"><input type="checkbox" /> …</label>`), as
 * the sign-in and submit forms show it. Include after `themeStyles`.
 */
export const checkLabelStyles = css`
  .check {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    width: fit-content;
    min-height: 2rem;
    font-size: 0.875rem;
    cursor: pointer;
  }

  .check input {
    width: 1.1rem;
    height: 1.1rem;
    margin: 0;
    accent-color: var(--_accent);
  }
`;
