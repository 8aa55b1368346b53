import { JOB_STATUSES } from '@flightdeck/contract';
import { LitElement, html, type CSSResultGroup } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import styles from './fd-app.styles';

/**
 * The console's page shell: header, the live job area and a footer with the API reference.
 *
 * @attr docs-href - Where the API reference lives (the API's `/v1/docs` on the same origin by default).
 */
@customElement('fd-app')
export class FdApp extends LitElement {
  static override styles: CSSResultGroup = styles;

  @property({ attribute: 'docs-href' }) docsHref = '/v1/docs';

  override render() {
    return html`
      <header class="header">
        <span class="header__mark" aria-hidden="true">◆</span>
        <h1 class="header__title">Flightdeck</h1>
      </header>

      <main class="main">
        <section aria-labelledby="jobs-heading">
          <h2 id="jobs-heading">Jobs</h2>
          <p class="placeholder" role="status">Jobs appear here live once the realtime gateway lands.</p>

          <h3 id="statuses-heading">Statuses a job moves through</h3>
          <ul class="statuses" aria-labelledby="statuses-heading">
            ${JOB_STATUSES.map((status) => html`<li class="status status--${status}">${status}</li>`)}
          </ul>
        </section>
      </main>

      <footer class="footer">
        <a href=${this.docsHref}>API reference</a>
      </footer>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-app': FdApp;
  }
}
