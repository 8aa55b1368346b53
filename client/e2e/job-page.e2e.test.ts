/**
 * Two people on call in one workspace, each in their own browser context, against a real
 * Flightdeck (in this process, on the test run's Redis and FerretDB): presence on the jobs table and
 * on the job page, a claim seen at once and a second claim refused, a comment (with its typing
 * notice) seen as it is posted, and a retry both watch go active, then complete, attributed in the
 * activity. Needs the built console (client/dist): `npm test` builds first.
 *
 * The job is an `http.request` to a local server that is not listening yet: the first attempt fails
 * (connection refused); the server starts before the retry, which then completes.
 *
 * FLIGHTDECK_SCREENSHOTS=1 also writes docs/screenshots/job-page-{desktop,phone}.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page, Route } from 'playwright-core';
import { waitFor } from '../../backend/test/support/test-services';
import { consoleE2e, PHONE, SCREENSHOTS_DIR, teamOfTwo } from '../test/support/console-e2e';
import { lateUpstream } from '../test/support/late-upstream';

const SCREENSHOTS = process.env.FLIGHTDECK_SCREENSHOTS === '1';

const e2e = consoleE2e({ OUTBOUND_ALLOWLIST: '127.0.0.1' });
const upstream = lateUpstream();

const { openAs } = e2e;

const jobPage = (page: Page) => page.locator('fd-job-page');
const badge = (page: Page, status: string) => jobPage(page).locator(`.badge[data-status="${status}"]`);
const activity = (page: Page) => jobPage(page).getByRole('list', { name: 'Activity, oldest first' });
const shoot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS_DIR, `job-page-${name}.png`), fullPage: true });

describe('the job page, with two people on call', () => {
  it('shows presence, a claim and a refused claim, a live comment and a retry both watch, attributed', async () => {
    const { ada, bob } = await teamOfTwo(e2e.app);

    const port = await upstream.freePort();
    const submitted = await ada.http.post('/v1/jobs', {
      type: 'http.request',
      payload: { url: `http://127.0.0.1:${port}/orders/sync`, method: 'GET', timeoutMs: 5_000 },
    });
    expect(submitted.status).toBe(202);
    const jobId = submitted.body.id as string;
    await waitFor(
      'the first attempt to fail',
      async () => (await ada.http.get(`/v1/jobs/${jobId}`)).body.status === 'failed',
    );
    const jobPath = `/w/${ada.slug}/jobs/${jobId}`;

    // Ada watches the jobs; Bob opens the failed job from a shared link.
    const a = await openAs(ada, `/w/${ada.slug}`);
    const row = a.page.locator(`fd-jobs-table tr[data-job-id="${jobId}"]`);
    await row.waitFor();
    const b = await openAs(bob, jobPath);
    expect(new URL(b.page.url()).pathname).toBe(jobPath);
    await badge(b.page, 'failed').waitFor();
    await jobPage(b.page)
      .getByRole('region', { name: 'Error' })
      .locator('.error__message', { hasText: 'fetch failed' })
      .waitFor();

    // Ada sees Bob on the job's row, follows the row's link, and sees him on the job's page.
    await row.getByRole('list', { name: /Bob Builder/ }).waitFor({ timeout: 15_000 });
    await row.getByRole('link').first().click();
    await jobPage(a.page).getByRole('heading', { name: 'http.request', level: 2 }).waitFor();
    expect(new URL(a.page.url()).pathname).toBe(jobPath);
    await jobPage(a.page).getByRole('list', { name: 'Also viewing this job: Bob Builder' }).waitFor();
    // And Bob sees Ada now.
    await jobPage(b.page).getByRole('list', { name: 'Also viewing this job: Ada Lovelace' }).waitFor();

    // Ada clicks "I'm on it" a moment after Bob: her request reaches the server only once Bob holds the claim.
    let heldClaim: Route | undefined;
    await a.page.route('**/v1/jobs/*/claim', (route) => {
      heldClaim = route;
    });
    await jobPage(a.page).getByRole('button', { name: 'I’m on it' }).click();
    await waitFor("Ada's claim request", () => heldClaim !== undefined, 5_000);
    await jobPage(b.page).getByRole('button', { name: 'I’m on it' }).click();
    await jobPage(b.page).getByText('You are on it').waitFor();
    // Ada's page shows Bob's claim at once (her own request still pending), and what he did as a toast.
    await jobPage(a.page).getByText('Bob Builder is on it').waitFor();
    await a.page.getByText('Bob Builder claimed this job').waitFor();
    await heldClaim!.continue();
    await jobPage(a.page).getByRole('alert').getByText('Bob Builder is already on this job.').waitFor();
    await a.page.unroute('**/v1/jobs/*/claim');

    // Bob writes a comment: Ada sees him typing, then the comment as it is posted.
    const note = 'upstream timed out, retrying after 10:00';
    const field = jobPage(b.page).getByLabel('Add a comment');
    await field.pressSequentially(note.slice(0, 12), { delay: 20 });
    await jobPage(a.page).getByText('Bob Builder is typing…').waitFor();
    await field.pressSequentially(note.slice(12));
    await field.press('Control+Enter');
    const comments = jobPage(a.page).getByRole('list', { name: 'Comments, oldest first' });
    await comments.getByText(note).waitFor();
    await expect(comments.locator('.comment__author').allTextContents()).resolves.toEqual(['Bob Builder']);

    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOTS_DIR, { recursive: true });
      await a.page.getByText('Bob Builder is typing…').waitFor({ state: 'detached', timeout: 6_000 });
      await jobPage(a.page).locator('.error__stack summary').click();
      await shoot(a.page, 'desktop');
      const phone = await openAs(ada, jobPath, PHONE);
      await jobPage(phone.page)
        .getByRole('list', { name: /^Also viewing this job: Bob Builder/ })
        .waitFor();
      await jobPage(phone.page).getByRole('list', { name: 'Comments, oldest first' }).getByText(note).waitFor();
      await shoot(phone.page, 'phone');
      await phone.page.close();
    }

    // The upstream is back; Bob retries. Both see the job run, then complete, and who retried it.
    await upstream.start(port, 1_500);
    await jobPage(b.page).getByRole('button', { name: 'Retry' }).click();
    await a.page.getByText('Bob Builder retried this job').waitFor();
    for (const page of [a.page, b.page]) await badge(page, 'active').waitFor({ timeout: 10_000 });
    for (const page of [a.page, b.page]) {
      await badge(page, 'completed').waitFor({ timeout: 15_000 });
      await activity(page).getByText('Retried by Bob Builder').waitFor();
      await jobPage(page).getByRole('region', { name: 'Result' }).getByText('upstream is back').waitFor();
    }
    await expect(
      jobPage(a.page).getByRole('progressbar', { name: 'Progress' }).getAttribute('aria-valuenow'),
    ).resolves.toBe('100');

    // The activity, read again from the server, says the same.
    const stored = await ada.http.get(`/v1/jobs/${jobId}/activity`);
    expect(stored.body.items).toContainEqual(
      expect.objectContaining({ action: 'retried', actor: expect.objectContaining({ name: 'Bob Builder' }) }),
    );
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
  });

  it('says a job of another workspace is not found, with a link back', async () => {
    const ada = await e2e.app.signup('Ada Lovelace');
    const eve = await e2e.app.signup('Eve Other');
    const theirs = await eve.http.post('/v1/jobs', { type: 'demo.sleep', payload: { ms: 10 } });
    expect(theirs.status).toBe(202);
    const { page, problems } = await openAs(ada, `/w/${ada.slug}/jobs/${theirs.body.id}`);
    await page.getByRole('heading', { name: 'Job not found' }).waitFor();
    await page.getByRole('link', { name: 'Back to the jobs' }).click();
    await page.locator('fd-jobs-table').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/w/${ada.slug}`);
    expect(problems).toEqual([]);
  });
});
