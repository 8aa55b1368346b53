import type { Browser, Page } from 'playwright-core';
import { bundleForBrowser, launchChromium, openFixture, type Fixture, type FixtureOptions } from './browser';
import type { FakeServer } from './fake-server';

export interface FixturePages {
  /** A fresh page that runs the file's script (see {@link openFixture}); it is closed after the test. */
  open(options?: Omit<FixtureOptions, 'script'>): Promise<Fixture>;
  /** A fresh page (see `open`) whose API is scripted with `answers`, then `window.setUp(properties)` (see {@link setUpPage}). */
  openSetUp(answers: FakeServer['answers'], properties?: Record<string, unknown>): Promise<Fixture>;
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
    async openSetUp(answers, properties) {
      const fixture = await this.open();
      await setUpPage(fixture.page, answers, properties);
      return fixture;
    },
  };
}

/**
 * Scripts the page's API (`window.server`, see scriptedApi in scripted-page.ts) with `answers`, then
 * calls `window.setUp(properties)` (see appendOnSetUp there).
 */
export function setUpPage(
  page: Page,
  answers: FakeServer['answers'],
  properties: Record<string, unknown> = {},
): Promise<void> {
  return page.evaluate(
    ({ answers, properties }) => {
      const scripted = window as unknown as { server: FakeServer; setUp: (properties: unknown) => void };
      scripted.server.answers = answers;
      scripted.setUp(properties);
    },
    { answers, properties },
  );
}
