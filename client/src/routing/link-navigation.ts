import { parseRoute } from './console-routes';

/** What {@link consolePathOfClick} reads of a click: a `MouseEvent` has all of it. */
export interface LinkClick {
  defaultPrevented: boolean;
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  composedPath(): EventTarget[];
}

/** What is read of an element on the click's path; an `HTMLAnchorElement` has all of it. */
interface LinkLike {
  localName?: string;
  href?: unknown;
  getAttribute?(name: string): string | null;
  hasAttribute?(name: string): boolean;
}

/**
 * The console path a click on a link goes to, when the console should show it without loading the
 * page again; else null (the browser does what it always does). Only plain left clicks on links to
 * console pages of this origin count: a modified click (new tab…), `target`, `download`, another
 * origin, or a path the console does not show (the API reference at `/v1/docs`) is left alone. The
 * link is found on the composed path, so links inside any component's shadow root work.
 */
export function consolePathOfClick(event: LinkClick, origin: string): string | null {
  if (event.defaultPrevented || event.button !== 0) return null;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null;
  const link = (event.composedPath() as LinkLike[]).find((target) => target.localName === 'a');
  if (!link || typeof link.href !== 'string' || link.href === '') return null;
  const target = link.getAttribute?.('target');
  if ((target && target !== '_self') || link.hasAttribute?.('download')) return null;
  let url: URL;
  try {
    url = new URL(link.href);
  } catch {
    return null;
  }
  if (url.origin !== origin || parseRoute(url.pathname).page === 'not-found') return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
