import { redirectFor, type ConsoleVisitor } from './console-redirects';
import { parseRoute } from './console-routes';

function redirect(href: string, visitor: ConsoleVisitor): string | null {
  const url = new URL(href, 'http://console.test');
  const location = { pathname: url.pathname, search: url.search, hash: url.hash };
  return redirectFor(parseRoute(url.pathname, url.search), location, visitor);
}

const signedIn = (...slugs: string[]): ConsoleVisitor => ({
  kind: 'signed-in',
  workspaces: slugs.map((slug) => ({ slug })),
});

describe('redirectFor', () => {
  it('leaves everything alone while it does not know who is there', () => {
    expect(redirect('/w/acme', { kind: 'unknown' })).toBeNull();
  });

  it('sends people who are not signed in to sign-in, coming back afterwards', () => {
    const out: ConsoleVisitor = { kind: 'signed-out' };
    expect(redirect('/', out)).toBe('/sign-in');
    expect(redirect('/w/acme/jobs/j1?x=1', out)).toBe('/sign-in?next=%2Fw%2Facme%2Fjobs%2Fj1%3Fx%3D1');
    expect(redirect('/nowhere', out)).toBe('/sign-in');
    expect(redirect('/sign-in?next=%2Fw%2Facme', out)).toBeNull();
    expect(redirect('/sign-up', out)).toBeNull();
  });

  it('opens the first workspace at / after sign-in, and stays home without any', () => {
    expect(redirect('/', signedIn('first', 'second'))).toBe('/w/first');
    expect(redirect('/', signedIn())).toBeNull();
  });

  it('takes signed-in people off the sign-in pages, to next when it was given', () => {
    expect(redirect('/sign-in', signedIn('first'))).toBe('/w/first');
    expect(redirect('/sign-up?next=%2Fw%2Fsecond%2Fsettings%2Fapi-keys', signedIn('first', 'second'))).toBe(
      '/w/second/settings/api-keys',
    );
  });

  it('keeps workspace and job addresses stable, and spells others canonically', () => {
    expect(redirect('/w/second', signedIn('first', 'second'))).toBeNull();
    expect(redirect('/w/second/jobs/j1', signedIn('first', 'second'))).toBeNull();
    // Not a member: no redirect (the page says so) — the address is the person's to keep.
    expect(redirect('/w/other', signedIn('first'))).toBeNull();
    expect(redirect('/w/first/settings?tab=1', signedIn('first'))).toBe('/w/first/settings/members?tab=1');
    expect(redirect('/w/first/', signedIn('first'))).toBe('/w/first');
  });

  it("shows an API key's pages in its own workspace, once the server said which", () => {
    const unknown: ConsoleVisitor = { kind: 'api-key', workspace: null };
    expect(redirect('/', unknown)).toBeNull();
    expect(redirect('/w/whatever?view=all', unknown)).toBeNull();
    expect(redirect('/sign-in', unknown)).toBe('/');

    const known: ConsoleVisitor = { kind: 'api-key', workspace: 'default' };
    expect(redirect('/', known)).toBe('/w/default');
    expect(redirect('/w/default?view=all', known)).toBeNull();
    expect(redirect('/w/other/settings/api-keys', known)).toBe('/w/default/settings/api-keys');
    expect(redirect('/w/other/jobs/j1', known)).toBe('/w/default');
  });
});
