import type { Job } from '@flightdeck/contract';
import type { Fixture } from '../../../test/support/browser';
import { fixturePages } from '../../../test/support/fixture-pages';
import { buildJob } from '../../../test/support/job-factory';

let fixture: Fixture;

const pages = fixturePages(`
  import './components/fd-jobs-table/fd-jobs-table.component';
  // Like the jobs view: the table says what to select, the page decides (and records it).
  const page = window as unknown as { selections: string[][] };
  page.selections = [];
  document.addEventListener('fd-selection-change', async (event) => {
    const table = document.querySelector('fd-jobs-table')!;
    page.selections.push([...event.detail.ids]);
    table.selected = event.detail.ids;
  });
`);
beforeEach(async () => {
  fixture = await pages.open({ body: '<main style="width: 900px"><fd-jobs-table></fd-jobs-table></main>' });
});

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

  it('shows each job as a card in a narrow container, keeping table semantics', async () => {
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

  describe('with selection, claims, viewers and links', () => {
    const jobs = [
      buildJob({ status: 'failed', claimedBy: { id: 'u_ada', name: 'Ada Lovelace', at: '2026-03-01T10:00:00.000Z' } }),
      buildJob({ status: 'failed' }),
      buildJob({ status: 'active' }),
      buildJob({ status: 'queued' }),
    ];
    const selections = () => fixture.page.evaluate(() => (window as unknown as { selections: string[][] }).selections);
    const focusedRow = () =>
      fixture.page.evaluate(
        () => (document.querySelector('fd-jobs-table')!.shadowRoot!.activeElement as HTMLElement | null)?.dataset.jobId,
      );

    beforeEach(async () => {
      await fixture.page.evaluate(
        async ({ list }) => {
          const table = document.querySelector('fd-jobs-table')!;
          table.selectable = true;
          table.workspace = 'acme';
          table.viewers = new Map([[list[1]!.id, [{ id: 'u_bob', name: 'Bob Builder' }]]]);
          table.jobs = list;
          await table.updateComplete;
        },
        { list: jobs },
      );
    });

    it('shows who claimed each job and who else is looking, and links each job to its page', async () => {
      const { page } = fixture;
      await expect(row(jobs[0]!.id).locator('.cell-claim').textContent()).resolves.toContain('Ada Lovelace');
      await expect(row(jobs[1]!.id).locator('.cell-claim').textContent()).resolves.toContain('Not claimed');
      await row(jobs[1]!.id).getByRole('list', { name: 'Also viewing: Bob Builder' }).waitFor();
      const link = row(jobs[2]!.id).getByRole('link', { name: 'demo.sleep' });
      await expect(link.getAttribute('href')).resolves.toBe(`/w/acme/jobs/${jobs[2]!.id}`);
      await page.getByRole('columnheader', { name: 'Claimed by' }).waitFor();
    });

    it('checks rows one by one, as a shift-click range, or all at once', async () => {
      const { page } = fixture;
      await page.getByRole('checkbox', { name: `Select job demo.sleep ${jobs[0]!.id.slice(-8)}` }).click();
      await page
        .getByRole('checkbox', { name: `Select job demo.sleep ${jobs[2]!.id.slice(-8)}` })
        .click({ modifiers: ['Shift'] });
      await expect(selections()).resolves.toEqual([[jobs[0]!.id], [jobs[0]!.id, jobs[1]!.id, jobs[2]!.id]]);
      const all = page.getByRole('checkbox', { name: 'Select all 4 jobs shown' });
      await expect(all.evaluate((input: HTMLInputElement) => input.indeterminate)).resolves.toBe(true);
      await all.click();
      await expect(row(jobs[3]!.id).getByRole('checkbox').isChecked()).resolves.toBe(true);
      await all.click();
      await expect(selections().then((list) => list.at(-1))).resolves.toEqual([]);
    });

    it('moves between rows with the arrow keys, checks with Space, opens with Enter', async () => {
      const { page } = fixture;
      // Tab from the select-all checkbox enters the rows.
      await page.getByRole('checkbox', { name: 'Select all 4 jobs shown' }).focus();
      await page.keyboard.press('Tab');
      await expect(focusedRow()).resolves.toBe(jobs[0]!.id);
      await page.keyboard.press('ArrowDown');
      await expect(focusedRow()).resolves.toBe(jobs[1]!.id);
      await page.keyboard.press('Space');
      await page.keyboard.press('Shift+ArrowDown');
      await expect(selections().then((list) => list.at(-1)?.sort())).resolves.toEqual(
        [jobs[1]!.id, jobs[2]!.id].sort(),
      );
      await page.keyboard.press('End');
      await expect(focusedRow()).resolves.toBe(jobs[3]!.id);
      await page.keyboard.press('Escape');
      await expect(selections().then((list) => list.at(-1))).resolves.toEqual([]);
      // Only one row is in the tab order: Tab leaves the table.
      await expect(page.locator('fd-jobs-table tr[tabindex="0"]').count()).resolves.toBe(1);
      // As in the console, a click on a link inside the table is followed without a reload.
      await page.evaluate(() =>
        document.addEventListener('click', (event) => {
          const link = event
            .composedPath()
            .find((target) => (target as Element).localName === 'a') as HTMLAnchorElement;
          event.preventDefault();
          (window as unknown as { followed: string }).followed = new URL(link.href).pathname;
        }),
      );
      await page.keyboard.press('Enter');
      await expect(page.evaluate(() => (window as unknown as { followed: string }).followed)).resolves.toBe(
        `/w/acme/jobs/${jobs[3]!.id}`,
      );
    });

    it('keeps the focus on the table when the focused row leaves', async () => {
      await row(jobs[1]!.id).focus();
      await show([jobs[0]!, jobs[2]!, jobs[3]!]);
      await expect(focusedRow()).resolves.toBe(jobs[2]!.id);
      expect(fixture.problems).toEqual([]);
    });
  });
});
