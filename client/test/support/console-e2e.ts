import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  startTestFlightdeck,
  type Person,
  type TestFlightdeck,
} from '../../../backend/test/support/flightdeck-harness';
import { launchChromium } from './browser';

/** Where the end-to-end tests write screenshots (with FLIGHTDECK_SCREENSHOTS=1) and read the built console. */
export const SCREENSHOTS_DIR = path.resolve(__dirname, '..', '..', '..', 'docs', 'screenshots');
export const CONSOLE_BUILD = path.resolve(__dirname, '..', '..', 'dist', 'index.html');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** The end-to-end tests serve the built console: fail early and clearly when it is missing. */
export function requireConsoleBuild(): void {
  if (!existsSync(CONSOLE_BUILD))
    throw new Error(`${CONSOLE_BUILD} is missing: build the console first (npm run build)`);
}

/**
 * Page errors and console errors of `page`, as they come — except Chromium's log of 4xx answers,
 * which the console gets on purpose ("who am I?" before sign-in, a refused claim).
 */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) problems.push(message.text());
  });
  return problems;
}

/** Signs `person` in through the console's form at `url`, and waits until the live connection is up. */
export async function signIn(page: Page, url: string, person: Person): Promise<void> {
  await page.goto(url);
  await page.getByRole('heading', { name: 'Sign in to Flightdeck' }).waitFor();
  await page.getByLabel('Email').fill(person.user.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('status', { name: /^Realtime connection: live/ }).waitFor({ timeout: 15_000 });
}

/**
 * A person's own browser profile (a new context, kept in `contexts` for closing), signed in through
 * the console's form on `urlPath`, once the live connection is up; `problems` as {@link watchProblems}
 * collects them.
 */
export async function signedInPage(
  browser: Browser,
  contexts: BrowserContext[],
  baseUrl: string,
  person: Person,
  urlPath: string,
  viewport = DESKTOP,
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, colorScheme: 'light' });
  contexts.push(context);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await signIn(page, `${baseUrl}${urlPath}`, person);
  return { page, problems };
}

/** Ada's workspace, with Bob as a member: two people on call. */
export async function teamOfTwo(app: TestFlightdeck): Promise<{ ada: Person; bob: Person }> {
  const ada = await app.signup('Ada Lovelace');
  const bob = await app.signup('Bob Builder');
  expect((await ada.http.post('/v1/members', { email: bob.user.email, role: 'member' })).status).toBe(201);
  return { ada, bob };
}

/**
 * The life of an end-to-end test file: Flightdeck in this process (with `env`, or what `env()` says
 * when it starts: after the file's own earlier beforeAll) and Chromium for the whole file, every
 * browser context closed after each test. `openAs` signs a person in, in a context of their own.
 */
export function consoleE2e(env: Record<string, string> | (() => Record<string, string>) = {}) {
  let app: TestFlightdeck | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    requireConsoleBuild();
    app = await startTestFlightdeck(typeof env === 'function' ? env() : env);
    browser = await launchChromium();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
  const started = () => {
    if (!app || !browser) throw new Error('the end-to-end set-up has not run (use it inside tests)');
    return { app, browser };
  };
  return {
    get app(): TestFlightdeck {
      return started().app;
    },
    /** A fresh browser profile, closed after the test. */
    async newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
      const context = await started().browser.newContext(options);
      contexts.push(context);
      return context;
    },
    openAs: (person: Person, urlPath: string, viewport = DESKTOP) =>
      signedInPage(started().browser, contexts, started().app.url, person, urlPath, viewport),
  };
}
