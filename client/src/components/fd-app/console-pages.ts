import { html, nothing } from 'lit';
import { can, type WorkspaceAccess } from '../../accounts/workspace-access';
import { routePath, type ConsoleRoute } from '../../routing/console-routes';
import type { Auth } from './app-session';

// The console shell's plain pages and parts: pure templates of the route and who is looking.

/** The document's title for a page of the console: the page, the workspace, Flightdeck. */
export function pageTitle(route: ConsoleRoute, workspace: string | undefined): string {
  const page = (() => {
    switch (route.page) {
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
      case 'job-types':
        return 'Job types';
      case 'activity':
        return 'Activity';
      case 'not-found':
        return 'Not found';
      case 'job':
        return `Job ${route.jobId}`;
      default:
        return 'Jobs';
    }
  })();
  return [page, workspace, 'Flightdeck'].filter(Boolean).join(' · ');
}

/** A console page that does not exist (or a workspace that is not the person's), with a way back. */
export function renderNotFound(auth: Auth, message: string) {
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

/** A signed-in person without any workspace yet. */
export function renderNoWorkspace(auth: Auth) {
  const email = auth.kind === 'session' ? auth.user.email : '';
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

/** The workspace's tabs (jobs, activity, ops, members, API keys), as far as `access` shows them. */
export function renderWorkspaceNav(route: ConsoleRoute, slug: string | null, access: WorkspaceAccess | null) {
  if (!slug) return nothing;
  const page = route.page;
  const tabs = [
    { page: 'jobs', label: 'Jobs', show: true, current: page === 'jobs' || page === 'job' || page === 'home' },
    {
      page: 'activity',
      label: 'Activity',
      show: access === null || can(access, 'jobs:read'),
      current: page === 'activity',
    },
    {
      page: 'job-types',
      label: 'Job types',
      show: access === null || can(access, 'jobs:read'),
      current: page === 'job-types',
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

/** A page the person's role does not open. */
export function renderNoAccess(what: string) {
  return html`
    <section class="panel message" aria-labelledby="message-heading">
      <h2 id="message-heading">Not available</h2>
      <p>Your role in this workspace does not give access to its ${what}. An admin or owner can change that.</p>
    </section>
  `;
}
