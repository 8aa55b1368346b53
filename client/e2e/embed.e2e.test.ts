/**
 * `<fd-job-status>` on a plain HTML page of ANOTHER origin (a tiny server in this test, on its own
 * port, listed in Flightdeck's CORS_ORIGINS), loaded from Flightdeck's `/embed/fd-job-status.js`
 * as docs/embed-example.html shows, with a real job token, against a real Flightdeck (in this
 * process, on the test run's Redis and FerretDB). Needs the built console (client/dist).
 *
 * FLIGHTDECK_SCREENSHOTS=1 also writes docs/screenshots/embed-example.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { consoleE2e, SCREENSHOTS_DIR } from '../test/support/console-e2e';
import { startEmbeddingSite, type EmbeddingSite } from '../test/support/embedding-site';

const EMBED_BUILD = path.resolve(__dirname, '..', 'dist', 'embed', 'fd-job-status.js');

/** The embedding site: serves docs/embed-example.html, filled in as its server would. */
let site: EmbeddingSite | undefined;

beforeAll(async () => {
  if (!existsSync(EMBED_BUILD)) throw new Error(`${EMBED_BUILD} is missing: build the console first (npm run build)`);
  site = await startEmbeddingSite(() => e2e.app.url);
});

// Flightdeck lets the site's origin in; it starts once the site listens, and stops before it.
const e2e = consoleE2e(() => ({ CORS_ORIGINS: site!.url }));

afterAll(async () => {
  await site?.close();
});

async function submitSleep(payload: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await e2e.app.http.post('/v1/jobs', { type: 'demo.sleep', payload, ...extra });
  expect(answer.status).toBe(202);
  return answer.body.id as string;
}

/** What the site's server does: asks Flightdeck for a token for one job. */
async function tokenFor(jobId: string): Promise<string> {
  const answer = await e2e.app.http.post(`/v1/jobs/${jobId}/token`, { ttlSeconds: 600 });
  expect(answer.status).toBe(201);
  return answer.body.token as string;
}

async function openSitePage(job: string, token: string, viewport = { width: 800, height: 640 }) {
  const context = await e2e.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    // Chromium logs the refusals the "another job" case gets on purpose (404 for the REST read).
    if (message.type() === 'error' && !/status of 40[134]/.test(message.text())) problems.push(message.text());
  });
  const flightdeckRequests: string[] = [];
  const flightdeckHost = new URL(e2e.app.url).host;
  const track = (url: string) => {
    if (new URL(url).host === flightdeckHost) flightdeckRequests.push(new URL(url).pathname);
  };
  page.on('request', (request) => track(request.url()));
  page.on('websocket', (socket) => track(socket.url()));
  await page.goto(`${site!.url}/export?${new URLSearchParams({ job, token })}`);
  return { page, problems, flightdeckRequests };
}

const status = (page: Page) => page.locator('fd-job-status');
const bar = (page: Page) => status(page).getByRole('progressbar', { name: 'Progress' });
const shownText = (page: Page) => status(page).evaluate((element) => element.shadowRoot?.textContent ?? '');

describe('<fd-job-status> on another origin', () => {
  it('is served at /embed/fd-job-status.js in a way pages of other origins may load', async () => {
    const answer = await fetch(`${e2e.app.url}/embed/fd-job-status.js`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/javascript/);
    // helmet's default `same-origin` makes browsers refuse the script on any other origin.
    expect(answer.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('shows a real job live, from waiting through its progress to its result', async () => {
    // Due in a moment, so that the page is open before it starts.
    const id = await submitSleep({ ms: 3_000, steps: 6 }, { delayMs: 1_500 });
    const { page, problems, flightdeckRequests } = await openSitePage(id, await tokenFor(id));
    expect(new URL(page.url()).origin).not.toBe(new URL(e2e.app.url).origin);

    await status(page).getByText('demo.sleep').waitFor({ timeout: 15_000 });
    await status(page).getByText('Live').waitFor();
    // Somewhere between the start and the end, progress shows.
    await page.waitForFunction(
      () => {
        const bar = document.querySelector('fd-job-status')?.shadowRoot?.querySelector('[role="progressbar"]');
        const value = Number(bar?.getAttribute('aria-valuenow'));
        return value > 0 && value < 100;
      },
      undefined,
      { timeout: 15_000, polling: 100 },
    );
    await status(page).getByRole('status', { name: 'Status: Running' }).waitFor();
    await status(page).getByRole('status', { name: 'Status: Completed' }).waitFor({ timeout: 15_000 });
    await expect(bar(page).getAttribute('aria-valuenow')).resolves.toBe('100');
    await expect(status(page).locator('pre').textContent()).resolves.toContain('"slept": 3000');

    // Everything it asked of Flightdeck: the script, the job, the socket; nothing else.
    expect(new Set(flightdeckRequests)).toEqual(new Set(['/embed/fd-job-status.js', `/v1/jobs/${id}`, '/socket.io/']));
    expect(problems).toEqual([]);
  });

  it('shows nothing of either job with a token for another job, nor with a token that is not one', async () => {
    const shown = await submitSleep({ ms: 200 });
    const other = await submitSleep({ ms: 200 });
    const otherToken = await tokenFor(other);
    for (const token of [otherToken, `${otherToken.slice(0, -4)}AAAA`, 'not-a-token']) {
      const { page, problems } = await openSitePage(shown, token);
      await status(page).getByText("This job's status is not available.").waitFor({ timeout: 15_000 });
      const text = await shownText(page);
      for (const secret of [shown, other, 'demo.sleep', 'slept', 'Completed', '%']) expect(text).not.toContain(secret);
      await expect(status(page).getByRole('progressbar').count()).resolves.toBe(0);
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });

  (process.env.FLIGHTDECK_SCREENSHOTS === '1' ? it : it.skip)(
    'writes a screenshot of the sample page to docs/screenshots/embed-example.png',
    async () => {
      mkdirSync(SCREENSHOTS_DIR, { recursive: true });
      const id = await submitSleep({ ms: 20_000, steps: 20 });
      const { page } = await openSitePage(id, await tokenFor(id), { width: 800, height: 480 });
      await page.waitForFunction(
        () => {
          const bar = document.querySelector('fd-job-status')?.shadowRoot?.querySelector('[role="progressbar"]');
          return Number(bar?.getAttribute('aria-valuenow')) >= 40;
        },
        undefined,
        { timeout: 30_000, polling: 200 },
      );
      await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'embed-example.png'), fullPage: true });
      await e2e.app.http.post(`/v1/jobs/${id}/cancel`);
    },
    60_000,
  );
});
