import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Person } from '../../../backend/test/support/flightdeck-harness';

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
 * A person's own browser profile (a new context, kept in `contexts` for closing), signed in through
 * the console's form on `urlPath`, once the live connection is up. `problems` collects page errors and
 * console errors — except Chromium's log of 4xx answers, which the console gets on purpose ("who am
 * I?" before sign-in, a refused claim).
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
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) problems.push(message.text());
  });
  await page.goto(`${baseUrl}${urlPath}`);
  await page.getByRole('heading', { name: 'Sign in to Flightdeck' }).waitFor();
  await page.getByLabel('Email').fill(person.user.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('status', { name: /^Realtime connection: live/ }).waitFor({ timeout: 15_000 });
  return { page, problems };
}
