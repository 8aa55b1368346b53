/**
 * The workspace's activity feed with two people on call, each in their own browser context, against
 * a real Flightdeck (in this process, on the test run's Redis and FerretDB): Ada watches the feed
 * (`/w/<slug>/activity`) while Bob claims a failed job, comments on it and retries it from the job's
 * page; each action appears in Ada's feed as it happens, named and linked to the job, and once only
 * when the page is read again. "Everything" adds the jobs' own attempts, live too; the jobs page's
 * "Recent activity" panel shows the same and leads to the feed. Needs the built console (client/dist).
 *
 * FLIGHTDECK_SCREENSHOTS=1 also writes docs/screenshots/activity-feed-{desktop,phone}.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { waitFor } from '../../backend/test/support/test-services';
import { consoleE2e, PHONE, SCREENSHOTS_DIR, teamOfTwo } from '../test/support/console-e2e';

const SCREENSHOTS = process.env.FLIGHTDECK_SCREENSHOTS === '1';

const e2e = consoleE2e();
const { openAs } = e2e;

const feedList = (page: Page) =>
  page.locator('fd-activity-feed:not([compact])').getByRole('list', { name: 'Activity, newest first' });
const entryTexts = (page: Page) =>
  page
    .locator('fd-activity-feed:not([compact]) li.entry .entry__text')
    .evaluateAll((texts) => texts.map((text) => text.textContent!.replace(/\s+/g, ' ').trim()));
const jobPage = (page: Page) => page.locator('fd-job-page');
const shoot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS_DIR, `activity-feed-${name}.png`), fullPage: true });

describe('the activity feed, with two people on call', () => {
  it("shows what one person does to the jobs in the other one's feed as it happens, once each", async () => {
    const { ada, bob } = await teamOfTwo(e2e.app);
    const submitted = await ada.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 200, fail: true } });
    expect(submitted.status).toBe(202);
    const jobId = submitted.body.id as string;
    await waitFor('the job to fail', async () => (await ada.http.get(`/v1/jobs/${jobId}`)).body.status === 'failed');
    const short = jobId.slice(-8);

    // Ada opens the feed from the navigation; nobody did anything yet.
    const a = await openAs(ada, `/w/${ada.slug}`);
    await a.page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Activity' }).click();
    await a.page.getByRole('heading', { name: 'Activity', level: 2 }).waitFor();
    expect(new URL(a.page.url()).pathname).toBe(`/w/${ada.slug}/activity`);
    await a.page.getByText('No activity yet').waitFor();

    // Bob, on the job's page: "I'm on it", a comment, a retry. Ada's feed gets each as it happens.
    const b = await openAs(bob, `/w/${ada.slug}/jobs/${jobId}`);
    await jobPage(b.page).locator('.badge[data-status="failed"]').waitFor();
    await jobPage(b.page).getByRole('button', { name: 'I’m on it' }).click();
    await feedList(a.page).getByText(`claimed job demo.sleep ${short}`).waitFor();
    expect(await entryTexts(a.page)).toEqual([`Bob Builder claimed job demo.sleep ${short}`]);

    const field = jobPage(b.page).getByLabel('Add a comment');
    await field.fill('looking into it');
    await field.press('Control+Enter');
    await feedList(a.page).getByText('“looking into it”').waitFor();

    await jobPage(b.page).getByRole('button', { name: 'Retry' }).click();
    await feedList(a.page).getByText(`retried job demo.sleep ${short}`).waitFor();
    expect(await entryTexts(a.page)).toEqual([
      `Bob Builder retried job demo.sleep ${short}`,
      `Bob Builder commented on job demo.sleep ${short}: “looking into it”`,
      `Bob Builder claimed job demo.sleep ${short}`,
    ]);
    await expect(a.page.locator('fd-activity-feed').getByRole('status').textContent()).resolves.toBe(
      `Bob Builder retried job demo.sleep ${short}`,
    );
    // Each entry links to the job's page.
    const link = feedList(a.page)
      .getByRole('link', { name: `demo.sleep ${short}` })
      .first();
    await expect(link.getAttribute('href')).resolves.toBe(`/w/${ada.slug}/jobs/${jobId}`);

    // "Everything": the page is read again — each of Bob's actions once — and the retry's run shows up live.
    await a.page.getByRole('radio', { name: 'Everything' }).check();
    await a.page.waitForFunction(() => new URL(window.location.href).search === '?actor=all');
    await feedList(a.page).getByText(`Job demo.sleep ${short} failed (attempt 1): demo failure`).first().waitFor();
    await waitFor(
      'the retried run to fail',
      async () => (await ada.http.get(`/v1/jobs/${jobId}`)).body.status === 'failed',
    );
    await waitFor('both runs in the feed', async () => {
      const texts = await entryTexts(a.page);
      return texts.filter((text) => text.includes('failed (attempt 1)')).length === 2;
    });
    const everything = await entryTexts(a.page);
    for (const action of ['retried', 'claimed'])
      expect(everything.filter((text) => text.startsWith(`Bob Builder ${action}`))).toHaveLength(1);
    expect(everything.filter((text) => text.startsWith('Bob Builder commented'))).toHaveLength(1);

    // Read again from the server (a reload of the page): the same entries, none twice.
    await a.page.reload();
    await feedList(a.page).waitFor({ timeout: 15_000 });
    await a.page.getByRole('status', { name: /^Realtime connection: live/ }).waitFor({ timeout: 15_000 });
    await expect(a.page.getByRole('radio', { name: 'Everything' }).isChecked()).resolves.toBe(true);
    await waitFor('the feed to be read again', async () => (await entryTexts(a.page)).length === everything.length);
    expect(await entryTexts(a.page)).toEqual(everything);

    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOTS_DIR, { recursive: true });
      await a.page.getByRole('radio', { name: 'People' }).check();
      await feedList(a.page).getByText(`claimed job demo.sleep ${short}`).waitFor();
      await shoot(a.page, 'desktop');
      const phone = await openAs(ada, `/w/${ada.slug}/activity`, PHONE);
      await feedList(phone.page).getByText(`claimed job demo.sleep ${short}`).waitFor();
      await shoot(phone.page, 'phone');
      await phone.page.close();
    }

    // The jobs page's panel: the newest entries, live, and a link to the feed.
    await a.page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Jobs' }).click();
    const panel = a.page.getByRole('region', { name: 'Recent activity' });
    await panel.getByText(`retried job demo.sleep ${short}`).waitFor();
    await jobPage(b.page).getByRole('button', { name: 'Release' }).click();
    await panel.getByText(`released the claim on job demo.sleep ${short}`).waitFor();
    await panel.getByRole('link', { name: 'All activity' }).click();
    await feedList(a.page).getByText(`released the claim on job demo.sleep ${short}`).waitFor();
    expect(new URL(a.page.url()).pathname).toBe(`/w/${ada.slug}/activity`);

    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
  });
});
