import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { redirectFor, type ConsoleVisitor } from '../../routing/console-redirects';
import { parseRoute, type ConsoleRoute } from '../../routing/console-routes';
import { consolePathOfClick } from '../../routing/link-navigation';

export interface AppRouterOptions {
  /** Who is visiting, for the redirects (signed out to sign-in, and so on). */
  visitor(): ConsoleVisitor;
  /** Just before a link inside the console is followed (menus close). */
  beforeLinkFollowed(): void;
  /** Moves focus to the page's main area (after a navigation the person asked for). */
  focusMain(): void;
}

/**
 * Where the console is: the route of the address, kept in step with Back and Forward, with links
 * to console pages anywhere in the host (shadow roots included) followed without a reload, and the
 * redirects a visitor gets (see redirectFor).
 */
export class AppRouter implements ReactiveController {
  route: ConsoleRoute = { page: 'home' };

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: AppRouterOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('popstate', this.onPopState);
    this.host.addEventListener('click', this.onLinkClick);
  }

  hostDisconnected(): void {
    window.removeEventListener('popstate', this.onPopState);
    this.host.removeEventListener('click', this.onLinkClick);
  }

  /** Reads the route of the address as it is (no redirect). */
  read(): void {
    this.setRoute(parseRoute(window.location.pathname, window.location.search));
  }

  /** Goes to `path` (a console path) without reloading the page. */
  navigate(path: string, { replace = false, focus = false } = {}): void {
    const here = `${window.location.pathname}${window.location.search}${window.location.hash}`;
    if (path !== here) {
      if (replace) window.history.replaceState(null, '', path);
      else window.history.pushState(null, '', path);
    }
    this.showLocation();
    if (focus) this.options.focusMain();
  }

  /** Replaces the address when the visitor should be elsewhere (see redirectFor). */
  followRedirects(): void {
    for (let hops = 0; hops < 3; hops++) {
      const target = redirectFor(this.route, window.location, this.options.visitor());
      if (target === null) return;
      window.history.replaceState(null, '', target);
      this.read();
    }
  }

  private showLocation(): void {
    this.read();
    this.followRedirects();
  }

  private setRoute(route: ConsoleRoute): void {
    this.route = route;
    this.host.requestUpdate();
  }

  private readonly onPopState = () => this.showLocation();

  private readonly onLinkClick = (event: MouseEvent) => {
    const path = consolePathOfClick(event, window.location.origin);
    if (path === null) return;
    event.preventDefault();
    this.options.beforeLinkFollowed();
    this.navigate(path, { focus: true });
  };
}
