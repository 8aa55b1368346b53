import { LitElement, html, nothing, type CSSResultGroup } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { controlStyles } from '../../styles/controls.styles';
import { themeStyles } from '../../styles/theme.styles';
import styles from './fd-confirm-dialog.styles';

export interface ConfirmRequest {
  heading: string;
  message: string;
  /** The confirming button's text, e.g. `Revoke key`. */
  confirmLabel: string;
  /** The declining button's text (`Cancel` by default; say something else when the action itself is a cancel). */
  dismissLabel?: string;
  /** `primary` for an action that is not destructive (a retry); `danger` by default. */
  tone?: 'danger' | 'primary';
  /** A checkbox that qualifies the action (e.g. "also cancel delayed jobs"); see {@link FdConfirmDialog.choose}. */
  option?: ConfirmOption;
}

export interface ConfirmOption {
  label: string;
  /** Checked when the dialog opens (false by default). */
  checked?: boolean;
  /** A line under the checkbox that says what it changes. */
  hint?: string;
}

/** A confirmed request's answer: whether its option was checked (false when it had none). */
export interface ConfirmChoice {
  option: boolean;
}

/**
 * Asks a yes/no question in a modal dialog before something that cannot be undone: `await
 * dialog.ask({...})` is true when confirmed. A native `<dialog>`: focus stays inside, Escape
 * cancels, and focus goes back where it was. The safe choice (Cancel) has the focus first. A request
 * may carry one option (a checkbox); `choose` says how it was left.
 */
@customElement('fd-confirm-dialog')
export class FdConfirmDialog extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, styles];

  @state() private request: ConfirmRequest = { heading: '', message: '', confirmLabel: 'Confirm' };

  @query('dialog') private dialog!: HTMLDialogElement;
  @query('.cancel') private cancelButton!: HTMLButtonElement;

  @query('.option__box') private optionBox!: HTMLInputElement | null;

  private answer: ((choice: ConfirmChoice | null) => void) | undefined;
  private returnFocus: HTMLElement | null = null;

  /** Shows the question; resolves true on confirm, false on Cancel or Escape. */
  async ask(request: ConfirmRequest): Promise<boolean> {
    return (await this.choose(request)) !== null;
  }

  /** Shows the question; resolves with the option's state on confirm, null on Cancel or Escape. */
  async choose(request: ConfirmRequest): Promise<ConfirmChoice | null> {
    this.answer?.(null);
    this.returnFocus = deepActiveElement();
    this.request = request;
    await this.updateComplete;
    this.dialog.showModal();
    this.cancelButton.focus();
    return new Promise((resolve) => (this.answer = resolve));
  }

  override render() {
    const { heading, message, confirmLabel, dismissLabel = 'Cancel', tone = 'danger', option } = this.request;
    return html`
      <dialog
        aria-labelledby="confirm-heading"
        aria-describedby="confirm-message"
        @close=${this.onClose}
        @cancel=${() => (this.dialog.returnValue = 'cancel')}
      >
        <form method="dialog" class="body">
          <h2 id="confirm-heading" class="heading">${heading}</h2>
          <p id="confirm-message" class="message">${message}</p>
          ${
            option
              ? html`<div class="option">
                  <label class="option__label">
                    <input
                      class="option__box"
                      type="checkbox"
                      .checked=${live(option.checked ?? false)}
                      aria-describedby=${option.hint ? 'confirm-option-hint' : nothing}
                    />
                    <span>${option.label}</span>
                  </label>
                  ${option.hint ? html`<p id="confirm-option-hint" class="option__hint">${option.hint}</p>` : nothing}
                </div>`
              : nothing
          }
          <div class="actions">
            <button class="button cancel" value="cancel">${dismissLabel}</button>
            <button
              class="button ${tone === 'primary' ? 'button--primary' : 'button--danger button--solid'}"
              value="confirm"
            >
              ${confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    `;
  }

  private onClose(): void {
    const confirmed = this.dialog.returnValue === 'confirm';
    this.dialog.returnValue = '';
    const choice = confirmed ? { option: this.optionBox?.checked ?? false } : null;
    const answer = this.answer;
    this.answer = undefined;
    this.returnFocus?.focus();
    this.returnFocus = null;
    answer?.(choice);
  }
}

/** The focused element, looking into shadow roots (a button inside a component, not the component). */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-confirm-dialog': FdConfirmDialog;
  }
}
