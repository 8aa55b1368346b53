/**
 * The console checked with a real accessibility engine (axe-core, WCAG 2.1 A and AA rules) in a
 * real browser against a real Flightdeck (in this process, on the test run's Redis and FerretDB):
 * every view, with its menus, dialog and toasts open, in light and dark colour schemes, at a
 * desktop's and a phone's width. Violations of impact serious or critical fail the test; the rest,
 * and what axe could not decide (for a person to look at), are printed. No view is wider than a
 * phone. The jobs view and the job page are also walked with the keyboard: Tab reaches their main
 * actions, each with a focus ring. Needs the built console (client/dist).
 *
 * Lit components render into shadow roots; axe-core walks open ones, and the test checks that it
 * did: many nodes tested, most of them in shadow roots, text contrast there included.
 */
import type { AxeResults, ImpactValue, Result } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort } from '../../backend/src/services/local-services';
import { startTestFlightdeck, type Person, type TestFlightdeck } from '../../backend/test/support/flightdeck-harness';
import { waitFor } from '../../backend/test/support/test-services';
import { launchChromium } from '../test/support/browser';
import { DESKTOP, PHONE, requireConsoleBuild, signIn, teamOfTwo, watchProblems } from '../test/support/console-e2e';
import { startEmbeddingSite, type EmbeddingSite } from '../test/support/embedding-site';

const AXE_SCRIPT = require.resolve('axe-core/axe.min.js');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FAILING_IMPACTS: ImpactValue[] = ['serious', 'critical'];
const LAYOUTS = [
  { name: 'desktop', viewport: DESKTOP },
  { name: 'phone', viewport: PHONE },
] as const;
const SCHEMES = ['light', 'dark'] as const;

let app: TestFlightdeck;
let browser: Browser;
/** The embedding site of docs/embed-example.html, on another origin. */
let site: EmbeddingSite | undefined;
let ada: Person;
let bob: Person;
/** Jobs of Ada's workspace. */
const jobs = { completed: '', failed: '', running: '' };
let embedToken = '';

beforeAll(async () => {
  requireConsoleBuild();
  site = await startEmbeddingSite(() => app.url);
  app = await startTestFlightdeck({ CORS_ORIGINS: site.url, OUTBOUND_ALLOWLIST: '127.0.0.1' });
  browser = await launchChromium();

  // Ada owns a workspace where Bob is a member, and is an admin of the operator workspace ("default").
  ({ ada, bob } = await teamOfTwo(app));
  expect((await app.http.post('/v1/members', { email: ada.user.email, role: 'admin' })).status).toBe(201);

  // A job of every status: completed; failing with an error (a call to a port nothing listens on),
  // and a failed demo job; scheduled for later; running; cancelled; queued (its queue paused, which
  // the ops view shows too). Bob claims the failing one and comments on it.
  const port = await freePort();
  jobs.completed = await submitAndWait({ type: 'demo.sleep', payload: { ms: 100, steps: 2 } }, 'completed');
  jobs.failed = await submitAndWait(
    { type: 'http.request', payload: { url: `http://127.0.0.1:${port}/orders/sync`, method: 'GET' } },
    'failed',
  );
  await submitAndWait({ type: 'demo.sleep', payload: { ms: 50, fail: true } }, 'failed');
  await submitAndWait({ type: 'demo.sleep', payload: { ms: 1_000 }, delayMs: 3_600_000 }, 'delayed');
  jobs.running = await submitAndWait({ type: 'demo.sleep', payload: { ms: 600_000, steps: 100 } }, 'active');
  const cancelled = await submitAndWait({ type: 'demo.sleep', payload: { ms: 10 }, delayMs: 3_600_000 }, 'delayed');
  expect((await ada.http.post(`/v1/jobs/${cancelled}/cancel`)).status).toBe(200);
  expect((await app.http.post('/v1/queues/http/pause')).status).toBe(200);
  await submitAndWait(
    { type: 'http.request', payload: { url: `http://127.0.0.1:${port}/refunds`, method: 'GET' } },
    'queued',
  );
  const asBob = bob.in(ada.slug);
  expect((await asBob.post(`/v1/jobs/${jobs.failed}/claim`)).status).toBe(200);
  expect((await asBob.post(`/v1/jobs/${jobs.failed}/comments`, { body: 'Upstream is down; on it.' })).status).toBe(201);
  expect((await ada.http.post('/v1/views', { name: 'Failures', filters: { status: 'failed' } })).status).toBe(201);
  expect((await ada.http.post('/v1/api-keys', { name: 'billing service' })).status).toBe(201);
  const token = await ada.http.post(`/v1/jobs/${jobs.completed}/token`, { ttlSeconds: 600 });
  expect(token.status).toBe(201);
  embedToken = token.body.token as string;
}, 60_000);

afterAll(async () => {
  // Shutting down waits for running jobs: end it now.
  if (jobs.running) await ada.http.post(`/v1/jobs/${jobs.running}/cancel`);
  await browser?.close();
  await app?.stop();
  await site?.close();
});

/** Submits a job as Ada and waits until it is in `status`. */
async function submitAndWait(job: Record<string, unknown>, status: string): Promise<string> {
  const answer = await ada.http.post('/v1/jobs', job);
  expect(answer.status).toBe(202);
  const id = answer.body.id as string;
  await waitFor(`job ${id} to be ${status}`, async () => (await ada.http.get(`/v1/jobs/${id}`)).body.status === status);
  return id;
}

/** What one axe run found, small enough to bring out of the page. */
interface AxeSummary {
  /** Nodes axe tested (passed, violated or undecided), and how many of those were in shadow roots. */
  tested: number;
  inShadow: number;
  /** Text whose colour contrast axe measured inside shadow roots. */
  contrastInShadow: number;
  violations: Finding[];
  incomplete: Finding[];
}

interface Finding {
  id: string;
  impact: ImpactValue | null;
  help: string;
  nodes: { target: string; summary: string }[];
}

/** Runs axe-core's WCAG 2.1 A/AA rules on the whole page, shadow roots included. */
async function runAxe(page: Page): Promise<AxeSummary> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SCRIPT });
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResults> } }).axe;
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    // A node in a shadow root has a target of several selectors: the hosts, then the node.
    const targetOf = (target: unknown[]) => target.map((part) => (Array.isArray(part) ? part.join(' >>> ') : part));
    const findings = (list: Result[]) =>
      list.map((result) => ({
        id: result.id,
        impact: result.impact ?? null,
        help: result.help,
        nodes: result.nodes.map((node) => ({
          target: targetOf(node.target as unknown[]).join(', '),
          summary: (
            node.failureSummary ??
            node.any
              .concat(node.all, node.none)
              .map((check) => check.message)
              .join('; ')
          )
            .replace(/\s+/g, ' ')
            .trim(),
        })),
      }));
    const inShadow = (node: { target: unknown[] }) => node.target.some((part) => Array.isArray(part));
    const nodes = [...results.passes, ...results.violations, ...results.incomplete].flatMap((result) => result.nodes);
    const contrast = [...results.passes, ...results.violations]
      .filter((result) => result.id === 'color-contrast')
      .flatMap((result) => result.nodes);
    return {
      tested: nodes.length,
      inShadow: nodes.filter(inShadow).length,
      contrastInShadow: contrast.filter(inShadow).length,
      violations: findings(results.violations),
      incomplete: findings(results.incomplete),
    };
  }, WCAG_21_AA);
}

const describeFindings = (findings: Finding[]) =>
  findings
    .map(
      (finding) =>
        `${finding.id} (${finding.impact ?? 'no impact'}): ${finding.help}\n` +
        finding.nodes.map((node) => `    ${node.target}\n      ${node.summary}`).join('\n'),
    )
    .join('\n');

/**
 * Checks the page as it is now: no serious or critical violation, and at least `minTested` nodes
 * tested, most of them inside shadow roots (the contrast of text there too). Nothing is wider than
 * the window, so a phone never scrolls sideways (WCAG 1.4.10, which axe does not check).
 */
async function expectAccessible(page: Page, what: string, minTested = 100): Promise<void> {
  const summary = await runAxe(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const failing = summary.violations.filter((finding) => FAILING_IMPACTS.includes(finding.impact ?? 'minor'));
  const minor = summary.violations.filter((finding) => !failing.includes(finding));
  const notes = [
    minor.length > 0 ? `Minor and moderate violations:\n${describeFindings(minor)}` : '',
    summary.incomplete.length > 0
      ? `For a person to check (axe could not decide):\n${describeFindings(summary.incomplete)}`
      : '',
  ].filter(Boolean);
  console.log(
    `axe on ${what}: ${summary.tested} nodes tested, ${summary.inShadow} in shadow roots ` +
      `(the contrast of ${summary.contrastInShadow})\n${notes.join('\n')}`,
  );
  expect({ what, failing: describeFindings(failing), overflow }).toEqual({ what, failing: '', overflow: 0 });
  expect(summary.tested).toBeGreaterThanOrEqual(minTested);
  expect(summary.inShadow).toBeGreaterThan(summary.tested / 2);
  expect(summary.contrastInShadow).toBeGreaterThanOrEqual(minTested / 20);
}

/** Relative luminance (0 black … 1 white) of a CSS `rgb()` colour. */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map((part) => {
    const channel = Number(part) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const live = (page: Page) => page.getByRole('status', { name: /^Realtime connection: live/ });
const row = (page: Page, id: string) => page.locator(`fd-jobs-table tr[data-job-id="${id}"]`);
const jobPage = (page: Page) => page.locator('fd-job-page');

describe.each(SCHEMES.flatMap((scheme) => LAYOUTS.map((layout) => ({ scheme, ...layout }))))(
  'every view, $scheme, $name',
  ({ scheme, name, viewport }) => {
    const contexts: BrowserContext[] = [];
    let page: Page;
    let problems: string[];
    const what = (view: string) => `${view} (${scheme}, ${name})`;

    /** A browser profile of that scheme and size; the console's Content-Security-Policy would refuse axe-core's script. */
    const newPage = async () => {
      const context = await browser.newContext({ viewport, colorScheme: scheme, bypassCSP: true });
      contexts.push(context);
      const page = await context.newPage();
      return { page, problems: watchProblems(page) };
    };

    beforeAll(async () => {
      ({ page, problems } = await newPage());
      await signIn(page, `${app.url}/w/${ada.slug}`, ada);
    });

    afterAll(async () => {
      await Promise.all(contexts.splice(0).map((context) => context.close()));
    });

    it('the sign-in and sign-up pages', async () => {
      const signedOut = await newPage();
      await signedOut.page.goto(`${app.url}/`);
      await signedOut.page.getByRole('heading', { name: 'Sign in to Flightdeck' }).waitFor();
      await expectAccessible(signedOut.page, what('sign-in'), 50);
      await signedOut.page.getByLabel('Email').fill(ada.user.email);
      await signedOut.page.getByLabel('Password', { exact: true }).fill('not her password');
      await signedOut.page.getByRole('button', { name: 'Sign in' }).click();
      await signedOut.page.getByRole('alert').waitFor();
      await expectAccessible(signedOut.page, what('sign-in, refused'), 50);

      await signedOut.page.getByRole('link', { name: 'Create an account' }).click();
      await signedOut.page.getByRole('heading', { name: 'Create your account' }).waitFor();
      await expectAccessible(signedOut.page, what('sign-up'), 50);
      expect(signedOut.problems).toEqual([]);
    });

    it('the jobs view, with a selection and the filters open', async () => {
      await page.goto(`${app.url}/w/${ada.slug}`);
      await live(page).waitFor({ timeout: 15_000 });
      await row(page, jobs.running).and(page.locator('[data-status="active"]')).waitFor({ timeout: 15_000 });
      await row(page, jobs.failed).getByRole('checkbox').check();
      await row(page, jobs.completed).getByRole('checkbox').check();
      await page.getByRole('group', { name: 'Bulk actions' }).getByText('2 selected').waitFor();
      const more = page.locator('fd-jobs-filters .more-toggle');
      if (await more.isVisible()) await more.click();
      await page.getByLabel('Status').waitFor();
      // The console follows the colour scheme: a dark page in dark, a light one in light.
      const background = await page.locator('fd-app').evaluate((app) => getComputedStyle(app).backgroundColor);
      expect(luminance(background) < 0.2).toBe(scheme === 'dark');
      await expectAccessible(page, what('jobs view'));

      await page
        .getByRole('group', { name: 'Bulk actions' })
        .getByRole('button', { name: 'Retry selected jobs' })
        .click();
      await page.getByRole('dialog', { name: 'Retry 1 job?' }).waitFor();
      await expectAccessible(page, what('jobs view, retry dialog'));
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });

      await page.getByRole('button', { name: /^Workspace:/ }).click();
      await page.getByRole('list', { name: 'Your workspaces' }).waitFor();
      await expectAccessible(page, what('jobs view, workspace menu open'));
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Saved views' }).click();
      await page.getByRole('list', { name: 'Saved views' }).waitFor();
      await expectAccessible(page, what('jobs view, saved views open'));
      await page.getByLabel('Save current filters as').fill(`Everything, ${scheme} ${name}`);
      await page.getByRole('button', { name: 'Save view' }).click();
      await page
        .getByRole('list', { name: 'Notifications' })
        .getByText(`Saved view “Everything, ${scheme} ${name}”`)
        .waitFor();
      await expectAccessible(page, what('jobs view, a toast shown'));
    });

    it('the job page of a failed job, claimed and commented on', async () => {
      await page.goto(`${app.url}/w/${ada.slug}/jobs/${jobs.failed}`);
      await jobPage(page).locator('.badge[data-status="failed"]').waitFor({ timeout: 15_000 });
      await jobPage(page).getByRole('region', { name: 'Error' }).waitFor();
      await jobPage(page).getByText('Bob Builder is on it').waitFor();
      await jobPage(page).getByRole('list', { name: 'Comments, oldest first' }).getByText('on it.').waitFor();
      await jobPage(page).getByRole('list', { name: 'Activity, oldest first' }).waitFor();
      await jobPage(page).locator('.error__stack summary').click();
      await expectAccessible(page, what('job page'));
    });

    it('the activity feed, people and everything', async () => {
      await page.goto(`${app.url}/w/${ada.slug}/activity`);
      const feed = page.getByRole('list', { name: 'Activity, newest first' });
      await feed.getByText('Bob Builder').first().waitFor({ timeout: 15_000 });
      await expectAccessible(page, what('activity feed'));
      await page.getByRole('radio', { name: 'Everything' }).check();
      await feed.getByText('started (attempt 1)').first().waitFor({ timeout: 15_000 });
      await expectAccessible(page, what('activity feed, everything'));
    });

    it('the ops view of the operator workspace, as its admin', async () => {
      await page.goto(`${app.url}/w/default/ops`);
      await page.getByRole('heading', { name: 'Operations' }).waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: 'Pause queue demo' }).waitFor({ timeout: 15_000 });
      await page.locator('fd-ops-chart canvas').first().waitFor({ timeout: 15_000 });
      await expectAccessible(page, what('ops view'));

      await page.getByRole('button', { name: 'Drain queue demo' }).click();
      await page.getByRole('dialog', { name: 'Drain queue demo?' }).waitFor();
      await expectAccessible(page, what('ops view, drain dialog'));
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
    });

    it('the members and API-key settings', async () => {
      await page.goto(`${app.url}/w/${ada.slug}/settings/members`);
      await page.getByLabel('Role of Bob Builder').waitFor({ timeout: 15_000 });
      await expectAccessible(page, what('members settings'));

      await page.goto(`${app.url}/w/${ada.slug}/settings/api-keys`);
      await page.getByRole('button', { name: 'Revoke billing service' }).waitFor({ timeout: 15_000 });
      await expectAccessible(page, what('API-key settings'));
      await page.getByLabel('Name').fill(`ci ${scheme} ${name}`);
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.getByLabel('New API key').waitFor();
      await expectAccessible(page, what('API-key settings, new key shown'));
    });

    it('the embed sample page', async () => {
      await page.goto(`${site!.url}/export?${new URLSearchParams({ job: jobs.completed, token: embedToken })}`);
      await page
        .locator('fd-job-status')
        .getByRole('status', { name: 'Status: Completed' })
        .waitFor({ timeout: 15_000 });
      await expectAccessible(page, what('embed sample'), 20);
      expect(problems).toEqual([]);
    });
  },
);

/** The focused element, inside shadow roots; what it is, and whether a focus ring shows on it. */
async function focused(page: Page) {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow !== 'none';
    const label =
      element.getAttribute('aria-label') ??
      (element instanceof HTMLInputElement ||
      element instanceof HTMLTextAreaElement ||
      element instanceof HTMLSelectElement
        ? (element.labels?.[0]?.textContent ?? element.name)
        : element.textContent);
    return {
      tag: element.tagName.toLowerCase(),
      name: (label ?? '').replace(/\s+/g, ' ').trim().slice(0, 60),
      ring: outline || ring,
    };
  });
}

type Stop = NonNullable<Awaited<ReturnType<typeof focused>>>;

/** Presses Tab up to `max` times from where the focus is, until `until` is focused; returns every stop. */
async function tabUntil(page: Page, until: (stop: Stop) => boolean, max = 60): Promise<Stop[]> {
  const stops: Stop[] = [];
  for (let index = 0; index < max; index++) {
    await page.keyboard.press('Tab');
    const stop = await focused(page);
    if (!stop) continue;
    stops.push(stop);
    if (until(stop)) return stops;
  }
  throw new Error(`Tab did not reach the element after ${max} presses; stops:\n${JSON.stringify(stops, null, 1)}`);
}

const withoutRing = (stops: Stop[]) => stops.filter((stop) => !stop.ring);

describe('with the keyboard alone', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext({ viewport: LAYOUTS[0].viewport, colorScheme: 'light' });
    page = await context.newPage();
    await signIn(page, `${app.url}/w/${ada.slug}`, ada);
  });

  afterAll(async () => {
    await context?.close();
  });

  it('the jobs view: submit, filters, a row, a selection and its bulk actions, then a job page, each with a focus ring', async () => {
    await page.goto(`${app.url}/w/${ada.slug}`);
    await live(page).waitFor({ timeout: 15_000 });
    await row(page, jobs.failed).waitFor({ timeout: 15_000 });

    // From the top of the page: the skip link comes first, and leads to the content.
    const [skip] = await tabUntil(page, () => true);
    expect(skip).toMatchObject({ tag: 'a', name: 'Skip to content', ring: true });
    const stops = [skip!, ...(await tabUntil(page, (stop) => stop.name === 'Submit job'))];
    stops.push(...(await tabUntil(page, (stop) => stop.name === 'Search')));
    stops.push(...(await tabUntil(page, (stop) => stop.name === 'Status')));
    stops.push(...(await tabUntil(page, (stop) => stop.name === 'Saved views')));
    // The table is one stop (a row); arrows move between rows, Space selects.
    stops.push(...(await tabUntil(page, (stop) => stop.tag === 'tr')));
    expect(withoutRing(stops)).toEqual([]);

    // Space selects the focused row, the arrows move; the bulk actions come before the table.
    await row(page, jobs.failed).focus();
    await page.keyboard.press('Space');
    await page.getByRole('group', { name: 'Bulk actions' }).getByText('1 selected').waitFor();
    const bulk: Stop[] = [];
    for (let index = 0; index < 10 && bulk.at(-1)?.name !== 'Retry selected jobs'; index++) {
      await page.keyboard.press('Shift+Tab');
      const stop = await focused(page);
      if (stop) bulk.push(stop);
    }
    expect(bulk.at(-1)?.name).toBe('Retry selected jobs');
    expect(withoutRing(bulk)).toEqual([]);

    // Back on the table, Escape clears the selection and Enter opens the focused row's job.
    await tabUntil(page, (stop) => stop.tag === 'tr');
    await page.keyboard.press('Escape');
    await page.getByRole('group', { name: 'Bulk actions' }).getByText('Select jobs to retry').waitFor();
    await page.keyboard.press('Enter');
    await jobPage(page).locator('.badge[data-status="failed"]').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/w/${ada.slug}/jobs/${jobs.failed}`);
  });

  it('the job page: back to the jobs, claim, retry, share, and a comment, each with a focus ring', async () => {
    await page.goto(`${app.url}/w/${ada.slug}/jobs/${jobs.failed}`);
    await jobPage(page).getByRole('region', { name: 'Error' }).waitFor({ timeout: 15_000 });
    // The breadcrumb back to the jobs comes after the header and the tabs.
    const stops = await tabUntil(page, (stop) => stop.name === '← Jobs');
    stops.push(...(await tabUntil(page, (stop) => stop.name === 'Release Bob Builder’s claim')));
    stops.push(...(await tabUntil(page, (stop) => stop.name === 'Retry')));
    stops.push(...(await tabUntil(page, (stop) => stop.name === 'Share live status')));
    stops.push(...(await tabUntil(page, (stop) => stop.name === 'Add a comment')));
    await page.keyboard.type('Looking at it.');
    stops.push(...(await tabUntil(page, (stop) => stop.name === 'Comment')));
    expect(withoutRing(stops)).toEqual([]);
    await page.keyboard.press('Enter');
    await jobPage(page).getByRole('list', { name: 'Comments, oldest first' }).getByText('Looking at it.').waitFor();
  });
});
