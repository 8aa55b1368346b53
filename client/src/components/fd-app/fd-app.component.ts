import type { Job } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiClient } from '../../api/api-client';
import type { FdJobSubmittedEvent } from '../../events/fd-job-submitted';
import { RealtimeClient, type RealtimeSnapshot } from '../../realtime/realtime-client';
import { themeStyles } from '../../styles/theme.styles';
import '../fd-connection-indicator/fd-connection-indicator.component';
import '../fd-jobs-table/fd-jobs-table.component';
import '../fd-submit-form/fd-submit-form.component';
import { browserAddressBar, forgetApiKey, saveApiKey, sessionKeyStorage, takeApiKey } from './api-key-session';
import styles from './fd-app.styles';

/**
 * The console's page shell: a header with the live connection state, the submit form and the live
 * jobs table of the workspace. Until accounts exist, it connects with an API key: from `?key=` (then
 * taken out of the address) or typed into its Connect form, and kept in this tab's sessionStorage.
 *
 * @attr docs-href - Where the API reference lives (the API's `/v1/docs` on the same origin by default).
 * @attr server-url - Origin of the Flightdeck server (the page's own origin by default).
 */
@customElement('fd-app')
export class FdApp extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, styles];

  @property({ attribute: 'docs-href' }) docsHref = '/v1/docs';
  @property({ attribute: 'server-url' }) serverUrl = '';

  @state() private apiKey: string | null = null;
  @state() private snapshot: RealtimeSnapshot | undefined;
  /** Why the last key did not work, shown on the Connect form. */
  @state() private connectError = '';

  @query('#api-key') private keyInput?: HTMLInputElement;

  private api: ApiClient | undefined;
  private realtime: RealtimeClient | undefined;
  private stopListening: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    const key = takeApiKey(sessionKeyStorage(), browserAddressBar());
    if (key) this.connect(key);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.closeConnection();
  }

  private connect(key: string): void {
    this.closeConnection();
    const baseUrl = this.serverUrl || undefined;
    this.apiKey = key;
    this.connectError = '';
    this.api = new ApiClient({ token: key, ...(baseUrl ? { baseUrl } : {}) });
    this.realtime = new RealtimeClient({ token: key, api: this.api, ...(baseUrl ? { url: baseUrl } : {}) });
    this.stopListening = this.realtime.subscribe((snapshot) => {
      this.snapshot = snapshot;
      if (snapshot.problem?.unauthorized) queueMicrotask(() => this.refuseKey(snapshot.problem?.message ?? ''));
    });
    this.realtime.start();
  }

  private closeConnection(): void {
    this.stopListening?.();
    this.stopListening = undefined;
    this.realtime?.stop();
    this.realtime = undefined;
    this.api = undefined;
  }

  /** The server refused the key: back to the Connect form, saying why. */
  private async refuseKey(message: string): Promise<void> {
    if (!this.apiKey) return;
    this.forget();
    this.connectError = `That API key was refused. ${message}`.trim();
    await this.updateComplete;
    this.keyInput?.focus();
  }

  private forget(): void {
    forgetApiKey(sessionKeyStorage());
    this.closeConnection();
    this.apiKey = null;
    this.snapshot = undefined;
  }

  private async onDisconnect(): Promise<void> {
    this.forget();
    this.connectError = '';
    await this.updateComplete;
    this.keyInput?.focus();
  }

  private onConnectSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const key = this.keyInput?.value.trim() ?? '';
    if (!key) {
      this.connectError = 'Enter an API key.';
      this.keyInput?.focus();
      return;
    }
    saveApiKey(sessionKeyStorage(), key);
    this.connect(key);
  }

  /** Fragment links do not reach into a shadow root: move focus to the main area by hand. */
  private onSkipLink(event: Event): void {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('#main')?.focus();
  }

  private onJobSubmitted(event: FdJobSubmittedEvent): void {
    this.realtime?.remember(event.detail.job);
  }

  override render() {
    return html`
      <a class="skip-link" href="#main" @click=${this.onSkipLink}>Skip to content</a>
      <header class="header">
        <span class="header__mark" aria-hidden="true">◆</span>
        <h1 class="header__title">Flightdeck</h1>
        ${
          this.apiKey
            ? html`
                <div class="header__end">
                  <fd-connection-indicator
                    state=${this.snapshot?.connection ?? 'connecting'}
                    detail=${this.snapshot?.problem?.message ?? ''}
                  ></fd-connection-indicator>
                  <button class="button button--quiet" type="button" @click=${this.onDisconnect}>Disconnect</button>
                </div>
              `
            : nothing
        }
      </header>

      <main id="main" class="main" tabindex="-1">${this.apiKey ? this.renderConsole() : this.renderConnect()}</main>

      <footer class="footer">
        <a href=${this.docsHref}>API reference</a>
      </footer>
    `;
  }

  private renderConsole() {
    const snapshot = this.snapshot;
    const jobs = snapshot?.jobs ?? new Map<string, Job>();
    const problem = snapshot && snapshot.connection !== 'live' ? snapshot.problem : null;
    return html`
      <div class="console">
        <section class="panel" aria-labelledby="submit-heading">
          <h2 id="submit-heading">Submit a job</h2>
          <fd-submit-form .api=${this.api} @fd-job-submitted=${this.onJobSubmitted}></fd-submit-form>
        </section>
        <section class="jobs" aria-labelledby="jobs-heading">
          <div class="jobs__header">
            <h2 id="jobs-heading">Jobs</h2>
            <span class="jobs__count">${jobs.size === 1 ? '1 job' : `${jobs.size} jobs`}</span>
          </div>
          ${problem ? html`<p class="notice">${problem.message} Trying again…</p>` : nothing}
          <fd-jobs-table .jobs=${jobs} ?loading=${!snapshot || snapshot.connection === 'connecting'}></fd-jobs-table>
        </section>
      </div>
    `;
  }

  private renderConnect() {
    return html`
      <section class="connect panel" aria-labelledby="connect-heading">
        <h2 id="connect-heading">Connect to your workspace</h2>
        <p class="connect__intro">
          Enter an API key of your workspace to watch its jobs live. The key stays in this browser tab only, until you
          disconnect or close the tab.
        </p>
        <form class="connect__form" novalidate @submit=${this.onConnectSubmit}>
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
              aria-invalid=${this.connectError ? 'true' : 'false'}
              aria-describedby=${this.connectError ? 'api-key-error' : nothing}
            />
            <button class="button button--primary" type="submit">Connect</button>
          </div>
          ${
            this.connectError
              ? html`<p id="api-key-error" class="connect__error" role="alert">${this.connectError}</p>`
              : nothing
          }
        </form>
        <p class="connect__hint">
          Sign-in with accounts comes later. A server started with <code>BOOTSTRAP_API_KEY</code> accepts that key;
          <code>?key=…</code> in the address works too.
        </p>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-app': FdApp;
  }
}
