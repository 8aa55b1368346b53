import { LitElement, html, nothing, type CSSResultGroup } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { can, type WorkspaceAccess } from '../../accounts/workspace-access';
import type { ApiClient } from '../../api/api-client';
import type { FdConnectEvent } from '../../events/fd-connect';
import type { FdToastEvent } from '../../events/fd-toast';
import type { FdSignedInEvent } from '../../events/fd-signed-in';
import type { FdWorkspaceCreatedEvent } from '../../events/fd-workspace-created';
import { workspaceOfRoute, type ConsoleRoute } from '../../routing/console-routes';
import { controlStyles } from '../../styles/controls.styles';
import { themeStyles } from '../../styles/theme.styles';
import '../fd-activity-feed/fd-activity-feed.component';
import '../fd-api-keys-settings/fd-api-keys-settings.component';
import '../fd-auth-form/fd-auth-form.component';
import type { FdConnectForm } from '../fd-connect-form/fd-connect-form.component';
import '../fd-connect-form/fd-connect-form.component';
import '../fd-jobs-view/fd-jobs-view.component';
import type { FdToasts } from '../fd-toasts/fd-toasts.component';
import '../fd-toasts/fd-toasts.component';
import '../fd-job-page/fd-job-page.component';
import '../fd-job-types-page/fd-job-types-page.component';
import '../fd-members-settings/fd-members-settings.component';
import '../fd-ops-view/fd-ops-view.component';
import '../fd-submit-form/fd-submit-form.component';
import type { FdWorkspaceSwitcher } from '../fd-workspace-switcher/fd-workspace-switcher.component';
import { browserAddressBar, sessionKeyStorage, takeApiKey } from './api-key-session';
import { AppConnection } from './app-connection';
import { renderHeader } from './app-header';
import { AppRouter } from './app-router';
import { AppSession, type Auth } from './app-session';
import { pageTitle, renderNoAccess, renderNoWorkspace, renderNotFound, renderWorkspaceNav } from './console-pages';
import styles from './fd-app.styles';

/**
 * The console's page shell and router. People sign in (or up) with a password and get a session
 * cookie; the console then shows their workspaces at `/w/<slug>`: the live jobs, and the settings
 * pages (members, API keys) the person's role may see. Connecting with an API key stays possible
 * (from `?key=`, then taken out of the address, or typed in), for operators and programs: the key
 * decides the workspace, and it is kept in this tab's sessionStorage.
 *
 * Links to console pages anywhere in the page (shadow roots included) are followed without a reload.
 * Who is using the console is {@link AppSession}'s, where it is {@link AppRouter}'s, and the live
 * connection {@link AppConnection}'s: this element lays out the page they describe.
 *
 * @attr docs-href - Where the API reference lives (the API's `/v1/docs` on the same origin by default).
 * @attr server-url - Origin of the Flightdeck server (the page's own origin by default).
 */
@customElement('fd-app')
export class FdApp extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, styles];

  @property({ attribute: 'docs-href' }) docsHref = '/v1/docs';
  @property({ attribute: 'server-url' }) serverUrl = '';

  @state() private keyFormOpen = false;

  @query('fd-connect-form') private connectForm?: FdConnectForm;
  @query('fd-workspace-switcher') private switcher?: FdWorkspaceSwitcher;

  private readonly router: AppRouter = new AppRouter(this, {
    visitor: () => this.session.visitor(),
    beforeLinkFollowed: () => this.switcher?.close(),
    focusMain: () => void this.focusMain(),
  });
  private readonly session: AppSession = new AppSession(this, this.router, {
    serverUrl: () => this.serverUrl,
    openConnectForm: () => (this.keyFormOpen = true),
    focusConnectForm: async () => {
      await this.updateComplete;
      this.connectForm?.focus();
    },
  });
  private readonly connection = new AppConnection(this, {
    serverUrl: () => this.serverUrl,
    // A changed role (or a removal) closes the socket: learn the new role, or that it is gone.
    onRevoked: (notice) => {
      if (notice.reason === 'member' || notice.reason === 'workspace') void this.session.reloadWorkspaces();
    },
    onUnauthorized: (message) => this.session.refused(message),
  });
  /** The auth and route the last update saw: the connection and the title follow their changes. */
  private seen: { auth: Auth; route: ConsoleRoute } | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    const key = takeApiKey(sessionKeyStorage(), browserAddressBar());
    this.router.read();
    if (key) this.session.useApiKey(key);
    else void this.session.checkSession();
  }

  private get auth(): Auth {
    return this.session.auth;
  }

  private get route(): ConsoleRoute {
    return this.router.route;
  }

  private shownWorkspace() {
    return this.session.shownWorkspace(this.route);
  }

  private access(): WorkspaceAccess | null {
    return this.session.access(this.route);
  }

  private workspaceApi(slug: string | null): ApiClient | undefined {
    return this.session.workspaceApi(slug);
  }

  protected override willUpdate(): void {
    if (this.seen?.auth === this.auth && this.seen.route === this.route) return;
    this.connection.sync(this.session.connectionTarget(this.route));
    // Presence: the job this person looks at, or none (sent again after every reconnect).
    this.connection.realtime?.presence.look(this.route.page === 'job' ? this.route.jobId : null);
    if (this.auth.kind === 'session' && !this.shownWorkspace())
      this.session.refreshWorkspaces(workspaceOfRoute(this.route));
  }

  protected override updated(): void {
    if (this.seen?.auth === this.auth && this.seen.route === this.route) return;
    this.seen = { auth: this.auth, route: this.route };
    document.title = pageTitle(this.route, this.shownWorkspace()?.name);
  }

  private onSignedIn(event: FdSignedInEvent): void {
    const { user, workspaces } = event.detail.session;
    this.session.signedIn(user, workspaces);
    void this.focusMain();
  }

  private onWorkspaceCreated(event: FdWorkspaceCreatedEvent): void {
    this.session.workspaceCreated(event.detail.workspace);
  }

  private onConnect(event: FdConnectEvent): void {
    this.session.connect(event.detail.key);
  }

  private async focusMain(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#main')?.focus();
  }

  /** Fragment links do not reach into a shadow root: move focus to the main area by hand. */
  private onSkipLink(event: Event): void {
    event.preventDefault();
    event.stopPropagation();
    this.renderRoot.querySelector<HTMLElement>('#main')?.focus();
  }

  // ── Rendering ──────────────────────────────────────────────────────────────────────────────

  override render() {
    return html`
      <a class="skip-link" href="#main" @click=${this.onSkipLink}>Skip to content</a>
      <header class="header">${this.renderHeader()}</header>
      <main id="main" class="main" tabindex="-1" @fd-toast=${this.onToast}>
        ${this.session.failure ? html`<p class="alert" role="alert">${this.session.failure}</p>` : nothing}
        ${this.renderMain()}
      </main>
      <footer class="footer">
        <a href=${this.docsHref}>API reference</a>
      </footer>
      <fd-toasts></fd-toasts>
    `;
  }

  private renderHeader() {
    return renderHeader({
      auth: this.auth,
      currentWorkspace: workspaceOfRoute(this.route) ?? '',
      connected: this.connection.realtime !== undefined,
      snapshot: this.connection.snapshot,
      accountApi: this.session.accountApi,
      onWorkspaceCreated: (event) => this.onWorkspaceCreated(event),
      signOut: () => this.session.signOut(),
      disconnect: () => this.session.disconnect(),
    });
  }

  private renderMain() {
    const auth = this.auth;
    if (auth.kind === 'checking') return html`<p class="loading" role="status">Loading…</p>`;
    if (auth.kind === 'signed-out') return this.renderSignedOut();
    const route = this.route;
    if (route.page === 'not-found') return renderNotFound(this.auth, 'There is no such page in the console.');
    if (route.page === 'home' && auth.kind === 'session') return renderNoWorkspace(this.auth);
    if (auth.kind === 'session' && !this.shownWorkspace()) {
      return renderNotFound(this.auth, 'This workspace does not exist, or you are not one of its members.');
    }
    return html`${renderWorkspaceNav(this.route, this.shownWorkspace()?.slug ?? workspaceOfRoute(this.route), this.access())}
    ${this.renderWorkspacePage()}`;
  }

  private renderSignedOut() {
    const route = this.route;
    const mode = route.page === 'sign-up' ? 'sign-up' : 'sign-in';
    const next = route.page === 'sign-in' || route.page === 'sign-up' ? route.next : null;
    const notice = this.session.notice;
    return html`
      <div class="auth">
        ${notice ? html`<p class="notice notice--${notice.tone}" role=${notice.tone}>${notice.text}</p>` : nothing}
        <div class="panel auth__card">
          <fd-auth-form
            mode=${mode}
            .next=${next}
            .api=${this.session.accountApi}
            @fd-signed-in=${this.onSignedIn}
          ></fd-auth-form>
        </div>
        <fd-connect-form
          ?open=${this.keyFormOpen}
          error=${this.session.connectError}
          @toggle=${(event: Event) => (this.keyFormOpen = (event.target as FdConnectForm).open)}
          @fd-connect=${this.onConnect}
        ></fd-connect-form>
      </div>
    `;
  }

  private renderWorkspacePage() {
    const workspace = this.shownWorkspace();
    const slug = workspace?.slug ?? workspaceOfRoute(this.route);
    const api = this.workspaceApi(slug);
    const access = this.access();
    const name = workspace?.name ?? '';
    const auth = this.auth;
    switch (this.route.page) {
      case 'members':
        if (!access || !can(access, 'members:read')) return renderNoAccess('members');
        return html`<fd-members-settings
          .api=${api}
          .access=${access}
          .currentUserId=${auth.kind === 'session' ? auth.user.id : null}
          workspace-name=${name}
        ></fd-members-settings>`;
      case 'api-keys':
        if (!access || !can(access, 'api-keys:read')) return renderNoAccess('API keys');
        return html`<fd-api-keys-settings
          .api=${api}
          .access=${access}
          .currentKeyId=${auth.kind === 'api-key' ? (auth.me?.apiKey?.id ?? null) : null}
          workspace-name=${name}
        ></fd-api-keys-settings>`;
      case 'ops':
        if (access && !can(access, 'queues:read')) return renderNoAccess('queues');
        return html`<fd-ops-view
          .api=${api}
          .access=${access}
          .events=${this.connection.realtime}
          workspace-name=${name}
        ></fd-ops-view>`;
      case 'job':
        return this.renderJob(api, access, this.route.jobId, slug ?? '');
      case 'job-types':
        if (access && !can(access, 'jobs:read')) return renderNoAccess('job types');
        return html`<fd-job-types-page .api=${api} .access=${access} workspace=${slug ?? ''}></fd-job-types-page>`;
      case 'activity':
        if (access && !can(access, 'jobs:read')) return renderNoAccess('activity');
        return keyed(
          slug ?? '',
          html`<fd-activity-feed
            .api=${api}
            .realtime=${this.connection.realtime}
            workspace=${slug ?? ''}
            search=${window.location.search}
          ></fd-activity-feed>`,
        );
      default:
        return this.renderJobs(api, access);
    }
  }

  private renderJob(api: ApiClient | undefined, access: WorkspaceAccess | null, jobId: string, slug: string) {
    const auth = this.auth;
    const self = auth.kind === 'session' ? auth.user.id : auth.kind === 'api-key' ? auth.me?.apiKey?.id : undefined;
    return html`<fd-job-page
      .api=${api}
      .realtime=${this.connection.realtime}
      .access=${access}
      job-id=${jobId}
      workspace=${slug}
      current-user-id=${self ?? ''}
    ></fd-job-page>`;
  }

  private renderJobs(api: ApiClient | undefined, access: WorkspaceAccess | null) {
    const snapshot = this.connection.snapshot;
    const problem = snapshot && snapshot.connection !== 'live' ? snapshot.problem : null;
    const canSubmit = access === null || can(access, 'jobs:write');
    const auth = this.auth;
    const userId = auth.kind === 'session' ? auth.user.id : null;
    const actorId = userId ?? (auth.kind === 'api-key' ? (auth.me?.apiKey?.id ?? null) : null);
    const workspace = this.shownWorkspace()?.slug ?? workspaceOfRoute(this.route) ?? '';
    const canRead = access === null || can(access, 'jobs:read');
    return html`
      <div class="console">
        <section class="panel console__submit" aria-labelledby="submit-heading">
          <h2 id="submit-heading">Submit a job</h2>
          ${
            canSubmit
              ? html`<fd-submit-form .api=${api}></fd-submit-form>`
              : html`<p class="muted">Viewers watch the jobs; members and above submit them.</p>`
          }
        </section>
        ${keyed(
          `${workspace} ${actorId ?? ''}`,
          html`<fd-jobs-view
            class="console__jobs"
            .api=${api}
            .realtime=${this.connection.realtime}
            .access=${access}
            workspace=${workspace}
            .userId=${userId}
            .actorId=${actorId}
            search=${window.location.search}
            .viewers=${this.connection.jobViewers(actorId)}
            problem=${problem?.message ?? ''}
          ></fd-jobs-view>`,
        )}
        ${
          canRead
            ? keyed(
                workspace,
                html`<div class="panel console__activity">
                  <fd-activity-feed
                    compact
                    .api=${api}
                    .realtime=${this.connection.realtime}
                    workspace=${workspace}
                  ></fd-activity-feed>
                </div>`,
              )
            : nothing
        }
      </div>
    `;
  }

  /** Toasts asked for anywhere in the page (see events/fd-toast.ts) show in one place. */
  private onToast(event: FdToastEvent): void {
    event.stopPropagation();
    this.renderRoot.querySelector<FdToasts>('fd-toasts')?.show(event.detail);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fd-app': FdApp;
  }
}
