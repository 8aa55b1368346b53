import { LitElement, html, nothing, type CSSResultGroup } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { connectEvent } from '../../events/fd-connect';
import { controlStyles } from '../../styles/controls.styles';
import { themeStyles } from '../../styles/theme.styles';
import styles from './fd-connect-form.styles';

/**
 * "Connect with an API key", the sign-in page's secondary way in: a disclosure holding a key field.
 * An empty key is refused here; a key is handed on with `fd-connect` (the console keeps it in this
 * tab and connects). `error` says why the last key did not work.
 *
 * @attr open - Whether the disclosure is open (it fires `toggle` when the person opens or closes it).
 * @attr error - Why the last key did not work.
 * @event fd-connect - The person connects with `detail.key`. Bubbles and composes.
 * @event toggle - The disclosure opened or closed (`open` says which), as `<details>` does.
 */
@customElement('fd-connect-form')
export class FdConnectForm extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, styles];

  @property({ type: Boolean, reflect: true }) open = false;
  @property() error = '';

  @query('#api-key') private keyInput?: HTMLInputElement;

  /** Focuses the key field. */
  override focus(): void {
    this.keyInput?.focus();
  }

  override render() {
    return html`
      <details class="panel connect" ?open=${this.open} @toggle=${this.onToggle}>
        <summary class="connect__summary">Connect with an API key</summary>
        <p class="connect__intro">
          For operators and scripts: watch one workspace's jobs with one of its API keys. The key stays in this browser
          tab only, until you disconnect or close the tab. <code>?key=…</code> in the address works too.
        </p>
        <form class="connect__form" novalidate @submit=${this.onSubmit}>
          <label for="api-key">API key</label>
          <div class="connect__row">
            <input
              id="api-key"
              name="api-key"
              type="password"
              autocomplete="off"
              spellcheck="false"
              autocapitalize="off"
              required
              aria-invalid=${this.error ? 'true' : 'false'}
              aria-describedby=${this.error ? 'api-key-error' : nothing}
            />
            <button class="button" type="submit">Connect</button>
          </div>
          ${this.error ? html`<p id="api-key-error" class="connect__error" role="alert">${this.error}</p>` : nothing}
        </form>
      </details>
    `;
  }

  private onToggle(event: Event): void {
    const open = (event.target as HTMLDetailsElement).open;
    if (open === this.open) return;
    this.open = open;
    this.dispatchEvent(new Event('toggle'));
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const key = this.keyInput?.value.trim() ?? '';
    if (!key) {
      this.error = 'Enter an API key.';
      this.keyInput?.focus();
      return;
    }
    this.dispatchEvent(connectEvent(key));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-connect-form': FdConnectForm;
  }
}
