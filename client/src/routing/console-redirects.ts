import {
  inWorkspace,
  isSignedOutPage,
  pathAfterSignIn,
  routePath,
  signInRoute,
  workspacePath,
  type ConsoleRoute,
} from './console-routes';

/** What the redirects need to know of who is using the console. */
export type ConsoleVisitor =
  /** Not known yet (the session is being checked): stay. */
  | { kind: 'unknown' }
  | { kind: 'signed-out' }
  | { kind: 'signed-in'; workspaces: readonly { slug: string }[] }
  /** Connected with an API key; `workspace` is its workspace's slug once the server said it. */
  | { kind: 'api-key'; workspace: string | null };

export interface ConsoleLocation {
  pathname: string;
  search: string;
  hash: string;
}

/**
 * Where the console should be instead of `location` (shown as `route`), or null to stay: people
 * who are not signed in go to sign-in (and come back afterwards), signed-in people away from it;
 * `/` opens the first workspace; an API key's pages are in its own workspace; a path that has a
 * canonical spelling (`/w/x/settings`, a trailing slash) is replaced by it, keeping the query.
 */
export function redirectFor(route: ConsoleRoute, location: ConsoleLocation, visitor: ConsoleVisitor): string | null {
  const here = `${location.pathname}${location.search}${location.hash}`;
  switch (visitor.kind) {
    case 'unknown':
      return null;
    case 'signed-out':
      return isSignedOutPage(route) ? null : differs(routePath(signInRoute(here)), here);
    case 'signed-in':
      if (isSignedOutPage(route)) return differs(pathAfterSignIn(route.next, visitor.workspaces), here);
      if (route.page === 'home') {
        const first = visitor.workspaces[0];
        return first ? workspacePath(first.slug) : null;
      }
      return canonical(route, location);
    case 'api-key': {
      const slug = visitor.workspace;
      if (isSignedOutPage(route) || route.page === 'home')
        return slug ? workspacePath(slug) : differs('/', location.pathname);
      // A key acts in its own workspace, whatever the address says: show that one's address.
      if ('workspace' in route && slug && route.workspace !== slug)
        return `${routePath(inWorkspace(route, slug))}${location.search}${location.hash}`;
      return canonical(route, location);
    }
  }
}

function canonical(route: ConsoleRoute, location: ConsoleLocation): string | null {
  if (!('workspace' in route)) return null;
  const path = routePath(route);
  return path === location.pathname ? null : `${path}${location.search}${location.hash}`;
}

function differs(target: string, here: string): string | null {
  return target === here ? null : target;
}
