import type { Me, User } from '@flightdeck/contract';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { messageOf } from '../../accounts/form-errors';
import { apiKeyAccess, memberAccess, type WorkspaceAccess } from '../../accounts/workspace-access';
import { ApiClient, ApiError, type MyWorkspace } from '../../api/api-client';
import type { ConsoleVisitor } from '../../routing/console-redirects';
import { routePath, workspaceOfRoute, type ConsoleRoute } from '../../routing/console-routes';
import { forgetApiKey, saveApiKey, sessionKeyStorage } from './api-key-session';
import type { ConnectionTarget } from './app-connection';
import type { AppRouter } from './app-router';

/** Who is using the console. */
export type Auth =
  /** The session is being checked. */
  | { kind: 'checking' }
  | { kind: 'signed-out' }
  | { kind: 'session'; user: User; workspaces: MyWorkspace[] }
  /** Connected with an API key; `me` is what the server said of the key, once it did. */
  | { kind: 'api-key'; key: string; me: Me | null };

/** A message on the sign-in page: why the person is there. */
export interface Notice {
  text: string;
  tone: 'alert' | 'status';
}

export interface AppSessionOptions {
  /** Origin of the Flightdeck server ('' for the page's own). */
  serverUrl(): string;
  /** Opens the Connect form (after a refused key, or a disconnect). */
  openConnectForm(): void;
  /** Focuses the Connect form's key field, once it shows. */
  focusConnectForm(): Promise<void>;
}

/**
 * Who is using the console and what they may do: a session (checked at start, ended by the server
 * or by signing out) or an API key (from the address or the Connect form, kept in this tab); the
 * API clients that act for them, one per workspace (or key); the workspace shown and the access
 * there. Signing in, out and connecting change it; the router follows with its redirects.
 */
export class AppSession implements ReactiveController {
  auth: Auth = { kind: 'checking' };
  notice: Notice | null = null;
  /** Why the last key did not work, shown on the Connect form. */
  connectError = '';
  /** A failure of the shell's own actions (signing out), shown above the page. */
  failure = '';

  /** Calls that act in no workspace: signing in and out, who am I, new workspaces (made again on connect, with `server-url`). */
  accountApi: ApiClient;
  /** One client per workspace (or key), so components keep theirs across renders. */
  private readonly apis = new Map<string, ApiClient>();
  /** Slugs already looked up again in `/v1/me` because they were not in the list. */
  private readonly refreshedFor = new Set<string>();
  private lastAccess: { id: string; access: WorkspaceAccess } | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly router: AppRouter,
    private readonly options: AppSessionOptions,
  ) {
    host.addController(this);
    this.accountApi = this.newApi({});
  }

  hostConnected(): void {
    this.accountApi = this.newApi({});
  }

  private newApi(options: { token?: string; workspace?: string }): ApiClient {
    const serverUrl = this.options.serverUrl();
    return new ApiClient({
      ...options,
      ...(serverUrl ? { baseUrl: serverUrl } : {}),
      onUnauthorized: (error) => this.onUnauthorized(options.token, error),
    });
  }

  /** The client for the workspace being shown (for a key: the key's workspace). */
  workspaceApi(slug: string | null): ApiClient | undefined {
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

  async checkSession(): Promise<void> {
    this.setAuth({ kind: 'checking' });
    try {
      const me = await this.accountApi.me();
      if (this.auth.kind !== 'checking') return;
      this.setAuth(me.user ? { kind: 'session', user: me.user, workspaces: me.workspaces } : { kind: 'signed-out' });
    } catch (error) {
      if (this.auth.kind !== 'checking') return;
      // 401 is simply "not signed in"; a server that cannot be reached is worth saying.
      if (error instanceof ApiError && (error.status === 0 || error.status >= 500))
        this.setNotice({
          text: `Flightdeck could not be reached to check your session. ${error.message}`,
          tone: 'alert',
        });
      this.setAuth({ kind: 'signed-out' });
    }
  }

  useApiKey(key: string): void {
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

  /** A key typed in the Connect form. */
  connect(key: string): void {
    saveApiKey(sessionKeyStorage(), key);
    this.useApiKey(key);
  }

  setAuth(auth: Auth): void {
    if (
      auth.kind !== this.auth.kind ||
      (auth.kind === 'api-key' && this.auth.kind === 'api-key' && auth.key !== this.auth.key)
    )
      this.apis.clear();
    this.auth = auth;
    this.host.requestUpdate();
    this.router.followRedirects();
  }

  /** The credentials the realtime gateway refused. */
  refused(message: string): void {
    if (this.auth.kind === 'api-key') void this.refuseKey(message);
    else this.sessionEnded();
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
    this.options.openConnectForm();
    this.setAuth({ kind: 'signed-out' });
    await this.options.focusConnectForm();
  }

  async disconnect(): Promise<void> {
    forgetApiKey(sessionKeyStorage());
    this.connectError = '';
    this.options.openConnectForm();
    // Signed in as well, in this browser? Then that is what the console shows next.
    await this.checkSession();
    await this.options.focusConnectForm();
  }

  async signOut(): Promise<void> {
    this.failure = '';
    this.host.requestUpdate();
    try {
      await this.accountApi.signOut();
    } catch (error) {
      // Unauthorized: the session had ended anyway.
      if (!(error instanceof ApiError && error.isUnauthorized)) {
        this.failure = `You are still signed in: ${messageOf(error)}`;
        this.host.requestUpdate();
        return;
      }
    }
    this.notice = { text: 'You signed out.', tone: 'status' };
    this.setAuth({ kind: 'signed-out' });
    this.router.navigate(routePath({ page: 'sign-in', next: null }), { replace: true, focus: true });
  }

  signedIn(user: User, workspaces: MyWorkspace[]): void {
    this.notice = null;
    this.setAuth({ kind: 'session', user, workspaces });
  }

  workspaceCreated(workspace: MyWorkspace): void {
    if (this.auth.kind !== 'session') return;
    this.auth = { ...this.auth, workspaces: [...this.auth.workspaces, workspace] };
    this.host.requestUpdate();
    this.router.navigate(routePath({ page: 'jobs', workspace: workspace.slug }), { focus: true });
  }

  /** Someone may have added the person to a workspace since the list was read: read it once more. */
  refreshWorkspaces(slug: string | null): void {
    if (!slug || this.refreshedFor.has(slug)) return;
    this.refreshedFor.add(slug);
    void this.reloadWorkspaces();
  }

  /** Reads the person's workspaces and roles again (after a role change, say). */
  async reloadWorkspaces(): Promise<void> {
    if (this.auth.kind !== 'session') return;
    try {
      const me = await this.accountApi.me();
      if (this.auth.kind === 'session' && me.user) {
        this.auth = { ...this.auth, workspaces: me.workspaces };
        this.host.requestUpdate();
      }
    } catch {
      // The session ended (onUnauthorized handles that) or the server is away: keep what is known.
    }
  }

  visitor(): ConsoleVisitor {
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
  shownWorkspace(route: ConsoleRoute): MyWorkspace | undefined {
    const auth = this.auth;
    const slug = workspaceOfRoute(route);
    if (auth.kind === 'session') return slug === null ? undefined : auth.workspaces.find((w) => w.slug === slug);
    if (auth.kind === 'api-key') return auth.me?.workspaces[0];
    return undefined;
  }

  /**
   * What the console may do in the shown workspace; null when it does not know (a key on a server
   * that does not say its scopes): then everything shows, and the server decides.
   */
  access(route: ConsoleRoute): WorkspaceAccess | null {
    const auth = this.auth;
    if (auth.kind === 'api-key') return auth.me?.apiKey ? this.stableAccess(apiKeyAccess(auth.me.apiKey.scopes)) : null;
    const role = this.shownWorkspace(route)?.role;
    return role ? this.stableAccess(memberAccess(role)) : null;
  }

  /** Who is looking: the user, or the API key (for "mine" and for leaving oneself out of presence). */
  actorId(): string | null {
    const auth = this.auth;
    if (auth.kind === 'session') return auth.user.id;
    return auth.kind === 'api-key' ? (auth.me?.apiKey?.id ?? null) : null;
  }

  /** The live connection the console should have for `route`: one per workspace (or key). */
  connectionTarget(route: ConsoleRoute): ConnectionTarget | null {
    const auth = this.auth;
    if (auth.kind === 'api-key') {
      if (route.page === 'sign-in' || route.page === 'sign-up') return null;
      return { id: `key:${auth.key}`, options: { token: auth.key } };
    }
    const workspace = auth.kind === 'session' ? this.shownWorkspace(route) : undefined;
    if (!workspace) return null;
    return { id: `session:${workspace.slug}`, options: { workspace: workspace.slug } };
  }

  /** The same object for the same access, so that components do not see a change on every render. */
  private stableAccess(access: WorkspaceAccess): WorkspaceAccess {
    const id = access.kind === 'member' ? `member:${access.role}` : `api-key:${access.scopes.join(' ')}`;
    if (this.lastAccess?.id !== id) this.lastAccess = { id, access };
    return this.lastAccess.access;
  }

  private setNotice(notice: Notice | null): void {
    this.notice = notice;
    this.host.requestUpdate();
  }
}
