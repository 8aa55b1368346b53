/**
 * The jobs view with two people on call in one workspace, each in their own browser context,
 * against a real Flightdeck (in this process, on the test run's Redis and FerretDB): filters in the
 * address, a bulk retry by one person that the other watches go active and complete (with a toast
 * naming who did it, and "retried by" in each job's activity), and a saved view made by one that
 * the other finds in their menu. Needs the built console (client/dist): `npm test` builds first.
 *
 * The failing jobs are `http.request` calls to a local server that is not listening yet: they fail
 * (connection refused); the server starts before the retry, which then completes.
 *
 * FLIGHTDECK_SCREENSHOTS=1 also writes docs/screenshots/jobs-view-{desktop,phone}.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Person } from '../../backend/test/support/flightdeck-harness';
import { waitFor } from '../../backend/test/support/test-services';
import { consoleE2e, DESKTOP, PHONE, SCREENSHOTS_DIR, teamOfTwo } from '../test/support/console-e2e';
import { lateUpstream } from '../test/support/late-upstream';

const e2e = consoleE2e({ OUTBOUND_ALLOWLIST: '127.0.0.1' });
const upstream = lateUpstream();

const { openAs } = e2e;

/** Submits jobs as `person` and waits until each is in `status`. */
async function submitAndWait(person: Person, jobs: Record<string, unknown>[], status: string): Promise<string[]> {
  const ids: string[] = [];
  for (const job of jobs) {
    const answer = await person.http.post('/v1/jobs', job);
    expect(answer.status).toBe(202);
    ids.push(answer.body.id as string);
  }
  for (const id of ids)
    await waitFor(
      `job ${id} to be ${status}`,
      async () => (await person.http.get(`/v1/jobs/${id}`)).body.status === status,
    );
  return ids;
}

const failingCall = (port: number, name: string) => ({
  type: 'http.request',
  payload: { url: `http://127.0.0.1:${port}/${name}`, method: 'GET', timeoutMs: 5_000 },
});

const row = (page: Page, id: string) => page.locator(`fd-jobs-table tr[data-job-id="${id}"]`);
const rowIn = (page: Page, id: string, status: string) => row(page, id).and(page.locator(`[data-status="${status}"]`));
const bulkBar = (page: Page) => page.getByRole('group', { name: 'Bulk actions' });
const toasts = (page: Page) => page.getByRole('list', { name: 'Notifications' });
const query = (page: Page) => new URL(page.url()).search;

describe('the jobs view, with two people on call', () => {
  it('filters from the address; a bulk retry by Ada is seen by Bob as it runs, attributed to her', async () => {
    const { ada, bob } = await teamOfTwo(e2e.app);
    const port = await upstream.freePort();
    const failed = await submitAndWait(
      ada,
      ['orders', 'invoices', 'refunds'].map((name) => failingCall(port, name)),
      'failed',
    );
    const [done] = await submitAndWait(ada, [{ type: 'demo.sleep', payload: { ms: 50 } }], 'completed');

    // Ada looks at the failed jobs only, from a shared address; Bob at everything.
    const a = await openAs(ada, `/w/${ada.slug}?status=failed`);
    for (const id of failed) await rowIn(a.page, id, 'failed').waitFor();
    await expect(row(a.page, done!).count()).resolves.toBe(0);
    await expect(a.page.getByLabel('Status').inputValue()).resolves.toBe('failed');
    const b = await openAs(bob, `/w/${ada.slug}`);
    for (const id of [...failed, done!]) await row(b.page, id).waitFor();

    // The upstream is back: Ada selects the failed jobs and retries them together.
    await upstream.start(port, 1_500);
    await a.page.getByRole('checkbox', { name: 'Select all 3 jobs shown' }).check();
    await bulkBar(a.page).getByText('3 selected').waitFor();
    await bulkBar(a.page).getByRole('button', { name: 'Retry selected jobs' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Retry 3 jobs?' });
    await dialog.getByText('They run again from the start.').waitFor();
    await dialog.getByRole('button', { name: 'Retry 3 jobs' }).click();

    await toasts(a.page).getByText('3 retried.').waitFor({ timeout: 10_000 });
    // They are no longer failed: they leave Ada's filtered view, which then says what it shows.
    for (const id of failed) await row(a.page, id).waitFor({ state: 'detached', timeout: 10_000 });
    await a.page.getByText('No failed jobs').waitFor();
    await bulkBar(a.page).getByText('Select jobs to retry or cancel several at once.').waitFor();

    // Bob sees who did it, and each job go active, then complete.
    await toasts(b.page).getByText('Ada Lovelace retried 3 jobs').waitFor({ timeout: 10_000 });
    for (const id of failed) await rowIn(b.page, id, 'active').waitFor({ timeout: 15_000 });
    for (const id of failed) await rowIn(b.page, id, 'completed').waitFor({ timeout: 15_000 });

    // Each job's activity names Ada: through the API, and on the job page Bob opens from the row.
    for (const id of failed) {
      const activity = await bob.in(ada.slug).get(`/v1/jobs/${id}/activity`);
      expect(activity.status).toBe(200);
      expect(activity.body.items).toContainEqual(
        expect.objectContaining({
          action: 'retried',
          actor: expect.objectContaining({ id: ada.user.id, name: 'Ada Lovelace' }),
          details: { bulk: true },
        }),
      );
    }
    await row(b.page, failed[0]!).getByRole('link', { name: 'http.request' }).click();
    expect(new URL(b.page.url()).pathname).toBe(`/w/${ada.slug}/jobs/${failed[0]}`);
    await b.page.locator('fd-job-page').getByText('retried by Ada Lovelace').first().waitFor({ timeout: 10_000 });

    // Ada's address still names her filter: the view is shareable as it is.
    expect(query(a.page)).toBe('?status=failed');
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
  }, 90_000);

  it('shares saved views: one Ada saves is in Bob’s menu, and applies her filters there', async () => {
    const { ada, bob } = await teamOfTwo(e2e.app);
    const [failedDemo] = await submitAndWait(ada, [{ type: 'demo.sleep', payload: { ms: 10, fail: true } }], 'failed');
    const [okDemo] = await submitAndWait(ada, [{ type: 'demo.sleep', payload: { ms: 10 } }], 'completed');

    const a = await openAs(ada, `/w/${ada.slug}`);
    await rowIn(a.page, okDemo!, 'completed').waitFor();
    await a.page.getByLabel('Status').selectOption('failed');
    expect(query(a.page)).toBe('?status=failed');
    await row(a.page, okDemo!).waitFor({ state: 'detached' });
    // The text search waits for a pause in typing, then filters on the server.
    await a.page.getByLabel('Search').fill('demo failure');
    await a.page.waitForFunction(() => window.location.search === '?status=failed&q=demo+failure');
    await rowIn(a.page, failedDemo!, 'failed').waitFor();
    await a.page.getByRole('button', { name: 'Saved views' }).click();
    await a.page.getByLabel('Save current filters as').fill('Failing demos');
    await a.page.getByRole('button', { name: 'Save view' }).click();
    await toasts(a.page).getByText('Saved view “Failing demos” for everyone in the workspace.').waitFor();

    const b = await openAs(bob, `/w/${ada.slug}`);
    await row(b.page, okDemo!).waitFor();
    await b.page.getByRole('button', { name: 'Saved views' }).click();
    const views = b.page.getByRole('list', { name: 'Saved views' });
    await views.getByRole('button', { name: 'Failing demos by Ada Lovelace' }).click();
    await b.page.waitForFunction(() => window.location.search === '?status=failed&q=demo+failure');
    await row(b.page, okDemo!).waitFor({ state: 'detached' });
    await rowIn(b.page, failedDemo!, 'failed').waitFor();
    await expect(b.page.getByLabel('Search').inputValue()).resolves.toBe('demo failure');
    // It is Ada's: Bob, a member, may not delete it.
    await b.page.getByRole('button', { name: 'View: Failing demos' }).click();
    await views.getByRole('button', { name: 'Failing demos by Ada Lovelace' }).waitFor();
    await expect(views.getByRole('button', { name: 'Delete view Failing demos' }).count()).resolves.toBe(0);
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
  }, 60_000);

  (process.env.FLIGHTDECK_SCREENSHOTS === '1' ? it : it.skip)(
    'writes screenshots of the jobs view with filters and a selection (desktop and phone) to docs/screenshots',
    async () => {
      mkdirSync(SCREENSHOTS_DIR, { recursive: true });
      const { ada, bob } = await teamOfTwo(e2e.app);
      const port = await upstream.freePort();
      const failed = await submitAndWait(
        ada,
        ['orders/sync', 'invoices/export', 'refunds/batch'].map((name) => failingCall(port, name)),
        'failed',
      );
      const [demoFailed] = await submitAndWait(
        ada,
        [{ type: 'demo.sleep', payload: { ms: 100, fail: true } }],
        'failed',
      );
      const [completed] = await submitAndWait(
        ada,
        [{ type: 'demo.sleep', payload: { ms: 200, steps: 2 } }],
        'completed',
      );
      const [delayed] = await submitAndWait(
        ada,
        [{ type: 'demo.sleep', payload: { ms: 1_000 }, delayMs: 3_600_000 }],
        'delayed',
      );
      const running = await submitAndWait(
        ada,
        [
          { type: 'demo.sleep', payload: { ms: 30_000, steps: 60 } },
          { type: 'demo.sleep', payload: { ms: 40_000, steps: 80 } },
        ],
        'active',
      );
      // Bob is on one failed job: he claimed it and has its page open.
      expect((await bob.in(ada.slug).post(`/v1/jobs/${failed[1]}/claim`)).status).toBe(200);
      const b = await openAs(bob, `/w/${ada.slug}/jobs/${failed[1]}`);
      await b.page.locator('fd-job-page').waitFor();

      for (const [name, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const { page } = await openAs(ada, `/w/${ada.slug}?range=24h`, viewport);
        for (const id of running) await rowIn(page, id, 'active').waitFor({ timeout: 15_000 });
        await row(page, failed[1]!)
          .getByRole('list', { name: /Also viewing: Bob Builder/ })
          .waitFor({ timeout: 10_000 })
          .catch(() => {
            // On phones the avatars sit on the card's last line; on desktop in their column.
          });
        // Two rows the screen shows: on phones the cards near the top.
        for (const id of name === 'phone' ? [delayed!, completed!] : [failed[0]!, demoFailed!])
          await row(page, id).getByRole('checkbox').check();
        await bulkBar(page).getByText('2 selected').waitFor();
        // Let the progress bars fill a little; show the view from its filters down.
        await page.waitForTimeout(2_000);
        // Phones fold the filters under "More filters (1)": the view starts at the top of the screen.
        if (name === 'phone')
          await page.locator('fd-jobs-view').evaluate((view) => view.scrollIntoView({ block: 'start' }));
        else await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `jobs-view-${name}.png`) });
      }
      // Shutting down waits for running jobs: end them now.
      for (const id of running) expect((await ada.http.post(`/v1/jobs/${id}/cancel`)).status).toBe(200);
    },
    120_000,
  );
});
