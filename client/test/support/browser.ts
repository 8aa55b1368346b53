import path from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Chromium as the machines have it (see ENVIRONMENT.md); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** playwright-core gives every launch a fresh temporary user-data-dir. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
}

const CLIENT_DIR = path.resolve(__dirname, '..', '..');

/**
 * Bundles a module for the browser the way the console is built: the client's tsconfig (legacy
 * decorators, `useDefineForClassFields: false`, the contract mapped to its source). `source` is
 * TypeScript resolved from client/src, e.g. `import './components/fd-x/fd-x.component';`.
 */
export async function bundleForBrowser(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: path.join(CLIENT_DIR, 'src'), loader: 'ts', sourcefile: 'fixture.ts' },
    tsconfig: path.join(CLIENT_DIR, 'tsconfig.json'),
    bundle: true,
    format: 'esm',
    target: 'es2023',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

export const FIXTURE_ORIGIN = 'http://fixture.test';

export interface Fixture {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors of the page. */
  problems: string[];
}

/**
 * A page at `FIXTURE_ORIGIN` + `path` whose body is `body` and which runs the bundled `script`.
 * Everything else that page asks the network for fails, so a test never reaches a real server.
 */
export interface FixtureOptions {
  /** The page's JavaScript (see {@link bundleForBrowser}). */
  script: string;
  /** HTML for the body, before the script runs. */
  body?: string;
  /** The page's path and query. */
  path?: string;
  colorScheme?: 'light' | 'dark';
}

export async function openFixture(
  browser: Browser,
  { script, body = '', path: pagePath = '/', colorScheme = 'light' }: FixtureOptions,
): Promise<Fixture> {
  const context = await browser.newContext({ colorScheme });
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fixture</title></head><body>${body}<script type="module" src="/fixture.js"></script></body></html>`;
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== FIXTURE_ORIGIN) return route.abort();
    if (url.pathname === '/fixture.js') return route.fulfill({ contentType: 'text/javascript', body: script });
    if (url.pathname === pagePath.split('?')[0]) return route.fulfill({ contentType: 'text/html', body: html });
    return route.fulfill({ status: 404, body: '' });
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${FIXTURE_ORIGIN}${pagePath}`);
  await page.waitForFunction(() => document.readyState === 'complete');
  return { context, page, problems };
}
