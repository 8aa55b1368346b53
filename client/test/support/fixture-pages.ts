import type { Browser } from 'playwright-core';
import { bundleForBrowser, launchChromium, openFixture, type Fixture, type FixtureOptions } from './browser';

export interface FixturePages {
  /** A fresh page that runs the file's script (see {@link openFixture}); it is closed after the test. */
  open(options?: Omit<FixtureOptions, 'script'>): Promise<Fixture>;
}

/**
 * The pages of one component test file, hooked into Jest: Chromium and `source` bundled for it once
 * for the file (see {@link bundleForBrowser}), a page per `open`, each closed after its test.
 */
export function fixturePages(source: string): FixturePages {
  let browser: Browser;
  let script: string;
  const opened: Fixture[] = [];
  beforeAll(async () => {
    [browser, script] = await Promise.all([launchChromium(), bundleForBrowser(source)]);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((fixture) => fixture.context.close()));
  });
  afterAll(() => browser.close());
  return {
    async open(options = {}) {
      const fixture = await openFixture(browser, { ...options, script });
      opened.push(fixture);
      return fixture;
    },
  };
}
