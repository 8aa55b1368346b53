/**
 * The console's URLs, in one place. Workspace pages live under `/w/<slug>` so that a link names the
 * workspace it shows and can be shared; the job page (`/w/<slug>/jobs/<id>`) is part of the public
 * contract. Parsing and building are pure, so they are tested without a browser.
 */
export type ConsoleRoute =
  | { page: 'home' }
  | { page: 'sign-in'; next: string | null }
  | { page: 'sign-up'; next: string | null }
  | { page: 'jobs'; workspace: string }
  | { page: 'job'; workspace: string; jobId: string }
  | { page: 'activity'; workspace: string }
  | { page: 'members'; workspace: string }
  | { page: 'api-keys'; workspace: string }
  | { page: 'ops'; workspace: string }
  | { page: 'job-types'; workspace: string }
  | { page: 'not-found' };

export type WorkspaceRoute = Extract<ConsoleRoute, { workspace: string }>;
export type WorkspacePage = WorkspaceRoute['page'];

export const SIGN_IN_PATH = '/sign-in';
export const SIGN_UP_PATH = '/sign-up';
/** The query parameter of the sign-in and sign-up pages that says where to go afterwards. */
export const NEXT_PARAM = 'next';

/** The route of a path (and query, for `next`). Unknown paths are `not-found`, never an error. */
export function parseRoute(pathname: string, search = ''): ConsoleRoute {
  const segments = pathname.split('/').filter((segment) => segment !== '');
  const decoded = segments.map(decodeSegment);
  if (decoded.some((segment) => segment === null)) return { page: 'not-found' };
  const parts = decoded as string[];
  if (parts.length === 0) return { page: 'home' };
  const next = safeNextPath(new URLSearchParams(search).get(NEXT_PARAM));
  if (parts.length === 1 && parts[0] === 'sign-in') return { page: 'sign-in', next };
  if (parts.length === 1 && parts[0] === 'sign-up') return { page: 'sign-up', next };
  if (parts[0] !== 'w' || parts.length < 2) return { page: 'not-found' };
  const [, workspace, section, item, ...rest] = parts as [string, string, ...(string | undefined)[]];
  if (rest.length > 0) return { page: 'not-found' };
  if (section === undefined) return { page: 'jobs', workspace };
  if (section === 'jobs')
    return item === undefined ? { page: 'jobs', workspace } : { page: 'job', workspace, jobId: item };
  if (section === 'activity' && item === undefined) return { page: 'activity', workspace };
  if (section === 'ops' && item === undefined) return { page: 'ops', workspace };
  if (section === 'job-types' && item === undefined) return { page: 'job-types', workspace };
  if (section === 'settings') {
    // The settings area opens on its first page.
    if (item === undefined || item === 'members') return { page: 'members', workspace };
    if (item === 'api-keys') return { page: 'api-keys', workspace };
  }
  return { page: 'not-found' };
}

/** The canonical path (and query) of a route. */
export function routePath(route: ConsoleRoute): string {
  switch (route.page) {
    case 'home':
    case 'not-found':
      return '/';
    case 'sign-in':
    case 'sign-up': {
      const path = route.page === 'sign-in' ? SIGN_IN_PATH : SIGN_UP_PATH;
      return route.next ? `${path}?${new URLSearchParams({ [NEXT_PARAM]: route.next })}` : path;
    }
    case 'jobs':
      return workspacePath(route.workspace);
    case 'job':
      return `${workspacePath(route.workspace)}/jobs/${encodeURIComponent(route.jobId)}`;
    case 'activity':
      return `${workspacePath(route.workspace)}/activity`;
    case 'members':
      return `${workspacePath(route.workspace)}/settings/members`;
    case 'api-keys':
      return `${workspacePath(route.workspace)}/settings/api-keys`;
    case 'ops':
      return `${workspacePath(route.workspace)}/ops`;
    case 'job-types':
      return `${workspacePath(route.workspace)}/job-types`;
  }
}

/** `/w/<slug>`: a workspace's jobs. */
export function workspacePath(slug: string): string {
  return `/w/${encodeURIComponent(slug)}`;
}

/** The workspace a route shows, if any. */
export function workspaceOfRoute(route: ConsoleRoute): string | null {
  return 'workspace' in route ? route.workspace : null;
}

/** The same page in another workspace (a job page becomes the jobs page: the job is not in the other one). */
export function inWorkspace(route: WorkspaceRoute, workspace: string): WorkspaceRoute {
  return route.page === 'job' ? { page: 'jobs', workspace } : { ...route, workspace };
}

/** Whether a route is only for people who are not signed in. */
export function isSignedOutPage(route: ConsoleRoute): route is Extract<ConsoleRoute, { next: string | null }> {
  return route.page === 'sign-in' || route.page === 'sign-up';
}

/**
 * Where to go after signing in: `next` when it was given (it is checked to be a console path on
 * this origin), else the first workspace, else home (which offers to create one).
 */
export function pathAfterSignIn(next: string | null, workspaces: readonly { slug: string }[]): string {
  if (next && parseRoute(new URL(next, 'http://console.invalid').pathname).page !== 'home') return next;
  const first = workspaces[0];
  return first ? workspacePath(first.slug) : '/';
}

/**
 * `value` when it is a path on this origin that the console shows (so `?next=` cannot send a person
 * to another site, `//evil.example` or `/\evil.example` included), else null.
 */
export function safeNextPath(value: string | null): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || /[\\\s]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, 'http://console.invalid');
  } catch {
    return null;
  }
  if (url.origin !== 'http://console.invalid') return null;
  const route = parseRoute(url.pathname);
  if (route.page === 'not-found' || isSignedOutPage(route)) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page that comes back to `path` afterwards (not for home: that is where sign-in goes anyway). */
export function signInRoute(path: string): ConsoleRoute {
  const next = safeNextPath(path);
  return { page: 'sign-in', next: next && next !== '/' ? next : null };
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
