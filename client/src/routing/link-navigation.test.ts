import { consolePathOfClick, type LinkClick } from './link-navigation';

const ORIGIN = 'http://console.test';

function link(href: string, attributes: Record<string, string> = {}) {
  return {
    localName: 'a',
    href: new URL(href, ORIGIN).href,
    getAttribute: (name: string) => attributes[name] ?? null,
    hasAttribute: (name: string) => name in attributes,
  };
}

function click(path: object[], overrides: Partial<LinkClick> = {}): LinkClick {
  return {
    defaultPrevented: false,
    button: 0,
    metaKey: false,
    ctrlKey: false,
    shiftKey: false,
    altKey: false,
    composedPath: () => path as EventTarget[],
    ...overrides,
  };
}

describe('consolePathOfClick', () => {
  it('follows a plain click on a link to a console page, found anywhere on the composed path', () => {
    const span = { localName: 'span' };
    expect(
      consolePathOfClick(click([span, link('/w/acme/settings/members?x=1#y'), { localName: 'nav' }]), ORIGIN),
    ).toBe('/w/acme/settings/members?x=1#y');
  });

  it('leaves modified clicks, other buttons and handled clicks to the browser', () => {
    const target = [link('/w/acme')];
    for (const overrides of [
      { metaKey: true },
      { ctrlKey: true },
      { shiftKey: true },
      { altKey: true },
      { button: 1 },
      { defaultPrevented: true },
    ])
      expect(consolePathOfClick(click(target, overrides), ORIGIN)).toBeNull();
  });

  it('leaves links to other sites, other targets, downloads and non-console paths alone', () => {
    expect(consolePathOfClick(click([link('https://example.com/w/acme')]), ORIGIN)).toBeNull();
    expect(consolePathOfClick(click([link('/w/acme', { target: '_blank' })]), ORIGIN)).toBeNull();
    expect(consolePathOfClick(click([link('/w/acme', { download: '' })]), ORIGIN)).toBeNull();
    expect(consolePathOfClick(click([link('/v1/docs')]), ORIGIN)).toBeNull();
    expect(consolePathOfClick(click([{ localName: 'button' }]), ORIGIN)).toBeNull();
  });

  it('follows links with target="_self"', () => {
    expect(consolePathOfClick(click([link('/sign-up', { target: '_self' })]), ORIGIN)).toBe('/sign-up');
  });
});
