import type { Job } from '@flightdeck/contract';
import type { Browser } from 'playwright-core';
import { buildJob } from '../../../test/support/job-factory';
import { bundleForBrowser, launchChromium, openFixture, type Fixture } from '../../../test/support/browser';

let browser: Browser;
let script: string;
let fixture: Fixture;

beforeAll(async () => {
  [browser, script] = await Promise.all([
    launchChromium(),
    bundleForBrowser(`import './components/fd-jobs-table/fd-jobs-table.component';`),
  ]);
});
beforeEach(async () => {
  fixture = await openFixture(browser, {
    script,
    body: '<main style="width: 900px"><fd-jobs-table></fd-jobs-table></main>',
  });
});
afterEach(() => fixture.context.close());
afterAll(() => browser.close());

async function show(jobs: Job[]) {
  await fixture.page.evaluate(async (list) => {
    const table = document.querySelector('fd-jobs-table')!;
    table.jobs = list;
    await table.updateComplete;
  }, jobs);
}

const row = (id: string) => fixture.page.locator(`tr[data-job-id="${id}"]`);

describe('fd-jobs-table', () => {
  it('shows an empty state, or that it is loading', async () => {
    const { page } = fixture;
    await page.getByRole('status').getByText('No jobs yet').waitFor();
    await page.evaluate(() => (document.querySelector('fd-jobs-table')!.loading = true));
    await page.getByRole('status').getByText('Loading jobs…').waitFor();
  });

  it('shows each job with its status, progress, type, short id and age, in the order given', async () => {
    const now = Date.now();
    const older = buildJob({ status: 'completed', progress: 100, createdAt: new Date(now - 125_000).toISOString() });
    const newer = buildJob({
      status: 'active',
      progress: 33.4,
      type: 'http.request',
      createdAt: new Date(now - 4_000).toISOString(),
    });
    await show([newer, older]);

    await expect(
      fixture.page.locator('tbody tr').evaluateAll((rows) => rows.map((tr) => tr.getAttribute('data-job-id'))),
    ).resolves.toEqual([newer.id, older.id]);
    const active = row(newer.id);
    await expect(active.locator('.badge').textContent()).resolves.toBe('active');
    const bar = active.getByRole('progressbar', { name: `Progress of job ${newer.id.slice(-8)}` });
    await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('33');
    await expect(active.getByRole('cell').nth(2).textContent()).resolves.toBe('http.request');
    await expect(active.locator('code').getAttribute('title')).resolves.toBe(newer.id);
    await expect(active.locator('time').getAttribute('datetime')).resolves.toBe(newer.createdAt);
    await expect(row(older.id).locator('time [aria-hidden]').textContent()).resolves.toMatch(/^2m 0[5-9]s$/);
    await fixture.page.getByRole('table').getByRole('columnheader', { name: 'Progress' }).waitFor();
  });

  it('ticks the age every second', async () => {
    const job = buildJob({ createdAt: new Date(Date.now() - 10_000).toISOString() });
    await show([job]);
    const age = row(job.id).locator('time [aria-hidden]');
    const first = await age.textContent();
    await fixture.page.waitForFunction(
      ([id, before]) =>
        document
          .querySelector('fd-jobs-table')!
          .shadowRoot!.querySelector(`tr[data-job-id="${id}"] time [aria-hidden]`)!.textContent !== before,
      [job.id, first] as const,
      { timeout: 3_000 },
    );
  });

  it('updates a row in place, without moving anything on the page', async () => {
    const [a, b] = [buildJob({ status: 'queued' }), buildJob({ status: 'queued' })];
    await show([b, a]);
    const geometry = () =>
      fixture.page.evaluate(() => {
        const root = document.querySelector('fd-jobs-table')!.shadowRoot!;
        const boxes = [...root.querySelectorAll('tr, td')].map((element) => {
          const box = element.getBoundingClientRect();
          return [box.x, box.y, box.width, box.height].map(Math.round).join(',');
        });
        return boxes.join(' ');
      });
    // Mark the DOM row: an in-place update keeps the very element.
    await row(a.id).evaluate((tr) => tr.setAttribute('data-marker', 'same'));
    const before = await geometry();

    await show([
      { ...b, status: 'completed', progress: 100 },
      { ...a, status: 'cancelled', progress: 57 },
    ]);

    await expect(row(a.id).getAttribute('data-marker')).resolves.toBe('same');
    await expect(row(a.id).getByRole('progressbar').getAttribute('aria-valuenow')).resolves.toBe('57');
    await expect(row(b.id).locator('.badge').textContent()).resolves.toBe('completed');
    expect(await geometry()).toBe(before);
  });

  it('shows each job as a two-line row in a narrow container, keeping table semantics', async () => {
    const job = buildJob({ status: 'failed', progress: 100 });
    await fixture.page.evaluate(() => (document.querySelector('main')!.style.width = '360px'));
    await show([job]);
    const width = await fixture.page.evaluate(
      () => document.querySelector('fd-jobs-table')!.getBoundingClientRect().width,
    );
    expect(width).toBe(360);
    const scrollWidth = await fixture.page.evaluate(
      () => document.querySelector('fd-jobs-table')!.shadowRoot!.querySelector('table')!.scrollWidth,
    );
    expect(scrollWidth).toBeLessThanOrEqual(360);
    await row(job.id).getByRole('progressbar').waitFor();
    await expect(fixture.page.getByRole('row').count()).resolves.toBe(2);
    expect(fixture.problems).toEqual([]);
  });
});
