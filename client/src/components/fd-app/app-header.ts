import { html, nothing } from 'lit';
import type { WorkspacesApi } from '../../api/api-client';
import type { FdWorkspaceCreatedEvent } from '../../events/fd-workspace-created';
import type { RealtimeSnapshot } from '../../realtime/realtime-client';
import '../fd-connection-indicator/fd-connection-indicator.component';
import '../fd-workspace-switcher/fd-workspace-switcher.component';
import type { Auth } from './app-session';

/** What the console's header shows and what its buttons do. */
export interface AppHeaderParts {
  auth: Auth;
  /** The workspace of the page shown (its slug), '' when none. */
  currentWorkspace: string;
  /** Whether there is a live connection, and its last snapshot. */
  connected: boolean;
  snapshot: RealtimeSnapshot | undefined;
  /** Where the switcher creates workspaces. */
  accountApi: WorkspacesApi;
  onWorkspaceCreated(event: FdWorkspaceCreatedEvent): void;
  signOut(): void;
  disconnect(): void;
}

/**
 * The console's header: the brand; for a session, the workspace switcher, the connection, who is
 * signed in and Sign out; for an API key, its workspace, the connection and Disconnect.
 */
export function renderHeader(parts: AppHeaderParts) {
  const { auth, snapshot } = parts;
  const brand = html`
    <span class="header__brand">
      <span class="header__mark" aria-hidden="true">◆</span>
      <h1 class="header__title"><a class="header__home" href="/">Flightdeck</a></h1>
    </span>
  `;
  const indicator = parts.connected
    ? html`<fd-connection-indicator
        state=${snapshot?.connection ?? 'connecting'}
        detail=${snapshot?.problem?.message ?? ''}
      ></fd-connection-indicator>`
    : nothing;
  if (auth.kind === 'session') {
    const current = parts.currentWorkspace;
    return html`
      ${brand}
      ${
        auth.workspaces.length > 0 || current
          ? html`<fd-workspace-switcher
              class="header__switcher"
              .workspaces=${auth.workspaces}
              current=${current}
              can-create
              .api=${parts.accountApi}
              @fd-workspace-created=${parts.onWorkspaceCreated}
            ></fd-workspace-switcher>`
          : nothing
      }
      <div class="header__end">
        ${indicator}
        <span class="header__user" title=${auth.user.email}>${auth.user.name}</span>
        <button class="button button--quiet" type="button" @click=${() => parts.signOut()}>Sign out</button>
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
              ><span class="visually-hidden">Workspace: </span>${workspace.name}<span class="pill">API key</span></span
            >`
          : nothing
      }
      <div class="header__end">
        ${indicator}
        <button class="button button--quiet" type="button" @click=${() => parts.disconnect()}>Disconnect</button>
      </div>
    `;
  }
  return brand;
}
