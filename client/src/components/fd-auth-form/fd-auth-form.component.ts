import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { PASSWORD_HINT, checkSignIn, checkSignUp, type CredentialsField } from '../../accounts/account-input';
import { formErrorsOf } from '../../accounts/form-errors';
import { ApiError, type AuthApi } from '../../api/api-client';
import { FormSubmitController } from '../../controllers/form-submit-controller';
import { signedInEvent } from '../../events/fd-signed-in';
import { routePath } from '../../routing/console-routes';
import { controlStyles } from '../../styles/controls.styles';
import { themeStyles } from '../../styles/theme.styles';
import styles from './fd-auth-form.styles';

export type AuthMode = 'sign-in' | 'sign-up';

const FIELDS: readonly CredentialsField[] = ['name', 'email', 'password'];

/**
 * Signs a person in, or up (`mode`). Checks the fields before sending; shows the server's own
 * message next to the field it is about (`weak_password` under the password, `email_taken` under
 * the email) and anything else above the form; after too many attempts (`429`), says how long to
 * wait and keeps the button off until then.
 *
 * @attr mode - `sign-in` (default) or `sign-up` (reflected).
 * @attr next - Where to go after signing in; kept on the link to the other mode.
 * @event fd-signed-in - It worked; `detail.session` is the user and their workspaces. Bubbles and composes.
 */
@customElement('fd-auth-form')
export class FdAuthForm extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, styles];

  @property({ reflect: true }) mode: AuthMode = 'sign-in';
  @property() next: string | null = null;
  /** Where the form signs in. Without it, the form says it cannot. */
  @property({ attribute: false }) api: AuthApi | undefined;

  @state() private errors: Partial<Record<CredentialsField, string>> = {};
  @state() private showPassword = false;
  /** While rate limited: when the server allows the next attempt (ms since epoch), and the time now. */
  @state() private retryAt = 0;
  @state() private now = Date.now();

  @query('form') private form!: HTMLFormElement;

  private ticker: ReturnType<typeof setInterval> | undefined;
  /** Submitting, and what the form says when signing in (or up) failed. */
  private readonly submit = new FormSubmitController(this);

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTicker();
  }

  private get signingUp(): boolean {
    return this.mode === 'sign-up';
  }

  private get waitSeconds(): number {
    return Math.max(0, Math.ceil((this.retryAt - this.now) / 1000));
  }

  override render() {
    const title = this.signingUp ? 'Create your account' : 'Sign in to Flightdeck';
    const wait = this.waitSeconds;
    const action = this.signingUp ? 'Create account' : 'Sign in';
    const busy = this.signingUp ? 'Creating account…' : 'Signing in…';
    return html`
      <form class="form" novalidate aria-labelledby="auth-heading" @submit=${this.onSubmit}>
        <h2 id="auth-heading" class="heading">${title}</h2>
        ${this.submit.failure ? html`<p class="alert" role="alert">${this.submit.failure}</p>` : nothing}
        ${this.signingUp ? this.renderField('name', 'Name', 'text', 'name') : nothing}
        ${this.renderField('email', 'Email', 'email', 'email')}
        ${this.renderField('password', 'Password', this.showPassword ? 'text' : 'password', this.signingUp ? 'new-password' : 'current-password')}
        <label class="check">
          <input type="checkbox" .checked=${this.showPassword} @change=${this.onShowPassword} />
          <span>Show password</span>
        </label>
        <button class="button button--primary submit" type="submit" ?disabled=${this.submit.submitting || wait > 0}>
          ${wait > 0 ? `Try again in ${wait} s` : this.submit.submitting ? busy : action}
        </button>
        <p class="switch">
          ${
            this.signingUp
              ? html`Already have an account? <a href=${routePath({ page: 'sign-in', next: this.next })}>Sign in</a>`
              : html`New to Flightdeck?
                  <a href=${routePath({ page: 'sign-up', next: this.next })}>Create an account</a>`
          }
        </p>
      </form>
    `;
  }

  private renderField(name: CredentialsField, label: string, type: string, autocomplete: string) {
    const error = this.errors[name];
    const hint = name === 'password' && this.signingUp ? PASSWORD_HINT : '';
    const described = [error ? `${name}-error` : '', hint ? `${name}-hint` : ''].filter(Boolean).join(' ');
    return html`
      <div class="field">
        <label for=${name}>${label}</label>
        <input
          id=${name}
          name=${name}
          class="input"
          type=${type}
          autocomplete=${autocomplete}
          spellcheck="false"
          autocapitalize=${name === 'name' ? 'words' : 'off'}
          required
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${described || nothing}
          @input=${() => this.clearError(name)}
        />
        ${hint ? html`<p id="${name}-hint" class="hint">${hint}</p>` : nothing}
        ${error ? html`<p id="${name}-error" class="field-error">${error}</p>` : nothing}
      </div>
    `;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Switching between sign-in and sign-up starts afresh.
    if (changed.has('mode') && changed.get('mode') !== undefined) {
      this.errors = {};
      this.submit.clear();
    }
  }

  private value(name: CredentialsField): string {
    return this.form.querySelector<HTMLInputElement>(`#${name}`)?.value ?? '';
  }

  private clearError(name: CredentialsField): void {
    if (!this.errors[name]) return;
    const { [name]: _cleared, ...rest } = this.errors;
    this.errors = rest;
  }

  private onShowPassword(event: Event): void {
    this.showPassword = (event.target as HTMLInputElement).checked;
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.submit.submitting || this.waitSeconds > 0) return;
    this.submit.clear();
    const email = this.value('email');
    const password = this.value('password');
    const signUp = this.signingUp ? checkSignUp({ name: this.value('name'), email, password }) : undefined;
    const checked = signUp ?? checkSignIn({ email, password });
    if (!checked.ok) {
      this.errors = checked.errors;
      await this.focusFirstError();
      return;
    }
    this.errors = {};
    await this.submit.runWith(
      this.api,
      'The console is not connected to a Flightdeck server.',
      async (api) => {
        const session = signUp?.ok ? await api.signUp(signUp.value) : await api.signIn(checked.value);
        this.dispatchEvent(signedInEvent(session));
      },
      (error) => this.showFailure(error),
    );
  }

  /** Shows why signing in (or up) failed, and returns what the form says of it. */
  private async showFailure(error: unknown): Promise<string> {
    const shown = formErrorsOf(error, this.signingUp ? FIELDS : FIELDS.slice(1), {
      weak_password: 'password',
      email_taken: 'email',
    });
    this.errors = shown.fields;
    this.submit.fail(shown.form);
    if (error instanceof ApiError && error.code === 'rate_limited') this.waitFor(error.retryAfterSeconds ?? 0);
    await this.focusFirstError();
    return this.submit.failure;
  }

  /** Keeps the button off, counting down, until the server takes attempts again. */
  private waitFor(seconds: number): void {
    if (seconds <= 0) return;
    this.now = Date.now();
    this.retryAt = this.now + seconds * 1000;
    this.stopTicker();
    this.ticker = setInterval(() => {
      this.now = Date.now();
      if (this.waitSeconds > 0) return;
      this.stopTicker();
      // The message said to wait; now that the wait is over it would only mislead.
      this.submit.clear();
    }, 250);
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private async focusFirstError(): Promise<void> {
    await this.updateComplete;
    const first = FIELDS.find((name) => this.errors[name]);
    if (first) this.form.querySelector<HTMLInputElement>(`#${first}`)?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-auth-form': FdAuthForm;
  }
}
