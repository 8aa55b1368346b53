import type { Me, User } from '@flightdeck/contract';
import { LitElement, html, nothing, type CSSResultGroup, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { messageOf } from '../../accounts/form-errors';
import { apiKeyAccess, can, memberAccess, type WorkspaceAccess } from '../../accounts/workspace-access';
import { ApiClient, ApiError, type MyWorkspace } from '../../api/api-client';
import type { FdToastEvent } from '../../events/fd-toast';
import type { FdSignedInEvent } from '../../events/fd-signed-in';
import type { FdWorkspaceCreatedEvent } from '../../events/fd-workspace-created';
import { RealtimeClient, type RealtimeClientOptions, type RealtimeSnapshot } from '../../realtime/realtime-client';
import { viewersByJob, type PresenceMember } from '../../realtime/presence';
import { redirectFor, type ConsoleVisitor } from '../../routing/console-redirects';
import { parseRoute, routePath, workspaceOfRoute, type ConsoleRoute } from '../../routing/console-routes';
import { consolePathOfClick } from '../../routing/link-navigation';
import { controlStyles } from '../../styles/controls.styles';
import { themeStyles } from '../../styles/theme.styles';
import '../fd-activity-feed/fd-activity-feed.component';
import '../fd-api-keys-settings/fd-api-keys-settings.component';
import '../fd-auth-form/fd-auth-form.component';
import '../fd-connection-indicator/fd-connection-indicator.component';
import '../fd-jobs-view/fd-jobs-view.component';
import type { FdToasts } from '../fd-toasts/fd-toasts.component';
import '../fd-toasts/fd-toasts.component';
import '../fd-job-page/fd-job-page.component';
import '../fd-members-settings/fd-members-settings.component';
import '../fd-ops-view/fd-ops-view.component';
import '../fd-submit-form/fd-submit-form.component';
import type { FdWorkspaceSwitcher } from '../fd-workspace-switcher/fd-workspace-switcher.component';
import '../fd-workspace-switcher/fd-workspace-switcher.component';
import { browserAddressBar, forgetApiKey, saveApiKey, sessionKeyStorage, takeApiKey } from './api-key-session';
import styles from './fd-app.styles';

/** Who is using the console. */
type Auth =
  /** The session is being checked. */
  | { kind: 'checking' }
  | { kind: 'signed-out' }
  | { kind: 'session'; user: User; workspaces: MyWorkspace[] }
  /** Connected with an API key; `me` is what the server said of the key, once it did. */
  | { kind: 'api-key'; key: string; me: Me | null };

/** A message on the sign-in page: why the person is there. */
interface Notice {
  text: string;
  tone: 'alert' | 'status';
}

/**
 * The console's page shell and router. People sign in (or up) with a password and get a session
 * cookie; the console then shows their workspaces at `/w/<slug>`: the live jobs, and the settings
 * pages (members, API keys) the person's role may see. Connecting with an API key stays possible
 * (from `?key=`, then taken out of the address, or typed in), for operators and programs: the key
 * decides the workspace, and it is kept in this tab's sessionStorage.
 *
 * Links to console pages anywhere in the page (shadow roots included) are followed without a reload.
 *
 * @attr docs-href - Where the API reference lives (the API's `/v1/docs` on the same origin by default).
 * @attr server-url - Origin of the Flightdeck server (the page's own origin by default).
 */
@customElement('fd-app')
export class FdApp extends LitElement {
  static override styles: CSSResultGroup = [themeStyles, controlStyles, styles];

  @property({ attribute: 'docs-href' }) docsHref = '/v1/docs';
  @property({ attribute: 'server-url' }) serverUrl = '';

  @state() private auth: Auth = { kind: 'checking' };
  @state() private route: ConsoleRoute = { page: 'home' };
  @state() private snapshot: RealtimeSnapshot | undefined;
  /** Who is online in the workspace and which jobs each has open (you included). */
  @state() private presence: readonly PresenceMember[] = [];
  /** Why the last key did not work, shown on the Connect form. */
  @state() private connectError = '';
  @state() private keyFormOpen = false;
  @state() private notice: Notice | null = null;
  /** A failure of the shell's own actions (signing out), shown above the page. */
  @state() private failure = '';

  @query('#api-key') private keyInput?: HTMLInputElement;
  @query('fd-workspace-switcher') private switcher?: FdWorkspaceSwitcher;

  /** Calls that act in no workspace: signing in and out, who am I, new workspaces (made again on connect, with `server-url`). */
  private accountApi = this.newApi({});
  /** One client per workspace (or key), so components keep theirs across renders. */
  private readonly apis = new Map<string, ApiClient>();
  private connection: { id: string; realtime: RealtimeClient; stop: () => void } | undefined;
  /** Slugs already looked up again in `/v1/me` because they were not in the list. */
  private readonly refreshedFor = new Set<string>();

  private readonly onPopState = () => this.showLocation();
  private readonly onLinkClick = (event: MouseEvent) => {
    const path = consolePathOfClick(event, window.location.origin);
    if (path === null) return;
    event.preventDefault();
    this.switcher?.close();
    this.navigate(path, { focus: true });
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    this.addEventListener('click', this.onLinkClick);
    this.accountApi = this.newApi({});
    const key = takeApiKey(sessionKeyStorage(), browserAddressBar());
    this.route = this.currentRoute();
    if (key) this.useApiKey(key);
    else void this.checkSession();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onPopState);
    this.removeEventListener('click', this.onLinkClick);
    this.closeConnection();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (!changed.has('auth') && !changed.has('route')) return;
    this.syncConnection();
    // Presence: the job this person looks at, or none (sent again after every reconnect).
    this.connection?.realtime.presence.look(this.route.page === 'job' ? this.route.jobId : null);
    if (this.auth.kind === 'session' && !this.shownWorkspace()) this.refreshWorkspaces(workspaceOfRoute(this.route));
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('auth') || changed.has('route')) document.title = this.pageTitle();
  }

  // ── Who is using the console ───────────────────────────────────────────────────────────────

  private newApi(options: { token?: string; workspace?: string }): ApiClient {
    return new ApiClient({
      ...options,
      ...(this.serverUrl ? { baseUrl: this.serverUrl } : {}),
      onUnauthorized: (error) => this.onUnauthorized(options.token, error),
    });
  }

  /** The client for the workspace being shown (for a key: the key's workspace). */
  private workspaceApi(slug: string | null): ApiClient | undefined {
    const auth = this.auth;
    const id = auth.kind === 'api-key' ? `key:${auth.key}` : auth.kind === 'session' && slug ? `session:${slug}` : null;
    if (!id) return undefined;
    let api = this.apis.get(id);
    if (!api) {
      api = this.newApi(auth.kind === 'api-key' ? { token: auth.key } : { workspace: slug! });
      this.apis.set(id, api);
    }
    return api;
  }

  private async checkSession(): Promise<void> {
    this.setAuth({ kind: 'checking' });
    try {
      const me = await this.accountApi.me();
      if (this.auth.kind !== 'checking') return;
      this.setAuth(me.user ? { kind: 'session', user: me.user, workspaces: me.workspaces } : { kind: 'signed-out' });
    } catch (error) {
      if (this.auth.kind !== 'checking') return;
      // 401 is simply "not signed in"; a server that cannot be reached is worth saying.
      if (error instanceof ApiError && (error.status === 0 || error.status >= 500))
        this.notice = {
          text: `Flightdeck could not be reached to check your session. ${error.message}`,
          tone: 'alert',
        };
      this.setAuth({ kind: 'signed-out' });
    }
  }

  private useApiKey(key: string): void {
    this.connectError = '';
    this.notice = null;
    this.setAuth({ kind: 'api-key', key, me: null });
    // The key's workspace and scopes, for the address and the settings pages. Servers without
    // `/v1/me` still serve the jobs: the console then shows what it always showed.
    this.workspaceApi(null)!
      .me()
      .then(
        (me) => {
          if (this.auth.kind === 'api-key' && this.auth.key === key) this.setAuth({ ...this.auth, me });
        },
        () => undefined,
      );
  }

  private setAuth(auth: Auth): void {
    if (
      auth.kind !== this.auth.kind ||
      (auth.kind === 'api-key' && this.auth.kind === 'api-key' && auth.key !== this.auth.key)
    )
      this.apis.clear();
    this.auth = auth;
    this.followRedirects();
  }

  private onUnauthorized(token: string | undefined, error: ApiError): void {
    const auth = this.auth;
    if (token && auth.kind === 'api-key' && auth.key === token) void this.refuseKey(error.message);
    else if (!token && auth.kind === 'session') this.sessionEnded();
  }

  /** The server no longer knows the session: back to sign-in, and back here afterwards. */
  private sessionEnded(): void {
    if (this.auth.kind !== 'session') return;
    this.notice = { text: 'Your session has ended. Sign in again to continue.', tone: 'alert' };
    this.setAuth({ kind: 'signed-out' });
  }

  /** The server refused the key: back to the Connect form, saying why. */
  private async refuseKey(message: string): Promise<void> {
    if (this.auth.kind !== 'api-key') return;
    forgetApiKey(sessionKeyStorage());
    this.connectError = `That API key was refused. ${message}`.trim();
    this.keyFormOpen = true;
    this.setAuth({ kind: 'signed-out' });
    await this.updateComplete;
    this.keyInput?.focus();
  }

  private async onDisconnect(): Promise<void> {
    forgetApiKey(sessionKeyStorage());
    this.connectError = '';
    this.keyFormOpen = true;
    // Signed in as well, in this browser? Then that is what the console shows next.
    await this.checkSession();
    await this.updateComplete;
    this.keyInput?.focus();
  }

  private async onSignOut(): Promise<void> {
    this.failure = '';
    try {
      await this.accountApi.signOut();
    } catch (error) {
      // Unauthorized: the session had ended anyway.
      if (!(error instanceof ApiError && error.isUnauthorized)) {
        this.failure = `You are still signed in: ${messageOf(error)}`;
        return;
      }
    }
    this.notice = { text: 'You signed out.', tone: 'status' };
    this.setAuth({ kind: 'signed-out' });
    this.navigate(routePath({ page: 'sign-in', next: null }), { replace: true, focus: true });
  }

  private onSignedIn(event: FdSignedInEvent): void {
    const { user, workspaces } = event.detail.session;
    this.notice = null;
    this.setAuth({ kind: 'session', user, workspaces });
    void this.focusMain();
  }

  private onWorkspaceCreated(event: FdWorkspaceCreatedEvent): void {
    if (this.auth.kind !== 'session') return;
    const { workspace } = event.detail;
    this.auth = { ...this.auth, workspaces: [...this.auth.workspaces, workspace] };
    this.navigate(routePath({ page: 'jobs', workspace: workspace.slug }), { focus: true });
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
    this.useApiKey(key);
  }

  // ── Where the console is ───────────────────────────────────────────────────────────────────

  private currentRoute(): ConsoleRoute {
    return parseRoute(window.location.pathname, window.location.search);
  }

  /** Goes to `path` (a console path) without reloading the page. */
  private navigate(path: string, { replace = false, focus = false } = {}): void {
    const here = `${window.location.pathname}${window.location.search}${window.location.hash}`;
    if (path !== here) {
      if (replace) window.history.replaceState(null, '', path);
      else window.history.pushState(null, '', path);
    }
    this.showLocation();
    if (focus) void this.focusMain();
  }

  private showLocation(): void {
    this.route = this.currentRoute();
    this.followRedirects();
  }

  /** Replaces the address when the visitor should be elsewhere (see redirectFor). */
  private followRedirects(): void {
    for (let hops = 0; hops < 3; hops++) {
      const target = redirectFor(this.route, window.location, this.visitor());
      if (target === null) return;
      window.history.replaceState(null, '', target);
      this.route = this.currentRoute();
    }
  }

  private visitor(): ConsoleVisitor {
    const auth = this.auth;
    switch (auth.kind) {
      case 'checking':
        return { kind: 'unknown' };
      case 'signed-out':
        return { kind: 'signed-out' };
      case 'session':
        return { kind: 'signed-in', workspaces: auth.workspaces };
      case 'api-key':
        return { kind: 'api-key', workspace: auth.me?.workspaces[0]?.slug ?? null };
    }
  }

  /** The workspace the page shows, as the signed-in person (or the key) has it; undefined when not theirs. */
  private shownWorkspace(): MyWorkspace | undefined {
    const auth = this.auth;
    const slug = workspaceOfRoute(this.route);
    if (auth.kind === 'session') return slug === null ? undefined : auth.workspaces.find((w) => w.slug === slug);
    if (auth.kind === 'api-key') return auth.me?.workspaces[0];
    return undefined;
  }

  /**
   * What the console may do in the shown workspace; null when it does not know (a key on a server
   * that does not say its scopes): then everything shows, and the server decides.
   */
  private access(): WorkspaceAccess | null {
    const auth = this.auth;
    if (auth.kind === 'api-key') return auth.me?.apiKey ? this.stableAccess(apiKeyAccess(auth.me.apiKey.scopes)) : null;
    const role = this.shownWorkspace()?.role;
    return role ? this.stableAccess(memberAccess(role)) : null;
  }

  private lastAccess: { id: string; access: WorkspaceAccess } | undefined;

  /** The same object for the same access, so that components do not see a change on every render. */
  private stableAccess(access: WorkspaceAccess): WorkspaceAccess {
    const id = access.kind === 'member' ? `member:${access.role}` : `api-key:${access.scopes.join(' ')}`;
    if (this.lastAccess?.id !== id) this.lastAccess = { id, access };
    return this.lastAccess.access;
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

  private pageTitle(): string {
    const workspace = this.shownWorkspace()?.name;
    const page = (() => {
      switch (this.route.page) {
        case 'sign-in':
          return 'Sign in';
        case 'sign-up':
          return 'Create your account';
        case 'members':
          return 'Members';
        case 'api-keys':
          return 'API keys';
        case 'ops':
          return 'Operations';
        case 'activity':
          return 'Activity';
        case 'not-found':
          return 'Not found';
        case 'job':
          return `Job ${this.route.jobId}`;
        default:
          return 'Jobs';
      }
    })();
    return [page, workspace, 'Flightdeck'].filter(Boolean).join(' · ');
  }

  // ── The live connection ────────────────────────────────────────────────────────────────────

  /** One live connection, for the workspace shown: a new workspace (or key) is a new connection. */
  private syncConnection(): void {
    const target = this.connectionTarget();
    if (target?.id === this.connection?.id) return;
    this.closeConnection();
    if (!target) return;
    const realtime = new RealtimeClient({
      ...target.options,
      ...(this.serverUrl ? { url: this.serverUrl } : {}),
      // A changed role (or a removal) closes the socket: learn the new role, or that it is gone.
      onRevoked: (notice) => {
        if (notice.reason === 'member' || notice.reason === 'workspace') void this.reloadWorkspaces();
      },
    });
    const stop = realtime.subscribe((snapshot) => {
      this.snapshot = snapshot;
      if (!snapshot.problem?.unauthorized) return;
      queueMicrotask(() => {
        if (this.auth.kind === 'api-key') void this.refuseKey(snapshot.problem?.message ?? '');
        else this.sessionEnded();
      });
    });
    const stopPresence = realtime.presence.subscribe((presence) => (this.presence = presence.members));
    this.connection = {
      id: target.id,
      realtime,
      stop: () => {
        stop();
        stopPresence();
      },
    };
    realtime.start();
  }

  private connectionTarget(): { id: string; options: RealtimeClientOptions } | null {
    const auth = this.auth;
    if (auth.kind === 'api-key') {
      if (this.route.page === 'sign-in' || this.route.page === 'sign-up') return null;
      return { id: `key:${auth.key}`, options: { token: auth.key } };
    }
    const workspace = auth.kind === 'session' ? this.shownWorkspace() : undefined;
    if (!workspace) return null;
    return {
      id: `session:${workspace.slug}`,
      options: { workspace: workspace.slug },
    };
  }

  private closeConnection(): void {
    this.connection?.stop();
    this.connection?.realtime.stop();
    this.connection = undefined;
    this.snapshot = undefined;
    this.presence = [];
  }

  // ── Rendering ──────────────────────────────────────────────────────────────────────────────

  override render() {
    return html`
      <a class="skip-link" href="#main" @click=${this.onSkipLink}>Skip to content</a>
      <header class="header">${this.renderHeader()}</header>
      <main id="main" class="main" tabindex="-1" @fd-toast=${this.onToast}>
        ${this.failure ? html`<p class="alert" role="alert">${this.failure}</p>` : nothing} ${this.renderMain()}
      </main>
      <footer class="footer">
        <a href=${this.docsHref}>API reference</a>
      </footer>
      <fd-toasts></fd-toasts>
    `;
  }

  private renderHeader() {
    const auth = this.auth;
    const brand = html`
      <span class="header__brand">
        <span class="header__mark" aria-hidden="true">◆</span>
        <h1 class="header__title"><a class="header__home" href="/">Flightdeck</a></h1>
      </span>
    `;
    const indicator = this.connection
      ? html`<fd-connection-indicator
          state=${this.snapshot?.connection ?? 'connecting'}
          detail=${this.snapshot?.problem?.message ?? ''}
        ></fd-connection-indicator>`
      : nothing;
    if (auth.kind === 'session') {
      const current = workspaceOfRoute(this.route) ?? '';
      return html`
        ${brand}
        ${
          auth.workspaces.length > 0 || current
            ? html`<fd-workspace-switcher
                class="header__switcher"
                .workspaces=${auth.workspaces}
                current=${current}
                can-create
                .api=${this.accountApi}
                @fd-workspace-created=${this.onWorkspaceCreated}
              ></fd-workspace-switcher>`
            : nothing
        }
        <div class="header__end">
          ${indicator}
          <span class="header__user" title=${auth.user.email}>${auth.user.name}</span>
          <button class="button button--quiet" type="button" @click=${this.onSignOut}>Sign out</button>
        </div>
      `;
    }
    if (auth.kind === 'api-key') {
      const workspace = auth.me?.workspaces[0];
      return html`
        ${brand}
        ${
          workspace
            ? html`<span class="header__workspace"
                ><span class="visually-hidden">Workspace: </span>${workspace.name}<span class="pill"
                  >API key</span
                ></span
              >`
            : nothing
        }
        <div class="header__end">
          ${indicator}
          <button class="button button--quiet" type="button" @click=${this.onDisconnect}>Disconnect</button>
        </div>
      `;
    }
    return brand;
  }

  private renderMain() {
    const auth = this.auth;
    if (auth.kind === 'checking') return html`<p class="loading" role="status">Loading…</p>`;
    if (auth.kind === 'signed-out') return this.renderSignedOut();
    const route = this.route;
    if (route.page === 'not-found') return this.renderNotFound('There is no such page in the console.');
    if (route.page === 'home' && auth.kind === 'session') return this.renderNoWorkspace();
    if (auth.kind === 'session' && !this.shownWorkspace()) {
      return this.renderNotFound('This workspace does not exist, or you are not one of its members.');
    }
    return html`${this.renderWorkspaceNav()} ${this.renderWorkspacePage()}`;
  }

  /** Someone may have added the person to a workspace since the list was read: read it once more. */
  private refreshWorkspaces(slug: string | null): void {
    if (!slug || this.refreshedFor.has(slug)) return;
    this.refreshedFor.add(slug);
    void this.reloadWorkspaces();
  }

  /** Reads the person's workspaces and roles again (after a role change, say). */
  private async reloadWorkspaces(): Promise<void> {
    if (this.auth.kind !== 'session') return;
    try {
      const me = await this.accountApi.me();
      if (this.auth.kind === 'session' && me.user) this.auth = { ...this.auth, workspaces: me.workspaces };
    } catch {
      // The session ended (onUnauthorized handles that) or the server is away: keep what is known.
    }
  }

  private renderSignedOut() {
    const route = this.route;
    const mode = route.page === 'sign-up' ? 'sign-up' : 'sign-in';
    const next = route.page === 'sign-in' || route.page === 'sign-up' ? route.next : null;
    return html`
      <div class="auth">
        ${
          this.notice
            ? html`<p class="notice notice--${this.notice.tone}" role=${this.notice.tone}>${this.notice.text}</p>`
            : nothing
        }
        <div class="panel auth__card">
          <fd-auth-form
            mode=${mode}
            .next=${next}
            .api=${this.accountApi}
            @fd-signed-in=${this.onSignedIn}
          ></fd-auth-form>
        </div>
        ${this.renderConnect()}
      </div>
    `;
  }

  private renderConnect() {
    return html`
      <details
        class="panel connect"
        ?open=${this.keyFormOpen}
        @toggle=${(event: Event) => (this.keyFormOpen = (event.target as HTMLDetailsElement).open)}
      >
        <summary class="connect__summary">Connect with an API key</summary>
        <p class="connect__intro">
          For operators and scripts: watch one workspace's jobs with one of its API keys. The key stays in this browser
          tab only, until you disconnect or close the tab. <code>?key=…</code> in the address works too.
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
            <button class="button" type="submit">Connect</button>
          </div>
          ${
            this.connectError
              ? html`<p id="api-key-error" class="connect__error" role="alert">${this.connectError}</p>`
              : nothing
          }
        </form>
      </details>
    `;
  }

  private renderNotFound(message: string) {
    const auth = this.auth;
    const first = auth.kind === 'session' ? auth.workspaces[0] : undefined;
    return html`
      <section class="panel message" aria-labelledby="message-heading">
        <h2 id="message-heading">Not found</h2>
        <p>${message}</p>
        ${
          first
            ? html`<p><a href=${routePath({ page: 'jobs', workspace: first.slug })}>Open ${first.name}</a></p>`
            : html`<p><a href="/">Go to the start page</a></p>`
        }
      </section>
    `;
  }

  private renderNoWorkspace() {
    const email = this.auth.kind === 'session' ? this.auth.user.email : '';
    return html`
      <section class="panel message" aria-labelledby="message-heading">
        <h2 id="message-heading">No workspace yet</h2>
        <p>
          You are not a member of any workspace. Create one from the workspace menu at the top, or ask an admin of an
          existing workspace to add you (<strong>${email}</strong>).
        </p>
      </section>
    `;
  }

  private renderWorkspaceNav() {
    const slug = this.shownWorkspace()?.slug ?? workspaceOfRoute(this.route);
    if (!slug) return nothing;
    const access = this.access();
    const page = this.route.page;
    const tabs = [
      { page: 'jobs', label: 'Jobs', show: true, current: page === 'jobs' || page === 'job' || page === 'home' },
      {
        page: 'activity',
        label: 'Activity',
        show: access === null || can(access, 'jobs:read'),
        current: page === 'activity',
      },
      { page: 'ops', label: 'Ops', show: access === null || can(access, 'queues:read'), current: page === 'ops' },
      {
        page: 'members',
        label: 'Members',
        show: access !== null && can(access, 'members:read'),
        current: page === 'members',
      },
      {
        page: 'api-keys',
        label: 'API keys',
        show: access !== null && can(access, 'api-keys:read'),
        current: page === 'api-keys',
      },
    ] as const;
    return html`
      <nav class="tabs" aria-label="Workspace">
        ${tabs
          .filter((tab) => tab.show)
          .map(
            (tab) =>
              html`<a
                class="tabs__link"
                href=${routePath({ page: tab.page, workspace: slug })}
                aria-current=${tab.current ? 'page' : nothing}
                >${tab.label}</a
              >`,
          )}
      </nav>
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
        if (!access || !can(access, 'members:read')) return this.renderNoAccess('members');
        return html`<fd-members-settings
          .api=${api}
          .access=${access}
          .currentUserId=${auth.kind === 'session' ? auth.user.id : null}
          workspace-name=${name}
        ></fd-members-settings>`;
      case 'api-keys':
        if (!access || !can(access, 'api-keys:read')) return this.renderNoAccess('API keys');
        return html`<fd-api-keys-settings
          .api=${api}
          .access=${access}
          .currentKeyId=${auth.kind === 'api-key' ? (auth.me?.apiKey?.id ?? null) : null}
          workspace-name=${name}
        ></fd-api-keys-settings>`;
      case 'ops':
        if (access && !can(access, 'queues:read')) return this.renderNoAccess('queues');
        return html`<fd-ops-view
          .api=${api}
          .access=${access}
          .events=${this.connection?.realtime}
          workspace-name=${name}
        ></fd-ops-view>`;
      case 'job':
        return this.renderJob(api, access, this.route.jobId, slug ?? '');
      case 'activity':
        if (access && !can(access, 'jobs:read')) return this.renderNoAccess('activity');
        return keyed(
          slug ?? '',
          html`<fd-activity-feed
            .api=${api}
            .realtime=${this.connection?.realtime}
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
      .realtime=${this.connection?.realtime}
      .access=${access}
      job-id=${jobId}
      workspace=${slug}
      current-user-id=${self ?? ''}
    ></fd-job-page>`;
  }

  private renderNoAccess(what: string) {
    return html`
      <section class="panel message" aria-labelledby="message-heading">
        <h2 id="message-heading">Not available</h2>
        <p>Your role in this workspace does not give access to its ${what}. An admin or owner can change that.</p>
      </section>
    `;
  }

  private renderJobs(api: ApiClient | undefined, access: WorkspaceAccess | null) {
    const snapshot = this.snapshot;
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
            .realtime=${this.connection?.realtime}
            .access=${access}
            workspace=${workspace}
            .userId=${userId}
            .actorId=${actorId}
            search=${window.location.search}
            .viewers=${this.jobViewers(actorId)}
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
                    .realtime=${this.connection?.realtime}
                    workspace=${workspace}
                  ></fd-activity-feed>
                </div>`,
              )
            : nothing
        }
      </div>
    `;
  }

  private viewersCache:
    { members: readonly PresenceMember[]; self: string | null; byJob: ReturnType<typeof viewersByJob> } | undefined;

  /** Who else has each job open, the same map until presence changes (so rows do not re-render for nothing). */
  private jobViewers(self: string | null): ReturnType<typeof viewersByJob> {
    const cache = this.viewersCache;
    if (cache?.members === this.presence && cache.self === self) return cache.byJob;
    const byJob = viewersByJob(this.presence, self);
    this.viewersCache = { members: this.presence, self, byJob };
    return byJob;
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
